// The shell as a person uses it: boot to the prompt and run a command, and
// start `spin` in the background (it never makes a syscall, yet the shell
// stays responsive) and kill it.

import { expect, test } from './fixtures.js';
import { booted } from './playground.js';

test('boots to the shell prompt and runs echo hi', async ({ page, term, shot }) => {
  const ms = await booted(page, term);
  console.log(`navigation to shell prompt: ${Math.round(ms)} ms`);
  await term.type('echo hi');
  await term.waitFor(/echo hi\s*\n\s*hi\s*\n\$/);
  for (const name of ['init', 'uart', 'sh']) {
    await expect(page.locator(`[data-testid=process-table] tr[data-name="${name}"]`), `the process table's row of ${name}`).toHaveCount(1);
  }
  await expect(page.locator('[data-testid=machine-state]')).toContainText('running');
  await shot('01-echo-hi');
});

test('kill spin from the shell', async ({ page, term, shot }) => {
  await booted(page, term);
  await term.type('spin &');
  const pid = Number((await term.waitFor(/\[(\d+)\]/))[1]);
  const row = page.locator(`[data-testid=proc-row-${pid}]`);
  await expect(row, 'the background job').toHaveAttribute('data-name', 'spin');
  // spin never makes a syscall, yet the shell stays responsive.
  await term.type('echo still here');
  await term.waitFor(/^still here/m);
  await term.type(`kill ${pid}`);
  await expect(row).toHaveAttribute('data-state', 'exited');
  await expect(row, "spin's row").toContainText('killed');
  await shot('03-kill-spin');
});
