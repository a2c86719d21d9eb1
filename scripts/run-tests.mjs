// `npm test`: run every suite of scripts/test-suites.mjs in order, stop at
// the first that fails, and print each suite's wall time next to its budget.
// The times go to build/test-times.json, where scripts/test-summary.mjs
// (run by .ci/run) checks them against the budgets.
//
//   npm test                     every suite, CI length
//   npm test -- --long           suites that can run longer do (ONCRIX_TEST_LENGTH=long)
//   npm test -- --only kernel,e2e   just these suites (ids from the table)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { SUITES, TOTAL_BUDGET_S } from './test-suites.mjs';

const args = process.argv.slice(2);
const long = args.includes('--long');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').filter(Boolean) : [];
const unknown = only.filter((id) => !SUITES.some((s) => s.id === id));
if (unknown.length > 0) {
  console.error(`test: no suite named ${unknown.join(', ')} (suites: ${SUITES.map((s) => s.id).join(', ')})`);
  process.exit(2);
}

const env = { ...process.env, ONCRIX_TEST_LENGTH: long ? 'long' : process.env.ONCRIX_TEST_LENGTH ?? 'ci' };
const chosen = SUITES.filter((s) => only.length === 0 || only.includes(s.id));
// Reports of an earlier run must not count in this run's summary.
mkdirSync('build', { recursive: true });
for (const f of readdirSync('build')) if (/^(vitest-.*|e2e-report|test-times)\.json$/.test(f)) rmSync(`build/${f}`);

const times = [];
let failed = null;
const t0 = performance.now();
for (const suite of chosen) {
  console.log(`\n━━ ${suite.id}: ${suite.what} (budget ${suite.budget} s) ━━`);
  const start = performance.now();
  const r = spawnSync(suite.cmd[0], suite.cmd.slice(1), { stdio: 'inherit', env: { ...env, ...suite.env } });
  const seconds = (performance.now() - start) / 1000;
  times.push({ id: suite.id, seconds, budget: suite.budget, ok: r.status === 0 });
  if (r.status !== 0) {
    failed = suite.id;
    break;
  }
}
const total = (performance.now() - t0) / 1000;

writeFileSync('build/test-times.json', JSON.stringify({ length: env.ONCRIX_TEST_LENGTH, total, totalBudget: TOTAL_BUDGET_S, suites: times }, null, 2));

console.log('\nsuite        time     budget');
for (const t of times) {
  const over = t.seconds > t.budget ? '  OVER BUDGET' : '';
  console.log(`${t.id.padEnd(12)} ${t.seconds.toFixed(1).padStart(6)} s ${String(t.budget).padStart(6)} s${t.ok ? '' : '  FAILED'}${over}`);
}
console.log(`${'total'.padEnd(12)} ${total.toFixed(1).padStart(6)} s ${String(TOTAL_BUDGET_S).padStart(6)} s`);
if (failed !== null) {
  console.error(`\ntest: suite ${failed} failed`);
  process.exit(1);
}
