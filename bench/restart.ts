// The restart figure of `npm run bench` (Node section): how long a crashed
// driver is gone. The console driver (uart) is killed by fault injection
// while the shell waits at its prompt, a key is typed, and the time runs
// until the key's echo reaches the host — the kill, init hearing of the
// death, the restart from the pool of started process Workers, the new
// driver taking the key and the shell's asked-again READ, the echo on the
// line. Beside it, in the same run, the raw cost of a Worker: `new Worker`
// to its first message. The target is a restart within 2x a Worker start:
// with started Workers waiting, a restart should cost less than starting one.
//
// `npx tsx bench/restart.ts [N]` prints the figure alone.

import { Worker } from 'node:worker_threads';
import { bootBuilt, defaultManifest } from '@oncrix/hal-web/node';
import type { OncrixSystem } from '@oncrix/hal-web/system';
import { median } from './figure.js';

export interface RestartFigures {
  /** Fault to the echo of a key typed just after it, one per restart (ms). */
  restartMs: number[];
  /** `new Worker` to its first message, one per Worker (ms). */
  workerStartMs: number[];
}

/** Restarts measured before the figure's (the first restarts warm the code paths up). */
const WARM_UP = 5;
/** The key typed after each kill: a character no HAL or init log line contains, so its echo is unmistakable. */
const KEY = '~';

/** Start a Worker and wait for its first message; the time that took (ms). */
async function workerStart(): Promise<number> {
  const t0 = performance.now();
  const w = new Worker("require('node:worker_threads').parentPort.postMessage(0)", { eval: true, execArgv: [] });
  await new Promise((r) => w.once('message', r));
  const ms = performance.now() - t0;
  await w.terminate();
  return ms;
}

/** The default system, with uart restarted at once however often it dies. */
function manifest(): string {
  const m = JSON.parse(defaultManifest()) as { programs: { name: string; supervise?: unknown }[] };
  for (const p of m.programs) {
    if (p.name === 'uart') p.supervise = { policy: 'restart', critical: true, backoffMs: 0, limit: 1_000_000, windowMs: 1 };
  }
  return JSON.stringify(m);
}

/** Read the console until `text` has appeared (or fail after timeoutMs). */
async function waitFor(sys: OncrixSystem, text: string, timeoutMs = 10_000): Promise<void> {
  const decoder = new TextDecoder();
  const deadline = performance.now() + timeoutMs;
  let seen = '';
  for (;;) {
    seen += decoder.decode(sys.read(), { stream: true });
    if (seen.includes(text)) return;
    if (sys.state() !== 'running') throw new Error(`the machine stopped (${sys.panic() ?? sys.state()}) waiting for ${JSON.stringify(text)}:\n${seen}`);
    if (performance.now() > deadline) throw new Error(`no ${JSON.stringify(text)} in ${timeoutMs} ms:\n${seen}`);
    await sys.news({ trace: false, timeoutMs: 50 });
  }
}

/** Kill and restart uart `restarts` times, and start as many raw Workers. */
export async function restartFigures(restarts = 100): Promise<RestartFigures> {
  const workerStartMs: number[] = [];
  for (let i = 0; i < restarts; i++) workerStartMs.push(await workerStart());

  const sys = await bootBuilt({ manifest: manifest() });
  const restartMs: number[] = [];
  const spawns: number[] = [];
  const decoder = new TextDecoder();
  try {
    await waitFor(sys, '$ ');
    for (let i = 0; i < WARM_UP + restarts; i++) {
      // Let the last round settle (the old driver's Worker back in the pool, the shell parked in its READ).
      await new Promise((r) => setTimeout(r, 20));
      const t0 = performance.now();
      await sys.inject('kill:uart:now'); // returns once the kernel Worker has made the kill
      sys.write(KEY);
      await waitFor(sys, KEY);
      if (i >= WARM_UP) restartMs.push(performance.now() - t0);
      spawns.push(...sys.trace().filter((e) => e.kindName === 'SPAWN' && decoder.decode(e.data) === 'uart').map((e) => e.args[5] ?? -1));
    }
    // Each echo came from a new instance: the trace has a SPAWN of uart for every kill, generations 0, 1, 2 …
    if (sys.traceLost > 0) throw new Error(`${sys.traceLost} trace records lost: the restarts cannot be checked`);
    if (spawns.join() !== Array.from({ length: WARM_UP + restarts + 1 }, (_, g) => g).join()) {
      throw new Error(`uart was not restarted once per kill: generations ${spawns.join(', ')}`);
    }
  } finally {
    await sys.shutdown();
  }
  return { restartMs, workerStartMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 100);
  const f = await restartFigures(n);
  const worker = median(f.workerStartMs);
  const restart = median(f.restartMs);
  const worst = Math.max(...f.restartMs);
  console.log(`Worker start ${worker.toFixed(2)} ms (median of ${n}); restart median ${restart.toFixed(2)} ms `
    + `(${(restart / worker).toFixed(2)}x), worst ${worst.toFixed(2)} ms (${(worst / worker).toFixed(2)}x)`);
}
