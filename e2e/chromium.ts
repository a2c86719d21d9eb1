// How the end-to-end tests start a browser: Debian's Chromium (the package
// `chromium`, or whatever CHROMIUM names), headless, with the flags a root
// user in a container needs and without the background traffic a fresh
// profile would start. Playwright Test (playwright.config.ts) and the
// prompt-time measurements (prompt-time.ts, the benchmark's Chromium
// section) launch it from here, and open their cold loads with coldPage.

import type { Browser, Page } from '@playwright/test';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * How long a new window is given for its own start-up before a cold load
 * navigates. Chromium starts parts of its own UI in every new window (156:
 * the omnibox popup's WebUI, a renderer of its own, about 700 ms of CPU);
 * a person loading the playground types its address into a window that is
 * already open, so a cold load measured in a window that has just opened
 * would count the browser's start-up as the page's.
 */
export const WINDOW_SETTLE_MS = 1500;

/**
 * A page for a cold load, as a person makes one: a fresh context (an empty
 * HTTP cache, no service worker, no storage) whose window is open and has
 * settled (WINDOW_SETTLE_MS on about:blank). Navigate it to the page to load.
 */
export async function coldPage(browser: Browser, viewport = { width: 1600, height: 1000 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto('about:blank');
  await new Promise((resolve) => setTimeout(resolve, WINDOW_SETTLE_MS));
  return page;
}
