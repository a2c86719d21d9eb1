// Driving the playground's shell from a benchmark, as a person at its
// terminal would, but without the cost of synthetic key events: a command
// goes into the console's input ring through the page's own controller
// (window.__oncrix), and its answer is read from the terminal's rows.

import type { Page } from '@playwright/test';

/** Wait until the shell waits for a command. */
export async function atPrompt(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(() => window.__oncrix?.controller.atPrompt() === true, null, { timeout: timeoutMs, polling: 100 });
}

/** The terminal's visible text. */
export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('.xterm-rows') as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ') ?? '');
}

/**
 * Type a command line at the prompt and wait until the terminal shows
 * `answer` (a regular expression whose first group is returned) and the
 * shell's next prompt. Make the answer unique to this command (its count,
 * say): earlier answers stay on the screen.
 */
export async function runCommand(page: Page, line: string, answer: RegExp, timeoutMs: number): Promise<string> {
  await atPrompt(page);
  await page.evaluate((l) => window.__oncrix?.controller.write(`${l}\r`), line);
  const source = answer.source;
  await page.waitForFunction((re) => new RegExp(re).test((document.querySelector('.xterm-rows') as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ') ?? ''),
    source, { timeout: timeoutMs, polling: 250 });
  await atPrompt(page, timeoutMs);
  const found = (await terminalText(page)).match(answer);
  if (found?.[1] === undefined) throw new Error(`\`${line}\`: the terminal lost ${source}`);
  return found[1];
}
