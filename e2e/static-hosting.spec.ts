// The page on plain static hosting (e2e/static-server.ts, no COOP/COEP
// headers; the "static hosting" project in playwright.config.ts): its
// service worker makes it cross-origin isolated, and with service workers
// blocked it explains what the host must send.

import { expect, test } from './fixtures.js';
import { booted } from './playground.js';

test('static hosting: the service worker makes the page isolated', async ({ page, term, shot }) => {
  await booted(page, term);
  expect(await page.evaluate(() => crossOriginIsolated), 'the page is cross-origin isolated').toBe(true);
  await term.type('echo isolated');
  await term.waitFor(/^isolated/m);
  await shot('08-static-hosting');
});

test.describe('with service workers blocked', () => {
  test.use({ serviceWorkers: 'block' });

  test('without isolation the page runs the solo machine', async ({ page }) => {
    await page.goto('./');
    await expect(page.locator('[data-testid=machine-mode]')).toHaveText('solo', { timeout: 30_000 });
    await expect(page.locator('.xterm-rows')).toContainText('$', { timeout: 30_000 });
  });

  test('forced isolated (?mode=isolated) without isolation, the page explains what to do', async ({ page, shot }) => {
    await page.goto('./?mode=isolated');
    const box = page.locator('[data-testid=not-isolated]');
    await expect(box).toContainText('cross-origin isolated');
    await expect(box).toContainText('Cross-Origin-Embedder-Policy');
    await shot('09-not-isolated');
  });
});
