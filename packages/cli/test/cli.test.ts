// `oncrix`, run as a user runs it: a script of commands in, the console out,
// a shell start-up script, the decoded trace as JSON Lines, clear messages
// for bad options and files, the same trace twice in deterministic mode, and
// faults injected into the console driver with the shell answering on.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const cli = fileURLToPath(new URL('../bin/oncrix.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'oncrix-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function oncrix(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function script(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('oncrix', () => {
  test('--script types the commands and exits when the system is idle', () => {
    const r = oncrix(['--script', script('a.txt', ['echo from the script', 'ps'])]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('from the script');
    expect(r.stdout).toMatch(/\binit\b[\s\S]*\buart\b[\s\S]*\bsh\b/);
  });

  test('--startup gives sh a start-up script, run before what is typed', () => {
    const r = oncrix(['--startup', script('s.txt', ['echo from the start-up script']), '--script', script('t.txt', ['echo typed'])]);
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\r/g, '')).toMatch(/\$ echo from the start-up script\nfrom the start-up script\n[\s\S]*typed/);
  });

  test('--trace writes the decoded kernel trace as JSON Lines', () => {
    const trace = join(dir, 'trace.jsonl');
    const r = oncrix(['--script', script('b.txt', ['ping 2']), '--trace', trace]);
    expect(r.status).toBe(0);
    const events = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; kind: string; pid: number });
    expect(events[0]).toMatchObject({ seq: 0, kind: 'BOOT' });
    // Sequence numbers only grow (DATA records are folded into the event before them).
    expect(events.every((e, i) => i === 0 || e.seq > (events[i - 1]?.seq ?? -1))).toBe(true);
    expect(events.filter((e) => e.kind === 'MSG_SEND').length).toBeGreaterThan(4);
    expect(events.some((e) => e.kind === 'SPAWN')).toBe(true);
  });

  test('--deterministic gives the same trace for the same script', () => {
    const s = script('c.txt', ['echo same', 'ping 3']);
    const t1 = join(dir, 't1.jsonl');
    const t2 = join(dir, 't2.jsonl');
    expect(oncrix(['--deterministic', '--script', s, '--trace', t1]).status).toBe(0);
    expect(oncrix(['--deterministic', '--script', s, '--trace', t2]).status).toBe(0);
    const a = readFileSync(t1, 'utf8');
    expect(a.split('\n').length).toBeGreaterThan(200);
    expect(readFileSync(t2, 'utf8')).toBe(a);
  });

  test('--inject kills the console driver; init restarts it and every command of the script is still answered', () => {
    const trace = join(dir, 'inject.jsonl');
    // Deterministic: the kill lands at the same moment every run (real time could catch keys the dying driver held).
    const r = oncrix(['--deterministic', '--inject', 'kill:uart:after=20', '--script', script('i.txt', ['echo one', 'ping 3', 'echo two', 'ps']), '--trace', trace]);
    expect(r.status).toBe(0);
    const out = r.stdout.replace(/\r/g, '');
    expect(out).toContain('[oncrix] inject: kill uart (pid 2) at after=20');
    expect(out).toMatch(/init: uart \(pid 2, generation 0\) crashed \(injected fault\); restarting it as generation 1/);
    expect(out).toMatch(/\$ echo one\none\n\$ ping 3\nping: 3 replies[^\n]*\n\$ echo two\ntwo\n\$ ps\n/);
    expect(out).toMatch(/^\s+\d+\s+1\s+uart\s+1\s+blocked/m); // ps: uart, generation 1
    const spawns = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; args: number[]; text?: string })
      .filter((e) => e.kind === 'SPAWN' && e.text === 'uart');
    expect(spawns.map((e) => e.args[5])).toEqual([0, 1]);
  });

  test('--seed makes random injection points reproducible', () => {
    const s = script('r.txt', ['echo x', 'echo y']);
    const point = (seed: string): string => {
      const r = oncrix(['--deterministic', '--inject', 'trap:uart:random', '--seed', seed, '--script', s]);
      expect(r.status).toBe(0);
      return /inject: trap uart \(pid \d+\) at ([^\r\n]+)/.exec(r.stdout)?.[1] ?? 'no strike';
    };
    const first = point('7');
    expect(first).not.toBe('no strike');
    expect(point('7')).toBe(first);
  });

  test('a bad --inject or --seed gets the parser\'s message and exit 2', () => {
    const bad = oncrix(['--inject', 'explode:uart']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--inject explode:uart: unknown action "explode"');
    expect(bad.stderr).toContain('ACTION:PROGRAM[:POINT][:xTIMES]');
    expect(oncrix(['--inject', 'kill:uart:after=0'])).toMatchObject({ status: 2, stderr: expect.stringContaining('N must be a whole number of at least 1') });
    expect(oncrix(['--inject', 'kill:nosuch'])).toMatchObject({ status: 2, stderr: expect.stringContaining('inject: no program named nosuch') });
    expect(oncrix(['--seed', 'soon'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--seed takes a whole number from 0 to 4294967295') });
  });

  test('bad options and files get one clear message and a non-zero exit', () => {
    expect(oncrix(['--cpus', '99'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--cpus takes a whole number from 1 to 8') });
    expect(oncrix(['--frobnicate'])).toMatchObject({ status: 2, stderr: expect.stringContaining("Unknown option '--frobnicate'") });
    expect(oncrix(['--script', join(dir, 'missing.txt')])).toMatchObject({ status: 2, stderr: expect.stringContaining('cannot read script') });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"programs": []}');
    expect(oncrix(['--manifest', bad])).toMatchObject({ status: 2, stderr: expect.stringContaining('"programs" must be a non-empty list') });
  });
});

describe('oncrix record', () => {
  test('writes the scenario back with its recording, progress on stderr', () => {
    const src = fileURLToPath(new URL('../../scenario/library/ipc-basics.json', import.meta.url));
    const out = join(dir, 'rec.json');
    const r = oncrix(['record', src, '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('oncrix record: typing: ping 5');
    const written = JSON.parse(readFileSync(out, 'utf8')) as { id: string; recording: { format: number; events: number; console: string; trace: string } };
    expect(written.id).toBe('ipc-basics');
    expect(written.recording.format).toBe(1);
    expect(written.recording.events).toBeGreaterThan(100);
    expect(written.recording.console).toMatch(/ping: 5 replies/);
  });

  test('a bad scenario file is refused, naming what is wrong', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 1, id: 'x', title: 'x' }));
    const r = oncrix(['record', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/oncrix record: .*bad\.json: .*text/);
    expect(oncrix(['record', join(dir, 'missing.json')]).stderr).toMatch(/cannot read .*missing\.json/);
  });
});
