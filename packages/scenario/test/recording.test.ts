// Recordings: a scenario recorded in Node replays to the same events (its
// count, its checks); one whose format or trace layout this build does not
// read is refused with a message that says how to re-record it; an older
// format this build still reads replays.

import { describe, expect, test } from 'vitest';
import { LIBRARY } from '../src/library.js';
import { Run, checkRecording, decide, expectedAnswer, instantiate, parseScenarioValue, recordedEvents, RECORDING_FORMAT, RECORDING_OLDEST, traceLayout, type Recording, type Scenario } from '../src/index.js';
import { recordScenario, runScenario } from '../src/node.js';

async function library(id: string): Promise<Scenario> {
  const parsed = parseScenarioValue(await LIBRARY.find((e) => e.id === id)!.load());
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.scenario;
}

describe('a recording', () => {
  test('round trip: the recorded trace decodes to the run it came from, and the file form parses', async () => {
    const s = await library('ipc-basics');
    const rec = await recordScenario(s);
    const again = await runScenario(instantiate(s).scenario, undefined, undefined, true); // as recordScenario runs it: the page's machine
    // Deterministic: a second run is the recording, event for event.
    const events = await recordedEvents(checkRecording(JSON.parse(JSON.stringify(rec))));
    expect(events.length).toBe(rec.events);
    expect(events.map((e) => [e.seq, e.kindName, e.pid, e.time, ...e.args])).toEqual(again.events.map((e) => [e.seq, e.kindName, e.pid, e.time, ...e.args]));
    expect(rec.console).toContain('ping: 5 replies');
    const parsed = parseScenarioValue({ ...s, recording: rec });
    expect(parsed.ok).toBe(true);
  });

  describe('refused, with the re-record message, when', () => {
    const good = (): Recording => ({ format: RECORDING_FORMAT, layout: '', kernel: 'k', trace: '', events: 0, console: '', seed: null });
    const cases: [string, (r: Recording) => unknown, RegExp][] = [
      ['the format is newer', (r) => ({ ...r, format: RECORDING_FORMAT + 1 }), /recording\.format \d+ is newer/],
      ['the format is older than the oldest read', (r) => ({ ...r, format: RECORDING_OLDEST - 1 }), /recording\.format \d+ is older/],
      ['the trace layout differs', (r) => ({ ...r, layout: 't64-00000000' }), /recording\.layout t64-00000000 differs/],
      ['a field is missing', (r) => { const { console: _c, ...rest } = r; return rest; }, /recording\.console/],
      ['it is not an object', () => 'x', /recording: not an object/],
    ];
    for (const [what, change, message] of cases) {
      test(what, () => {
        const ok = { ...good(), layout: traceLayout() };
        expect(() => checkRecording(ok)).not.toThrow();
        expect(() => checkRecording(change(ok))).toThrow(message);
        expect(() => checkRecording(change(ok))).toThrow(/re-record it with this build: oncrix record FILE/);
      });
    }
    test('the trace is not what it says', async () => {
      const rec = await recordScenario(await library('ipc-basics'));
      await expect(recordedEvents(checkRecording({ ...rec, events: rec.events + 1 }))).rejects.toThrow(/holds \d+ events, not the \d+ it says[\s\S]*oncrix record FILE/);
      await expect(recordedEvents(checkRecording({ ...rec, trace: btoa('not deflated') }))).rejects.toThrow(/does not decompress[\s\S]*oncrix record FILE/);
    });
  });
});

describe('the library, recorded', () => {
  for (const entry of LIBRARY) {
    test(`${entry.id}: replays — its event count, and every check passes on the recorded trace`, async () => {
      const s = await library(entry.id);
      const rec = checkRecording(JSON.parse(JSON.stringify(await recordScenario(s))));
      const events = await recordedEvents(rec);
      expect(events.length).toBe(rec.events);
      const { scenario, params } = instantiate(s, rec.seed ?? undefined);
      const run = new Run(events);
      for (const st of scenario.steps ?? []) expect(run.indexOf(st.at)).toBeGreaterThanOrEqual(0);
      for (const c of scenario.checks ?? []) {
        if (c.type === 'answer') expect(decide(c, run, params, expectedAnswer(c.expected, run, params) ?? '').passed, c.text).toBe(true);
        else expect(decide(c, run, params).passed, c.text).toBe(true);
      }
    });
  }
});
