// Where the time goes in the playground: a CPU profile (the DevTools
// protocol's Profiler) of the page's main thread and of the kernel Worker
// while the shell runs `ping N` (10,000 by default), on the production
// build in Debian's Chromium with the trace on.
//
//   npx tsx bench/chromium/profile.ts [N]      (after `npm run build:playground`)
//   npx tsx bench/chromium/profile.ts --idle MS
//   npx tsx bench/chromium/profile.ts --run 'bench null 20000' --answer 'bench null: ([\d.]+)'
//
// The profile starts SETTLE_MS after the first prompt, once the page's lazy
// parts (the editor and its language Workers) have loaded.
//
// Prints each thread's busiest functions by self time, and writes the
// profiles to build/profile/{main,kernel}.cpuprofile (open them in DevTools'
// Performance panel, or any .cpuprofile viewer). Playwright opens CDP
// sessions on pages only, so the kernel Worker is reached through the page's
// session: Target.setAutoAttach without flattening, then messages wrapped in
// Target.sendMessageToTarget.

import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type CDPSession } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../../e2e/chromium.js';
import { startPreview } from '../../e2e/preview.js';
import { atPrompt, runCommand } from './console.js';
import { commandLine, processTree, threadSeconds } from './cpu.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where CDP commands go and events come from: the page's session, or a Worker's (nested) one. */
interface Channel {
  send(method: string, params?: object): Promise<unknown>;
  on(listener: (method: string, params: Record<string, unknown>) => void): void;
}

function pageChannel(cdp: CDPSession): Channel {
  const listeners: ((method: string, params: Record<string, unknown>) => void)[] = [];
  for (const method of ['Target.attachedToTarget', 'Target.receivedMessageFromTarget'] as const) {
    cdp.on(method, (params) => listeners.forEach((l) => l(method, params as unknown as Record<string, unknown>)));
  }
  return {
    send: (method, params = {}) => cdp.send(method as 'Target.setAutoAttach', params as never) as Promise<unknown>,
    on: (l) => listeners.push(l),
  };
}

/** A Worker's session, reached through its parent's channel (Target.sendMessageToTarget, without flattening). */
function workerChannel(parent: Channel, sessionId: string): Channel {
  let next = 1;
  const waiting = new Map<number, (r: { result?: unknown; error?: { message: string } }) => void>();
  const listeners: ((method: string, params: Record<string, unknown>) => void)[] = [];
  parent.on((method, params) => {
    if (method !== 'Target.receivedMessageFromTarget' || params.sessionId !== sessionId) return;
    const msg = JSON.parse(params.message as string) as { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message: string } };
    if (msg.id !== undefined) {
      waiting.get(msg.id)?.(msg);
      waiting.delete(msg.id);
    } else if (msg.method !== undefined) {
      listeners.forEach((l) => l(msg.method ?? '', msg.params ?? {}));
    }
  });
  return {
    async send(method, params = {}) {
      const id = next++;
      const answer = new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => waiting.set(id, resolve));
      await parent.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      const r = await answer;
      if (r.error !== undefined) throw new Error(`${method}: ${r.error.message}`);
      return r.result;
    },
    on: (l) => listeners.push(l),
  };
}

/** Auto-attach below a channel: every Worker it starts (now or later), with its URL. */
function attachWorkers(ch: Channel, found: { url: string; channel: Channel }[]): Promise<unknown> {
  ch.on((method, params) => {
    if (method !== 'Target.attachedToTarget') return;
    const info = params.targetInfo as { url: string };
    const child = workerChannel(ch, params.sessionId as string);
    found.push({ url: info.url, channel: child });
    void attachWorkers(child, found).catch(() => undefined);
  });
  return ch.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
}

/** Self time per function (ms), busiest first. */
function selfTimes(p: Profile): { name: string; ms: number }[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const f = byId.get(id)?.callFrame;
    const file = f?.url.split('/').pop() ?? '';
    const name = f === undefined ? '?' : `${f.functionName || '(anonymous)'}${file !== '' ? ` ${file}:${f.lineNumber + 1}` : ''}`;
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

function report(thread: string, p: Profile): void {
  const total = (p.endTime - p.startTime) / 1000;
  console.log(`\n${thread}: ${total.toFixed(0)} ms profiled; self time by function:`);
  for (const { name, ms } of selfTimes(p).slice(0, 18)) {
    console.log(`  ${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
}

const SETTLE_MS = 10_000;
const args = process.argv.slice(2);
const idleAt = args.indexOf('--idle');
const idleMs = idleAt >= 0 ? Number(args[idleAt + 1]) : 0;
const n = Number(args.find((a) => /^\d+$/.test(a) && idleAt < 0) ?? 10_000);
const runAt = args.indexOf('--run');
const answerAt = args.indexOf('--answer');
const command = runAt >= 0 ? (args[runAt + 1] ?? '') : `ping ${n}`;
const answer = answerAt >= 0 ? new RegExp(args[answerAt + 1] ?? '') : new RegExp(`ping: ${n} replies, ([\\d.]+) µs avg`);
const preview = await startPreview();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const top = pageChannel(cdp);
  const workers: { url: string; channel: Channel }[] = [];
  await attachWorkers(top, workers);
  await page.goto(preview.url);
  await atPrompt(page, 60_000);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const threads: { name: string; channel: Channel }[] = [{ name: 'main thread', channel: top }];
  workers.forEach((w, i) => threads.push({ name: `${w.url.split('/').pop()?.replace(/-[\w-]+\.js$/, '') ?? 'worker'} #${i}`, channel: w.channel }));
  for (const t of threads) {
    await t.channel.send('Profiler.enable');
    await t.channel.send('Profiler.setSamplingInterval', { interval: 200 });
    await t.channel.send('Profiler.start');
  }
  const chromiumPids = (): number[] => processTree(process.pid).filter((pid) => /chrom/i.test(commandLine(pid).split(' ')[0] ?? ''));
  const cpuBefore = threadSeconds(chromiumPids());
  const t0 = performance.now();
  if (idleMs > 0) {
    await new Promise((r) => setTimeout(r, idleMs));
    console.log(`idle at the prompt for ${idleMs} ms (profiler running)`);
  } else {
    const figure = await runCommand(page, command, answer, 600_000);
    console.log(`${command}: ${figure} (profiler running)`);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpuAfter = threadSeconds(chromiumPids());
  // Samples count a thread blocked in Atomics.wait as busy in the function that waits: the CPU it really used comes from /proc.
  console.log(`\nCPU used per thread over ${wall.toFixed(1)} s (/proc, % of one core):`);
  const used = [...cpuAfter].map(([k, v]) => [k, v - (cpuBefore.get(k) ?? 0)] as const).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  for (const [k, v] of used.slice(0, 14)) console.log(`  ${((100 * v) / wall).toFixed(1).padStart(6)}%  ${k}`);
  mkdirSync('build/profile', { recursive: true });
  for (const t of threads) {
    const profile = ((await t.channel.send('Profiler.stop')) as { profile: Profile }).profile;
    const file = t.name === 'main thread' ? 'main' : t.name.replace(/[^\w]+/g, '-');
    report(t.name, profile);
    writeFileSync(`build/profile/${file}.cpuprofile`, JSON.stringify(profile));
  }
  console.log('\nwrote build/profile/*.cpuprofile');
} finally {
  await browser.close();
  preview.stop();
}
