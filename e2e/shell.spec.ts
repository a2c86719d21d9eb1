// The shell as a person uses it: boot to the prompt and run a command, and
// start `spin` in the background (it never makes a syscall, yet the shell
// stays responsive) and kill it.

import { expect, test } from './fixtures.js';
import { booted, pidOf } from './playground.js';

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
  // In the background Ctrl-C does not reach it, and spin knows (its console may not read): it names kill instead.
  await term.waitForJoined(new RegExp(`spin: looping forever without syscalls \\(kill ${pid} stops me\\)`));
  expect(await term.text(), 'what spin & says').not.toContain('Ctrl-C stops me');
  const row = page.locator(`[data-testid=proc-row-${pid}]`);
  await expect(row, 'the background job').toHaveAttribute('data-name', 'spin');
  // spin never makes a syscall, yet the shell stays responsive.
  await term.type('echo still here');
  await term.waitFor(/^still here/m);
  await term.type(`kill ${pid}`);
  await expect(row).toHaveAttribute('data-state', 'exited');
  await expect(row, "spin's row").toContainText('killed');
  await shot('03-kill-spin');
  // In the foreground it says Ctrl-C, and Ctrl-C stops it.
  await term.type('spin');
  await term.waitForJoined(/spin: looping forever without syscalls \(Ctrl-C stops me\)/);
  await page.keyboard.press('Control+C');
  await term.waitFor(/\^C\s*\n\s*spin: killed\s*\n\$ *$/m);
});

test('intruder says what the kernel refused, and $? is its exit status', async ({ page, term, shot }) => {
  await booted(page, term);
  await term.type('intruder');
  await term.waitForJoined(/intruder: the kernel refused 64 of 64 \(.*bad handle.*\)/);
  await term.waitForJoined(/the capability wall held/);
  await term.type('echo $?');
  await term.waitFor(/echo \$\?\s*\n0\s*\n\$/);
  await term.type('crash');
  await term.waitFor(/crash: crashed \(trap\)/);
  await term.type('echo $?');
  await term.waitFor(/echo \$\?\s*\n-101\s*\n\$/);
  // The inspector shows a refused dev_write with its arguments as intruder passed them.
  const intruder = await pidOf(page, 'intruder');
  const seq = await page.evaluate((p) => {
    return window.__oncrix?.events().find((e) => e.kindName === 'SYSCALL_ENTER' && e.pid === p && e.args[0] === 36)?.seq ?? -1;
  }, intruder);
  expect(seq, "a dev_write of intruder's in the trace").toBeGreaterThanOrEqual(0);
  await page.locator('[data-testid=btn-pause]').click();
  await page.locator('[data-testid=jump]').fill(String(seq));
  await page.locator('[data-testid=jump]').press('Enter');
  const args = page.locator('[data-testid=event-args]');
  await expect(args).toContainText('DEV_WRITE');
  await expect(args).toContainText(/a0\s*\d+\s*dev_h: handle 0x/);
  await expect(args).toContainText(/a2\s*33\s*value: 33/);
  await shot('16-intruder');
});

test('a pasted 10 KB line: the shell names the argument limit, and no trace record is lost', async ({ page, term, shot }) => {
  await booted(page, term);
  await page.locator('[data-testid=terminal]').click();
  await page.keyboard.insertText(`echo ${'a'.repeat(10_000)}`);
  await page.keyboard.press('Enter');
  await term.waitForJoined(/sh: echo: the arguments are 10005 bytes; a program can be given at most 1024/, 120_000);
  await term.waitFor(/\$ *$/m);
  await term.type('echo after the paste');
  await term.waitFor(/^after the paste/m);
  await expect(page.locator('[data-testid=record-count]')).not.toContainText('lost');
  expect(await page.evaluate(() => window.__oncrix?.store.getState().machine.lost), 'trace records lost').toBe(0);
  await shot('15-paste-10k');
});

test('the terminal reports its size: ps formats to a narrow terminal instead of wrapping', async ({ page, term }) => {
  await page.setViewportSize({ width: 1200, height: 900 });
  await booted(page, term);
  const cols = await page.evaluate(() => window.__oncrix?.controller.terminalSize?.cols ?? 0);
  expect(cols, 'a terminal narrower than ps used to print (63 columns)').toBeLessThan(63);
  await term.type('ps');
  // The prompt that follows ps's table, not the one it was typed at.
  await term.waitFor(/PID[\s\S]*\bsh\b[\s\S]*^\$ *$/m);
  const rows = (await term.text()).split('\n');
  const header = rows.find((r) => r.includes('PID'));
  expect(header, 'the header on one line').toMatch(/PID\s+PPID\s+NAME\s+GEN\s+STATE\s+PRI/);
  for (const name of ['init', 'uart', 'sh']) {
    expect(rows.some((r) => new RegExp(`^\\s*\\d+\\s+\\d+\\s+${name}\\s+\\d+\\s+(blocked|running|ready)\\s+\\d`).test(r)), `${name}'s line, whole`).toBe(true);
  }
  for (const r of rows) expect(r.trimEnd().length, `"${r}" fits ${cols} columns`).toBeLessThanOrEqual(cols);
  // The size report went to the console driver, not to the shell as typed input.
  expect(rows.join('\n')).not.toContain('[8;');
});
