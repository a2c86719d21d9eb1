// The editor: compile the template program in the page (the AssemblyScript
// compiler in a Worker) and run it on the live machine, then break it and
// see the compile error as a marker in the editor.

import { expect, test } from './fixtures.js';
import { booted, pidOf } from './playground.js';

test('editor: compile and run a program, then a compile error shows a marker', async ({ page, term, shot }) => {
  await booted(page, term);
  await page.locator('.monaco-editor').waitFor({ timeout: 30_000 });
  const status = page.locator('[data-testid=editor-status]');
  await page.locator('[data-testid=btn-compile-run]').click();
  await expect(status).toHaveText(/started as|busy|error|cannot/, { timeout: 90_000 });
  await expect(status, 'the program started').toContainText('started as');
  await term.waitFor(/hello from my program!/, 20_000);
  await term.waitFor(/read \d+ bytes and 1 handle/, 20_000);
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
