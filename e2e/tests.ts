// The playground's end-to-end tests, each as a person would use the page:
// boot to the prompt and type commands; run ping and step through the
// exchange in the trace, checking the arrows drawn and the inspector's
// details; kill `spin` from the shell; watch the capability graph change as
// handles are transferred; compile and run a program from the editor, and
// see a compile error as a marker; the Boot dialog — a bad manifest refused
// with the machine untouched, a new manifest and start-up script applied, an
// exported bootable image that boots in QEMU with them, and the export
// explaining itself when the build has no image; and the page on static
// hosting, with its service worker and without.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { QemuMachine, haveQemu } from '@oncrix/hal-qemu/qemu';
import { REPO, expect, type TestCase, type TestContext } from './harness.js';

/** Wait for the shell prompt; returns the navigation-to-prompt time the page measured. */
async function booted(t: TestContext): Promise<number> {
  await t.page.goto(t.url);
  await t.page.waitForFunction(() => window.__oncrix?.marks.prompt !== null && window.__oncrix?.marks.prompt !== undefined, null, { timeout: 30_000 });
  await t.term.waitFor(/\$ *$/m);
  return t.page.evaluate(() => window.__oncrix?.marks.prompt ?? -1);
}

/** The pid of the newest process with this name. */
function pidOf(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => {
    const m = window.__oncrix?.store.getState().model;
    const procs = m === undefined ? [] : [...m.procs.values()].filter((p) => p.name === n);
    return procs[procs.length - 1]?.pid ?? -1;
  }, name);
}

async function inspector(page: Page): Promise<{ kind: string; text: string }> {
  return {
    kind: (await page.locator('[data-testid=event-kind]').innerText()).trim(),
    text: await page.locator('[data-testid=event-inspector]').innerText(),
  };
}

/** Wait until the canvas has drawn an arrow matching the predicate's arguments. */
async function arrowDrawn(page: Page, from: number, to: number, label: string): Promise<void> {
  await page.waitForFunction(
    ([f, t, l]) => (window.__oncrix?.frame.arrows ?? []).some((a) => a.from === f && a.to === t && a.label.startsWith(l as string)),
    [from, to, label] as const,
    { timeout: 5_000 },
  );
}

/** The default manifest with one more program: pong serving "pong" under the name echoer (blocked, cheap). */
function manifestWithEchoer(): string {
  const m = JSON.parse(readFileSync(join(REPO, 'packages/userland/manifest.default.json'), 'utf8')) as { programs: unknown[] };
  m.programs.push({ name: 'echoer', program: 'pong', priority: 3, caps: [{ serve: 'pong' }] });
  return JSON.stringify(m, null, 2);
}

/** Open the Boot dialog and put this manifest and script in it. */
async function editBoot(page: Page, manifest: string, script: string): Promise<void> {
  await page.locator('[data-testid=btn-boot]').click();
  await page.locator('[data-testid=boot-dialog]').waitFor({ timeout: 5_000 });
  await page.locator('[data-testid=boot-manifest]').fill(manifest);
  await page.locator('[data-testid=boot-script]').fill(script);
}

/** Wait until the machine of this boot generation shows its shell prompt. */
async function rebooted(page: Page, generation: number): Promise<void> {
  await page.waitForFunction((g) => window.__oncrix?.store.getState().machine.generation === g && window.__oncrix.store.getState().machine.promptMs !== null,
    generation, { timeout: 30_000 });
}

export const TESTS: TestCase[] = [
  {
    name: 'boots to the shell prompt and runs echo hi',
    async run(t) {
      const ms = await booted(t);
      console.log(`    navigation to shell prompt: ${Math.round(ms)} ms`);
      await t.term.type('echo hi');
      await t.term.waitFor(/echo hi\s*\n\s*hi\s*\n\$/);
      for (const name of ['init', 'uart', 'sh']) {
        expect(await t.page.locator(`[data-testid=process-table] tr[data-name="${name}"]`).count() === 1, `process table lacks ${name}`);
      }
      expect((await t.page.locator('[data-testid=machine-state]').innerText()).includes('running'), 'machine not shown as running');
      await t.shot('01-echo-hi');
    },
  },
  {
    name: 'ping 3: step through the exchange in the trace',
    async run(t) {
      await booted(t);
      await t.term.type('ping 3');
      await t.term.waitFor(/ping: 3 replies/);
      const ping = await pidOf(t.page, 'ping');
      const pong = await pidOf(t.page, 'pong');
      expect(ping > 0 && pong > 0, 'ping and pong are not in the trace');
      await t.page.locator('[data-testid=btn-pause]').click();
      // Only messages: hide every other group of kinds.
      for (const g of ['syscall', 'sched', 'signal', 'irq', 'process', 'handle', 'memory', 'kernel']) {
        await t.page.locator(`[data-testid=kind-chip-${g}]`).click();
      }
      const seq = await t.page.evaluate(([p, q]) => {
        const m = window.__oncrix?.store.getState().model;
        if (m === undefined) return -1;
        const i = m.events.findIndex((e, k) => e.kindName === 'MSG_SEND' && e.pid === p && m.target[k] === q);
        return m.events[i]?.seq ?? -1;
      }, [ping, pong] as const);
      expect(seq >= 0, 'no message from ping to pong in the trace');
      await t.page.locator('[data-testid=jump]').fill(String(seq));
      await t.page.locator('[data-testid=jump]').press('Enter');

      let ev = await inspector(t.page);
      expect(ev.kind === 'MSG_SEND', `expected MSG_SEND, inspector shows ${ev.kind}`);
      expect(ev.text.includes(`ping (${ping})`) && /call · \d+ bytes/.test(ev.text) && ev.text.includes('delivered at'), `send details missing:\n${ev.text}`);
      expect(/ping/.test(await t.page.locator('[data-testid=event-data]').innerText()), 'payload text "ping" not shown');
      await arrowDrawn(t.page, ping, pong, 'call');

      await t.page.locator('[data-testid=btn-step]').click();
      ev = await inspector(t.page);
      expect(ev.kind === 'MSG_DELIVER' && ev.text.includes(`pong (${pong})`) && ev.text.includes('sent at'), `expected pong's delivery:\n${ev.text}`);

      await t.page.locator('[data-testid=btn-step]').click();
      ev = await inspector(t.page);
      expect(ev.kind === 'MSG_SEND' && ev.text.includes(`pong (${pong})`) && /reply · \d+ bytes/.test(ev.text), `expected pong's reply:\n${ev.text}`);
      await arrowDrawn(t.page, pong, ping, 'reply');

      await t.page.locator('[data-testid=btn-back]').click();
      expect((await inspector(t.page)).kind === 'MSG_DELIVER', 'step back did not return to the delivery');
      // The keyboard: → steps forward when no text field has the focus.
      await t.page.locator('[data-testid=event-inspector]').click();
      await t.page.keyboard.press('ArrowRight');
      expect((await inspector(t.page)).kind === 'MSG_SEND', '→ did not step forward');
      await t.shot('02-ping-step');
    },
  },
  {
    name: 'kill spin from the shell',
    async run(t) {
      await booted(t);
      await t.term.type('spin &');
      const m = await t.term.waitFor(/\[(\d+)\]/);
      const pid = Number(m[1]);
      const row = t.page.locator(`[data-testid=proc-row-${pid}]`);
      await row.waitFor({ timeout: 5_000 });
      expect((await row.getAttribute('data-name')) === 'spin', 'the background job is not spin');
      // spin never makes a syscall, yet the shell stays responsive.
      await t.term.type('echo still here');
      await t.term.waitFor(/^still here/m);
      await t.term.type(`kill ${pid}`);
      await t.page.waitForFunction((p) => document.querySelector(`[data-testid=proc-row-${p}]`)?.getAttribute('data-state') === 'exited', pid, { timeout: 10_000 });
      expect((await row.innerText()).includes('killed'), `spin's row does not say killed: ${await row.innerText()}`);
      await t.shot('03-kill-spin');
    },
  },
  {
    name: 'the capability graph changes when handles are transferred',
    async run(t) {
      await booted(t);
      await t.page.locator('[data-testid=tab-graph]').click();
      const before = await t.page.locator('[data-testid=cap-edge]').count();
      expect(before > 0, 'the graph shows no handles');
      await t.term.type('spin &');
      const pid = Number((await t.term.waitFor(/\[(\d+)\]/))[1]);
      // The shell moved console, image-table, system and peer handles to spin (HANDLE_TRANSFER).
      await t.page.waitForFunction((p) => document.querySelectorAll(`[data-testid=cap-edge][data-holder="${p}"]`).length >= 3, pid, { timeout: 5_000 });
      const transfers = await t.page.evaluate((p) => window.__oncrix?.store.getState().model.events.filter((e) => e.kindName === 'HANDLE_TRANSFER' && e.pid === p).length ?? 0, pid);
      expect(transfers >= 3, `expected handle transfers to spin, found ${transfers}`);
      await t.page.locator(`[data-testid=proc-row-${pid}]`).click();
      await t.shot('04-cap-graph');
      await t.page.locator('[data-testid=tab-caps]').click();
      const caps = await t.page.locator('[data-testid=cap-table] tbody tr').count();
      expect(caps >= 3, `spin's capability table has ${caps} rows`);
      expect((await t.page.locator('[data-testid=cap-table]').innerText()).includes('⇐'), 'no handle shown as transferred');
      await t.term.type(`kill ${pid}`);
      await t.page.locator('[data-testid=tab-graph]').click();
      await t.page.waitForFunction((p) => document.querySelectorAll(`[data-testid=cap-edge][data-holder="${p}"]`).length === 0, pid, { timeout: 10_000 });
    },
  },
  {
    name: 'editor: compile and run a program, then a compile error shows a marker',
    async run(t) {
      await booted(t);
      await t.page.locator('.monaco-editor').waitFor({ timeout: 30_000 });
      await t.page.locator('[data-testid=btn-compile-run]').click();
      await t.page.waitForFunction(() => /started as|busy|error|cannot/.test(document.querySelector('[data-testid=editor-status]')?.textContent ?? ''), null, { timeout: 90_000 });
      const status = await t.page.locator('[data-testid=editor-status]').innerText();
      expect(status.includes('started as'), `the program did not start: ${status}`);
      await t.term.waitFor(/hello from my program!/, 20_000);
      await t.term.waitFor(/read \d+ bytes and 1 handle/, 20_000);
      const prog = await pidOf(t.page, 'prog');
      expect(prog > 0, 'the program is not in the trace');
      await t.shot('05-editor-run');
      // Now break it: a type error at the end of the file.
      await t.page.locator('.monaco-editor .view-lines').click();
      await t.page.keyboard.press('Control+End');
      await t.page.keyboard.type('\nconst broken: i32 = "not a number";\n');
      await t.page.locator('[data-testid=btn-compile-run]').click();
      await t.page.waitForFunction(() => document.querySelector('[data-testid=editor-status]')?.classList.contains('error') === true, null, { timeout: 60_000 });
      await t.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 10_000 });
      await t.shot('06-editor-error');
    },
  },
  {
    name: 'reset with 2 CPUs, then in deterministic mode',
    async run(t) {
      await booted(t);
      await t.page.locator('[data-testid=cpus]').selectOption('2');
      await t.page.waitForFunction(() => window.__oncrix?.store.getState().machine.generation === 2 && window.__oncrix.store.getState().machine.promptMs !== null, null, { timeout: 30_000 });
      expect((await t.page.locator('.statusbar').innerText()).includes('2 CPUs'), 'status line does not say 2 CPUs');
      expect(await t.page.evaluate(() => window.__oncrix?.store.getState().model.cpus) === 2, 'the kernel did not boot with 2 CPUs');
      await t.term.type('ping 3');
      await t.term.waitFor(/ping: 3 replies/);
      await t.page.locator('[data-testid=deterministic]').check();
      await t.page.waitForFunction(() => window.__oncrix?.store.getState().machine.generation === 3 && window.__oncrix.store.getState().machine.promptMs !== null, null, { timeout: 30_000 });
      expect(await t.page.evaluate(() => window.__oncrix?.store.getState().model.deterministic) === true, 'the kernel is not deterministic');
      const text = await t.term.text();
      expect(!text.includes('ping 3'), 'the terminal was not cleared by the reset');
      await t.term.type('echo again');
      await t.term.waitFor(/^again/m);
      await t.shot('07-reset-cpus-deterministic');
    },
  },
  {
    name: 'boot dialog: a bad manifest is refused, the machine untouched; a new manifest and script are applied',
    async run(t) {
      await booted(t);
      await editBoot(t.page, '{"programs": [{"name": "x", "program": "nope"}]}', '');
      await t.page.locator('[data-testid=btn-apply]').click();
      const error = await t.page.locator('[data-testid=boot-error]').innerText();
      expect(error.includes('manifest: program "x": unknown program "nope"'), `the checker's message is not shown: ${error}`);
      expect(await t.page.evaluate(() => window.__oncrix?.store.getState().machine.generation) === 1, 'the machine was rebooted');
      expect(await t.page.locator('[data-testid=boot-dialog]').isVisible(), 'the dialog closed on a bad manifest');
      await t.page.locator('[data-testid=boot-manifest]').fill(manifestWithEchoer());
      expect(await t.page.locator('[data-testid=boot-error]').count() === 0, 'the message stayed after an edit');
      await t.page.locator('[data-testid=boot-script]').fill('echo from the start-up script\n\nps\n');
      await t.shot('10-boot-dialog');
      await t.page.locator('[data-testid=btn-apply]').click();
      await rebooted(t.page, 2);
      await t.term.waitFor(/\$ echo from the start-up script\s*\n\s*from the start-up script\s*\n\$ ps\s*\n/);
      await t.term.waitFor(/^\s*\d+\s+1\s+echoer\s+blocked/m);
      await t.term.waitFor(/\$ *$/m);
      await t.page.locator('[data-testid=process-table] tr[data-name="echoer"]').waitFor({ timeout: 5_000 });
      // A reset boots the same manifest and script again.
      await t.page.locator('[data-testid=btn-reset]').click();
      await rebooted(t.page, 3);
      await t.term.waitFor(/from the start-up script/);
      await t.term.type('echo by hand');
      await t.term.waitFor(/^by hand/m);
      await t.shot('11-boot-applied');
    },
  },
  {
    name: 'export bootable image: the aarch64 download boots in QEMU with the changed manifest and script',
    async run(t) {
      expect(haveQemu('qemu-system-aarch64'), 'qemu-system-aarch64 is not installed (apt-get install qemu-system-arm)');
      await booted(t);
      await editBoot(t.page, manifestWithEchoer(), 'echo from the exported image\nps\n');
      const command = t.page.locator('[data-testid=qemu-command]');
      expect((await command.innerText()).startsWith('qemu-system-x86_64 -kernel oncrix-x86_64.img'), 'x86_64 is not the default');
      await t.page.locator('[data-testid=export-arch]').selectOption('aarch64');
      expect((await command.innerText()).startsWith('qemu-system-aarch64 -M virt -cpu cortex-a53 -kernel oncrix-aarch64.img'),
        'no aarch64 QEMU command line');
      const [download] = await Promise.all([t.page.waitForEvent('download', { timeout: 30_000 }), t.page.locator('[data-testid=btn-export]').click()]);
      expect(download.suggestedFilename() === 'oncrix-aarch64.img', `the download is called ${download.suggestedFilename()}`);
      const dir = mkdtempSync(join(tmpdir(), 'oncrix-e2e-'));
      const image = join(dir, 'oncrix-aarch64.img');
      try {
        await download.saveAs(image);
        await t.page.waitForFunction(() => /downloaded oncrix-aarch64\.img/.test(document.querySelector('[data-testid=export-status]')?.textContent ?? ''), null, { timeout: 5_000 });
        await t.shot('12-export-image');
        const m = new QemuMachine(image, 'aarch64');
        try {
          await m.expect(/\$ echo from the exported image\nfrom the exported image\n\$ ps\n/, 30_000);
          const ps = (await m.expect(/([\s\S]*?)\n\$ $/m))[1] ?? '';
          expect(/^\s*\d+\s+1\s+echoer\s+blocked/m.test(ps), `ps in QEMU does not list the added program:\n${ps}`);
          expect((await m.run('echo typed over serial')).includes('typed over serial'), 'the shell in QEMU does not answer');
        } finally {
          await m.kill();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'export without a prebuilt image says how to get one',
    expectedConsoleErrors: /Failed to load resource: the server responded with a status of 404/,
    async run(t) {
      await t.page.route('**/oncrix-*.img', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
      await booted(t);
      await t.page.locator('[data-testid=btn-boot]').click();
      await t.page.locator('[data-testid=btn-export]').click();
      await t.page.waitForFunction(() => /npm run image/.test(document.querySelector('[data-testid=export-status]')?.textContent ?? ''), null, { timeout: 10_000 });
      const text = await t.page.locator('[data-testid=export-status]').innerText();
      expect(text.includes('npm run build:playground'), `the explanation does not say how to rebuild: ${text}`);
      expect(await t.page.evaluate(() => window.__oncrix?.store.getState().machine.status) === 'running', 'the machine stopped');
      await t.shot('13-export-missing');
    },
  },
  {
    name: 'static hosting: the service worker makes the page isolated',
    server: 'static',
    async run(t) {
      await booted(t);
      expect(await t.page.evaluate(() => crossOriginIsolated), 'the page is not cross-origin isolated');
      await t.term.type('echo isolated');
      await t.term.waitFor(/^isolated/m);
      await t.shot('08-static-hosting');
    },
  },
  {
    name: 'without isolation the page explains what to do',
    server: 'static',
    blockServiceWorkers: true,
    async run(t) {
      await t.page.goto(t.url);
      const box = t.page.locator('[data-testid=not-isolated]');
      await box.waitFor({ timeout: 10_000 });
      const text = await box.innerText();
      expect(text.includes('cross-origin isolated') && text.includes('Cross-Origin-Embedder-Policy'), `explanation incomplete:\n${text}`);
      await t.shot('09-not-isolated');
    },
  },
];
