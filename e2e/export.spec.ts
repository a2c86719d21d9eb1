// "Export bootable image": x86_64 is the default architecture; the aarch64
// download, booted in qemu-system-aarch64 (through @oncrix/hal-qemu's
// console session), runs the manifest and
// start-up script changed in the Boot dialog; and when the build has no
// image (routed to a 404 here), the page says how to get one and the machine
// keeps running.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QemuMachine, haveQemu } from '@oncrix/hal-qemu/qemu';
import { expect, test } from './fixtures.js';
import { booted, editBoot, manifestWithEchoer } from './playground.js';

test('export bootable image: the aarch64 download boots in QEMU with the changed manifest and script', async ({ page, term, shot }) => {
  expect(haveQemu('qemu-system-aarch64'), 'qemu-system-aarch64 is installed (apt-get install qemu-system-arm)').toBe(true);
  await booted(page, term);
  await editBoot(page, manifestWithEchoer(), 'echo from the exported image\nps\n');
  const command = page.locator('[data-testid=qemu-command]');
  await expect(command, 'x86_64 is the default').toHaveText(/^qemu-system-x86_64 -m 1G -kernel oncrix-x86_64\.img/);
  await page.locator('[data-testid=export-arch]').selectOption('aarch64');
  await expect(command).toHaveText(/^qemu-system-aarch64 -M virt -cpu cortex-a53 -m 1G -kernel oncrix-aarch64\.img/);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('[data-testid=btn-export]').click()]);
  expect(download.suggestedFilename()).toBe('oncrix-aarch64.img');
  const dir = mkdtempSync(join(tmpdir(), 'oncrix-e2e-'));
  const image = join(dir, 'oncrix-aarch64.img');
  try {
    await download.saveAs(image);
    await expect(page.locator('[data-testid=export-status]')).toHaveText(/downloaded oncrix-aarch64\.img/);
    await shot('12-export-image');
    const m = new QemuMachine(image, 'aarch64');
    try {
      await m.expect(/\$ echo from the exported image\nfrom the exported image\n\$ ps\n/, 30_000);
      const ps = (await m.expect(/([\s\S]*?)\n\$ $/m))[1] ?? '';
      expect(ps, 'ps in QEMU lists the added program').toMatch(/^\s*\d+\s+1\s+echoer\s+\d+\s+blocked/m);
      expect(await m.run('echo typed over serial'), 'the shell in QEMU answers').toContain('typed over serial');
    } finally {
      await m.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.describe('without a prebuilt image', () => {
  test.use({ expectedConsoleErrors: /Failed to load resource: the server responded with a status of 404/ });

  test('export without a prebuilt image says how to get one', async ({ page, term, shot }) => {
    await page.route('**/oncrix-*.img', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
    await booted(page, term);
    await page.locator('[data-testid=btn-boot]').click();
    await page.locator('[data-testid=btn-export]').click();
    const status = page.locator('[data-testid=export-status]');
    await expect(status).toContainText('npm run image');
    await expect(status, 'the explanation says how to rebuild').toContainText('npm run build:playground');
    expect(await page.evaluate(() => window.__oncrix?.store.getState().machine.status), "the machine's status").toBe('running');
    await shot('13-export-missing');
  });
});
