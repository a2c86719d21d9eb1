// Fault injection: the web HAL ends, traps or hangs a chosen process at a
// chosen or random point, reproducibly by seed — to prove that a faulty
// driver takes down one service, never the machine (`oncrix --inject`, the
// playground's break-it panel, the soak test).
//
// The HAL sees every syscall a process makes and every result it gets, so it
// can strike at points a test could not reach from outside:
//
//   after=N        at the process's syscall after its first N
//   in-call[=K]    while it waits in its K-th CHANNEL_CALL (blocked, reply not yet in)
//   holding-reply[=K]  right after it took its K-th request that someone waits
//                  on (a call, or a vfs request), before it can answer
//   random         one of the three, with N or K drawn from the seeded
//                  generator; if an in-call or holding-reply point has not
//                  come after FALLBACK_SYSCALLS syscalls, it strikes there
//   now            at once (the playground's buttons)
//
// and do one of three things to it:
//
//   kill   the kernel ends it (fault reason INJECTED)
//   trap   the program itself traps inside the syscall it is in (the process
//          Worker throws through its stack; the HAL reports FAULT TRAP as for
//          any trap). A process parked in a call is reported as trapped there.
//   hang   the program stops doing anything but spin at safepoints: it never
//          makes another syscall and answers nobody (a heartbeat finds it)
//
// A spec strikes once per instance of its target, `times` times in all: when
// the supervisor restarts the target (a new pid with the same name), the
// spec arms again on the new instance, with a new random point. The random
// generator is seeded (mulberry32), and in deterministic mode the points a
// process reaches are the same on every run, so a run is reproducible.

import { SYS, offsetOf } from '@oncrix/abi';

export type InjectAction = 'kill' | 'trap' | 'hang';
export type InjectPoint =
  | { kind: 'after'; syscalls: number }
  | { kind: 'in-call'; nth: number }
  | { kind: 'holding-reply'; nth: number }
  | { kind: 'random' }
  | { kind: 'now' };

export interface InjectSpec {
  action: InjectAction;
  /** The program (image) name of the target process. */
  target: string;
  point: InjectPoint;
  /** How many instances to strike in all (each restart brings a new one). */
  times: number;
}

/** One strike, as the HAL made it. */
export interface Strike {
  action: InjectAction;
  target: string;
  pid: number;
  /** Where it struck, in the spec's words: "after=12", "in-call", "holding-reply", "now". */
  point: string;
}

/** A random in-call or holding-reply point that has not come strikes after this many syscalls anyway. */
export const FALLBACK_SYSCALLS = 256;
/** The largest N or K a random point draws. */
const RANDOM_AFTER_MAX = 64;
const RANDOM_NTH_MAX = 3;

const ACTIONS: readonly InjectAction[] = ['kill', 'trap', 'hang'];

/** Parse `ACTION:PROGRAM[:POINT][:xTIMES]`; throws an Error that says what is wrong and what is right. */
export function parseInjectSpec(text: string): InjectSpec {
  const usage = 'an --inject spec is ACTION:PROGRAM[:POINT][:xTIMES], e.g. kill:uart:after=20:x10 (ACTION: kill, trap or hang; '
    + 'POINT: after=N, in-call[=K], holding-reply[=K], random or now; default random, once)';
  const parts = text.split(':');
  const [action, target, ...rest] = parts;
  if (action === undefined || !ACTIONS.includes(action as InjectAction)) throw new Error(`unknown action "${action ?? ''}": ${usage}`);
  if (target === undefined || target === '') throw new Error(`no program named: ${usage}`);
  let point: InjectPoint = { kind: 'random' };
  let times = 1;
  for (const r of rest) {
    const count = (s: string, what: string): number => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) throw new Error(`"${r}": ${what} must be a whole number of at least 1`);
      return n;
    };
    if (/^x\d+$/.test(r)) times = count(r.slice(1), 'TIMES');
    else if (r.startsWith('after=')) point = { kind: 'after', syscalls: count(r.slice(6), 'N') };
    else if (r === 'in-call' || r.startsWith('in-call=')) point = { kind: 'in-call', nth: r.includes('=') ? count(r.slice(8), 'K') : 1 };
    else if (r === 'holding-reply' || r.startsWith('holding-reply=')) point = { kind: 'holding-reply', nth: r.includes('=') ? count(r.slice(14), 'K') : 1 };
    else if (r === 'random') point = { kind: 'random' };
    else if (r === 'now') point = { kind: 'now' };
    else throw new Error(`unknown point "${r}": ${usage}`);
  }
  return { action: action as InjectAction, target, point, times };
}

/** The seeded generator (mulberry32): the same seed, the same points. */
export class Random {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** A whole number from 1 to n. */
  upTo(n: number): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const x = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return 1 + Math.floor(x * n);
  }
}

/** A spec armed on one instance: the point it resolved to, and what it has counted so far. */
interface Armed {
  pid: number;
  point: Exclude<InjectPoint, { kind: 'random' }>;
  /** For a random in-call/holding-reply point: strike after this many syscalls if the point has not come. */
  fallback: number;
  syscalls: number;
  seen: number;
}

/** A spec, how many strikes it has left, the instance it is armed on, and the instances it has struck. */
interface Live {
  spec: InjectSpec;
  left: number;
  armed: Armed | null;
  struckPids: Set<number>;
}

/** What the HAL must do to a process now. */
export interface Blow {
  action: InjectAction;
  point: string;
}

const CALL = SYS.CHANNEL_CALL;
const READ = SYS.CHANNEL_READ;
const RECV = SYS.CHANNEL_RECV;
const WRITE = SYS.CHANNEL_WRITE;
const RECV_BYTES = offsetOf('RecvArgs', 'bytes');

/** Does a message whose first word is `word` wait for an answer (a call's txid has bit 31, a vfs request's bit 30)? */
function awaitsReply(word: number): boolean {
  return (word >>> 30) !== 0;
}

/**
 * The injector of one machine. The kernel host tells it of each syscall a
 * process makes and of each result, and does what it answers.
 */
export class Injector {
  private readonly rng: Random;
  private readonly specs: Live[];
  readonly strikes: Strike[] = [];

  constructor(specs: readonly InjectSpec[], seed: number) {
    this.rng = new Random(seed);
    this.specs = specs.map((spec) => ({ spec, left: spec.times, armed: null, struckPids: new Set<number>() }));
  }

  /** Add a spec while the machine runs (the playground's buttons). */
  add(spec: InjectSpec): void {
    this.specs.push({ spec, left: spec.times, armed: null, struckPids: new Set<number>() });
  }

  /** Specs still to strike. */
  active(): boolean {
    return this.specs.some((s) => s.left > 0);
  }

  /** The armed state of each live spec for process pid (arming it on a new instance of its target). */
  private armedFor(pid: number, name: string): { s: Live; a: Armed }[] {
    const out: { s: Live; a: Armed }[] = [];
    for (const s of this.specs) {
      if (s.left <= 0 || s.spec.target !== name || s.struckPids.has(pid)) continue;
      if (s.armed === null || s.armed.pid !== pid) s.armed = this.arm(s.spec, pid);
      out.push({ s, a: s.armed });
    }
    return out;
  }

  private arm(spec: InjectSpec, pid: number): Armed {
    if (spec.point.kind !== 'random') return { pid, point: spec.point, fallback: Infinity, syscalls: 0, seen: 0 };
    const pick = this.rng.upTo(3);
    if (pick === 1) return { pid, point: { kind: 'after', syscalls: this.rng.upTo(RANDOM_AFTER_MAX) }, fallback: Infinity, syscalls: 0, seen: 0 };
    const point = { kind: pick === 2 ? 'in-call' : 'holding-reply', nth: this.rng.upTo(RANDOM_NTH_MAX) } as const;
    return { pid, point, fallback: FALLBACK_SYSCALLS, syscalls: 0, seen: 0 };
  }

  private strike(s: Live, pid: number, point: string): Blow {
    s.left--;
    s.armed = null;
    s.struckPids.add(pid);
    this.strikes.push({ action: s.spec.action, target: s.spec.target, pid, point });
    return { action: s.spec.action, point };
  }

  /** Process pid (program `name`) is about to make syscall nr (-1: it reached a safepoint): strike first? */
  beforeSyscall(pid: number, name: string, nr: number): Blow | null {
    for (const { s, a } of this.armedFor(pid, name)) {
      const p = a.point;
      if (p.kind === 'now') return this.strike(s, pid, 'now');
      if (nr < 0) continue; // a safepoint is not a syscall: only `now` strikes there
      if (p.kind === 'after' && a.syscalls >= p.syscalls) return this.strike(s, pid, `after=${p.syscalls}`);
      if (a.syscalls >= a.fallback) return this.strike(s, pid, `after=${a.syscalls} (its ${p.kind} point did not come)`);
      a.syscalls++;
      if (nr === CALL && p.kind === 'in-call') a.seen++;
    }
    return null;
  }

  /** Syscall nr of pid blocked: is it the in-call point? */
  blocked(pid: number, name: string, nr: number): Blow | null {
    if (nr !== CALL) return null;
    for (const { s, a } of this.armedFor(pid, name)) {
      if (a.point.kind === 'in-call' && a.seen >= a.point.nth) return this.strike(s, pid, 'in-call');
    }
    return null;
  }

  /**
   * Syscall nr of pid returned `result` (at once, or when its wait ended):
   * is it the holding-reply point? `word(ptr)` reads a u32 of its memory.
   */
  returned(pid: number, name: string, nr: number, args: readonly number[], result: number, word: (ptr: number) => number): Blow | null {
    if (result <= 0 || (nr !== READ && nr !== RECV && !(nr === WRITE && (args[5] ?? 0) !== 0))) return null;
    const armed = this.armedFor(pid, name).filter(({ a }) => a.point.kind === 'holding-reply');
    if (armed.length === 0) return null;
    const bytes = nr === READ ? args[1] ?? 0 : word((nr === RECV ? args[1] ?? 0 : args[5] ?? 0) + RECV_BYTES);
    if (!awaitsReply(word(bytes))) return null;
    for (const { s, a } of armed) {
      a.seen++;
      if (a.point.kind === 'holding-reply' && a.seen >= a.point.nth) return this.strike(s, pid, 'holding-reply');
    }
    return null;
  }

  /** A `now` spec for a process that is parked (makes no syscall until woken): strike it at once. */
  nowFor(pid: number, name: string): Blow | null {
    for (const { s, a } of this.armedFor(pid, name)) if (a.point.kind === 'now') return this.strike(s, pid, 'now');
    return null;
  }
}
