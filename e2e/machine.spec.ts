// The machine's settings: reset with two CPUs and then in deterministic mode
// (the kernel boots as asked and the terminal starts afresh), and the Boot
// dialog — a bad manifest refused with the machine untouched (also one that
// only init would have refused after reboot: the UART given away before its
// driver), then a new manifest and start-up script applied, and booted again
// by a reset.

import { expect, test } from './fixtures.js';
import { readFileSync } from 'node:fs';
import { booted, editBoot, manifestWithEchoer, rebooted } from './playground.js';

test('the first boot runs on the kernel Worker the page started as it loaded, and a reset on a new one', async ({ page, term }) => {
  await booted(page, term);
  const kernelWorkers = (): number => page.workers().filter((w) => /kernel-worker/.test(w.url())).length;
  // One: the boot took the Worker started ahead (machine/ahead.ts) instead of starting a second.
  await expect.poll(kernelWorkers, { message: 'kernel Workers after the first boot' }).toBe(1);
  await page.locator('[data-testid=btn-reset]').click();
  await rebooted(page, 2);
  await expect.poll(kernelWorkers, { message: 'kernel Workers after a reset (the old one is gone)' }).toBe(1);
  expect(await term.text()).toMatch(/\$ *$/m);
});

test('reset with 2 CPUs, then in deterministic mode', async ({ page, term, shot }) => {
  await booted(page, term);
  await page.locator('[data-testid=cpus]').selectOption('2');
  await rebooted(page, 2);
  await expect(page.locator('.statusbar')).toContainText('2 CPUs');
  expect(await page.evaluate(() => window.__oncrix?.store.getState().model.cpus), 'the CPUs the kernel booted with').toBe(2);
  await term.type('ping 3');
  await term.waitFor(/ping: 3 replies/);
  await page.locator('[data-testid=deterministic]').check();
  await rebooted(page, 3);
  expect(await page.evaluate(() => window.__oncrix?.store.getState().model.deterministic), 'the kernel is deterministic').toBe(true);
  expect(await term.text(), 'the terminal after the reset').not.toContain('ping 3');
  await term.type('echo again');
  await term.waitFor(/^again/m);
  await shot('07-reset-cpus-deterministic');
});

test('boot dialog: a bad manifest is refused, the machine untouched; a new manifest and script are applied', async ({ page, term, shot }) => {
  await booted(page, term);
  await editBoot(page, '{"programs": [{"name": "x", "program": "nope"}]}', '');
  await page.locator('[data-testid=btn-apply]').click();
  await expect(page.locator('[data-testid=boot-error]'), "the checker's message").toContainText('manifest: program "x": unknown program "nope"');
  expect(await page.evaluate(() => window.__oncrix?.store.getState().machine.generation), 'the boot generation (no reboot)').toBe(1);
  await expect(page.locator('[data-testid=boot-dialog]'), 'the dialog stays open on a bad manifest').toBeVisible();
  await page.locator('[data-testid=boot-manifest]').fill(manifestWithEchoer());
  await expect(page.locator('[data-testid=boot-error]'), 'the message after an edit').toHaveCount(0);
  await page.locator('[data-testid=boot-script]').fill('echo from the start-up script\n\nps\n');
  await shot('10-boot-dialog');
  await page.locator('[data-testid=btn-apply]').click();
  await rebooted(page, 2);
  await term.waitFor(/\$ echo from the start-up script\s*\n\s*from the start-up script\s*\n\$ ps\s*\n/);
  await term.waitFor(/^\s*\d+\s+1\s+echoer\s+\d+\s+blocked/m);
  await term.waitFor(/\$ *$/m);
  await expect(page.locator('[data-testid=process-table] tr[data-name="echoer"]')).toHaveCount(1);
  // A reset boots the same manifest and script again.
  await page.locator('[data-testid=btn-reset]').click();
  await rebooted(page, 3);
  await term.waitFor(/from the start-up script/);
  await term.type('echo by hand');
  await term.waitFor(/^by hand/m);
  await shot('11-boot-applied');
});

test('boot dialog: the UART given to a program before its driver is refused before reboot, naming the entry', async ({ page, term }) => {
  await booted(page, term);
  const m = JSON.parse(readFileSync(new URL('../packages/userland/manifest.default.json', import.meta.url), 'utf8')) as { programs: unknown[] };
  m.programs.unshift({ name: 'grabber', program: 'intruder', caps: [{ device: 'uart' }] });
  await editBoot(page, JSON.stringify(m, null, 2), '');
  await page.locator('[data-testid=btn-apply]').click();
  await expect(page.locator('[data-testid=boot-error]'), "the checker's message").toContainText(
    'manifest: program "uart" caps[0]: device "uart" is already given to "grabber"');
  expect(await page.evaluate(() => window.__oncrix?.store.getState().machine.generation), 'the boot generation (no reboot)').toBe(1);
  await expect(page.locator('[data-testid=machine-state]')).toContainText('running');
  // Without a console driver the shell could not talk: refused too.
  await page.locator('[data-testid=boot-manifest]').fill(JSON.stringify({ programs: m.programs.slice(2) }));
  await page.locator('[data-testid=btn-apply]').click();
  await expect(page.locator('[data-testid=boot-error]')).toContainText('program "sh" caps[0]: connects to "console", but the console driver is missing');
  await page.keyboard.press('Escape');
  await term.type('echo still here');
  await term.waitFor(/^still here/m);
});
