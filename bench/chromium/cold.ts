// Where a cold load of the playground spends its time before the shell
// prompt: `npx tsx bench/chromium/cold.ts [LOADS]` opens the production
// build (dist/playground, `npm run build:playground` first) in fresh
// contexts of Debian's Chromium (windows already open: e2e/chromium.ts coldPage) and prints, for the median load, the page's
// marks (script start, interactive, booted, prompt) and every resource
// fetched before the prompt with when it started and ended (Resource
// Timing, the page's and its Workers').

import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, coldPage } from '../../e2e/chromium.js';
import { startPreview } from '../../e2e/preview.js';

interface Marks { script: number; interactive: number | null; booted: number | null; prompt: number | null }
interface Load { marks: Marks; resources: { name: string; start: number; end: number; bytes: number }[] }

const loads = Number(process.argv[2] ?? 5);
const preview = await startPreview();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const all: Load[] = [];
  for (let i = 0; i < loads; i++) {
    const page = await coldPage(browser);
    await page.goto(preview.url);
    await page.waitForFunction(() => window.__oncrix?.marks.prompt != null, null, { timeout: 60_000 });
    all.push(await page.evaluate(() => ({
      marks: window.__oncrix?.marks as Marks,
      resources: performance.getEntriesByType('resource').map((e) => {
        const r = e as PerformanceResourceTiming;
        return { name: r.name.replace(location.origin, ''), start: r.startTime, end: r.responseEnd, bytes: r.transferSize };
      }),
    })));
    await page.context().close();
  }
  all.sort((a, b) => (a.marks.prompt ?? 0) - (b.marks.prompt ?? 0));
  console.log(`prompt (ms after navigation) in ${loads} loads: ${all.map((l) => Math.round(l.marks.prompt ?? NaN)).join(', ')}`);
  const mid = all[Math.floor(all.length / 2)];
  if (mid !== undefined) {
    console.log('the median load\'s marks:', Object.entries(mid.marks).map(([k, v]) => `${k} ${v === null ? '-' : Math.round(v)}`).join(', '));
    for (const r of mid.resources.sort((a, b) => a.start - b.start)) {
      console.log(`${Math.round(r.start).toString().padStart(6)} → ${Math.round(r.end).toString().padStart(6)} ms  ${(r.bytes / 1024).toFixed(0).padStart(6)} KiB  ${r.name}`);
    }
  }
} finally {
  await browser.close();
  preview.stop();
}
