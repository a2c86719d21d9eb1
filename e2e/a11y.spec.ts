// Accessibility, checked the way an auditor would: axe (through
// @axe-core/playwright, WCAG 2.1 A and AA rules) finds no serious or
// critical violation on the page — idle, with an event in the inspector,
// with the capability table, and with the Boot dialog open — and the
// keyboard reaches every control of the toolbar and the filter, each showing
// a visible focus ring; the same for the break-it panel, after a fault it
// injected; and the Share and Embed dialogs and the embed view.

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { booted } from './playground.js';

/** Serious and critical violations axe finds on the page now, one line each. */
async function serious(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
}

test('axe finds no serious accessibility violation, and the keyboard reaches every control with a visible focus ring', async ({ page, term }) => {
  await booted(page, term);
  await term.type('ping 1');
  await term.waitFor(/ping: 1 repl/);
  await page.locator('[data-testid=btn-pause]').click();
  expect(await serious(page), 'the page, paused on an event').toEqual([]);
  await page.locator('[data-testid=tab-caps]').click();
  await page.locator('[data-testid=kinds-menu]').click();
  expect(await serious(page), 'the capability table and the kinds menu').toEqual([]);
  await page.locator('[data-testid=kinds-menu]').click();
  await page.locator('[data-testid=btn-boot]').click();
  await page.locator('[data-testid=boot-dialog]').waitFor();
  expect(await serious(page), 'the Boot dialog').toEqual([]);
  await page.keyboard.press('Escape');

  // The keyboard reaches every control, each with a visible focus ring.
  // Start from the top of the page, not the terminal (which takes Tab as a key).
  await page.locator('.brand').click();
  const reached = new Set<string>();
  const unringed: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (el === null || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
      return { id: el.dataset.testid ?? el.getAttribute('aria-label') ?? el.tagName, ring, terminal: el.closest('.xterm') !== null };
    });
    if (focus === null || focus.terminal) break;
    reached.add(focus.id);
    if (!focus.ring) unringed.push(focus.id);
  }
  for (const id of ['btn-run', 'btn-pause', 'btn-back', 'btn-step', 'speed', 'timeline', 'jump', 'cpus', 'deterministic', 'btn-reset', 'btn-boot',
    'preset-all', 'preset-ipc', 'preset-caps', 'preset-sched', 'lane-chip-0', 'kind-chip-ipc', 'kinds-menu', 'trace-canvas']) {
    expect(reached, `Tab reaches ${id}`).toContain(id);
  }
  expect(unringed, 'controls without a visible focus ring').toEqual([]);
  // The trace canvas, focused, steps with the arrow keys.
  await page.locator('[data-testid=trace-canvas]').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('[data-testid=event-kind]')).toBeVisible();
});

test('the break-it panel: axe finds nothing serious after a restart, and Tab walks its labelled buttons, each with a focus ring', async ({ page, term }) => {
  await booted(page, term);
  await page.locator('[data-testid=breakit-kill-devfs]').click();
  await expect(page.locator('[data-testid=breakit-show]')).toHaveCount(1);
  expect(await serious(page), 'the page with the break-it panel\'s outcome').toEqual([]);
  // From the panel's own body (it scrolls, so it takes the focus too), Tab walks its controls.
  await page.locator('section[aria-label="Break it"] .panel-body').focus();
  const reached: { id: string; label: string; ring: boolean }[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (el === null || el.closest('[data-testid=breakit]') === null) return null;
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
      return { id: el.dataset.testid ?? el.tagName, label: el.getAttribute('aria-label') ?? el.textContent ?? '', ring };
    });
    if (focus === null) break;
    reached.push(focus);
  }
  const ids = reached.map((r) => r.id);
  for (const name of ['uart', 'ramfs', 'devfs']) for (const action of ['kill', 'trap', 'hang']) expect(ids, `Tab reaches ${action} ${name}`).toContain(`breakit-${action}-${name}`);
  expect(ids).toContain('breakit-heartbeats');
  expect(ids).toContain('breakit-show');
  expect(reached.filter((r) => !r.ring).map((r) => r.id), 'break-it controls without a visible focus ring').toEqual([]);
  expect(reached.filter((r) => r.label.trim() === '').map((r) => r.id), 'break-it controls without a name').toEqual([]);
});


test('the Share and Embed dialogs, and the embed view: axe finds nothing serious', async ({ page, term }) => {
  await booted(page, term);
  await page.locator('[data-testid=btn-share]').click();
  await expect(page.locator('[data-testid=share-link]')).toHaveValue(/^http/);
  expect(await serious(page), 'the Share dialog').toEqual([]);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=btn-embed]').click();
  await expect(page.locator('[data-testid=embed-snippet]')).toHaveValue(/^<iframe/);
  expect(await serious(page), 'the Embed dialog').toEqual([]);
  await page.goto('./?embed=1&deterministic=1');
  await page.locator('[data-testid=embed-view]').waitFor();
  await term.waitFor(/\$ *$/m, 30_000);
  await page.locator('[data-testid=btn-back]').click();
  expect(await serious(page), 'the embed view, paused on an event').toEqual([]);
});
