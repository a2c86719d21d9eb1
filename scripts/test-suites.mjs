// The test suites of `npm test`, in the order they run, each with its time
// budget on a 2-core CI machine. This table is the one place budgets live:
// scripts/run-tests.mjs runs the suites and prints each one's wall time next
// to its budget; `.ci/run` (through scripts/test-summary.mjs) fails when a
// suite or the whole run goes past its budget, naming the suite that grew.
//
// Suites whose length can grow (property tests, fuzzing, soaks) read the
// environment variable ONCRIX_TEST_LENGTH: `ci` (the default, sized to fit
// these budgets) or `long` (`npm test -- --long`: several times longer, for a
// developer who wants more assurance than CI can afford). Budgets apply to
// the `ci` length only.
//
// A budget is seconds of wall time. The whole run (setup excluded) must stay
// under TOTAL_BUDGET_S, well inside CI's 30-minute aim.

/**
 * Vitest over the given files, leaving out `exclude` (globs another suite runs); its JSON
 * report (build/vitest-<id>.json, vitest.config.ts) feeds the closing summary.
 */
const vitest = (id, files, exclude = []) => ({
  cmd: ['npx', 'vitest', 'run', ...files],
  env: { ONCRIX_VITEST_REPORT: `build/vitest-${id}.json`, ONCRIX_VITEST_EXCLUDE: exclude.join(',') },
});

export const SUITES = [
  { id: 'build', what: 'ABI views, kernel.wasm, user programs, loader pass, Worker and CLI bundles', budget: 300, cmd: ['npm', 'run', 'build'] },
  // Four architectures × (kernel + 32 programs, the C coreutils among them): 202 s on an idle 2-core machine, measured with 31.
  { id: 'image', what: 'the bare-metal image (wasm2c + gcc)', budget: 300, cmd: ['npm', 'run', 'image'] },
  { id: 'typecheck', what: 'tsc --noEmit (strict)', budget: 60, cmd: ['npm', 'run', 'typecheck'] },
  { id: 'lint', what: 'ESLint, zero warnings', budget: 60, cmd: ['npm', 'run', 'lint'] },
  {
    id: 'kernel', what: 'ABI and kernel unit tests through the test HAL', budget: 90,
    ...vitest('kernel', ['packages/abi/test', 'packages/kernel/test'], ['packages/kernel/test/property/**']),
  },
  {
    id: 'property', what: 'hostile random syscall sequences (fast-check), over 1,000,000 per run in four shards', budget: 150,
    ...vitest('property', ['packages/kernel/test/property']),
  },
  {
    id: 'system', what: 'the whole system in Node: boot package, web HAL, CLI, ramfs\'s kept store, the scenario library, playground models', budget: 150,
    ...vitest('system', ['packages/boot/test', 'packages/hal-web/test', 'packages/cli/test', 'packages/userland/test', 'packages/scenario/test', 'apps/playground/test']),
  },
  { id: 'baremetal', what: 'the image under QEMU over the serial port', budget: 180, ...vitest('baremetal', ['packages/hal-qemu/test']) },
  { id: 'e2e', what: 'the playground in Chromium', budget: 330, cmd: ['npm', 'run', 'e2e'] },
];

/** The whole of `npm test`, seconds. */
export const TOTAL_BUDGET_S = 1200;
