// The soak: the whole system in Node runs a workload — acknowledged console
// lines (the `lines` program), `ping`, and appends to a file on ramfs —
// while faults are injected into the console driver (uart) a thousand times:
// kills, traps and hangs mixed, each at a random point (after N syscalls,
// while it holds a reply, …) drawn from a seed. What it checks is the promise
// at the heart of the design, that a crashing driver takes down a service,
// not the machine:
//
//   - the machine never panics (uart is critical: had init given up on it,
//     the machine would have stopped);
//   - every fault is in the trace as a restart: one SPAWN of uart per fault,
//     each with the next generation, and no other uart death;
//   - the checker: every console line whose acknowledged write returned
//     (a `lines` process's CHANNEL_CALL answered with success, as the trace
//     records it, with the message it sent) is on the console — once, or
//     twice if the driver died after writing it and before answering; never
//     not at all; and every append to /log of a round the shell reached is
//     in the file at the end, once, in order.
//
// The workload is the shell's start-up script, so nothing has to be typed
// while faults fly (keys a dying driver holds are lost, by design); once the
// last fault is made, Ctrl-C stops the script and `cat /log` is typed.
// ramfs is killed too, fifty times at random points: it keeps its files in
// memory init holds across its restarts (docs/vfs.md), so the appends check
// covers it — every append the shell reached is in /log, once, in order —
// and each kill is one SPAWN of ramfs of the next generation. ONCRIX_SEED
// fixes the seed (a failure prints it); ONCRIX_TEST_LENGTH=long injects five
// times as many faults.

import { afterAll, describe, expect, test } from 'vitest';
import { SYS, type TraceEvent } from '@oncrix/abi';
import { SCRIPT_MAX_BYTES } from '@oncrix/boot';
import { Terminal } from './console.js';
import { defaultManifest } from '../src/node.js';

const long = process.env.ONCRIX_TEST_LENGTH === 'long';
/** Faults injected in all: a third kills, a third traps, a third hangs. */
const FAULTS = long ? 5000 : 1000;
const ACTIONS = ['kill', 'trap', 'hang'] as const;
const EACH = Math.ceil(FAULTS / ACTIONS.length);
/** Kills of ramfs besides, at random points: its files are kept across its restarts, so every append must be there. */
const RAMFS_KILLS = long ? 250 : 50;
const seed = Number(process.env.ONCRIX_SEED ?? Date.now() % 1e9);
/**
 * Rounds of the start-up script: more than the faults need (five to seven
 * faults a round), so the workload outlasts them — as many as the longest
 * start-up script holds. (If they ran out, faults would go on at the
 * prompt, where the shell's READ and the heartbeat keep uart busy.)
 */
const ROUNDS = Math.ceil(FAULTS / 2.5);
/** How long the faults may take before the soak gives up (a CI run takes 25–50 s). */
const LIMIT_MS = (long ? 5 : 1) * 150_000;
/** The console protocol's WRITE operation, and the bytes before a message's text (docs/userland.md, The console service). */
const CONSOLE_WRITE = 1;
const CONSOLE_HEADER = 8;

/** The default manifest, with uart and ramfs restarted at once however often they die, and a heartbeat that finds uart hung. */
function soakManifest(): string {
  const m = JSON.parse(defaultManifest()) as { programs: { name: string; supervise?: unknown }[] };
  const uart = m.programs.find((p) => p.name === 'uart');
  if (uart === undefined) throw new Error('the default manifest has no uart');
  uart.supervise = { policy: 'restart', critical: true, backoffMs: 0, limit: 1_000_000, windowMs: 1, heartbeat: { everyMs: 10, deadlineMs: 20 } };
  const ramfs = m.programs.find((p) => p.name === 'ramfs');
  if (ramfs === undefined) throw new Error('the default manifest has no ramfs');
  ramfs.supervise = { policy: 'restart', critical: true, backoffMs: 0, limit: 1_000_000, windowMs: 1 };
  return JSON.stringify(m);
}

/** Round k: append "a<k>" to /log, then six acknowledged lines "r<k>: 1" … "r<k>: 6"; a ping every fourth round. */
function workload(): string {
  let script = '';
  for (let k = 1; k <= ROUNDS; k++) {
    const round = `echo a${k} >> /log\nlines 6 r${k}:\n${k % 4 === 0 ? 'ping 3\n' : ''}`;
    if (script.length + round.length > SCRIPT_MAX_BYTES) break;
    script += round;
  }
  return script;
}

const decoder = new TextDecoder();

/** The SPAWN records of a program, in trace order: pid and generation. */
function spawnsOf(events: readonly TraceEvent[], name: string): { pid: number; generation: number }[] {
  return events.filter((e) => e.kindName === 'SPAWN' && decoder.decode(e.data) === name)
    .map((e) => ({ pid: e.args[0] ?? 0, generation: e.args[5] ?? 0 }));
}

/**
 * The text of every console write a `lines` process had acknowledged: its
 * CHANNEL_CALL returned success (at once or after blocking), and the text is
 * that of the WRITE it sent last.
 */
function acknowledged(events: readonly TraceEvent[]): string[] {
  const writers = new Set(spawnsOf(events, 'lines').map((s) => s.pid));
  const sent = new Map<number, string>();
  const acked: string[] = [];
  for (const e of events) {
    if (!writers.has(e.pid)) continue;
    if (e.kindName === 'MSG_SEND' && new DataView(e.data.buffer, e.data.byteOffset).getUint32(4, true) === CONSOLE_WRITE) {
      sent.set(e.pid, decoder.decode(e.data.subarray(CONSOLE_HEADER)));
    } else if ((e.kindName === 'SYSCALL_EXIT' || e.kindName === 'SYSCALL_WAKE') && e.args[0] === SYS.CHANNEL_CALL && (e.args[1] ?? -1) >= 0) {
      const text = sent.get(e.pid);
      if (text !== undefined) acked.push(text);
      sent.delete(e.pid);
    }
  }
  return acked;
}

/**
 * The trace records the checks read, kept as they are drained: SPAWN and LOG
 * records, and a `lines` process's sends and syscall results. (A long soak's
 * whole trace, over a million records, would not fit beside the machine.)
 */
class Kept {
  readonly events: TraceEvent[] = [];
  /** Records drained in all, and uart's restarts among them. */
  total = 0;
  restarts = -1;
  private readonly writers = new Set<number>();

  add(fresh: readonly TraceEvent[]): void {
    this.total += fresh.length;
    for (const e of fresh) {
      if (e.kindName === 'SPAWN') {
        const name = decoder.decode(e.data);
        if (name === 'uart') this.restarts++;
        if (name === 'lines') this.writers.add(e.args[0] ?? 0);
        this.events.push(e);
      } else if (e.kindName === 'LOG' || (this.writers.has(e.pid) && ['MSG_SEND', 'SYSCALL_EXIT', 'SYSCALL_WAKE'].includes(e.kindName))) {
        this.events.push(e);
      }
    }
  }
}

function occurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

let t: Terminal | undefined;
let drain: ReturnType<typeof setInterval> | undefined;
afterAll(async () => {
  clearInterval(drain);
  await t?.shutdown();
});

describe('soak: faults injected into the console driver and the file system under load', () => {
  test(`${EACH * ACTIONS.length} kills, traps and hangs of uart and ${RAMFS_KILLS} kills of ramfs: no panic, every restart traced, nothing acknowledged lost`, async ({ onTestFailed }) => {
    onTestFailed(() => console.error(`soak failed with seed ${seed}: rerun with ONCRIX_SEED=${seed} npx vitest run packages/hal-web/test/soak.test.ts`));
    const started = Date.now();
    const sys = (t = await Terminal.boot({
      manifest: soakManifest(), script: workload(), seed, inject: [...ACTIONS.map((a) => `${a}:uart:random:x${EACH}`), `kill:ramfs:random:x${RAMFS_KILLS}`],
    })).sys;
    // The trace ring holds 65,536 records: drain it all along (the checker needs every one). Read the console
    // too, as a terminal does: output nobody reads waits in the kernel Worker once its 1 MiB ring is full.
    const kept = new Kept();
    let ticks = 0;
    drain = setInterval(() => {
      kept.add(sys.trace());
      if (++ticks % 20 === 0) t?.screen();
    }, 50);
    const restarted = (): number => kept.restarts;

    // Faults fly until the last one is made and its restart is in the trace.
    let strikes = 0;
    let all = 0;
    while (all < EACH * ACTIONS.length + RAMFS_KILLS || restarted() < strikes) {
      await new Promise((r) => setTimeout(r, 100));
      expect(sys.panic(), `seed ${seed}`).toBeNull();
      const sofar = await sys.strikes();
      all = sofar.length;
      strikes = sofar.filter((s) => s.target === 'uart').length;
      if (Date.now() - started > LIMIT_MS) throw new Error(`seed ${seed}: only ${strikes} faults (${restarted()} restarts) in ${LIMIT_MS / 1000} s`);
    }
    const faultsMs = Date.now() - started;
    // Stop the rest of the script. The driver that gets Ctrl-C may not know the shell's registration yet
    // (the shell makes it again after each program), so press it until the shell says it stopped.
    for (let i = 0; !t.screen().includes('start-up script stopped by Ctrl-C'); i++) {
      if (i % 10 === 0) t.write('\x03');
      await new Promise((r) => setTimeout(r, 50));
      if (i > 400) throw new Error(`seed ${seed}: Ctrl-C did not stop the start-up script\n${t.screen().slice(-3000)}`);
    }
    await t.expect(/start-up script stopped by Ctrl-C\n\$ $/m, 15_000);
    const log = await t.run('cat /log', 30_000);
    clearInterval(drain);
    kept.add(sys.trace());
    const events = kept.events;
    expect(sys.traceLost, 'the checker needs every trace record').toBe(0);
    expect(sys.state()).toBe('running');
    expect(sys.panic()).toBeNull();

    // Every fault struck a different instance, and each was followed by a SPAWN of the next generation.
    const everyStrike = await sys.strikes();
    expect(new Set(everyStrike.map((s) => s.pid)).size).toBe(everyStrike.length);
    // ramfs: one SPAWN of the next generation per kill, and no other death.
    const ramfsKills = everyStrike.filter((s) => s.target === 'ramfs');
    expect(ramfsKills.length).toBe(RAMFS_KILLS);
    const ramfses = spawnsOf(events, 'ramfs');
    expect(ramfses.map((s) => s.generation)).toEqual(ramfses.map((_, i) => i));
    expect(ramfses.length, 'ramfs instances: one per kill, and the first').toBe(RAMFS_KILLS + 1);
    const made = everyStrike.filter((s) => s.target === 'uart');
    for (const a of ACTIONS) expect(made.filter((s) => s.action === a).length, a).toBe(EACH);
    const uarts = spawnsOf(events, 'uart');
    expect(uarts.map((s) => s.generation)).toEqual(uarts.map((_, i) => i));
    // An instance no fault struck may only have been taken for hung (slow to answer on a loaded machine): init says so.
    const struck = new Set(made.map((s) => s.pid));
    const logs = events.filter((e) => e.kindName === 'LOG').map((e) => decoder.decode(e.data));
    const unstruck = uarts.slice(0, -1).filter((s) => !struck.has(s.pid));
    const slow = unstruck.filter((s) => logs.some((l) => l.startsWith(`init: uart (pid ${s.pid}, generation ${s.generation}) did not answer its heartbeat`)));
    expect(unstruck.filter((s) => !slow.includes(s)), 'uart instances that ended without a fault or a missed heartbeat').toEqual([]);
    expect(uarts.length).toBe(made.length + slow.length + 1);

    // Nothing acknowledged is lost: each acknowledged line is on the console, once or twice.
    const screen = t.screen();
    const acked = acknowledged(events);
    expect(acked.length).toBeGreaterThan(FAULTS / 2);
    const lost = acked.filter((text) => occurrences(screen, text) === 0);
    expect(lost, `seed ${seed}: acknowledged, never on the console`).toEqual([]);
    // Every round that wrote a line had first appended to /log: all of those appends are there, once each, in order.
    const reached = Math.max(...acked.map((text) => Number(/^r(\d+):/.exec(text)?.[1] ?? 0)));
    // What cat printed, without the HAL's and init's lines. A driver restarted while cat wrote (one taken for hung)
    // gets cat's write again from the kernel, whole: the last copy, from its first line on, is the whole file.
    const printed = log.split('\n').filter((l) => l !== '' && !l.startsWith('[oncrix]'));
    const appended = printed.slice(Math.max(0, printed.lastIndexOf('a1')));
    expect(appended.slice(0, reached)).toEqual(Array.from({ length: reached }, (_, i) => `a${i + 1}`));
    expect(appended.length).toBeLessThanOrEqual(reached + 1);

    const mix = ACTIONS.map((a) => `${made.filter((s) => s.action === a).length} ${a}`).join(', ');
    const points = new Set(made.map((s) => s.point.replace(/=\d+.*/, '')));
    console.log(`soak (seed ${seed}): ${made.length} faults (${mix}; points: ${[...points].join(', ')}) in ${faultsMs} ms, `
      + `${slow.length} more taken for hung when slow, ${acked.length} acknowledged lines, ${reached} rounds, ${kept.total} trace records`);
  }, LIMIT_MS + 60_000);
});
