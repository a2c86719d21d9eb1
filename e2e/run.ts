// `npm run e2e`: build the playground (unless --no-build), serve it on free
// localhost ports (vite preview with COOP/COEP, and a plain static server
// without them), run every test in e2e/tests.ts in Debian's Chromium, and
// end with "N passed, N failed". Options: --no-build, and words that pick
// tests by name (e.g. `npm run e2e -- ping`).

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, launch, run, runTest, startPreview, startStatic } from './harness.js';
import { TESTS } from './tests.js';

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
for (const f of ['packages/kernel/build/kernel.wasm', 'packages/userland/build/images.json']) {
  if (!existsSync(join(REPO, f))) {
    console.error(`${f} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
}
if (!args.includes('--no-build')) await run(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);

const chosen = TESTS.filter((t) => filters.length === 0 || filters.some((f) => t.name.includes(f)));
const preview = await startPreview();
const statics = await startStatic();
const browser = await launch();
let passed = 0;
let failed = 0;
try {
  for (const [i, test] of chosen.entries()) {
    const t0 = Date.now();
    const slug = `failed-${String(i + 1).padStart(2, '0')}-${test.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`;
    try {
      await runTest(browser, test.server === 'static' ? statics.url : preview.url, test, slug);
      passed++;
      console.log(`  ✓ ${test.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${test.name} (${Date.now() - t0} ms)\n    ${(e as Error).message.replace(/\n/g, '\n    ')}`);
    }
  }
} finally {
  await browser.close();
  preview.stop();
  statics.stop();
}
console.log(`\ne2e: ${passed} passed, ${failed} failed`);
mkdirSync(join(REPO, 'build'), { recursive: true });
writeFileSync(join(REPO, 'build/e2e-report.json'), JSON.stringify({ passed, failed }));
process.exit(failed > 0 ? 1 : 0);
