// Vitest runs every *.test.ts under packages/ (unit, property and integration
// tests) and the playground's (apps/*/test: the trace-to-state reducers), and
// also writes a JSON report that .ci/run summarises (npm test runs Vitest once
// per suite of scripts/test-suites.mjs, each naming its report file in
// ONCRIX_VITEST_REPORT). The browser end-to-end
// tests (e2e/) run separately: `npm run e2e`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/**/test/**/*.test.ts', 'apps/**/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: process.env.ONCRIX_VITEST_REPORT ?? 'build/vitest-report.json' }]],
  },
});
