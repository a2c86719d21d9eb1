// Vitest runs every *.test.ts under packages/ (unit, property and integration
// tests) and the playground's (apps/*/test: the trace-to-state reducers), and
// also writes a JSON report that .ci/run summarises (npm test runs Vitest once
// per suite of scripts/test-suites.mjs, each naming its report file in
// ONCRIX_VITEST_REPORT). The browser end-to-end
// tests (e2e/) run separately: `npm run e2e`.
//
// npm test runs the bare-metal tests as a suite of their own anyway; a plain
// `npx vitest run` has two groups, one after the other: first everything that runs in Node, then
// the bare-metal tests, which keep one core busy emulating a CPU in QEMU for
// about a minute (four architectures). Run side by side on two cores they
// slowed the Node tests' measured loops enough to fail a printed ratio.
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Globs a suite of scripts/test-suites.mjs leaves to another suite
 * (ONCRIX_VITEST_EXCLUDE, comma-separated): the command line's --exclude does
 * not reach a project's own exclude list.
 */
const suiteExcludes = (process.env.ONCRIX_VITEST_EXCLUDE ?? '').split(',').filter(Boolean);

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: process.env.ONCRIX_VITEST_REPORT ?? 'build/vitest-report.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['packages/**/test/**/*.test.ts', 'apps/**/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'packages/hal-qemu/**', ...suiteExcludes],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'qemu', include: ['packages/hal-qemu/test/**/*.test.ts'], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
