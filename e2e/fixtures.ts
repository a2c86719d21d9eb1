// What every end-to-end test gets on top of Playwright Test's own fixtures:
// a page that fails the test on any uncaught page error or console error
// (a test may name the console errors it causes on purpose with
// `test.use({ expectedConsoleErrors: /…/ })`), the console as a person sees
// it (`term`), and `shot(name)`, which saves e2e/screenshots/<name>.png (of
// the page, or of one part of it) and attaches it to the report. The specs import `test` and `expect` from here.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

const SHOTS = fileURLToPath(new URL('screenshots', import.meta.url));

/** The console as a person sees it: the terminal's visible rows. */
export class Term {
  constructor(private readonly page: Page) {}

  async text(): Promise<string> {
    const t = await this.page.locator('.xterm-rows').innerText();
    return t.replace(/\u00a0/g, ' ');
  }

  /** Click into the terminal and type a line, Enter included. */
  async type(line: string): Promise<void> {
    await this.page.locator('[data-testid=terminal]').click();
    await this.page.keyboard.type(line, { delay: 5 });
    await this.page.keyboard.press('Enter');
  }

  /** Wait until the terminal shows the pattern; returns the match. */
  waitFor(pattern: RegExp, timeout = 15_000): Promise<RegExpMatchArray> {
    return this.poll(pattern, timeout, (t) => t);
  }

  /**
   * Like waitFor, on the text with the terminal's rows joined, so that a line
   * longer than the terminal is wide (which it wraps) is matched whole; line
   * ends are gone too, so match within one line.
   */
  waitForJoined(pattern: RegExp, timeout = 15_000): Promise<RegExpMatchArray> {
    return this.poll(pattern, timeout, (t) => t.replace(/\n/g, ''));
  }

  private async poll(pattern: RegExp, timeout: number, view: (text: string) => string): Promise<RegExpMatchArray> {
    let match = null as RegExpMatchArray | null;
    await expect.poll(async () => {
      const text = view(await this.text());
      match = text.match(pattern);
      return text;
    }, { message: `the terminal shows ${pattern}`, timeout, intervals: [50, 100, 250] }).toMatch(pattern);
    if (match === null) throw new Error(`the terminal lost ${pattern}`);
    return match;
  }
}

interface Fixtures {
  /** Console errors this test causes on purpose (e.g. the browser logging a 404 the test arranged). */
  expectedConsoleErrors: RegExp | undefined;
  term: Term;
  /** Save a screenshot as e2e/screenshots/<name>.png: of the page, or of `part` only. */
  shot(name: string, part?: Locator): Promise<void>;
}

export const test = base.extend<Fixtures>({
  expectedConsoleErrors: [undefined, { option: true }],

  page: async ({ page, expectedConsoleErrors }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && expectedConsoleErrors?.test(m.text()) !== true) problems.push(`console error: ${m.text()}`);
    });
    await use(page);
    expect(problems, 'the page reported errors').toEqual([]);
  },

  term: async ({ page }, use) => {
    await use(new Term(page));
  },

  shot: async ({ page }, use, testInfo) => {
    await use(async (name, part) => {
      const path = join(SHOTS, `${name}.png`);
      if (part === undefined) await page.screenshot({ path });
      else await part.screenshot({ path });
      await testInfo.attach(name, { path, contentType: 'image/png' });
    });
  },
});

export { expect };
