// Playwright Test runs the playground's end-to-end tests (e2e/*.spec.ts) in
// Debian's Chromium against the production build: `npx playwright test`, or
// `npm run e2e` (the last step of `npm test`).
//
// Two web servers serve dist/playground: `vite preview`, which sends the
// COOP/COEP headers that make the page cross-origin isolated, and a plain
// static server without them (e2e/static-server.ts) for the tests of static
// hosting. The preview server's command builds the playground first (set
// ONCRIX_E2E_NO_BUILD=1 to test the build already in dist/playground), since
// Playwright starts web servers before anything else. Each checkout gets its
// own two ports, derived from its path (or ONCRIX_E2E_PORT and the next one),
// so several checkouts on one machine can run their tests at once and none
// ever tests another's build.
//
// Tests run one at a time: each boots a whole machine (a kernel Worker and a
// Worker per process) and the machines this runs on have two cores. The JSON
// report (build/e2e-report.json) feeds the closing "N passed, N failed" line
// of scripts/test-summary.mjs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './e2e/chromium.js';

const repo = fileURLToPath(new URL('.', import.meta.url));
for (const file of ['packages/kernel/build/kernel.wasm', 'packages/userland/build/images.json']) {
  if (!existsSync(`${repo}${file}`)) throw new Error(`${file} is missing: run \`npm run build\` first`);
}

/** A port in 20000-39998 that depends only on the checkout's path. */
function portOf(path: string): number {
  let h = 0;
  for (let i = 0; i < path.length; i++) h = (Math.imul(h, 31) + path.charCodeAt(i)) >>> 0;
  return 20_000 + (h % 10_000) * 2;
}

const previewPort = Number(process.env.ONCRIX_E2E_PORT ?? portOf(repo));
const staticPort = previewPort + 1;
const vite = 'node node_modules/vite/bin/vite.js';
const build = process.env.ONCRIX_E2E_NO_BUILD === '1' ? '' : `${vite} build --logLevel warn && `;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'build/e2e-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: process.env.CI !== undefined,
  timeout: 180_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: 'build/e2e-report.json' }],
    ['html', { outputFolder: 'build/e2e-html', open: 'never' }],
  ],
  use: {
    viewport: { width: 1600, height: 1000 },
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'isolated', testIgnore: /static-hosting\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${previewPort}/` } },
    { name: 'static hosting', testMatch: /static-hosting\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${staticPort}/` } },
  ],
  webServer: [
    {
      command: `${build}${vite} preview --host 127.0.0.1 --port ${previewPort} --strictPort`,
      url: `http://127.0.0.1:${previewPort}/`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
    {
      command: `node node_modules/tsx/dist/cli.mjs e2e/static-server.ts ${staticPort}`,
      url: `http://127.0.0.1:${staticPort}/`,
      timeout: 30_000,
      reuseExistingServer: false,
    },
  ],
});
