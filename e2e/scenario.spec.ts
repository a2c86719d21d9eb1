// A library scenario opened by its URL: the machine it describes boots, its
// script is typed (ping N, N drawn from the variant's seed), the panel
// steps through its annotations, its checks pass once the run is over, and
// a question answered right passes while a wrong answer fails. An unknown
// scenario says so, and the default playground boots.

import { expect, test } from './fixtures.js';

test('a scenario by URL: annotated steps, the run to its end, checks, a right and a wrong answer', async ({ page }) => {
  await page.goto('./?scenario=ipc-basics');
  await expect(page.getByTestId('scenario-title')).toHaveText('IPC basics: call and reply');
  await expect(page.getByTestId('scenario-menu')).toHaveValue('ipc-basics');
  // The run is over when the first check (pong replies before ping exits) is decided.
  await expect(page.getByTestId('check-0')).toHaveClass(/pass/, { timeout: 60_000 });
  await expect(page.getByTestId('check-1')).toHaveClass(/pass/);
  expect(await page.evaluate(() => window.__oncrix?.store.getState().machine.deterministic)).toBe(true);
  const params = await page.locator('.scenario-seed').innerText();
  const n = Number(/N = (\d+)/.exec(params)?.[1]);
  expect(n).toBeGreaterThanOrEqual(2);
  await expect(page.locator('.xterm-rows')).toContainText(`ping: ${n} replies`);

  // Step through the annotations: each selects the event it is pinned to.
  await page.evaluate(() => window.__oncrix?.store.getState().select(window.__oncrix.store.getState().model.base));
  await page.getByTestId('step-next').click();
  await expect(page.getByTestId('step-text')).toContainText('Step 1 of 6');
  await expect(page.getByTestId('event-kind')).toContainText('SPAWN');
  await page.getByTestId('step-next').click();
  await expect(page.getByTestId('step-text')).toContainText('Step 2 of 6');
  await expect(page.getByTestId('event-kind')).toContainText('MSG_SEND');
  await page.getByTestId('step-prev').click();
  await expect(page.getByTestId('step-text')).toContainText('Step 1 of 6');

  // The check's deciding event is one click away.
  await page.getByTestId('check-event-0').click();
  await expect(page.getByTestId('event-kind')).toContainText('MSG_SEND');

  // The question: pong sent N + 1 replies (the warm-up call too).
  await page.getByTestId('answer-2').fill(String(n));
  await page.getByTestId('answer-check-2').click();
  await expect(page.getByTestId('check-2')).toHaveClass(/fail/);
  await expect(page.getByTestId('check-why-2')).toContainText('is not right');
  await page.getByTestId('answer-2').fill(String(n + 1));
  await page.getByTestId('answer-check-2').click();
  await expect(page.getByTestId('check-2')).toHaveClass(/pass/);
  await page.screenshot({ path: 'e2e/screenshots/scenario-ipc-basics.png' });
});

test('an unknown scenario says so, and the default playground boots', async ({ page }) => {
  await page.goto('./?scenario=no-such-thing');
  await expect(page.getByTestId('scenario-error')).toContainText('There is no scenario "no-such-thing" in the library.');
  await page.waitForFunction(() => window.__oncrix?.store.getState().machine.promptMs !== null, null, { timeout: 30_000 });
});
