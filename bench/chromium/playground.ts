// The benchmark's Chromium section: the production playground (vite build +
// preview) in Debian's Chromium, with the trace on, as people use it.
//
// One browser, in this order: cold loads (navigation → shell prompt); then
// one page that idles at the prompt while its CPU use is measured, once the
// editor (loaded after the prompt) and its language Workers have started
// (and a blank page's, for comparison); the platform's limit in that same page
// (page-baselines.ts); ONCRIX's own figures, from the `bench` and `ping`
// programs typed at its shell; and `ping 100000` under a timeline trace
// (the longest main-thread task) followed by the page's heap.

import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, coldPage } from '../../e2e/chromium.js';
import { startPreview } from '../../e2e/preview.js';
import { PAGE_BASELINES, type BaselineRounds, type PageBaselines } from './page-baselines.js';
import { atPrompt, runCommand } from './console.js';
import { commandLine, corePercent, processTree } from './cpu.js';

export interface ChromiumFigures {
  isolated: boolean;
  /** Medians of the trials, µs (workerStartMs: ms). */
  waitNotifyUs: number;
  spinUs: number;
  relayUs: number;
  postMessageUs: number;
  workerStartMs: number;
  nullUs: number;
  callUs: number;
  sendUs: number;
  spawnMs: number;
  /** Navigation to interactive page and to the shell prompt, cold loads (median, and every load). */
  interactiveMs: number;
  promptMs: number;
  allPromptMs: number[];
  /** `ping 100000`: its own figure, the longest main-thread task meanwhile, and the page's heap afterwards. */
  bigPingUs: number;
  longestTaskMs: number;
  /** CPU time the main thread had during that task (the rest it waited for a core). */
  longestTaskCpuMs: number;
  longTasks: number;
  heapMB: number;
  /** When the heap is measured: events the page keeps, and trace records the kernel has written. */
  heapEvents: number;
  heapRecords: number;
  /** Percent of one core: the whole browser with the idle playground at its prompt, and with a blank page. */
  idlePlaygroundPercent: number;
  idleBlankPercent: number;
  /** When the idle playground's measurement began, ms after its prompt (it runs for idleMs). */
  idleFromPromptMs: number;
  /** The solo machine (?mode=solo: no SharedArrayBuffer between threads): call/reply (median of the trials) and the shell prompt on a cold load (median). */
  soloCallUs: number;
  soloPromptMs: number;
  allSoloPromptMs: number[];
}

export interface ChromiumOptions {
  trials: number;
  coldLoads: number;
  idleMs: number;
  log(text: string): void;
}

const ROUNDS = (trials: number): BaselineRounds => ({ waitNotify: 20_000, spin: 200_000, relay: 10_000, postMessage: 5_000, trials });

/** After the editor is made, how long its language Workers get to start before the idle page is measured. */
const IDLE_SETTLE_MS = 5000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Open the playground in a fresh context (a cold load in an open window: coldPage) and wait for its first prompt; returns the page and its marks. */
async function openPlayground(browser: Browser, url: string): Promise<{ page: Page; interactive: number; prompt: number }> {
  const page = await coldPage(browser);
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__oncrix?.marks.prompt !== null && window.__oncrix?.marks.prompt !== undefined, null, { timeout: 60_000 });
  const marks = await page.evaluate(() => window.__oncrix?.marks);
  return { page, interactive: marks?.interactive ?? NaN, prompt: marks?.prompt ?? NaN };
}

/** Every process of the browsers this script launched (renderers, GPU, utilities): Chromium processes below this one. */
function browserProcesses(): number[] {
  return processTree(process.pid).filter((pid) => /chrom/i.test(commandLine(pid).split(' ')[0] ?? ''));
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The longest task on a renderer's main thread in a Chromium trace of the
 * 'toplevel' category (ThreadControllerImpl::RunTask): its wall time and the
 * CPU time the thread had in it (on a loaded machine the difference is time
 * the thread waited for a core), and how many tasks took 50 ms or more.
 */
function longestMainTask(trace: Buffer): { wallMs: number; cpuMs: number; long: number } {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set<string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mains.add(`${e.pid}:${e.tid}`);
  }
  let worst = { wallMs: 0, cpuMs: 0 };
  let long = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || !mains.has(`${e.pid}:${e.tid}`)) continue;
    const wallMs = (e.dur ?? 0) / 1000;
    if (wallMs > worst.wallMs) worst = { wallMs, cpuMs: (e.tdur ?? 0) / 1000 };
    if (wallMs >= 50) long++;
  }
  return { ...worst, long };
}

/** Measure the playground in Chromium against the preview server at the built dist/playground. */
export async function measureChromium(o: ChromiumOptions): Promise<ChromiumFigures> {
  const preview = await startPreview();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    o.log(`  ${o.coldLoads} cold loads …`);
    const interactive: number[] = [];
    const prompt: number[] = [];
    for (let i = 0; i < o.coldLoads; i++) {
      const load = await openPlayground(browser, preview.url);
      interactive.push(load.interactive);
      prompt.push(load.prompt);
      await load.page.context().close();
    }

        o.log(`  idle CPU (${o.idleMs / 1000} s each: a blank page, then the playground at its prompt) …`);
    const blankContext = await browser.newContext();
    await (await blankContext.newPage()).goto('about:blank');
    await new Promise((r) => setTimeout(r, 1000));
    const idleBlankPercent = await corePercent(browserProcesses, o.idleMs);
    await blankContext.close();
    const { page } = await openPlayground(browser, preview.url);
    await atPrompt(page);
    // The page's last one-off work: the editor, loaded after the prompt, and its language Workers starting.
    await page.waitForFunction(() => typeof window.__oncrix?.marks.editor === 'number', null, { timeout: 60_000 });
    await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
    const idleFromPromptMs = await page.evaluate(() => performance.now() - (window.__oncrix?.marks.prompt ?? 0));
    const idlePlaygroundPercent = await corePercent(browserProcesses, o.idleMs);

    o.log('  the platform\'s limit in the same page (Worker round trips, relay, postMessage, Worker start) …');
    const base = (await page.evaluate(`(${PAGE_BASELINES})(${JSON.stringify(ROUNDS(o.trials))})`)) as PageBaselines;

    o.log('  ONCRIX at the playground\'s shell (bench null/send/spawn, ping) …');
    // Each trial asks for a slightly different count, so its answer is a new line on the screen.
    const nulls: number[] = [];
    const calls: number[] = [];
    for (let t = 0; t < o.trials; t++) {
      const n = 20_000 + t;
      nulls.push(Number(await runCommand(page, `bench null ${n}`, new RegExp(`bench null: ([\\d.]+) ns/op \\(${n} ops\\)`), 120_000)) / 1000);
    }
    for (let t = 0; t < o.trials; t++) {
      const n = 5_000 + t;
      calls.push(Number(await runCommand(page, `ping ${n}`, new RegExp(`ping: ${n} replies, ([\\d.]+) µs avg`), 120_000)));
    }
    const sendUs = Number(await runCommand(page, 'bench send 20000', /bench send: ([\d.]+) ns\/op \(20000 ops\)/, 120_000)) / 1000;
    // The solo machine, in the same run: its cold loads and its call/reply, in a page of its own (?mode=solo).
    o.log(`  the solo machine (?mode=solo): ${o.coldLoads} cold loads, then ping …`);
    const soloUrl = `${preview.url}?mode=solo`;
    const soloPrompt: number[] = [];
    for (let i = 0; i < o.coldLoads; i++) {
      const load = await openPlayground(browser, soloUrl);
      soloPrompt.push(load.prompt);
      await load.page.context().close();
    }
    const solo = await openPlayground(browser, soloUrl);
    await atPrompt(solo.page);
    const soloMode = await solo.page.evaluate(() => window.__oncrix?.store.getState().machine.mode);
    if (soloMode !== 'solo') throw new Error(`?mode=solo ran the ${String(soloMode)} machine`);
    const soloCalls: number[] = [];
    for (let t = 0; t < o.trials; t++) {
      const n = 5_000 + t;
      soloCalls.push(Number(await runCommand(solo.page, `ping ${n}`, new RegExp(`ping: ${n} replies, ([\\d.]+) µs avg`), 120_000)));
    }
    await solo.page.context().close();
    const spawnMs = Number(await runCommand(page, 'bench spawn 30', /bench spawn: ([\d.]+) ns\/op \(30 ops\)/, 120_000)) / 1e6;

    o.log('  ping 100000 under a timeline trace, then the heap …');
    await browser.startTracing(page, { categories: ['toplevel'] });
    const bigPingUs = Number(await runCommand(page, 'ping 100000', /ping: 100000 replies, ([\d.]+) µs avg/, 600_000));
    const tasks = longestMainTask(await browser.stopTracing());
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    const counts = await page.evaluate(() => window.__oncrix?.counts() ?? { kept: 0, records: 0 });
    await page.context().close();

    const med = (xs: number[]): number => median(xs);
    return {
      isolated: base.isolated,
      waitNotifyUs: med(base.waitNotifyUs), spinUs: med(base.spinUs), relayUs: med(base.relayUs),
      postMessageUs: med(base.postMessageUs), workerStartMs: med(base.workerStartMs),
      nullUs: med(nulls), callUs: med(calls), sendUs, spawnMs,
      interactiveMs: Math.round(med(interactive)), promptMs: Math.round(med(prompt)), allPromptMs: prompt.map(Math.round),
      bigPingUs, longestTaskMs: tasks.wallMs, longestTaskCpuMs: tasks.cpuMs, longTasks: tasks.long,
      heapMB: (heap.usedSize + (heap.backingStorageSize ?? 0)) / 2 ** 20, heapEvents: counts.kept, heapRecords: counts.records,
      idlePlaygroundPercent, idleBlankPercent, idleFromPromptMs: Math.round(idleFromPromptMs),
      soloCallUs: med(soloCalls), soloPromptMs: Math.round(med(soloPrompt)), allSoloPromptMs: soloPrompt.map(Math.round),
    };
  } finally {
    await browser.close();
    preview.stop();
  }
}
