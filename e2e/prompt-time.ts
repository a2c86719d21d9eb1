// Measures, with the production build, the time from navigation to an
// interactive page (the app's first render) and to a live shell prompt, as
// the page itself records them (window.__oncrix.marks, ms since navigation).
// Not a test: it prints the figures (median of N cold loads, each in a fresh
// browser context whose window is already open: chromium.ts coldPage) and
// writes them as JSON when given --out FILE.
// `npx tsx e2e/prompt-time.ts [runs] [--out FILE]` (after `npm run build:playground`).

import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, coldPage } from './chromium.js';
import { startPreview } from './preview.js';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && (outAt < 0 || i !== outAt + 1)) ?? 5);
const preview = await startPreview();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const prompt: number[] = [];
const interactive: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const page = await coldPage(browser);
    await page.goto(preview.url);
    await page.waitForFunction(() => window.__oncrix?.marks.prompt !== null && window.__oncrix?.marks.prompt !== undefined, null, { timeout: 30_000 });
    const marks = await page.evaluate(() => window.__oncrix?.marks);
    prompt.push(marks?.prompt ?? NaN);
    interactive.push(marks?.interactive ?? NaN);
    await page.context().close();
  }
} finally {
  await browser.close();
  preview.stop();
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? NaN;
const result = {
  runs,
  navigationToInteractiveMs: Math.round(median(interactive)),
  navigationToPromptMs: Math.round(median(prompt)),
  allPromptMs: prompt.map(Math.round),
};
console.log(JSON.stringify(result, null, 2));
if (out !== undefined) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
