// Share links, the embed view and saved work, as a teacher and a student use
// them: a scenario file imported, exported and imported again; the Share
// link opened in a fresh page (same scenario, same selected event); the
// Embed dialog's snippet pasted into a course page of another origin, where
// the scenario runs live (Document-Isolation-Policy) in the minimal chrome
// and is stepped back and forth (and, forced with ?mode=solo or from plain
// static hosting, on the solo machine); a link that is not a scenario refused with
// a message while the default playground opens; and the editor's program
// kept across a reload.

import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test, type Term } from './fixtures.js';
import { booted } from './playground.js';
import { encodeScenarioText } from '../apps/playground/src/share/codec.js';

/** The static server's port: playwright.config.ts puts it next to the preview server's (baseURL). */
const staticPort = (baseURL: string): number => Number(new URL(baseURL).port) + 1;

/** A small scenario: ping calls pong twice from the start-up script, with an annotation on ping's first send. */
const SCENARIO = {
  format: 1,
  id: 'call-and-reply',
  title: 'Call and reply — ping ⇄ pong',
  text: 'ping calls pong; the kernel carries the message and the reply.',
  deterministic: true,
  script: ['echo scenario: call and reply', 'ping 2'],
  steps: [{ at: { kind: 'msg_send', process: 'ping' }, text: 'Here ping sends its request; it waits for the reply.' }],
};

async function importScenario(page: Page, name: string, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.locator('[data-testid=scenario-import]').click();
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/** Wait for the boot of this generation to reach its prompt. */
async function promptOf(page: Page, generation: number): Promise<void> {
  await page.waitForFunction((g) => {
    const m = window.__oncrix?.store.getState().machine;
    return m !== undefined && m.generation >= g && m.promptMs !== null;
  }, generation, { timeout: 30_000 });
}

/** Boot, import SCENARIO and let it run to its end (the reboot's prompt, then ping's answer). */
async function runScenario(page: Page, term: Term): Promise<void> {
  await booted(page, term);
  await importScenario(page, 'call-and-reply.json', JSON.stringify(SCENARIO));
  await promptOf(page, 2);
  await term.waitFor(/ping: 2 repl/);
}

const position = (page: Page): Promise<string> => page.locator('[data-testid=position]').innerText();

test('a scenario file is imported and exported; a bad one is refused naming the field, and nothing changes', async ({ page, term }) => {
  await booted(page, term);
  await importScenario(page, 'call-and-reply.json', JSON.stringify(SCENARIO, null, 2));
  await expect(page.locator('[data-testid=scenario-title]')).toHaveText(SCENARIO.title);
  await promptOf(page, 2);
  await term.waitFor(/ping: 2 repl/);
  expect(await page.evaluate(() => window.__oncrix?.store.getState().machine.deterministic), 'a scenario is deterministic by default').toBe(true);

  const download = page.waitForEvent('download');
  await page.locator('[data-testid=scenario-export]').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('call-and-reply.json');
  expect(JSON.parse(await readFile(await file.path(), 'utf8'))).toEqual(SCENARIO);

  const generation = await page.evaluate(() => window.__oncrix?.store.getState().machine.generation);
  const bad = { ...SCENARIO, steps: [{ at: { kind: 'msg_snd', process: 'ping' }, text: 'a misspelled kind' }] };
  await importScenario(page, 'broken.json', JSON.stringify(bad));
  await expect(page.locator('[data-testid=scenario-message]')).toContainText('broken.json was not opened: steps[0].at.kind: "msg_snd" is not a trace kind');
  await expect(page.locator('[data-testid=scenario-message]')).toContainText('Nothing was changed');
  await expect(page.locator('[data-testid=scenario-title]'), 'the open scenario').toHaveText(SCENARIO.title);
  expect(await page.evaluate(() => window.__oncrix?.store.getState().machine.generation), 'no reboot').toBe(generation);

  // A program of its own under the name of one of the page's is refused the same way (it would run in ping's place).
  await importScenario(page, 'own-code.json', JSON.stringify({ ...SCENARIO, programs: [{ name: 'ping', wasm: 'AGFzbQEAAAA=' }] }));
  await expect(page.locator('[data-testid=scenario-message]')).toContainText('programs[0].name: "ping" is the name of one of the playground\'s own programs');
  expect(await page.evaluate(() => window.__oncrix?.store.getState().machine.generation), 'no reboot').toBe(generation);
});

test('the Share link opens the same scenario at the same selected event in a fresh page', async ({ page, term, context, baseURL }) => {
  await runScenario(page, term);
  // Select an event some way back from the end.
  await page.locator('[data-testid=btn-pause]').click();
  for (let i = 0; i < 5; i++) await page.locator('[data-testid=btn-back]').click();
  const selected = (await position(page)).split(' ')[0] ?? '';
  expect(selected).toMatch(/^#\d+$/);

  await page.locator('[data-testid=btn-share]').click();
  const link = page.locator('[data-testid=share-link]');
  await expect(link).toHaveValue(/#s=1\./);
  const url = await link.inputValue();
  expect(url.startsWith(baseURL ?? '-')).toBe(true);
  expect(url).toContain(`event=${selected.slice(1)}`);

  const fresh = await context.newPage();
  await fresh.goto(url);
  await expect(fresh.locator('[data-testid=scenario-title]')).toHaveText(SCENARIO.title, { timeout: 30_000 });
  await expect.poll(() => position(fresh), { message: 'the same event selected', timeout: 30_000 }).toMatch(new RegExp(`^${selected} `));
  await expect(fresh.locator('[data-testid=event-kind]')).toHaveText(await page.locator('[data-testid=event-kind]').innerText());
  await fresh.close();
});

test('a link whose scenario is garbage or cut short shows the message and opens the default playground', async ({ page, term }) => {
  for (const [i, hash] of ['#s=garbage!', '#s=1.fZBBTsMwEEX3nGJ2', '#s=9.AAAA'].entries()) {
    await page.goto(`./?try=${i}${hash}`); // a new query each time: a change of fragment alone is no new page load
    await expect(page.locator('[data-testid=scenario-message]')).toContainText('The scenario in this link cannot be read');
    await expect(page.locator('[data-testid=scenario-message]')).toContainText('default playground opened instead');
    await term.waitFor(/\$ *$/m, 30_000);
    await expect(page.locator('[data-testid=scenario-title]'), 'no scenario is open').toHaveCount(0);
  }
  await expect(page.locator('[data-testid=scenario-message]')).toContainText('link format 9');
});

test('the Embed snippet in a course page of another origin runs the scenario live in the minimal chrome, stepped back and forth', async ({ page, term, baseURL, shot }) => {
  await runScenario(page, term);
  await page.locator('[data-testid=btn-embed]').click();
  await page.locator('[data-testid=embed-width]').fill('1180');
  await page.locator('[data-testid=embed-height]').fill('700');
  const snippet = page.locator('[data-testid=embed-snippet]');
  await expect(snippet).toHaveValue(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?[^"]*embed=1[^"]*#s=1\.[^"]+" width="1180" height="700" title="ONCRIX: Call and reply/);
  const html = await snippet.inputValue();

  await page.goto(`http://localhost:${staticPort(baseURL ?? '')}/course.html?snippet=${encodeURIComponent(html)}`);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('[data-testid=embed-view]')).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => frame.locator('.xterm-rows').innerText(), { message: 'the scenario ran in the frame', timeout: 60_000 }).toMatch(/ping: 2 repl/);
  const inner = page.frames().find((f) => f !== page.mainFrame());
  expect(await inner?.evaluate(() => crossOriginIsolated), 'isolated by Document-Isolation-Policy').toBe(true);
  expect(await page.evaluate(() => crossOriginIsolated), 'the course page is not').toBe(false);
  // Minimal chrome: no Boot dialog, no editor, no break-it panel.
  await expect(frame.locator('[data-testid=btn-boot]')).toHaveCount(0);
  await expect(frame.locator('[aria-label="program editor"]')).toHaveCount(0);
  await expect(frame.locator('[data-testid=embed-annotation]')).toContainText(SCENARIO.title);

  // Step back and forth; "to the end" goes to the newest event.
  await frame.locator('[data-testid=btn-end]').click();
  const end = await frame.locator('[data-testid=position]').innerText();
  await frame.locator('[data-testid=btn-back]').click();
  await frame.locator('[data-testid=btn-back]').click();
  const back = await frame.locator('[data-testid=position]').innerText();
  expect(back).not.toBe(end);
  await frame.locator('[data-testid=btn-step]').click();
  await frame.locator('[data-testid=btn-step]').click();
  await expect(frame.locator('[data-testid=position]')).toHaveText(end);

  // Back to ping's first send: the annotation pinned to it shows.
  const seq = await inner?.evaluate(() => {
    const s = window.__oncrix;
    return s?.events().find((e) => e.kindName === 'MSG_SEND' && s.store.getState().model.procs.get(e.pid)?.name === 'ping')?.seq ?? -1;
  });
  expect(seq).toBeGreaterThan(0);
  await inner?.evaluate((n) => window.__oncrix?.store.getState().jumpToSeq(n), seq ?? 0);
  await expect(frame.locator('[data-testid=annotation-text]')).toContainText('Here ping sends its request');
  await shot('embedded-scenario');

  const open = frame.locator('[data-testid=open-in-playground]');
  await open.focus();
  const href = await open.getAttribute('href') ?? '';
  expect(href.startsWith(baseURL ?? '-'), 'the playground itself').toBe(true);
  expect(href).not.toContain('embed=1');
  expect(href).toContain('#s=1.');
  expect(href).toContain(`event=${seq}`);
});

test('an embed of a scenario with a view opens at its start event with its panels, and shows that step\'s annotation', async ({ page, baseURL }) => {
  const withView = { ...SCENARIO, view: { event: { kind: 'msg_send', process: 'ping', nth: 2 }, panels: ['trace', 'inspector'] },
    steps: [...SCENARIO.steps, { at: { kind: 'msg_send', process: 'ping', nth: 2 }, text: 'The second call: the same path again.' }] };
  const link = await encodeScenarioText(JSON.stringify(withView));
  expect(link.ok).toBe(true);
  const src = `${baseURL ?? ''}?embed=1#s=${link.ok ? link.value : ''}`;
  const html = `<iframe src="${src}" width="1100" height="700" title="ONCRIX"></iframe>`;
  await page.goto(`http://localhost:${staticPort(baseURL ?? '')}/course.html?snippet=${encodeURIComponent(html)}`);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('[data-testid=annotation-text]')).toContainText('step 2/2: The second call', { timeout: 60_000 });
  await expect(frame.locator('[data-testid=event-kind]')).toHaveText('MSG_SEND');
  await expect(frame.locator('[aria-label=Terminal]'), 'the terminal is not among its panels').toHaveCount(0);
  await frame.locator('[data-testid=btn-back]').click();
  await expect(frame.locator('[data-testid=annotation-text]'), 'one step back is still after the first send').toContainText('step 1/2');
});

test('an embed from plain static hosting, which cannot isolate a frame, runs live on the solo machine', async ({ page, baseURL }) => {
  const port = staticPort(baseURL ?? '');
  const link = await encodeScenarioText(JSON.stringify(SCENARIO)); // no recording: it runs live
  const html = `<iframe src="http://127.0.0.1:${port}/?embed=1#s=${link.ok ? link.value : ''}" width="1100" height="700" title="ONCRIX"></iframe>`;
  await page.goto(`http://localhost:${port}/course.html?snippet=${encodeURIComponent(html)}`);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('[data-testid=embed-view]')).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => frame.locator('.xterm-rows').innerText(), { message: 'the scenario ran in the frame', timeout: 60_000 }).toMatch(/ping: \d+ repl/);
  const inner = page.frames().find((f) => f !== page.mainFrame());
  expect(await inner?.evaluate(() => crossOriginIsolated), 'no header isolates this frame').toBe(false);
  expect(await inner?.evaluate(() => window.__oncrix?.store.getState().machine.mode)).toBe('solo');
  expect(await inner?.evaluate(() => window.__oncrix?.store.getState().machine.status), 'a live machine, not a recording').toBe('running');
  await expect(frame.locator('[data-testid=embed-not-live]')).toHaveCount(0);
});

test('the editor\'s program survives a reload', async ({ page, term }) => {
  await booted(page, term);
  await page.locator('.monaco-editor').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=editor]').click({ position: { x: 120, y: 40 } }); // inside the editor's visible part
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n// my own line, kept across reloads\n');
  await page.waitForTimeout(800); // saved half a second after the last keystroke
  await page.reload();
  await page.locator('.monaco-editor').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=editor]').click({ position: { x: 120, y: 40 } }); // inside the editor's visible part
  await page.keyboard.press('Control+End'); // the editor draws only the lines in view
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('my own line, kept across reloads');
});

test.describe('where the browser denies the page its storage', () => {
  test('the playground runs, opens a scenario file and edits a program without saving them, and shows no error', async ({ page, term }) => {
    // What a browser that blocks third-party storage does in a frame: merely reading localStorage throws.
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('Access is denied for this document.', 'SecurityError');
        },
      });
    });
    await booted(page, term);
    await importScenario(page, 'call-and-reply.json', JSON.stringify(SCENARIO));
    await expect(page.locator('[data-testid=scenario-title]')).toHaveText(SCENARIO.title);
    await promptOf(page, 2);
    await term.waitFor(/ping: 2 repl/);
    await page.locator('.monaco-editor').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=editor]').click({ position: { x: 120, y: 40 } }); // inside the editor's visible part
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// typed where nothing can be saved\n');
    await page.waitForTimeout(800);
    await expect(page.locator('.monaco-editor .view-lines')).toContainText('typed where nothing can be saved');
  });
});
