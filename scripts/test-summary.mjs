// Prints the closing line of a whole test run, "N passed, N failed": the
// Vitest tests (build/vitest-report.json) plus the end-to-end tests in
// Chromium (build/e2e-report.json, Playwright Test's JSON report), so any
// reader of the log sees the count without parsing each runner's own output.
import { existsSync, readFileSync } from 'node:fs';

const read = (file) => JSON.parse(readFileSync(new URL(`../build/${file}`, import.meta.url), 'utf8'));
const vitest = read('vitest-report.json');
// Playwright's stats: expected (passed), unexpected (failed), flaky (passed on a retry), skipped.
const e2e = existsSync(new URL('../build/e2e-report.json', import.meta.url)) ? read('e2e-report.json').stats : { expected: 0, unexpected: 0, flaky: 0 };
const passed = vitest.numPassedTests + e2e.expected + e2e.flaky;
const failed = vitest.numFailedTests + e2e.unexpected;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
