// How the end-to-end tests start a browser: Debian's Chromium (the package
// `chromium`, or whatever CHROMIUM names), headless, with the flags a root
// user in a container needs and without the background traffic a fresh
// profile would start. Playwright Test (playwright.config.ts) and the
// prompt-time measurement (prompt-time.ts) both launch it from here.
//
// Chromium 156 also opens its own browser UI in every new context (a new
// window), and with it the WebUI of the omnibox popup: a renderer of its own
// that spent some 700 ms of CPU while the playground loaded beside it, on a
// 2-core machine the very cores the page's load needs. The page is what is
// measured and tested, so that UI is turned off.

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=WebUIOmniboxPopup,PreloadTopChromeWebUI',
];
