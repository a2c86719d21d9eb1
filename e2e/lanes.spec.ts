// Lanes as a student meets them with many processes: ten processes' lanes
// fit the trace panel, or scroll sideways under a visible scrollbar; the
// lanes of a selected message's two ends are always on screen together;
// and "hide exited" hides the lanes of processes that are gone, never their
// events.

import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { booted, editBoot, pidOf, rebooted } from './playground.js';

/** The default manifest (init starts its programs) with pongs added, each serving a service (blocked and cheap): ten processes. */
function tenProcesses(): string {
  const m = JSON.parse(readFileSync(new URL('../packages/userland/manifest.default.json', import.meta.url), 'utf8')) as { programs: unknown[] };
  const more = 10 - 1 - m.programs.length;
  for (let i = 1; i <= more; i++) m.programs.push({ name: `echo${i}`, program: 'pong', priority: 3, caps: [{ serve: `echo${i}` }] });
  return JSON.stringify(m, null, 2);
}

interface Frame { lanes: number[]; laneX: number[]; view: [number, number]; hscroll: boolean }
const frame = (page: Page): Promise<Frame> => page.evaluate(() => {
  const f = window.__oncrix?.frame;
  return { lanes: f?.lanes ?? [], laneX: f?.laneX ?? [], view: f?.view ?? [0, 0], hscroll: f?.hscroll ?? false };
});
const onScreen = (f: Frame, pid: number): boolean => {
  const x = f.laneX[f.lanes.indexOf(pid)];
  return x !== undefined && x >= f.view[0] && x <= f.view[1];
};

async function tenBooted(page: Page, term: Parameters<typeof booted>[1]): Promise<void> {
  await booted(page, term);
  await editBoot(page, tenProcesses(), '');
  await page.locator('[data-testid=btn-apply]').click();
  await rebooted(page, 2);
  await expect.poll(async () => (await frame(page)).lanes.length, { message: 'the kernel and ten processes have lanes' }).toBe(11);
}

test('ten processes fit the trace panel; thirteen scroll visibly, a selected message keeps both ends on screen; "hide exited" keeps the events', async ({ page, term, shot }) => {
  await tenBooted(page, term);
  let f = await frame(page);
  for (const pid of f.lanes) expect(onScreen(f, pid), `lane ${pid} on screen`).toBe(true);
  expect(f.hscroll, 'no sideways scrolling when they fit').toBe(false);
  await page.locator('[data-testid=btn-pause]').click();
  await shot('20-ten-lanes');
  await shot('ten-lanes', page.locator('section.panel.trace'));
  await page.locator('[data-testid=btn-run]').click();

  // A narrower window and two more processes: thirteen lanes do not fit.
  await page.setViewportSize({ width: 1100, height: 900 });
  await term.type('ping 1');
  await term.waitFor(/ping: 1 repl/);
  await expect.poll(async () => (await frame(page)).lanes.length, { message: 'thirteen lanes' }).toBe(13);
  f = await frame(page);
  expect(f.hscroll, 'thirteen lanes do not fit 1100 px: the scrollbar shows').toBe(true);
  // ping's output goes to the console driver: a message from the last lanes to the third.
  const ping = await pidOf(page, 'ping');
  const uart = await pidOf(page, 'uart');
  const seq = await page.evaluate(([p, u]) => {
    const ev = (window.__oncrix?.events() ?? []).find((e) => e.kindName === 'MSG_SEND' && e.pid === p && e.target === u);
    return ev?.seq ?? -1;
  }, [ping, uart] as const);
  expect(seq, 'a message from ping to uart').toBeGreaterThan(0);
  // Scroll the lanes all the way left first, so ping's lane is off screen.
  await page.locator('[data-testid=trace-canvas]').hover();
  await page.mouse.wheel(-5000, 0);
  await page.locator('[data-testid=jump]').fill(String(seq));
  await page.locator('[data-testid=jump]').press('Enter');
  await expect(page.locator('[data-testid=event-kind]')).toHaveText('MSG_SEND');
  await expect.poll(async () => {
    f = await frame(page);
    return [onScreen(f, ping), onScreen(f, uart)];
  }, { message: "both ends of the selected message's arrow on screen" }).toEqual([true, true]);

  // "hide exited": ping has ended; its lane goes from the live end, its events stay.
  await expect.poll(() => page.evaluate((p) => window.__oncrix?.store.getState().model.procs.get(p)?.state, ping)).toBe('exited');
  const pingRows = (): Promise<number> => page.evaluate((p) => {
    const s = window.__oncrix?.store.getState();
    if (s === undefined) return 0;
    const byIndex = new Map((window.__oncrix?.events() ?? []).map((e) => [e.g, e]));
    let n = 0;
    for (let r = 0; r < s.rows.length; r++) if (byIndex.get(s.rows.at(r))?.pid === p) n++;
    return n;
  }, ping);
  const before = await pingRows();
  expect(before, "ping's events in the trace").toBeGreaterThan(0);
  await term.type('echo after');
  await term.waitFor(/^after/m);
  await page.locator('[data-testid=hide-exited]').click();
  await page.locator('[data-testid=btn-run]').click();
  await expect.poll(async () => (await frame(page)).lanes.includes(ping), { message: "ping's lane is gone from the live end" }).toBe(false);
  expect(await pingRows(), "ping's events stay").toBe(before);
  // Going back to ping's message brings its lane back.
  await page.locator('[data-testid=jump]').fill(String(seq));
  await page.locator('[data-testid=jump]').press('Enter');
  await expect.poll(async () => (await frame(page)).lanes.includes(ping), { message: "ping's lane where its events are" }).toBe(true);
});
