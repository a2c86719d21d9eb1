// Every library scenario, booted and run in Node (deterministic unless it
// says otherwise, through @oncrix/hal-web/node as the CLI and the system
// tests boot): it parses, its index entry matches its file, every step's
// event is found in the run, every check passes, and every question's
// computed answer is accepted while a wrong one is refused — so the
// library cannot silently rot when the kernel or a program changes.

import { describe, expect, test } from 'vitest';
import { LIBRARY } from '../src/library.js';
import { Run, decide, expectedAnswer, instantiate, parseScenarioValue, describeMatch } from '../src/index.js';
import { runScenario } from '../src/node.js';

describe('the scenario library', () => {
  test('has at least eight scenarios with unique ids', () => {
    expect(LIBRARY.length).toBeGreaterThanOrEqual(8);
    expect(new Set(LIBRARY.map((e) => e.id)).size).toBe(LIBRARY.length);
  });

  for (const entry of LIBRARY) {
    test(`${entry.id}: runs, every step finds its event and every check passes`, async () => {
      const parsed = parseScenarioValue(await entry.load());
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.scenario.id).toBe(entry.id);
      expect(parsed.scenario.title).toBe(entry.title);
      const { scenario, params } = instantiate(parsed.scenario);
      const { events, screen } = await runScenario(scenario, undefined, undefined, true);
      const run = new Run(events);
      for (const st of scenario.steps ?? []) expect(run.indexOf(st.at), `step at ${describeMatch(st.at)}\n${screen}`).toBeGreaterThanOrEqual(0);
      if (scenario.view?.event !== undefined) expect(run.indexOf(scenario.view.event)).toBeGreaterThanOrEqual(0);
      for (const c of scenario.checks ?? []) {
        if (c.type === 'answer') {
          const right = expectedAnswer(c.expected, run, params);
          expect(right, c.text).not.toBeNull();
          if (c.choices !== undefined) expect(c.choices).toContain(right);
          expect(decide(c, run, params, right ?? '').passed, c.text).toBe(true);
          const wrong = c.choices?.find((x) => x !== right) ?? String(Number(right) + 1);
          expect(decide(c, run, params, wrong).passed, `${c.text}: wrong answer ${wrong}`).toBe(false);
        } else {
          const r = decide(c, run, params);
          expect(r.passed, `${c.text}: ${r.why}\n${screen}`).toBe(true);
          expect(r.decidedBy).not.toBeNull();
        }
      }
    });
  }

  test('a variant answered by formula agrees with the run: ping N gets N + 1 replies, for several seeds', async () => {
    const raw = await LIBRARY.find((e) => e.id === 'ipc-basics')!.load();
    const parsed = parseScenarioValue(raw);
    if (!parsed.ok) throw new Error(parsed.message);
    for (const seed of [1, 2]) {
      const { scenario, params } = instantiate(parsed.scenario, seed);
      const run = new Run((await runScenario(scenario, undefined, undefined, true)).events);
      expect(run.allIndexes({ kind: 'msg_send', process: 'pong' }).length).toBe(Number(params.N) + 1);
    }
  });
});
