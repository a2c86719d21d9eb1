// The soak: the whole system in Node runs a workload — acknowledged console
// lines (`lines`), `ping`, and file appends on ramfs — while faults are
// injected into the console driver (uart) over and over: kills, traps and
// hangs mixed, at random points (after N syscalls, while it holds a reply),
// from a seed. The promise being checked is the one at the heart of the
// design: a crashing driver takes down a service, not the machine.
//
//   - the machine never panics (uart is critical: had init given up on it,
//     it would have);
//   - every fault is followed in the trace by a SPAWN of uart with a higher
//     generation;
//   - the checker: every console line whose acknowledged write returned
//     (the `lines` program's CHANNEL_CALL answered with success, read from
//     the trace) is on the console — once or, if the driver died in the
//     middle of it, twice, never not at all; and every file append of a round
//     that ran is in the file at the end.
//
// The workload is the shell's start-up script, so no keystroke (which a dying
// driver may hold and lose) is needed while faults fly. ONCRIX_SEED fixes
// the seed (printed on failure); ONCRIX_TEST_LENGTH=long injects five times
// as many faults.

import { afterAll, describe, expect, test } from 'vitest';
import { SYS, type TraceEvent } from '@oncrix/abi';
import { Terminal } from './console.js';
import { defaultManifest } from '../src/node.js';

const long = process.env.ONCRIX_TEST_LENGTH === 'long';
/** Faults injected in all, a third of each kind. */
const FAULTS = long ? 5000 : 1000;
const ACTIONS = ['kill', 'trap', 'hang'] as const;
const seed = Number(process.env.ONCRIX_SEED ?? Date.now() % 1e9);
/** Rounds of the start-up script: more than the faults need, so the workload runs until the last fault. */
const ROUNDS = long ? 3000 : 800;

/** The default manifest, with uart restarted at once however often it dies, and a heartbeat that finds a hang. */
function soakManifest(): string {
  const m = JSON.parse(defaultManifest()) as { programs: { name: string; supervise?: unknown }[] };
  for (const p of m.programs) {
    if (p.name === 'uart') {
      p.supervise = { policy: 'restart', critical: true, backoffMs: 0, limit: 1_000_000, windowMs: 1, heartbeat: { everyMs: 10, deadlineMs: 10 } };
    }
  }
  return JSON.stringify(m);
}

function startupScript(): string {
  const lines: string[] = [];
  for (let k = 1; k <= ROUNDS; k++) {
    lines.push(`echo a${k} >> /log`, `lines 6 r${k}`);
    if (k % 4 === 0) lines.push('ping 3');
  }
  return `${lines.join('\n')}\n`;
}

let t: Terminal | undefined;
afterAll(async () => {
  await t?.shutdown();
});

describe('soak: faults injected into the console driver', () => {
  test(`${FAULTS} kills, traps and hangs of uart under load: no panic, every restart traced, nothing acknowledged lost`, async () => {
    const started = Date.now();
    const each = Math.ceil(FAULTS / ACTIONS.length);
    t = await Terminal.boot({
      manifest: soakManifest(), script: startupScript(), seed, traceSlots: 1 << 20,
      inject: ACTIONS.map((a) => `${a}:uart:random:x${each}`),
    });
    const events: TraceEvent[] = [];
    let strikes = 0;
    let lastLog = 0;
    let lastCount = -1;
    let lastAt = Date.now();
    for (;;) {
      events.push(...t.sys.trace());
      expect(t.sys.panic(), `seed ${seed}`).toBeNull();
      strikes = (await t.sys.strikes()).length;
      if (strikes >= each * ACTIONS.length) break;
      if (strikes !== lastCount) { lastCount = strikes; lastAt = Date.now(); }
      if (Date.now() - lastAt > 3000 || Date.now() - started > 100_000) throw new Error(`${events.slice(-150).map((e) => `${e.seq} ${e.time} p${e.pid} ${e.kindName} ${e.args.join(',')} ${new TextDecoder().decode(e.data).slice(0, 40)}`).join('\n')}` + `seed ${seed}: ${strikes} faults in 30 s ${JSON.stringify((await t.sys.strikes()).slice(-5))}\n${t.screen().slice(-6000)}`);
      if (Math.floor((Date.now() - started) / 2000) !== lastLog) { lastLog = Math.floor((Date.now() - started) / 2000); console.log(`${Date.now() - started} ms: ${strikes}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`soak: ${strikes} faults in ${Date.now() - started} ms, ${events.length} events`);
  }, 180_000);
});
