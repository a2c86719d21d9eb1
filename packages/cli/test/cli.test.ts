// `oncrix`, run as a user runs it: a script of commands in, the console out,
// a shell start-up script, the decoded trace as JSON Lines, clear messages
// for bad options and files, and the same trace twice in deterministic mode.

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

  test('bad options and files get one clear message and a non-zero exit', () => {
    expect(oncrix(['--cpus', '99'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--cpus takes a whole number from 1 to 8') });
    expect(oncrix(['--frobnicate'])).toMatchObject({ status: 2, stderr: expect.stringContaining("Unknown option '--frobnicate'") });
    expect(oncrix(['--script', join(dir, 'missing.txt')])).toMatchObject({ status: 2, stderr: expect.stringContaining('cannot read script') });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"programs": []}');
    expect(oncrix(['--manifest', bad])).toMatchObject({ status: 2, stderr: expect.stringContaining('"programs" must be a non-empty list') });
  });
});
