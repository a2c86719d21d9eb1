// Vitest runs every *.test.ts under packages/ (unit, property and integration
// tests) and also writes a JSON report that .ci/run summarises.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/**/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'build/vitest-report.json' }]],
  },
});
