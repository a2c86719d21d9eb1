// A recorded scenario embedded in a course page of another origin (the
// library's ipc-basics, by its id, opened from the recording the build made): it plays at once
// without booting a machine, stepping back before ping's SPAWN takes ping out
// of the process table (the state at the selected event, rebuilt from the
// trace) and stepping on brings it back, the exercises are decided on the
// recorded trace (a right answer passes, a wrong one fails), and "run live
// from here" boots the scenario, selects that event once the live trace has
// it, finds the live trace equal to the recording up to there (the same
// run), and reaches a live shell prompt.

import type { Frame, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { ipcBasicsExercises } from './playground.js';

const staticPort = (baseURL: string): number => Number(new URL(baseURL).port) + 1;


const innerFrame = (page: Page): Frame => {
  const f = page.frames().find((x) => x !== page.mainFrame());
  if (f === undefined) throw new Error('no frame');
  return f;
};

test('a recorded scenario embedded in a course page plays without booting, steps back to the state before a spawn, checks answers, and runs live from a step', async ({ page, baseURL }) => {
  // The library's scenario by its id: the page opens the recording the build shipped for it.
  const src = `${baseURL ?? ''}?scenario=ipc-basics&embed=1`;
  const html = `<iframe src="${src}" width="1180" height="860" title="ONCRIX"></iframe>`;
  await page.goto(`http://localhost:${staticPort(baseURL ?? '')}/course.html?snippet=${encodeURIComponent(html)}`);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('[data-testid=embed-recorded]')).toBeVisible({ timeout: 30_000 });
  const inner = innerFrame(page);
  await expect.poll(() => inner.evaluate(() => window.__oncrix?.store.getState().machine.status)).toBe('recorded');
  expect(await inner.evaluate(() => window.__oncrix?.controller.system ?? null), 'no machine was booted').toBeNull();
  await expect(frame.locator('.xterm-rows')).toContainText(/ping: \d+ replies/);

  // ping's SPAWN: at it ping is in the process table, one step back it is not, one step on it is again.
  const spawn = await inner.evaluate(() => {
    const s = window.__oncrix;
    return s?.events().filter((e) => e.kindName === 'SPAWN').pop()?.g ?? -1;
  });
  expect(spawn).toBeGreaterThan(0);
  const table = frame.locator('[data-testid=process-table]');
  await inner.evaluate((g) => window.__oncrix?.store.getState().select(g), spawn);
  await expect(table).toContainText('ping');
  await frame.locator('[data-testid=btn-back]').click();
  await expect(table).not.toContainText('ping');
  await frame.locator('[data-testid=btn-step]').click();
  await expect(table).toContainText('ping');

  // To the end: the checks are decided on the recorded trace; a wrong answer fails, the right one passes.
  await frame.locator('[data-testid=btn-end]').click();
  const n = await ipcBasicsExercises(frame);

  // Run live from ping's SPAWN: a machine boots, its trace reaches that event, the same as recorded, and its shell prompts.
  await inner.evaluate((g) => window.__oncrix?.store.getState().select(g), spawn);
  await frame.locator('[data-testid=run-live]').click();
  // The recording was made on the page's own machine in deterministic time: the live run is the same run, event for event.
  await expect(frame.locator('[data-testid=recording-note]')).toContainText(/Live from event \d+: the live run matches the recording up to here/, { timeout: 60_000 });
  expect(await inner.evaluate(() => window.__oncrix?.store.getState().cursor)).toBe(spawn);
  await expect.poll(() => inner.evaluate(() => {
    const m = window.__oncrix?.store.getState().machine;
    return m?.status === 'running' && m.promptMs !== null;
  }), { timeout: 60_000 }).toBe(true);
  await expect(frame.locator('.xterm-rows')).toContainText(`ping: ${n} replies`, { timeout: 60_000 });
});

test('a recorded scenario opened with a start event (event=SEQ) selects that event at once', async ({ page }) => {
  await page.goto('./?scenario=ipc-basics');
  await expect.poll(() => page.evaluate(() => window.__oncrix?.store.getState().machine.status), { timeout: 30_000 }).toBe('recorded');
  // A message send in the recording (the scenario's view shows IPC), by its sequence number: what a link's event= names.
  const send = await page.evaluate(() => window.__oncrix?.events().filter((e) => e.kindName === 'MSG_SEND')[3]);
  expect(send).toBeDefined();
  await page.goto(`./?scenario=ipc-basics&event=${send?.seq ?? -1}`);
  await expect.poll(() => page.evaluate(() => window.__oncrix?.store.getState().machine.status), { timeout: 30_000 }).toBe('recorded');
  await expect(page.locator('[data-testid=position]')).toHaveText(new RegExp(`^#${send?.seq ?? -1} `), { timeout: 10_000 });
  await expect(page.locator('[data-testid=event-kind]')).toHaveText('MSG_SEND');
});
