// The editor: compile the template program in the page (the AssemblyScript
// compiler in a Worker) and run it on the live machine, then break it and
// see the compile error as a marker in the editor; and the compiled program
// is still `prog` after a reset and after Apply & reboot.

import type { Page } from '@playwright/test';
import { expect, test, type Term } from './fixtures.js';
import { booted, editBoot, manifestWithEchoer, pidOf, rebooted } from './playground.js';

/** Compile the editor's program and wait until the page has started it as `prog`. */
async function compileAndRun(page: Page, term: Term): Promise<void> {
  await page.locator('.monaco-editor').waitFor({ timeout: 30_000 });
  const status = page.locator('[data-testid=editor-status]');
  await page.locator('[data-testid=btn-compile-run]').click();
  await expect(status).toHaveText(/started as|busy|error|cannot/, { timeout: 90_000 });
  await expect(status, 'the program started').toContainText('started as');
  await term.waitFor(/hello from my program!/, 20_000);
  await term.waitFor(/read \d+ bytes and 1 handle/, 20_000);
}

test('editor: compile and run a program, then a compile error shows a marker', async ({ page, term, shot }) => {
  await booted(page, term);
  await compileAndRun(page, term);
  const status = page.locator('[data-testid=editor-status]');
  expect(await pidOf(page, 'prog'), "the program's pid in the trace").toBeGreaterThan(0);
  await shot('05-editor-run');
  // Now break it: a type error at the end of the file.
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nconst broken: i32 = "not a number";\n');
  await page.locator('[data-testid=btn-compile-run]').click();
  await expect(status).toHaveClass(/\berror\b/, { timeout: 60_000 });
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeVisible();
  await shot('06-editor-error');
});

test('editor: the compiled program is still prog after a reset and after Apply & reboot', async ({ page, term, shot }) => {
  await booted(page, term);
  await compileAndRun(page, term);
  await page.locator('[data-testid=btn-reset]').click();
  await rebooted(page, 2);
  await term.type('prog');
  await term.waitFor(/hello from my program!/);
  await editBoot(page, manifestWithEchoer(), '');
  await page.locator('[data-testid=btn-apply]').click();
  await rebooted(page, 3);
  await term.type('prog');
  await term.waitFor(/hello from my program!/);
  await term.waitFor(/read \d+ bytes and 1 handle/);
  await shot('14-editor-after-reboot');
});

test('a program that allocates until its quota stops it ends with a message naming the quota', async ({ page, term, shot }) => {
  await booted(page, term);
  await page.locator('.monaco-editor').waitFor({ timeout: 30_000 });
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText([
    '// Keeps every buffer it allocates, so the heap grows until the kernel says no.',
    'export function _start(): void {',
    '  const kept = new Array<ArrayBuffer>();',
    '  while (true) kept.push(new ArrayBuffer(16384));',
    '}',
    '',
  ].join('\n'));
  await page.locator('[data-testid=btn-compile-run]').click();
  await expect(page.locator('[data-testid=editor-status]')).toContainText('started as', { timeout: 90_000 });
  await term.waitForJoined(/prog\) quota: out of memory: the kernel refused to grow its memory past its quota/, 30_000);
  await term.waitForJoined(/prog: crashed \(out of memory: its memory quota is used up\)/);
  expect(await term.text(), 'the end of prog').not.toMatch(/trap: RuntimeError: unreachable/);
  await shot('17-editor-quota');
});
