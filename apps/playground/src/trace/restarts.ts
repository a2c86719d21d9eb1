// Restarts as the trace tells them: which process is the next or previous
// instance of a supervised program, how an instance ended (killed by fault
// injection, trapped, killed by its supervisor for missing its heartbeat …),
// and how long its supervisor took to start the next one. The inspector's
// sentence for a restart's SPAWN and the break-it panel both read it here.
//
// The idea: a restart leaves no record of its own — the dead instance's
// FAULT / KILL and EXIT, the supervisor's LOG line, then its SPAWN of the
// same name with the next generation (SPAWN's sixth argument) — so the
// instances of one program are the processes of one name spawned by one
// parent, in spawn order, and everything else is read from their records.

import { TRACE, spec } from '@oncrix/abi';
import { eventAt, dataText, type ProcInfo, type TraceModel } from './model.js';
import { faultName } from './names.js';

/** How far back from an instance's end the supervisor's decision is looked for. */
const WINDOW = 2000;

/** The instances of p's program (its name, spawned by its parent), oldest first. */
function instances(m: TraceModel, p: ProcInfo): ProcInfo[] {
  return [...m.procs.values()].filter((q) => q.name === p.name && q.parent === p.parent).sort((a, b) => a.spawnAt - b.spawnAt);
}

/** The instance of p's program started before p (null: p is the first the trace shows). */
export function previousInstance(m: TraceModel, p: ProcInfo): ProcInfo | null {
  const all = instances(m, p);
  return all[all.indexOf(p) - 1] ?? null;
}

/** The instance of p's program started after p (null: none yet). */
export function nextInstance(m: TraceModel, p: ProcInfo): ProcInfo | null {
  const all = instances(m, p);
  return all[all.indexOf(p) + 1] ?? null;
}

/** The pid of the root task (init: the process the kernel itself started), or -1. */
function rootPid(m: TraceModel): number {
  for (const p of m.procs.values()) if (p.parent === 0) return p.pid;
  return -1;
}

/** The newest instance of the program `name` that init started (alive or not), or null. */
export function newestInstance(m: TraceModel, name: string): ProcInfo | null {
  const root = rootPid(m);
  let best: ProcInfo | null = null;
  for (const p of m.procs.values()) if (p.name === name && p.parent === root && (best === null || p.spawnAt > best.spawnAt)) best = p;
  return best;
}

/** Whoever killed p through PROCESS_KILL (the KILL record just before its end), or -1. */
function killerOf(m: TraceModel, p: ProcInfo): number {
  for (let g = p.exitAt - 1; g >= Math.max(m.base, p.exitAt - WINDOW); g--) {
    const e = eventAt(m, g);
    if (e?.kind === TRACE.KILL && e.pid === p.pid) return e.args[0] ?? -1;
  }
  return -1;
}

/** Did p's parent log, just before p's end, that p missed its heartbeat? */
function missedHeartbeat(m: TraceModel, p: ProcInfo): boolean {
  for (let g = p.exitAt - 1; g >= Math.max(m.base, p.exitAt - WINDOW, p.spawnAt); g--) {
    const e = eventAt(m, g);
    if (e?.kind === TRACE.LOG && e.pid === p.parent) {
      const text = dataText(e);
      if (text.includes(`(pid ${p.pid},`) && text.includes('heartbeat')) return true;
    }
  }
  return false;
}

/**
 * How p ended, as what follows "it": "was killed by fault injection",
 * "trapped", "was killed by init: it missed its heartbeat (hung)",
 * "exited with code 3"; null while it lives.
 */
export function endWords(m: TraceModel, p: ProcInfo): string | null {
  if (p.state !== 'exited' || p.exitCode === null) return null;
  if (p.fault === spec.Fault.INJECTED.value) return 'was killed by fault injection';
  if (p.fault === spec.Fault.TRAP.value) return 'trapped';
  if (p.fault !== null) return `faulted (${faultName(p.fault).toLowerCase()})`;
  if (p.exitCode === spec.Exit.KILLED.value) {
    const killer = p.exitAt >= 0 ? killerOf(m, p) : -1;
    const by = killer > 0 ? m.procs.get(killer)?.name ?? `pid ${killer}` : 'another process';
    return p.exitAt >= 0 && missedHeartbeat(m, p) ? `was killed by ${by}: it missed its heartbeat (hung)` : `was killed by ${by}`;
  }
  return `exited with code ${p.exitCode}`;
}

/** A restart: the instance that ended, the one started after it, how the first ended and how long the gap was. */
export interface Restart {
  old: ProcInfo;
  next: ProcInfo;
  /** endWords of the old instance. */
  how: string;
  /** From the old instance's end (its EXIT) to the new one's SPAWN, in ms of trace time (null: an end no longer kept). */
  gapMs: number | null;
}

/** The restart that started `next`, if next is a later instance of a program whose previous one has ended. */
export function restartOf(m: TraceModel, next: ProcInfo): Restart | null {
  if (next.generation === 0) return null;
  const old = previousInstance(m, next);
  if (old === null) return null;
  const how = endWords(m, old);
  if (how === null) return null;
  const ended = eventAt(m, old.exitAt);
  const spawned = eventAt(m, next.spawnAt);
  const gapMs = ended !== undefined && spawned !== undefined ? (spawned.time - ended.time) / 1e6 : null;
  return { old, next, how, gapMs };
}

/** A span of ms for people: "0.4 ms", "12 ms", "1.5 s". */
export function spanWords(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}
