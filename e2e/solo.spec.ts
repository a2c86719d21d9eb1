// The solo machine in Chromium (?mode=solo): the playground runs live without
// SharedArrayBuffer between its threads — every process a fiber in the
// kernel Worker, the console and trace relayed by messages — and a person
// sees the same shell and the same trace, with the status bar naming the mode.

import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.js';
import { ipcBasicsExercises } from './playground.js';
import { encodeScenarioText } from '../apps/playground/src/share/codec.js';

/** The library's ipc-basics scenario as a link (#s=…): a scenario without a recording, so it runs live. */
async function ipcBasicsLink(): Promise<string> {
  const text = readFileSync(new URL('../packages/scenario/library/ipc-basics.json', import.meta.url), 'utf8');
  const encoded = await encodeScenarioText(text);
  if (!encoded.ok) throw new Error(encoded.message);
  return `#s=${encoded.value}`;
}

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

/** The static server's port: playwright.config.ts puts it next to the preview server's (baseURL). */
const staticPort = (baseURL: string): number => Number(new URL(baseURL).port) + 1;

test('an embed in a course page of another origin, forced solo, runs live: step, step back, the end, an exercise passes and a wrong answer fails', async ({ page, baseURL }) => {
  const html = `<iframe src="${baseURL ?? ''}?embed=1&amp;mode=solo${await ipcBasicsLink()}" width="1180" height="760" title="ONCRIX"></iframe>`;
  await page.goto(`http://localhost:${staticPort(baseURL ?? '')}/course.html?snippet=${encodeURIComponent(html)}`);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('[data-testid=embed-view]')).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => frame.locator('.xterm-rows').innerText(), { message: 'the scenario ran in the frame', timeout: 60_000 }).toMatch(/ping: \d+ repl/);
  const inner = page.frames().find((f) => f !== page.mainFrame());
  const machine = await inner?.evaluate(() => window.__oncrix?.store.getState().machine);
  expect(machine?.mode).toBe('solo');
  expect(machine?.status, 'a live machine, not a recording').toBe('running');
  await frame.locator('[data-testid=btn-end]').click();
  const end = await frame.locator('[data-testid=position]').innerText();
  await frame.locator('[data-testid=btn-back]').click();
  await frame.locator('[data-testid=btn-back]').click();
  expect(await frame.locator('[data-testid=position]').innerText()).not.toBe(end);
  await frame.locator('[data-testid=btn-step]').click();
  await frame.locator('[data-testid=btn-step]').click();
  await expect(frame.locator('[data-testid=position]')).toHaveText(end);

  // The exercises, decided on the live trace: a check passes; a wrong answer fails, the right one passes.
  await ipcBasicsExercises(frame);
});
