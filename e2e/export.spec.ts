// "Export bootable image": the download, booted in QEMU (qemu-system-i386,
// through packages/hal-qemu's console session), runs the manifest and
// start-up script changed in the Boot dialog; and when the build has no
// image (routed to a 404 here), the page says how to get one and the machine
// keeps running.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QemuMachine, haveQemu } from '../packages/hal-qemu/src/host/qemu.js';
import { expect, test } from './fixtures.js';
import { booted, editBoot, manifestWithEchoer } from './playground.js';

test('export bootable image: the download boots in QEMU with the changed manifest and script', async ({ page, term, shot }) => {
  expect(haveQemu(), 'qemu-system-i386 is installed (apt-get install qemu-system-x86)').toBe(true);
  await booted(page, term);
  await editBoot(page, manifestWithEchoer(), 'echo from the exported image\nps\n');
  await expect(page.locator('[data-testid=qemu-command]')).toHaveText(/^qemu-system-i386 -kernel oncrix\.img/);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('[data-testid=btn-export]').click()]);
  expect(download.suggestedFilename()).toBe('oncrix.img');
  const dir = mkdtempSync(join(tmpdir(), 'oncrix-e2e-'));
  const image = join(dir, 'oncrix.img');
  try {
    await download.saveAs(image);
    await expect(page.locator('[data-testid=export-status]')).toHaveText(/downloaded oncrix\.img/);
    await shot('12-export-image');
    const m = new QemuMachine(image);
    try {
      await m.expect(/\$ echo from the exported image\nfrom the exported image\n\$ ps\n/, 30_000);
      const ps = (await m.expect(/([\s\S]*?)\n\$ $/m))[1] ?? '';
      expect(ps, 'ps in QEMU lists the added program').toMatch(/^\s*\d+\s+1\s+echoer\s+blocked/m);
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
    await page.route('**/oncrix.img', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
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
