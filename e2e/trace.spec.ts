// The trace as a student reads it: run ping, show only messages (one click:
// the IPC preset), jump to ping's call and step through the exchange (send,
// delivery, reply, back, and → on the keyboard), checking the inspector's
// sentence and the arrows drawn; "only this kind" from the inspector; and
// the capability graph and table as the shell moves handles to `spin`; and
// no label covering another, in the sequence diagram or in the graph.

import { expect, test } from './fixtures.js';
import type { Page } from '@playwright/test';
import { arrowDrawn, booted, inspector, pidOf } from './playground.js';

interface Rect { x: number; y: number; w: number; h: number; text: string }

/** Pairs of labels that overlap (touching edges do not). */
function collisions(labels: readonly Rect[]): string[] {
  const out: string[] = [];
  labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
    if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) out.push(`"${a.text}" × "${b.text}"`);
  }));
  return out;
}

/** The capability graph's rights labels, as laid out on the page. */
function graphLabels(page: Page): Promise<Rect[]> {
  return page.locator('[data-testid=cap-rights]').evaluateAll((els) => els.map((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height, text: el.textContent ?? '' };
  }));
}

test('ping 3: step through the exchange in the trace', async ({ page, term, shot }) => {
  await booted(page, term);
  await term.type('ping 3');
  await term.waitFor(/ping: 3 replies/);
  const ping = await pidOf(page, 'ping');
  const pong = await pidOf(page, 'pong');
  expect(ping, "ping's pid in the trace").toBeGreaterThan(0);
  expect(pong, "pong's pid in the trace").toBeGreaterThan(0);
  await page.locator('[data-testid=btn-pause]').click();
  // Only messages: one click.
  await page.locator('[data-testid=preset-ipc]').click();
  await expect(page.locator('[data-testid=preset-ipc]')).toHaveAttribute('aria-pressed', 'true');
  const kindsShown = (): Promise<string[]> => page.evaluate(() => {
    const s = window.__oncrix?.store.getState();
    if (s === undefined) return [];
    const kinds = new Set<string>();
    const byIndex = new Map((window.__oncrix?.events() ?? []).map((e) => [e.g, e]));
    for (let r = 0; r < s.rows.length; r++) kinds.add(byIndex.get(s.rows.at(r))?.kindName ?? '?');
    return [...kinds].sort();
  });
  expect(await kindsShown(), 'the rows after one click on IPC').toEqual(['MSG_DELIVER', 'MSG_SEND']);
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
  // One sentence a student reads: who sent whom what, and where it was taken; "koid" explained.
  await expect(page.locator('[data-testid=event-sentence]')).toHaveText(/^ping sent pong an? \d+-byte call( carrying \d+ handles?)?; pong took it at #\d+\.$/);
  await expect(page.locator('[data-testid=koid-meaning]')).toContainText('koid: the kernel object id');
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
  await expect(page.locator('[data-testid=event-sentence]')).toHaveText(/^pong replied to ping with an? \d+-byte reply( carrying \d+ handles?)?; ping took it at #\d+\.$/);
  await shot('02-ping-step');
  await shot('inspector-sentence', page.locator('section.panel.inspect'));
  // "only this kind", from the inspector: one click.
  await page.locator('[data-testid=only-this-kind]').click();
  expect(await kindsShown(), 'the rows after "only MSG_SEND"').toEqual(['MSG_SEND']);
  await page.locator('[data-testid=preset-all]').click();
  expect((await kindsShown()).length, 'every kind again').toBeGreaterThan(5);
  // No label covers another: walk the whole log a screen at a time.
  const rows = await page.evaluate(() => window.__oncrix?.store.getState().rows.length ?? 0);
  let seen = 0;
  for (let row = 0; row < rows; row += 20) {
    await page.evaluate((r) => window.__oncrix?.store.getState().seekRow(r), row);
    await page.waitForTimeout(40);
    const labels = await page.evaluate(() => window.__oncrix?.frame.labels ?? []);
    seen += labels.length;
    expect(collisions(labels), `labels around row ${row}`).toEqual([]);
  }
  expect(seen, 'labels drawn').toBeGreaterThan(100);
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
  // The chosen process's rights labels are clear of each other, and so are each other process's.
  for (const row of [`[data-testid=proc-row-${pid}]`, '[data-testid=process-table] tr[data-name="sh"]', '[data-testid=process-table] tr[data-name="uart"]']) {
    if (!row.includes(String(pid))) await page.locator(row).click();
    await expect.poll(async () => (await graphLabels(page)).length, { message: `rights labels (${row})` }).toBeGreaterThan(0);
    expect(collisions(await graphLabels(page)), `the graph (${row})`).toEqual([]);
  }
  await page.locator(`[data-testid=proc-row-${pid}]`).click();
  await shot('04-cap-graph');
  await shot('cap-graph', page.locator('section.panel.views'));
  await page.locator('[data-testid=tab-caps]').click();
  expect(await page.locator('[data-testid=cap-table] tbody tr').count(), "rows of spin's capability table").toBeGreaterThanOrEqual(3);
  await expect(page.locator('[data-testid=cap-table]'), 'a handle shown as transferred').toContainText('⇐');
  await term.type(`kill ${pid}`);
  await page.locator('[data-testid=tab-graph]').click();
  await expect(spinsEdges).toHaveCount(0);
});
