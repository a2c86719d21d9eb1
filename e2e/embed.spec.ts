// The playground embedded in a course page, as a teacher puts it into an LMS
// page: the course page is on another origin (e2e/static-server.ts serves
// it, "localhost" against the playground's "127.0.0.1") and sends no
// isolation headers. In Chromium the playground's own Document-Isolation-
// Policy header makes the framed page cross-origin isolated anyway, so it
// runs live. From plain static hosting (no headers) it cannot: Chromium
// refuses a service worker to a frame of another site, so the frame says
// what its server must send — as it does, instead of going blank, where the
// browser denies the frame its storage.

import type { FrameLocator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** The static server's port: playwright.config.ts puts it next to the preview server's (baseURL). */
const staticPort = (baseURL: string): number => Number(new URL(baseURL).port) + 1;

/** The course page of "another site" (the static server, as localhost), framing the playground at `framed`. */
function courseUrl(baseURL: string, framed: string): string {
  return `http://localhost:${staticPort(baseURL)}/course.html?frame=${encodeURIComponent(framed)}`;
}

const rows = (frame: FrameLocator): Promise<string> =>
  frame.locator('.xterm-rows').innerText().then((t) => t.replace(/\u00a0/g, ' '));

async function typeInto(page: Page, frame: FrameLocator, line: string): Promise<void> {
  await frame.locator('[data-testid=terminal]').click();
  await page.keyboard.type(line, { delay: 5 });
  await page.keyboard.press('Enter');
}

test('embedded in a course page of another origin without headers, the playground runs live', async ({ page, baseURL, shot }) => {
  await page.goto(courseUrl(baseURL ?? '', baseURL ?? ''));
  const frame = page.frameLocator('iframe');
  await expect.poll(() => rows(frame), { message: 'the shell prompt in the frame', timeout: 60_000 }).toContain('$ ');
  expect(await page.evaluate(() => crossOriginIsolated), 'the course page itself is not isolated').toBe(false);
  const inner = page.frames().find((f) => f !== page.mainFrame());
  expect(await inner?.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer]), 'the framed playground is').toEqual([true, 'function']);
  await typeInto(page, frame, 'ping 3');
  await expect.poll(() => rows(frame), { message: 'ping in the frame' }).toMatch(/ping: 3 repl/);
  await shot('embedded-course-page');
});

test('embedded from plain static hosting, which cannot send the header, a frame forced isolated says what its server must send', async ({ page, baseURL }) => {
  // Chromium refuses a service worker to a frame of another site, so coi-sw.js cannot isolate it there
  // (without ?mode=isolated the frame runs the solo machine instead: share.spec.ts).
  await page.goto(courseUrl(baseURL ?? '', `http://127.0.0.1:${staticPort(baseURL ?? '')}/?mode=isolated`));
  const box = page.frameLocator('iframe').locator('[data-testid=not-isolated]');
  await expect(box).toContainText('service worker', { timeout: 30_000 });
  await expect(box).toContainText('Document-Isolation-Policy: isolate-and-require-corp');
});

test.describe('where the browser denies the page its storage', () => {
  test.use({ serviceWorkers: 'block' });

  test('a page that is not isolated and may not use sessionStorage explains itself instead of going blank', async ({ page, baseURL }) => {
    // The static server sends no isolation headers; with service workers blocked and sessionStorage throwing
    // (what a browser that blocks third-party storage does in a frame), the explanation must still show.
    await page.addInitScript(() => {
      Object.defineProperty(window, 'sessionStorage', {
        get() {
          throw new DOMException('Access is denied for this document.', 'SecurityError');
        },
      });
    });
    // The playground as plain static hosting serves it (no headers), framed by the course page, forced isolated.
    await page.goto(courseUrl(baseURL ?? '', `http://127.0.0.1:${staticPort(baseURL ?? '')}/?mode=isolated`));
    const frame = page.frameLocator('iframe');
    await expect(frame.locator('[data-testid=not-isolated]')).toContainText('cross-origin isolated');
  });
});
