// The bare-metal path must never break: kernel.wasm goes through wasm2c
// (Debian wabt 1.0.32, the version hal-qemu pins) and the C it produces
// compiles with `gcc -m32 -ffreestanding` against the bare-metal HAL's own
// freestanding headers, as the i386 image needs (no 32-bit C library is
// installed). Also holds the kernel to its size budget: at most 5,000 lines
// of source and KERNEL_WASM_LIMIT of optimized wasm (scripts/kernel-size.mjs
// says why it is what it is).

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { KERNEL_WASM } from './harness';

/** The kernel.wasm budget; scripts/kernel-size.mjs prints it with the reason it is what it is. */
const KERNEL_WASM_LIMIT = 112 * 1024;

const WASM2C_VERSION = '1.0.32';
const srcDir = fileURLToPath(new URL('../src', import.meta.url));
const halInclude = fileURLToPath(new URL('../../hal-qemu/src/include', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'oncrix-wasm2c-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Every .ts file under dir. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('bare-metal build path', () => {
  test(`wasm2c is version ${WASM2C_VERSION}`, () => {
    expect(run('wasm2c', ['--version']).trim()).toBe(WASM2C_VERSION);
  });

  test('wasm2c translates kernel.wasm and gcc -m32 -ffreestanding compiles it', () => {
    run('wasm2c', [KERNEL_WASM, '-n', 'kernel', '-o', 'kernel.c']);
    const header = readFileSync(join(work, 'kernel.h'), 'utf8');
    // The HAL contract as the C HAL will see it: the hal imports and kernel exports by wasm2c's names.
    for (const name of ['Z_halZ_copy_from_user', 'Z_halZ_run', 'Z_halZ_trace', 'Z_halZ_panic']) expect(header).toContain(name);
    for (const name of ['Z_kernelZ_syscall', 'Z_kernelZ_init', 'Z_kernelZ_safepoint', 'Z_kernelZ_tick']) expect(header).toContain(name);
    // wasm-rt.h from its own folder, so that -nostdinc keeps every other hosted header out.
    mkdirSync(join(work, 'include'));
    copyFileSync('/usr/include/wasm-rt.h', join(work, 'include/wasm-rt.h'));
    const gccInclude = run('gcc', ['-m32', '-print-file-name=include']).trim();
    run('gcc', ['-m32', '-ffreestanding', '-nostdinc', '-isystem', gccInclude, '-I', halInclude, '-I', 'include',
      '-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0', '-O1', '-std=gnu11', '-w', '-c', 'kernel.c', '-o', 'kernel.o']);
    expect(statSync(join(work, 'kernel.o')).size).toBeGreaterThan(10_000);
  }, 300_000); // a compile of 100 KiB of wasm as C: seconds alone, minutes on a loaded machine
});

describe('kernel size budget', () => {
  // Lines of code: not blank, not only a comment (the rule scripts/kernel-size.mjs prints by).
  test('kernel source is at most 5,000 lines of code', () => {
    const isCode = (line: string): boolean => !/^\s*($|\/\/|\/\*|\*)/.test(line);
    const lines = sources(srcDir).reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').filter(isCode).length, 0);
    expect(lines).toBeLessThanOrEqual(5000);
  });

  test(`optimized kernel.wasm is at most ${KERNEL_WASM_LIMIT / 1024} KiB`, () => {
    expect(statSync(KERNEL_WASM).size).toBeLessThanOrEqual(KERNEL_WASM_LIMIT);
  });
});
