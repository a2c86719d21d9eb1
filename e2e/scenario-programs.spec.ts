// A scenario that brings its own program: AssemblyScript source in the
// file, compiled in the page before the machine boots, started by name from
// the scenario's script; and its `view.hide`, which leaves a program's
// events out of the trace. A source that does not compile stops the opening
// with a message naming the program, and the default playground goes on.

import { expect, test } from './fixtures.js';
import { encodeScenarioText } from '../apps/playground/src/share/codec.js';

const GREETER = `import { println } from "../lib/index";

export function _start(): void {
  println("greetings from the scenario's own program");
}
`;

const SCENARIO = {
  format: 1,
  id: 'own-program',
  title: 'A program of its own',
  text: 'The scenario brings the source of greeter; the page compiles it and sh runs it.',
  programs: [{ name: 'greeter', source: GREETER }],
  script: ['greeter'],
  view: { hide: ['uart'] },
};

async function link(scenario: object): Promise<string> {
  const encoded = await encodeScenarioText(JSON.stringify(scenario));
  if (!encoded.ok) throw new Error(encoded.message);
  return `./#s=${encoded.value}`;
}

test("a scenario's own source is compiled, runs by name, and its hidden program's events stay out of the trace", async ({ page, term }) => {
  await page.goto(await link(SCENARIO));
  await expect(page.locator('[data-testid=scenario-title]')).toHaveText(SCENARIO.title, { timeout: 30_000 });
  await term.waitFor(/greetings from the scenario's own program/, 60_000);
  const seen = await page.evaluate(() => {
    const s = window.__oncrix?.store.getState();
    if (s === undefined) return null;
    const names = (pids: Iterable<number>): string[] => [...pids].map((pid) => s.model.procs.get(pid)?.name ?? '?');
    const rows = new Set<number>();
    for (let r = 0; r < s.rows.length; r++) rows.add(s.rows.at(r));
    const shownPids = new Set((window.__oncrix?.events() ?? []).filter((e) => rows.has(e.g)).map((e) => e.pid));
    return { hidden: names(s.filter.hiddenPids), shown: names([...shownPids].filter((p) => p > 0)), greeter: [...s.model.procs.values()].some((p) => p.name === 'greeter') };
  });
  expect(seen?.greeter, 'greeter ran as a process of its own').toBe(true);
  expect(seen?.hidden).toEqual(['uart']);
  expect(seen?.shown).not.toContain('uart');
  expect(seen?.shown).toContain('greeter');
});

test('a source that does not compile stops the opening, naming the program; the default playground runs', async ({ page, term }) => {
  const broken = { ...SCENARIO, programs: [{ name: 'greeter', source: 'export function _start(): void {\n  nothing();\n}\n' }] };
  await page.goto(await link(broken));
  await expect(page.locator('[data-testid=scenario-message]')).toContainText('programs[0] ("greeter").source does not compile: line 2', { timeout: 60_000 });
  await term.waitFor(/^\$ /m, 30_000);
  await term.type('echo still here');
  await term.waitFor(/still here/);
});
