// The URL keeps the page's state (src/url-state.ts): CPUs, deterministic
// mode, the selected event and the filter are written into it as they
// change, and a reload — or the link pasted into a new tab — boots the same
// machine and shows the same event through the same filter.

import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** Open the page at this query and wait for the shell prompt. */
async function open(page: Page, query: string): Promise<void> {
  await page.goto(`./${query}`);
  await page.waitForFunction(() => window.__oncrix?.store.getState().machine.promptMs !== null, null, { timeout: 30_000 });
}

/** What the page shows: machine, selected event, inspector and filter. */
async function shown(page: Page): Promise<{ cpus: number; deterministic: boolean; seq: number; kind: string; sentence: string; preset: string | null }> {
  const state = await page.evaluate(() => {
    const s = window.__oncrix?.store.getState();
    const ev = s === undefined || s.cursor < 0 ? undefined : window.__oncrix?.events().find((e) => e.g === s.cursor);
    return { cpus: s?.machine.cpus ?? 0, deterministic: s?.machine.deterministic ?? false, seq: ev?.seq ?? -1 };
  });
  const pressed = page.locator('[data-testid^=preset-][aria-pressed=true]');
  return {
    ...state,
    kind: (await page.locator('[data-testid=event-kind]').innerText()).trim(),
    sentence: await page.locator('[data-testid=event-sentence]').innerText(),
    preset: (await pressed.count()) === 1 ? await pressed.getAttribute('data-testid') : null,
  };
}

test('the URL keeps CPUs, deterministic mode, the selected event and the filter across reload and copy-paste', async ({ page, context }) => {
  // CPUs: from the URL, kept by a reload.
  await open(page, '?cpus=2');
  await expect(page.locator('[data-testid=cpus]')).toHaveValue('2');
  await page.reload();
  await page.waitForFunction(() => window.__oncrix?.store.getState().machine.promptMs !== null, null, { timeout: 30_000 });
  await expect(page.locator('[data-testid=cpus]'), 'CPUs after a reload').toHaveValue('2');
  // Changing the machine from the toolbar changes the URL: one CPU (the default) and deterministic mode,
  // where the same boot numbers its events the same way every time.
  await page.locator('[data-testid=cpus]').selectOption('1');
  await expect.poll(() => new URL(page.url()).search).toBe('');
  await page.locator('[data-testid=deterministic]').check();
  await expect.poll(() => new URL(page.url()).search).toBe('?deterministic=1');
  await page.waitForFunction(() => {
    const m = window.__oncrix?.store.getState().machine;
    return m?.generation === 3 && m.promptMs !== null;
  }, null, { timeout: 30_000 });

  await page.locator('[data-testid=preset-ipc]').click();
  // A message from the boot, so the same machine records it again after a reload.
  const seq = await page.evaluate(() => {
    return (window.__oncrix?.events() ?? []).filter((e) => e.kindName === 'MSG_SEND')[2]?.seq ?? -1;
  });
  expect(seq, 'a message sent during boot').toBeGreaterThan(0);
  await page.locator('[data-testid=jump]').fill(String(seq));
  await page.locator('[data-testid=jump]').press('Enter');
  await expect(page.locator('[data-testid=event-kind]')).toHaveText('MSG_SEND');
  await expect.poll(() => new URL(page.url()).search, { message: 'the URL follows the page' })
    .toBe(`?deterministic=1&event=${seq}&kinds=ipc`);
  const before = await shown(page);
  expect(before).toMatchObject({ cpus: 1, deterministic: true, seq, kind: 'MSG_SEND', preset: 'preset-ipc' });

  const selected = (s: number): boolean => {
    const st = window.__oncrix?.store.getState();
    return st !== undefined && st.cursor >= 0 && window.__oncrix?.events().find((e) => e.g === st.cursor)?.seq === s;
  };
  await page.reload();
  await page.waitForFunction(selected, seq, { timeout: 30_000 });
  expect(await shown(page), 'after a reload').toEqual(before);

  const pasted = await context.newPage();
  await pasted.goto(page.url());
  await pasted.waitForFunction(selected, seq, { timeout: 30_000 });
  expect(await shown(pasted), 'the link pasted into a new tab').toEqual(before);
  await pasted.close();
});
