// The coverage-guided fuzzer's part of a CI run (scripts/fuzz.mjs): build
// kernel.wasm through wasm2c with the syscall-sequence harness under
// libFuzzer and AddressSanitizer, replay every case of the repo corpus (the
// seeds and every crash ever found, so a fixed crash stays fixed), then fuzz
// for a short budget (ONCRIX_TEST_LENGTH=long: five minutes). A crash fails
// the test and is saved in packages/kernel/fuzz/corpus as crash-*.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const repo = fileURLToPath(new URL('../../../..', import.meta.url));
const seconds = process.env.ONCRIX_TEST_LENGTH === 'long' ? 300 : 20;

function fuzz(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, ['scripts/fuzz.mjs', ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('the kernel under libFuzzer', () => {
  test('every corpus case, seeds and saved crashes, runs with every invariant holding', { timeout: 600_000 }, () => {
    const r = fuzz('replay');
    expect(r.output).toMatch(/corpus cases replayed, none crashes/);
    expect(r.status).toBe(0);
  });

  test(`${seconds} seconds of coverage-guided fuzzing find no crash`, { timeout: (seconds + 120) * 1000 }, () => {
    const r = fuzz('--seconds', String(seconds));
    console.log(r.output.trim().split('\n').at(-1));
    expect(r.output).toMatch(/execs\/s, no crash/);
    expect(r.status).toBe(0);
  });
});
