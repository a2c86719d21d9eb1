// The bare-metal path must never break: kernel.wasm goes through wasm2c
// (Debian wabt 1.0.32, the version hal-qemu pins) and the C it produces
// compiles with `gcc -m32 -ffreestanding`, as the multiboot image needs.
// Also holds the kernel to its size budget: at most 5,000 lines of source
// and 96 KiB of optimized wasm (58 KiB before the POSIX front door — WASI
// preview 1 and the vfs — which is a third of the kernel now).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { KERNEL_WASM } from './harness';

const WASM2C_VERSION = '1.0.32';
const srcDir = fileURLToPath(new URL('../src', import.meta.url));
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
    run('gcc', ['-m32', '-ffreestanding', '-O1', '-std=c11', '-c', 'kernel.c', '-I/usr/share/wabt/wasm2c', '-o', 'kernel.o']);
    expect(statSync(join(work, 'kernel.o')).size).toBeGreaterThan(10_000);
  });
});

describe('kernel size budget', () => {
  test('kernel source is at most 5,000 lines', () => {
    const lines = sources(srcDir).reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
    expect(lines).toBeLessThanOrEqual(5000);
  });

  test('optimized kernel.wasm is at most 96 KiB', () => {
    expect(statSync(KERNEL_WASM).size).toBeLessThanOrEqual(96 * 1024);
  });
});
