// Prints the closing line of a whole test run, "N passed, N failed": every
// Vitest suite's report (build/vitest-*.json) plus the end-to-end tests in
// Chromium (build/e2e-report.json, Playwright Test's JSON report), so any reader of the log sees the count
// without parsing each runner's own output. Then checks the wall times of
// build/test-times.json against the budgets of scripts/test-suites.mjs and
// fails, naming the suite, when one (or the whole run) went past its budget.
// .ci/run calls this after `npm test`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const build = new URL('../build/', import.meta.url);
const read = (file) => JSON.parse(readFileSync(new URL(file, build), 'utf8'));

let passed = 0;
let failed = 0;
for (const file of readdirSync(build).filter((f) => /^vitest-.*\.json$/.test(f))) {
  const report = read(file);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}
if (existsSync(new URL('e2e-report.json', build))) {
  // Playwright's stats: expected (passed), unexpected (failed), flaky (passed on a retry), skipped.
  const e2e = read('e2e-report.json').stats;
  passed += e2e.expected + e2e.flaky;
  failed += e2e.unexpected;
}
console.log(`${passed} passed, ${failed} failed`);

const problems = [];
if (!existsSync(new URL('test-times.json', build))) {
  problems.push('build/test-times.json is missing: run the tests with `npm test`');
} else {
  const times = read('test-times.json');
  if (times.length === 'ci') {
    for (const s of times.suites) {
      if (s.seconds > s.budget) problems.push(`suite ${s.id} took ${s.seconds.toFixed(0)} s, over its budget of ${s.budget} s (scripts/test-suites.mjs)`);
    }
    if (times.total > times.totalBudget) problems.push(`the whole run took ${times.total.toFixed(0)} s, over the budget of ${times.totalBudget} s`);
  }
}
for (const p of problems) console.error(`test budget: ${p}`);
process.exit(failed === 0 && passed > 0 && problems.length === 0 ? 0 : 1);
