// How the end-to-end tests start a browser: Debian's Chromium (the package
// `chromium`, or whatever CHROMIUM names), headless, with the flags a root
// user in a container needs and without the background traffic a fresh
// profile would start. Playwright Test (playwright.config.ts) and the
// prompt-time measurement (prompt-time.ts) both launch it from here.

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
