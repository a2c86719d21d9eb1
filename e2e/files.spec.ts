// The file browser, as a person uses it: what the shell writes appears in
// the Files tab by itself and opens read-only, and downloads byte for byte;
// a text file uploaded from the desktop (button or drop) is there for `cat`;
// a .wasm program uploaded from the desktop (the build's C `wc`, under a new
// name) runs from the shell by that name; a malformed .wasm and an upload
// past ramfs's quota give clear messages; and the trace shows the file
// operations as the messages the kernel's vfs sends ramfs, the inspector
// naming the operation, the path and the process. The panel passes axe and
// its controls take the keyboard's focus with a visible ring.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { booted, pidOf } from './playground.js';

const wc = readFileSync(fileURLToPath(new URL('../packages/userland/build/c/wc.wasm', import.meta.url)));
const file = (page: Page, path: string) => page.locator(`[data-testid="fb-file-${path}"]`);

/** Select the newest kept event that `match` (a function's source, run in the page) picks; the inspector then says its sentence. */
async function selectNewest(page: Page, match: string): Promise<void> {
  const g = await page.evaluate((src) => {
    const hooks = window.__oncrix;
    if (hooks === undefined) return -1;
    const pick = new Function('e', `return (${src})(e);`) as (e: unknown) => boolean;
    const found = hooks.events().filter(pick).pop();
    if (found === undefined) return -1;
    hooks.store.getState().select(found.g);
    return found.g;
  }, match);
  expect(g, `an event matching ${match}`).toBeGreaterThanOrEqual(0);
}

test('the Files tab lists, opens and downloads what the shell wrote, uploads files and programs, and the trace shows each as a vfs message', async ({ page, term, shot }) => {
  test.setTimeout(120_000);
  await booted(page, term);
  await page.locator('[data-testid=tab-files]').click();
  await expect(page.locator('[data-testid="fb-dir-/tmp"]')).toBeVisible();

  // What the shell writes shows up by itself (the trace showed the OPEN with O_CREAT and the WRITE).
  await term.type('echo hello > /tmp/a.txt');
  await expect(file(page, '/tmp/a.txt')).toBeVisible({ timeout: 10_000 });
  await expect(file(page, '/tmp/a.txt')).toHaveAccessibleName('open /tmp/a.txt (6 B)');
  await file(page, '/tmp/a.txt').click();
  await expect(page.locator('[data-testid=fb-content]')).toHaveText('hello\n');
  const download = page.waitForEvent('download');
  await page.locator('[data-testid=fb-download]').click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('a.txt');
  expect(readFileSync(await saved.path()).toString('utf8')).toBe('hello\n');

  // A text file uploaded from the desktop lands in /tmp, and cat reads it.
  await page.locator('[data-testid=fb-upload-input]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('first line\nsecond line\n') });
  await expect(page.locator('[data-testid=fb-status]')).toHaveText('Uploaded /tmp/notes.txt (23 B)');
  await term.type('cat /tmp/notes.txt');
  await term.waitFor(/first line\s+second line/);

  // A file dropped on the panel lands too.
  await page.locator('[data-testid=files-panel]').evaluate((el) => {
    const dt = new DataTransfer();
    dt.items.add(new File(['dropped bytes\n'], 'dropped.txt', { type: 'text/plain' }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(file(page, '/tmp/dropped.txt')).toBeVisible({ timeout: 10_000 });

  // A .wasm program from the desktop goes to /bin and runs by its name.
  await page.locator('[data-testid=fb-upload-input]').setInputFiles({ name: 'count.wasm', mimeType: 'application/wasm', buffer: wc });
  await expect(page.locator('[data-testid=fb-status]')).toHaveText('Uploaded /bin/count.wasm: type count in the terminal to run it');
  await page.locator('[data-testid="fb-dir-/bin"]').click();
  await expect(file(page, '/bin/count.wasm')).toBeVisible();
  await term.type('count /tmp/notes.txt');
  await term.waitFor(/ 2\s+4\s+23 \/tmp\/notes\.txt/, 30_000);
  // Opened, a binary file shows as a hex dump.
  await file(page, '/bin/count.wasm').click();
  await expect(page.locator('[data-testid=fb-content]')).toContainText('00000000  00 61 73 6d 01 00 00 00');

  // The trace: the kernel's vfs asked ramfs, on behalf of the programs, and ramfs answered.
  const sentence = page.locator('[data-testid=event-sentence]');
  const op = (n: number): string => `new DataView(e.data.buffer, e.data.byteOffset).getUint32(4, true) === ${n}`;
  await selectNewest(page, `(e) => e.kindName === 'MSG_SEND' && e.pid > 0 && (e.args[4] >>> 30) === 1 && e.data.length >= 24 && new DataView(e.data.buffer, e.data.byteOffset).getUint32(0, true) === (e.args[4] >>> 0)`);
  await expect(sentence).toHaveText(/^ramfs answers the kernel's request #\d+ to .+ on behalf of .+ \(pid \d+\): /);
  const count = await pidOf(page, 'count');
  await selectNewest(page, `(e) => e.kindName === 'MSG_SEND' && e.pid === 0 && e.args[6] === ${count} && ${op(18)}`);
  await expect(sentence).toHaveText(new RegExp(`^The kernel's vfs asks ramfs to read up to \\d+ bytes at offset \\d+ of /tmp/notes\\.txt \\(open file \\d+\\) on behalf of count \\(pid ${count}\\)`));
  const cat = await pidOf(page, 'cat');
  await selectNewest(page, `(e) => e.kindName === 'MSG_SEND' && e.pid === 0 && e.args[6] === ${cat} && ${op(16)}`);
  await expect(sentence).toHaveText(new RegExp(`^The kernel's vfs asks ramfs to open /tmp/notes\\.txt on behalf of cat \\(pid ${cat}\\) \\(message OPEN, \\d+ bytes, `));
  await page.locator('[data-testid=tab-files]').click();
  await file(page, '/tmp/a.txt').click();
  await shot('playground-files');
});

test('a malformed .wasm is refused when run, with the reason, and an upload past ramfs\'s quota says ramfs is full', async ({ page, term }) => {
  test.setTimeout(120_000);
  await booted(page, term);
  await page.locator('[data-testid=tab-files]').click();
  await expect(page.locator('[data-testid="fb-dir-/tmp"]')).toBeVisible();
  await page.locator('[data-testid=fb-upload-input]').setInputFiles({ name: 'broken.wasm', mimeType: 'application/wasm', buffer: Buffer.from('this is no module') });
  await expect(page.locator('[data-testid=fb-status]')).toHaveText(/^Uploaded \/bin\/broken\.wasm: uploaded, but it is not a WebAssembly module/);
  await term.type('broken');
  await term.waitForJoined(/sh: broken: not a program ONCRIX can run: .+\$/, 30_000);

  await page.locator('[data-testid=fb-upload-input]').setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(40 << 20) });
  await expect(page.locator('[data-testid=fb-status]')).toHaveText(/^Uploading \/tmp\/huge\.bin: ramfs is full \(NOSPC\)\. .*quota \(512 pages of 64 KiB in this manifest: 32 MiB\) has no room for this; nothing was kept/, { timeout: 60_000 });
  await expect(file(page, '/tmp/huge.bin')).toHaveCount(0);
  // The machine goes on.
  await term.type('echo fine > /tmp/after.txt');
  await expect(file(page, '/tmp/after.txt')).toBeVisible({ timeout: 10_000 });
});

test('the Files tab passes axe, and the keyboard reaches its controls with a visible focus ring', async ({ page, term }) => {
  await booted(page, term);
  await page.locator('[data-testid=tab-files]').click();
  await term.type('echo x > /tmp/k.txt');
  await file(page, '/tmp/k.txt').click();
  await expect(page.locator('[data-testid=fb-view]')).toBeVisible();
  const result = await new AxeBuilder({ page }).include('[data-testid=files-panel]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.locator('[data-testid=tab-files]').focus();
  const reached: { id: string; ring: boolean }[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (el === null || el === document.body) return null;
      const style = getComputedStyle(el);
      return { id: el.dataset.testid ?? el.tagName, ring: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2 };
    });
    if (focus === null) break; // past the last control of the page
    reached.push(focus);
  }
  const ids = reached.map((r) => r.id);
  for (const id of ['fb-upload', 'fb-refresh', 'fb-dir-/', 'fb-dir-/tmp', 'fb-choose-/tmp', 'fb-file-/tmp/k.txt', 'fb-download', 'fb-close', 'fb-content']) {
    expect(ids, `Tab reaches ${id}`).toContain(id);
  }
  expect(reached.filter((r) => !r.ring).map((r) => r.id), 'controls without a visible focus ring').toEqual([]);
});
