// Steps the specs share, each as a person (or the page's own test hook,
// window.__oncrix) sees the playground: boot to the prompt, find a process
// by name, read the event inspector, wait for an arrow on the trace canvas,
// and edit and apply the Boot dialog.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FrameLocator, Page } from '@playwright/test';
import { expect, type Term } from './fixtures.js';

const DEFAULT_MANIFEST = fileURLToPath(new URL('../packages/userland/manifest.default.json', import.meta.url));

/** Open the page and wait for the shell prompt; returns the navigation-to-prompt time the page measured. */
export async function booted(page: Page, term: Term): Promise<number> {
  await page.goto('./');
  await page.waitForFunction(() => window.__oncrix?.marks.prompt !== null && window.__oncrix?.marks.prompt !== undefined, null, { timeout: 30_000 });
  await term.waitFor(/\$ *$/m);
  return page.evaluate(() => window.__oncrix?.marks.prompt ?? -1);
}

/** The pid of the newest process with this name, or -1. */
export function pidOf(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => {
    const m = window.__oncrix?.store.getState().model;
    const procs = m === undefined ? [] : [...m.procs.values()].filter((p) => p.name === n);
    return procs[procs.length - 1]?.pid ?? -1;
  }, name);
}

/** The selected event's kind and the inspector's text. */
export async function inspector(page: Page): Promise<{ kind: string; text: string }> {
  return {
    kind: (await page.locator('[data-testid=event-kind]').innerText()).trim(),
    text: await page.locator('[data-testid=event-inspector]').innerText(),
  };
}

/** Wait until the canvas has drawn an arrow from one pid to another whose label starts so. */
export async function arrowDrawn(page: Page, from: number, to: number, label: string): Promise<void> {
  await page.waitForFunction(
    ([f, t, l]) => (window.__oncrix?.frame.arrows ?? []).some((a) => a.from === f && a.to === t && a.label.startsWith(l as string)),
    [from, to, label] as const,
    { timeout: 5_000 },
  );
}

/** The default manifest with one more program: pong serving "pong" under the name echoer (blocked, cheap). */
export function manifestWithEchoer(): string {
  const m = JSON.parse(readFileSync(DEFAULT_MANIFEST, 'utf8')) as { programs: unknown[] };
  m.programs.push({ name: 'echoer', program: 'pong', priority: 3, caps: [{ serve: 'pong' }] });
  return JSON.stringify(m, null, 2);
}

/** Open the Boot dialog and put this manifest and script in it. */
export async function editBoot(page: Page, manifest: string, script: string): Promise<void> {
  await page.locator('[data-testid=btn-boot]').click();
  await page.locator('[data-testid=boot-dialog]').waitFor({ timeout: 5_000 });
  await page.locator('[data-testid=boot-manifest]').fill(manifest);
  await page.locator('[data-testid=boot-script]').fill(script);
}

/** Wait until the machine of this boot generation shows its shell prompt. */
export async function rebooted(page: Page, generation: number): Promise<void> {
  await page.waitForFunction((g) => window.__oncrix?.store.getState().machine.generation === g && window.__oncrix.store.getState().machine.promptMs !== null,
    generation, { timeout: 30_000 });
}

/**
 * The library's ipc-basics exercises in an embedded frame, at the end of the
 * run: its first check passes, and for "how many replies" (N + 1) the answer
 * N fails and N + 1 passes. Returns N, the variant's number.
 */
export async function ipcBasicsExercises(frame: FrameLocator): Promise<number> {
  await expect(frame.locator('[data-testid=check-0]')).toHaveClass(/pass/);
  const n = Number(/N = (\d+)/.exec(await frame.locator('.scenario-seed').innerText())?.[1]);
  expect(n).toBeGreaterThanOrEqual(2);
  await frame.locator('[data-testid=answer-2]').fill(String(n));
  await frame.locator('[data-testid=answer-check-2]').click();
  await expect(frame.locator('[data-testid=check-2]')).toHaveClass(/fail/);
  await frame.locator('[data-testid=answer-2]').fill(String(n + 1));
  await frame.locator('[data-testid=answer-check-2]').click();
  await expect(frame.locator('[data-testid=check-2]')).toHaveClass(/pass/);
  return n;
}
