// The break-it panel, as a student uses it: kill the console driver with a
// click and watch init restart it — a new pid and generation in the process
// table, the new instance holding the UART device in the capability graph,
// the restart as one event in the trace whose sentence says why — while the
// shell keeps answering; then trap it; then reboot with heartbeats and hang
// it, which only the heartbeat finds. In deterministic mode the same clicks
// restart it, and a heartbeat finds a hang there too while the shell answers.

import { OBJ } from '@oncrix/abi';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { arrowDrawn, booted, inspector, pidOf, rebooted } from './playground.js';

/** The koid of the device the process pid holds a handle to (-1: none). */
function deviceOf(page: Page, pid: number): Promise<number> {
  return page.evaluate(([p, device]) => {
    const handles = window.__oncrix?.store.getState().model.handles.get(p);
    return [...(handles?.values() ?? [])].find((h) => h.type === device)?.koid ?? -1;
  }, [pid, OBJ.DEVICE] as const);
}

/** Wait for the process table's live uart row of this generation; its pid. */
async function uartOfGeneration(page: Page, generation: number): Promise<number> {
  const row = page.locator(`[data-testid=process-table] tr[data-name="uart"][data-generation="${generation}"]:not(.exited)`);
  await expect(row, `a live uart of generation ${generation} in the process table`).toHaveCount(1);
  return Number((await row.getAttribute('data-testid'))?.replace('proc-row-', ''));
}

/** The shell still answers a command typed at the terminal. */
async function shellAnswers(term: { type(line: string): Promise<void>; waitFor(p: RegExp): Promise<RegExpMatchArray> }, words: string): Promise<void> {
  await term.type(`echo ${words}`);
  await term.waitFor(new RegExp(`^${words}\\s*$`, 'm'));
}

test('kill, trap and hang the UART driver with a click: init restarts it each time and the shell keeps working', async ({ page, term, shot }) => {
  await booted(page, term);
  const panel = page.locator('[data-testid=breakit]');
  await expect(panel.locator('tr[data-testid^=breakit-row-]')).toHaveCount(4); // uart, ramfs, devfs, files: not the shell
  await expect(page.locator('[data-testid=breakit-policy-uart]')).toHaveText('restart · critical');
  await expect(page.locator('[data-testid=breakit-policy-ramfs]')).toHaveText('restart');
  const gen0 = await uartOfGeneration(page, 0);
  const device = await deviceOf(page, gen0);
  expect(device, 'uart holds the UART device').toBeGreaterThan(0);
  await expect(page.locator('[data-testid=breakit-live-uart]')).toHaveText(`pid ${gen0} · gen 0`);

  // Kill: a new instance, generation 1, holding the same device; the old one is gone from the graph.
  await page.locator('[data-testid=breakit-kill-uart]').click();
  const gen1 = await uartOfGeneration(page, 1);
  expect(gen1).not.toBe(gen0);
  await expect(page.locator(`[data-testid=proc-row-${gen0}]`)).toHaveAttribute('data-state', 'exited');
  await expect(page.locator('[data-testid=breakit-live-uart]')).toHaveText(`pid ${gen1} · gen 1`);
  const outcome = page.locator('[data-testid=breakit-outcome]').first();
  await expect(outcome).toContainText(new RegExp(`^uart \\(pid ${gen0}, gen 0\\) was killed by fault injection — restarted as pid ${gen1}, gen 1, [\\d.]+ m?s after it ended`));
  await expect(page.locator(`[data-testid=cap-edge][data-holder="${gen1}"][data-koid="${device}"]`), 'the new uart holds the UART device').toHaveCount(1);
  await expect(page.locator(`[data-testid=cap-edge][data-holder="${gen0}"]`), 'the dead uart holds nothing').toHaveCount(0);

  // The restart is one event in the trace, with its reason.
  await outcome.locator('[data-testid=breakit-show]').click();
  const restart = await inspector(page);
  expect(restart.kind).toBe('SPAWN');
  expect(restart.text).toContain(`init restarts uart (generation 1, pid ${gen1}) after generation 0 (pid ${gen0}) was killed by fault injection at #`);
  await expect(page.locator(`[data-testid=proc-row-${gen1}]`), 'the new uart is the process the views show').toHaveClass(/selected/);
  const init = await pidOf(page, 'init');
  await arrowDrawn(page, init, gen1, 'restart uart · gen 1');
  await shellAnswers(term, 'still here');

  // Trap: generation 2, and the shell still answers.
  await page.locator('[data-testid=breakit-trap-uart]').click();
  const gen2 = await uartOfGeneration(page, 2);
  await expect(page.locator('[data-testid=breakit-outcome]').first()).toContainText(`uart (pid ${gen1}, gen 1) trapped — restarted as pid ${gen2}, gen 2`);
  await shellAnswers(term, 'still here after the trap');
  await page.locator('[data-testid=breakit-outcome]').first().locator('[data-testid=breakit-show]').click();
  expect((await inspector(page)).text).toContain(`init restarts uart (generation 2, pid ${gen2}) after generation 1 (pid ${gen1}) trapped`);
  await shot('playground-break-it');

  // Hang: nothing notices without a heartbeat; reboot with heartbeats, then init's heartbeat finds the hung driver.
  await expect(page.locator('.breakit-note')).toContainText('uart: no heartbeat');
  const generation = await page.evaluate(() => window.__oncrix?.store.getState().machine.generation ?? 0);
  await page.locator('[data-testid=breakit-heartbeats]').click();
  await rebooted(page, generation + 1);
  await term.waitFor(/\$ *$/m);
  await expect(page.locator('[data-testid=breakit-heartbeats]')).toHaveCount(0);
  await expect(page.locator('[data-testid=breakit-row-uart]')).toContainText('♥ 1000 ms');
  const hung = await uartOfGeneration(page, 0);
  await page.locator('[data-testid=breakit-hang-uart]').click();
  await expect(page.locator('[data-testid=breakit-outcome]').first()).toContainText(`uart (pid ${hung}, gen 0) hangs; init's heartbeat finds it within 1.5 s`);
  const after = await uartOfGeneration(page, 1);
  await expect(page.locator('[data-testid=breakit-outcome]').first())
    .toContainText(`uart (pid ${hung}, gen 0) was killed by init: it missed its heartbeat (hung) — restarted as pid ${after}, gen 1`);
  await shellAnswers(term, 'still here after the hang');
  await page.locator('[data-testid=breakit-outcome]').first().locator('[data-testid=breakit-show]').click();
  expect((await inspector(page)).text).toContain(`after generation 0 (pid ${hung}) was killed by init: it missed its heartbeat (hung)`);
  expect(await page.evaluate(() => window.__oncrix?.store.getState().machine.status)).toBe('running');
});

test('in deterministic mode a kill is restarted the same way, and with heartbeats a hang is found while the shell answers', async ({ page, term }) => {
  await page.goto('./?deterministic=1');
  await page.waitForFunction(() => window.__oncrix?.marks.prompt !== null && window.__oncrix?.marks.prompt !== undefined, null, { timeout: 30_000 });
  await term.waitFor(/\$ *$/m);
  const gen0 = await uartOfGeneration(page, 0);
  await page.locator('[data-testid=breakit-kill-uart]').click();
  const gen1 = await uartOfGeneration(page, 1);
  await expect(page.locator('[data-testid=breakit-outcome]').first()).toContainText(`uart (pid ${gen0}, gen 0) was killed by fault injection — restarted as pid ${gen1}, gen 1`);
  await shellAnswers(term, 'deterministic and still here');
  // Heartbeats are always due in virtual time; the console still gets its keys.
  const generation = await page.evaluate(() => window.__oncrix?.store.getState().machine.generation ?? 0);
  await page.locator('[data-testid=breakit-heartbeats]').click();
  await rebooted(page, generation + 1);
  await term.waitFor(/\$ *$/m);
  await shellAnswers(term, 'deterministic with heartbeats');
  const hung = await uartOfGeneration(page, 0);
  await page.locator('[data-testid=breakit-hang-uart]').click();
  const after = await uartOfGeneration(page, 1);
  await expect(page.locator('[data-testid=breakit-outcome]').first())
    .toContainText(`uart (pid ${hung}, gen 0) was killed by init: it missed its heartbeat (hung) — restarted as pid ${after}, gen 1`);
  await shellAnswers(term, 'deterministic after the hang');
});
