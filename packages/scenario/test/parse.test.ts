// The scenario checker: a good scenario comes back as it was written (and
// survives a JSON round trip); each kind of mistake gets one sentence that
// names the field, the way a teacher would look for it.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseScenario, type Scenario } from '../src/index.js';
import { scenarioValidatorSource, VALIDATOR_FILE } from '../scripts/scenario-validator.js';

test('the generated schema validator is the schema in docs/ (run `npm run gen` after editing it)', () => {
  expect(readFileSync(VALIDATOR_FILE, 'utf8')).toBe(scenarioValidatorSource());
});

const good: Scenario = {
  format: 1,
  id: 'ipc-basics',
  title: 'Call and reply',
  text: 'ping calls pong.\n\nWatch `MSG_SEND`.',
  cpus: 1,
  deterministic: true,
  programs: [{ name: 'pong2', builtin: 'pong' }, { name: 'hi', source: 'export function _start(): void {}' }],
  script: ['ping ${N}'],
  steps: [{ at: { kind: 'msg_send', process: 'ping' }, text: 'ping sends its first request' }],
  view: { kinds: ['ipc'], hide: ['uart'], panels: ['trace', 'terminal'], event: { kind: 'SPAWN', process: 'ping' } },
  checks: [
    { type: 'before', text: 'pong replies before ping exits', first: { kind: 'msg_send', process: 'pong' }, then: { kind: 'exit', process: 'ping' } },
    { type: 'count', text: 'N calls', match: { kind: 'msg_send', process: 'ping' }, atLeast: 1 },
    { type: 'holds-none', text: 'no one keeps the channel', object: { event: { kind: 'handle_create', process: 'ping', args: { type: 'channel' } }, arg: 'koid' }, processes: ['ping'] },
    { type: 'answer', text: 'calls', question: 'How many calls?', expected: { formula: 'N' } },
  ],
  variant: { seed: 7, params: { N: { min: 2, max: 5 } } },
};

const withField = (edit: (s: Record<string, unknown>) => void): string => {
  const s = structuredClone(good) as unknown as Record<string, unknown>;
  edit(s);
  return JSON.stringify(s);
};

const message = (text: string, opts?: Parameters<typeof parseScenario>[1]): string => {
  const r = parseScenario(text, opts);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.message;
};

describe('parseScenario', () => {
  test('a good scenario round-trips through JSON unchanged', () => {
    const r = parseScenario(JSON.stringify(good));
    expect(r).toEqual({ ok: true, scenario: good });
    if (r.ok) expect(parseScenario(JSON.stringify(r.scenario))).toEqual(r);
  });

  test('an unknown trace kind names the field and suggests the nearest kind', () => {
    expect(message(withField((s) => { (s.steps as { at: { kind: string } }[])[0]!.at.kind = 'msg_snd'; })))
      .toBe('steps[0].at.kind: "msg_snd" is not a trace kind; did you mean msg_send?');
    expect(message(withField((s) => { (s.checks as { then: { kind: string } }[])[0]!.then.kind = 'exitt'; })))
      .toBe('checks[0].then.kind: "exitt" is not a trace kind; did you mean exit?');
  });

  test('the format version comes first: missing or unknown is refused with what this build reads', () => {
    expect(message(withField((s) => { delete s.format; }))).toBe('format: is required (write "format": 1)');
    expect(message(withField((s) => { s.format = 2; }))).toMatch(/^format: 2 is not a scenario format this build reads \(it reads 1\)/);
  });

  test('schema errors name the field', () => {
    expect(message(withField((s) => { s.cpus = 9; }))).toBe('cpus: must be from 1 to 8');
    expect(message(withField((s) => { s.id = 'IPC basics'; }))).toBe('id: must be kebab-case, like "ipc-basics"');
    expect(message(withField((s) => { delete s.title; }))).toBe('"title" is required');
    expect(message(withField((s) => { s.scirpt = []; }))).toMatch(/^unknown field "scirpt"; did you mean script\?/);
    expect(message(withField((s) => { (s.programs as object[])[0] = { name: 'x' }; })))
      .toBe('programs[0]: a program has a "name" and one of "source", "wasm", "builtin"');
    expect(message(withField((s) => { (s.steps as object[])[0] = { at: { kind: 'exit', nht: 2 }, text: 'x' }; })))
      .toMatch(/^steps\[0\]\.at: unknown field "nht"; did you mean nth\?/);
    expect(message(withField((s) => { (s.checks as object[]).push({ type: 'count', text: 'x', match: { kind: 'exit' }, equal: 1 }); })))
      .toMatch(/^checks\[4\]: unknown field "equal"; did you mean equals\?/);
  });

  test('what a schema cannot say: arguments, presets, names twice, placeholders, built-ins', () => {
    expect(message(withField((s) => { (s.checks as { object: { arg: string } }[])[2]!.object.arg = 'kid'; })))
      .toBe('checks[2].object.arg: HANDLE_CREATE has no argument "kid" (it has handle, koid, type, rights)');
    expect(message(withField((s) => { (s.view as { kinds: string[] }).kinds = ['ipcc']; })))
      .toBe('view.kinds[0]: "ipcc" is neither a preset (all, ipc, caps, sched) nor a trace kind; did you mean ipc?');
    expect(message(withField((s) => { (s.programs as { name: string }[])[1]!.name = 'pong2'; }))).toBe('programs[1].name: "pong2" is given twice');
    expect(message(withField((s) => { (s.script as string[]).push('spin ${M}'); }))).toBe('script[1]: ${M} is not a parameter of the variant');
    expect(message(withField((s) => { (s.checks as { expected: object }[])[3]!.expected = { formula: 'N + K' }; })))
      .toBe('checks[3].expected.formula: "K" is not a parameter of the variant');
    expect(message(JSON.stringify(good), { builtins: ['spin', 'pongs'] })).toBe('programs[0].builtin: "pong" is not a built program; did you mean pongs?');
    expect(message(withField((s) => { (s.checks as object[]).push({ type: 'count', text: 'x', match: { kind: 'exit' } }); })))
      .toBe('checks[4]: a count check needs "equals", "atLeast" or "atMost"');
  });

  test('not JSON, not an object, or too big', () => {
    expect(message('{"format": 1,')).toMatch(/^not valid JSON: /);
    expect(message('[1]')).toBe('a scenario is a JSON object with "format", "id", "title" and "text"');
    expect(message(JSON.stringify({ ...good, text: 'x'.repeat(1 << 20) }))).toMatch(/^the scenario is \d+ bytes; the limit is 1048576/);
  });
});
