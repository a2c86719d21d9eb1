// The trace as a student reads it: run ping, show only messages, jump to
// ping's call and step through the exchange (send, delivery, reply, back,
// and → on the keyboard), checking the inspector and the arrows drawn; and
// the capability graph and table as the shell moves handles to `spin`.

import { expect, test } from './fixtures.js';
import { arrowDrawn, booted, inspector, pidOf } from './playground.js';

test('ping 3: step through the exchange in the trace', async ({ page, term, shot }) => {
  await booted(page, term);
  await term.type('ping 3');
  await term.waitFor(/ping: 3 replies/);
  const ping = await pidOf(page, 'ping');
  const pong = await pidOf(page, 'pong');
  expect(ping, "ping's pid in the trace").toBeGreaterThan(0);
  expect(pong, "pong's pid in the trace").toBeGreaterThan(0);
  await page.locator('[data-testid=btn-pause]').click();
  // Only messages: hide every other group of kinds.
  for (const g of ['syscall', 'sched', 'signal', 'irq', 'process', 'handle', 'memory', 'kernel']) {
    await page.locator(`[data-testid=kind-chip-${g}]`).click();
  }
  const seq = await page.evaluate(([p, q]) => {
    const events = window.__oncrix?.events() ?? [];
    return events.find((e) => e.kindName === 'MSG_SEND' && e.pid === p && e.target === q)?.seq ?? -1;
  }, [ping, pong] as const);
  expect(seq, 'a message from ping to pong in the trace').toBeGreaterThanOrEqual(0);
  await page.locator('[data-testid=jump]').fill(String(seq));
  await page.locator('[data-testid=jump]').press('Enter');

  const kind = page.locator('[data-testid=event-kind]');
  await expect(kind).toHaveText('MSG_SEND');
  let ev = await inspector(page);
  expect(ev.text).toContain(`ping (${ping})`);
  expect(ev.text).toMatch(/call · \d+ bytes/);
  expect(ev.text).toContain('delivered at');
  await expect(page.locator('[data-testid=event-data]'), 'the payload').toContainText('ping');
  await arrowDrawn(page, ping, pong, 'call');

  await page.locator('[data-testid=btn-step]').click();
  await expect(kind).toHaveText('MSG_DELIVER');
  ev = await inspector(page);
  expect(ev.text).toContain(`pong (${pong})`);
  expect(ev.text).toContain('sent at');

  await page.locator('[data-testid=btn-step]').click();
  await expect(kind).toHaveText('MSG_SEND');
  ev = await inspector(page);
  expect(ev.text).toContain(`pong (${pong})`);
  expect(ev.text).toMatch(/reply · \d+ bytes/);
  await arrowDrawn(page, pong, ping, 'reply');

  await page.locator('[data-testid=btn-back]').click();
  await expect(kind, 'step back returns to the delivery').toHaveText('MSG_DELIVER');
  // The keyboard: → steps forward when no text field has the focus.
  await page.locator('[data-testid=event-inspector]').click();
  await page.keyboard.press('ArrowRight');
  await expect(kind, '→ steps forward').toHaveText('MSG_SEND');
  await shot('02-ping-step');
});

test('the capability graph changes when handles are transferred', async ({ page, term, shot }) => {
  await booted(page, term);
  await page.locator('[data-testid=tab-graph]').click();
  expect(await page.locator('[data-testid=cap-edge]').count(), 'handles in the graph').toBeGreaterThan(0);
  await term.type('spin &');
  const pid = Number((await term.waitFor(/\[(\d+)\]/))[1]);
  // The shell moved console, image-table, system and peer handles to spin (HANDLE_TRANSFER).
  const spinsEdges = page.locator(`[data-testid=cap-edge][data-holder="${pid}"]`);
  await expect.poll(() => spinsEdges.count(), { message: "spin's handles in the graph" }).toBeGreaterThanOrEqual(3);
  const transfers = await page.evaluate((p) => (window.__oncrix?.events() ?? []).filter((e) => e.kindName === 'HANDLE_TRANSFER' && e.pid === p).length, pid);
  expect(transfers, 'handle transfers to spin').toBeGreaterThanOrEqual(3);
  await page.locator(`[data-testid=proc-row-${pid}]`).click();
  await shot('04-cap-graph');
  await page.locator('[data-testid=tab-caps]').click();
  expect(await page.locator('[data-testid=cap-table] tbody tr').count(), "rows of spin's capability table").toBeGreaterThanOrEqual(3);
  await expect(page.locator('[data-testid=cap-table]'), 'a handle shown as transferred').toContainText('⇐');
  await term.type(`kill ${pid}`);
  await page.locator('[data-testid=tab-graph]').click();
  await expect(spinsEdges).toHaveCount(0);
});
