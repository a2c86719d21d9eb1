// The solo machine in Chromium (?mode=solo): the playground runs live without
// SharedArrayBuffer between its threads — every process a fiber in the
// kernel Worker, the console and trace relayed by messages — and a person
// sees the same shell and the same trace, with the status bar naming the mode.

import { expect, test } from './fixtures.js';

test('?mode=solo boots to the prompt, names its mode, and ping 3 shows in the trace', async ({ page, term }) => {
  await page.goto('./?mode=solo');
  await page.waitForFunction(() => window.__oncrix?.marks.prompt !== null && window.__oncrix?.marks.prompt !== undefined, null, { timeout: 30_000 });
  await term.waitFor(/\$ *$/m);
  const promptMs = await page.evaluate(() => window.__oncrix?.marks.prompt ?? -1);
  console.log(`solo mode: navigation to shell prompt ${Math.round(promptMs)} ms`);
  await expect(page.locator('[data-testid=machine-mode]')).toHaveText('solo');
  await term.type('ping 3');
  await term.waitFor(/ping: 3 replies, [\d.]+ µs avg/);
  // ping's three calls and pong's replies are in the trace: MSG_SEND records by both.
  const sends = await page.evaluate(() => {
    const events = window.__oncrix?.events() ?? [];
    const m = window.__oncrix?.store.getState().model;
    const named = (n: string): number[] => (m === undefined ? [] : [...m.procs.values()].filter((p) => p.name === n).map((p) => p.pid));
    const ping = named('ping');
    const pong = named('pong');
    return {
      ping: events.filter((e) => e.kindName === 'MSG_SEND' && ping.includes(e.pid)).length,
      pong: events.filter((e) => e.kindName === 'MSG_SEND' && pong.includes(e.pid)).length,
    };
  });
  expect(sends.ping).toBeGreaterThanOrEqual(3);
  expect(sends.pong).toBeGreaterThanOrEqual(3);
  await term.type('spin &');
  const pid = Number((await term.waitFor(/\[(\d+)\]/))[1]);
  await term.type('echo still here');
  await term.waitFor(/^still here/m);
  await term.type(`kill ${pid}`);
  await expect(page.locator(`[data-testid=proc-row-${pid}]`)).toHaveAttribute('data-state', 'exited');
});

test('the isolated page names its mode too', async ({ page, term }) => {
  await page.goto('./');
  await term.waitFor(/\$ *$/m);
  await expect(page.locator('[data-testid=machine-mode]')).toHaveText('isolated');
});
