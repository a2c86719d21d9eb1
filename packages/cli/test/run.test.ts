// `oncrix run PROG.wasm`, run as a user runs it: a real C program (built
// here with clang + wasi-libc, as packages/userland/build.mjs builds the
// coreutils) on the whole system, checked by what the user sees — its exit
// code, stdout and stderr, its environment and arguments, its stdin, and the
// files it leaves in a --dir — and the clear messages for what cannot run.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import binaryen from 'binaryen';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const cli = fileURLToPath(new URL('../bin/oncrix.mjs', import.meta.url));
const source = fileURLToPath(new URL('./fixtures/probe.c', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'oncrix-run-'));
const probe = join(dir, 'probe.wasm');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  execFileSync('clang', ['--target=wasm32-wasi', '--sysroot=/usr', '-Oz', '-std=c11', '-Wall', '-Wextra', '-Werror', '-Wl,--strip-all', '-o', probe, source]);
});

function run(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'run', ...args], { encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A module from WebAssembly text (binaryen's parser), written to a file. */
function wat(name: string, text: string): string {
  const m = binaryen.parseText(text);
  const path = join(dir, name);
  writeFileSync(path, m.emitBinary());
  m.dispose();
  return path;
}

describe('oncrix run', () => {
  test('its arguments, environment, stdin, stdout, stderr and exit code are the program\'s own; -- ends oncrix\'s options', () => {
    const r = run(['--env', 'GREETING=hello there', '--env=EMPTY=', '--', probe, 'one', '--env', '-e', 'GREETING', '-e', 'EMPTY',
      '-e', 'HOME', '-s', '-x', '7'], 'twelve bytes');
    expect(r.stdout).toBe('arg 1: one\narg 2: --env\nGREETING=hello there\nEMPTY=\nHOME=(unset)\nstdin: 12 bytes\n');
    expect(r.stderr).toBe('probe: done\n');
    expect(r.status).toBe(7);
  });

  test('a file the program writes into a --dir is in the host directory after it exits, and one it reads comes from there', () => {
    const data = join(dir, 'data');
    mkdirSync(join(data, 'sub'), { recursive: true });
    writeFileSync(join(data, 'sub', 'in.txt'), 'from the host\n');
    const r = run(['--dir', `${data}::/data`, probe, '-c', '/data/sub/in.txt', '/data/out.txt']);
    expect(r.stderr).toBe('probe: done\n');
    expect(r.status).toBe(0);
    expect(readFileSync(join(data, 'out.txt'), 'utf8')).toBe('from the host\n');
    expect(readFileSync(join(data, 'sub', 'in.txt'), 'utf8')).toBe('from the host\n');
  });

  test('a --dir preopened as / holds the program\'s relative paths too; a failed open is the program\'s own error', () => {
    const root = join(dir, 'root');
    mkdirSync(root);
    writeFileSync(join(root, 'a'), 'A');
    const r = run(['--dir', `${root}::/`, probe, '-c', 'a', 'b', '-c', 'missing', 'c']);
    expect(r.stderr).toBe('missing: No such file or directory\nprobe: done\n');
    expect(r.status).toBe(1);
    expect(readFileSync(join(root, 'b'), 'utf8')).toBe('A');
    expect(existsSync(join(root, 'c'))).toBe(false);
  });

  test('a missing file, a file that is not WebAssembly and a bad --dir are refused before anything boots', () => {
    const missing = run([join(dir, 'nowhere.wasm')]);
    expect(missing.stderr).toBe(`oncrix run: ${join(dir, 'nowhere.wasm')}: no such file\n`);
    expect(missing.status).toBe(2);
    const text = join(dir, 'text.wasm');
    writeFileSync(text, 'not a module at all');
    expect(run([text]).stderr).toBe(`oncrix run: ${text}: not a WebAssembly module (no \\0asm header)\n`);
    const r = run(['--dir', join(dir, 'no-such-dir'), probe]);
    expect(r.stderr).toBe(`oncrix run: --dir ${join(dir, 'no-such-dir')}: ${join(dir, 'no-such-dir')} is not a directory\n`);
    expect(r.status).toBe(2);
    expect(run(['--dir', `${dir}::/up/../../x`, probe]).stderr).toContain('the guest path may not contain ..');
  });

  test('a module without _start, and one importing a function the kernel does not serve, are refused with the loader\'s message naming it', () => {
    const noStart = wat('nostart.wasm', '(module (memory (export "memory") 1) (func (export "main")))');
    const r = run([noStart]);
    expect(r.stderr).toBe('oncrix run: program nostart.wasm has no entry point: it does not export _start\n');
    expect(r.status).toBe(2);
    const sock = wat('sock.wasm', `(module
      (import "wasi_snapshot_preview1" "sock_open" (func (param i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (func (export "_start")))`);
    expect(run([sock]).stderr).toMatch(/^oncrix run: program sock\.wasm imports wasi_snapshot_preview1\.sock_open, which ONCRIX does not provide/);
  });

  test('a program that traps exits 134 and the terminal says why', () => {
    const trap = wat('trap.wasm', '(module (memory (export "memory") 1) (func (export "_start") unreachable))');
    const r = run([trap]);
    expect(r.status).toBe(134);
    expect(r.stderr).toMatch(/trap/);
  });
});
