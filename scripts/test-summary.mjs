// Prints the closing line of a test run, "N passed, N failed", from the JSON
// report Vitest writes (build/vitest-report.json), so any reader of the log
// sees the count without parsing Vitest's own output.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(new URL('../build/vitest-report.json', import.meta.url), 'utf8'));
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed`);
process.exit(report.numFailedTests === 0 && report.numPassedTests > 0 ? 0 : 1);
