// Words for events: the short label the sequence diagram draws beside a mark
// or on an arrow, where an arrow goes, and the argument-by-argument
// explanation the inspector shows. Everything is derived from the event and
// the trace model (names of processes and objects as the trace made them).

import { TRACE, OBJ, type TraceEvent } from '@oncrix/abi';
import { eventAt, eventCount, holdersOf, partnerOf, targetOf, dataText, type TraceModel } from './model.js';
import { vfsRequestOf, requestLabel } from './vfs-message.js';
import {
  argNames, syscallName, syscallParams, resultName, typeName, typeShort, rightsCompact, rightsNames, signalNames, closeReasonName,
  runReasonName, faultName, exitName,
} from './names.js';

export function procName(m: TraceModel, pid: number): string {
  if (pid === 0) return 'kernel';
  return m.procs.get(pid)?.name ?? `pid ${pid}`;
}

/** "pong (7)" */
export function procLabel(m: TraceModel, pid: number): string {
  return pid === 0 ? 'kernel' : `${procName(m, pid)} (${pid})`;
}

/** A kernel object in words: its type, koid and who holds it. */
export function objectLabel(m: TraceModel, koid: number): string {
  if (koid === 0) return '—';
  const o = m.objects.get(koid);
  if (o === undefined) return `object ${koid}`;
  if (o.type === OBJ.PROCESS && o.pid > 0) return `process ${procLabel(m, o.pid)}`;
  const holders = holdersOf(m, koid).map((p) => procName(m, p));
  const held = holders.length > 0 ? ` · held by ${holders.join(', ')}` : o.destroyed ? ' · destroyed' : '';
  return `${typeName(o.type)} ${koid}${held}`;
}

/** What kind of message a MSG_SEND is: a call (fresh transaction id), the reply to one, or a plain message. */
export function messageKind(ev: TraceEvent): 'call' | 'reply' | 'msg' {
  const txid = ev.args[4] ?? 0;
  if (ev.kind === TRACE.MSG_SEND && (ev.args[5] ?? 0) > 0) return 'reply';
  return txid < 0 ? 'call' : 'msg';
}

function msgLabel(ev: TraceEvent): string {
  const vfs = vfsRequestOf(ev);
  if (vfs !== null) return requestLabel(vfs); // a file operation: the kernel's vfs asking a service
  const bytes = ev.args[2] ?? 0;
  const handles = ev.args[3] ?? 0;
  return `${messageKind(ev)} ${bytes} B${handles > 0 ? ` +${handles} cap` : ''}`;
}

/** "spawn ping"; a supervisor's restart (a later generation) says so: "restart uart · gen 1". */
function spawnLabel(m: TraceModel, ev: TraceEvent): string {
  const generation = ev.args[5] ?? 0;
  const child = procName(m, ev.args[0] ?? 0);
  return generation > 0 ? `restart ${child} · gen ${generation}` : `spawn ${child}`;
}

/** An arrow between lanes: from a pid to a pid, optionally ending at another event's row. */
export interface Arrow {
  from: number;
  to: number;
  /** Global number of the event where the arrow ends (a message's delivery), or -1: same row. */
  endAt: number;
  dashed: boolean;
  label: string;
}

/** The arrow an event draws, if any. */
export function arrowOf(m: TraceModel, ev: TraceEvent, g: number): Arrow | null {
  const a = (i: number): number => ev.args[i] ?? 0;
  const target = targetOf(m, g);
  switch (ev.kind) {
    case TRACE.MSG_SEND: {
      const end = partnerOf(m, g);
      if (end >= 0) return { from: ev.pid, to: target, endAt: end, dashed: false, label: msgLabel(ev) };
      if (target > 0) return { from: ev.pid, to: target, endAt: -1, dashed: false, label: msgLabel(ev) };
      // Still queued: point at whoever holds the receiving endpoint.
      const holder = holdersOf(m, a(1)).find((p) => p !== ev.pid) ?? holdersOf(m, a(1))[0];
      if (holder === undefined) return null;
      return { from: ev.pid, to: holder, endAt: -1, dashed: true, label: `${msgLabel(ev)} (queued)` };
    }
    case TRACE.MSG_DELIVER:
      if (partnerOf(m, g) >= 0) return null; // drawn by its send
      return { from: a(1), to: ev.pid, endAt: -1, dashed: false, label: `${messageKind(ev)} ${a(2)} B` };
    case TRACE.SPAWN:
      return { from: ev.pid, to: a(0), endAt: -1, dashed: false, label: spawnLabel(m, ev) };
    case TRACE.KILL:
      return { from: a(0), to: ev.pid, endAt: -1, dashed: false, label: 'kill' };
    case TRACE.HANDLE_TRANSFER:
      if (a(1) === ev.pid) return null;
      return { from: a(1), to: ev.pid, endAt: -1, dashed: false, label: `${typeShort(a(5))} ${rightsCompact(a(4))}` };
    case TRACE.IRQ:
      return target > 0 ? { from: 0, to: target, endAt: -1, dashed: false, label: `irq ${a(0)}` } : null;
    case TRACE.TIMER_FIRE:
      return target > 0 ? { from: 0, to: target, endAt: -1, dashed: true, label: 'timer' } : null;
    default:
      return null;
  }
}

/** The short label drawn beside an event's mark. */
export function shortLabel(m: TraceModel, ev: TraceEvent): string {
  const a = (i: number): number => ev.args[i] ?? 0;
  switch (ev.kind) {
    case TRACE.BOOT: return `boot · ${a(0)} cpu · ${a(2)} pages`;
    case TRACE.SYSCALL_ENTER: return syscallName(a(0)).toLowerCase();
    case TRACE.SYSCALL_EXIT: return `= ${resultName(a(1))}`;
    case TRACE.SYSCALL_BLOCK: return `blocked in ${syscallName(a(0)).toLowerCase()}`;
    case TRACE.SYSCALL_WAKE: return `woken = ${resultName(a(1))}`;
    case TRACE.MSG_SEND: return msgLabel(ev);
    case TRACE.MSG_DELIVER: return `recv ${a(2)} B`;
    case TRACE.SIGNAL: {
      const set = a(1) !== 0 ? `+${signalNames(a(1))}` : '';
      const clr = a(2) !== 0 ? ` −${signalNames(a(2))}` : '';
      return `signal ${a(0)} ${set}${clr}`.trim();
    }
    case TRACE.IRQ: return `irq ${a(0)}`;
    case TRACE.SCHED_RUN: return `run · cpu ${a(0)}`;
    case TRACE.SCHED_PREEMPT: return 'preempted';
    case TRACE.SCHED_IDLE: return `cpu ${a(0)} idle`;
    case TRACE.SPAWN: return spawnLabel(m, ev);
    case TRACE.EXIT: return exitName(a(0));
    case TRACE.FAULT: return `fault: ${faultName(a(0)).toLowerCase()}`;
    case TRACE.KILL: return `killed by ${procName(m, a(0))}`;
    case TRACE.HANDLE_CREATE: return `+ ${typeShort(a(2))} ${rightsCompact(a(3))}`;
    case TRACE.HANDLE_DUPLICATE: return `dup ${rightsCompact(a(3))}`;
    case TRACE.HANDLE_TRANSFER: return `got ${typeShort(a(5))} ${rightsCompact(a(4))}`;
    case TRACE.HANDLE_CLOSE: return a(2) === 0 ? `close ${a(1)}` : `close ${a(1)} (${closeReasonName(a(2)).toLowerCase()})`;
    case TRACE.HANDLE_REVOKE: return `revoke: ${a(2)} closed`;
    case TRACE.OBJECT_CREATE: return `new ${typeShort(a(1))} ${a(0)}`;
    case TRACE.OBJECT_DESTROY: return `destroy ${typeShort(a(1))} ${a(0)}`;
    case TRACE.PAGE_CHARGE: return `+${a(0)} pg → ${a(1)}`;
    case TRACE.PAGE_RELEASE: return `−${Math.abs(a(0))} pg → ${a(1)}`;
    case TRACE.PANIC: return `PANIC ${dataText(ev)}`;
    case TRACE.LOG: return `log “${dataText(ev).trim()}”`;
    case TRACE.TIMER_FIRE: return `timer ${a(0)} fired`;
    default: return ev.kindName.toLowerCase();
  }
}

/** One argument explained. */
export interface ArgRow {
  name: string;
  value: number;
  meaning: string;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** Every argument of an event with its name (from spec.ts) and what it means here. */
export function explainArgs(m: TraceModel, ev: TraceEvent, imageName: (id: number) => string): ArgRow[] {
  const names = argNames(ev.kind);
  const rows: ArgRow[] = [];
  names.forEach((name, i) => {
    const v = ev.args[i] ?? 0;
    rows.push({ name, value: v, meaning: meaning(m, ev, name, v, imageName) });
  });
  return rows;
}

function meaning(m: TraceModel, ev: TraceEvent, name: string, v: number, imageName: (id: number) => string): string {
  switch (name) {
    case 'nr': return syscallName(v);
    case 'result': return resultName(v);
    case 'koid': case 'chanKoid': case 'peerKoid': case 'notifyKoid': case 'timerKoid': return objectLabel(m, v);
    case 'childPid': case 'receiverPid': case 'senderPid': case 'fromPid': case 'byPid':
      return v === 0 && name === 'receiverPid' ? 'none: queued for whoever reads' : procLabel(m, v);
    case 'type': return typeName(v);
    case 'rights': return rightsNames(v);
    case 'reason':
      if (ev.kind === TRACE.HANDLE_CLOSE) return closeReasonName(v);
      if (ev.kind === TRACE.SCHED_RUN) return runReasonName(v);
      if (ev.kind === TRACE.FAULT) return faultName(v);
      return String(v);
    case 'code': return exitName(v);
    case 'set': case 'cleared': case 'now': return signalNames(v);
    case 'txid':
      if (v === 0) return 'none';
      if (ev.kind === TRACE.MSG_SEND && (ev.args[5] ?? 0) > 0) return `${hex(v)} (the reply to this call)`;
      return `${hex(v)}${v < 0 ? ' (a call: high bit set)' : ''}`;
    case 'handle': case 'fromHandle': return v === 0 ? '—' : `${hex(v)} (slot ${v & 1023}, generation ${v >>> 10})`;
    case 'image': return imageName(v);
    case 'flags': return (v & 1) !== 0 ? 'deterministic' : 'real time';
    case 'bytes': return `${v} bytes`;
    case 'handles': return v === 1 ? '1 handle moved' : `${v} handles moved`;
    case 'pages': case 'usedPages': case 'budgetUsed': case 'budgetPages': case 'quotaPages': return `${v} × 64 KiB`;
    case 'cpu': return `CPU ${v}`;
    case 'cpus': return `${v} CPU${v === 1 ? '' : 's'}`;
    case 'line': return `interrupt line ${v}`;
    case 'bit': return `bit ${v}`;
    case 'closedCount': return `${v} handles closed`;
    case 'a0': case 'a1': case 'a2': case 'a3': case 'a4': case 'a5':
      return syscallArg(ev.args[0] ?? 0, Number(name.slice(1)), v);
    default: return Math.abs(v) >= 4096 ? hex(v) : String(v);
  }
}

/** Argument i of syscall nr, named as spec.ts names the syscall's parameters. */
function syscallArg(nr: number, i: number, v: number): string {
  const params = syscallParams(nr);
  if (params === null) return Math.abs(v) >= 4096 ? hex(v) : String(v);
  const p = params[i];
  if (p === undefined) return `not used by ${syscallName(nr).toLowerCase()}`;
  if (p === 'h' || p.endsWith('_h')) return `${p}: handle ${hex(v)} (slot ${v & 1023}, generation ${v >>> 10})`;
  if (p.endsWith('_ptr')) return `${p}: address ${hex(v)}`;
  return `${p}: ${Math.abs(v) >= 4096 ? hex(v) : String(v)}`;
}

/**
 * The syscall an event happened in: for an event of process p, the last
 * SYSCALL_ENTER of p before it and the SYSCALL_EXIT / SYSCALL_WAKE that ended
 * it (searched within a window, so this stays cheap on long logs).
 */
export function enclosingCall(m: TraceModel, ev: TraceEvent, g: number): { enter: number; end: number } | null {
  if (ev.pid === 0 || ev.kind === TRACE.SYSCALL_ENTER) return null;
  const WINDOW = 4000;
  let enter = -1;
  for (let i = g - 1; i >= Math.max(m.base, g - WINDOW); i--) {
    const e = eventAt(m, i);
    if (e === undefined || e.pid !== ev.pid) continue;
    if (e.kind === TRACE.SYSCALL_EXIT || e.kind === TRACE.SYSCALL_WAKE) return null;
    if (e.kind === TRACE.SYSCALL_ENTER) {
      enter = i;
      break;
    }
  }
  if (enter < 0) return null;
  return { enter, end: callEnd(m, enter) };
}

/** For a SYSCALL_ENTER: the event that ended the call (-1: still in it). */
export function callEnd(m: TraceModel, enter: number): number {
  const ev = eventAt(m, enter);
  if (ev === undefined) return -1;
  const last = eventCount(m);
  for (let i = enter + 1; i < Math.min(last, enter + 20000); i++) {
    const e = eventAt(m, i);
    if (e === undefined || e.pid !== ev.pid) continue;
    if (e.kind === TRACE.SYSCALL_EXIT || e.kind === TRACE.SYSCALL_WAKE || e.kind === TRACE.EXIT) return i;
    if (e.kind === TRACE.SYSCALL_ENTER) return -1;
  }
  return -1;
}

/** HANDLE_TRANSFER events that installed the handles a delivery carried (right after it, same pid). */
export function handlesDelivered(m: TraceModel, g: number): number[] {
  const ev = eventAt(m, g);
  if (ev === undefined || (ev.args[3] ?? 0) === 0) return [];
  const out: number[] = [];
  const want = ev.args[3] ?? 0;
  for (let i = g + 1; i < eventCount(m) && out.length < want && i < g + 64; i++) {
    const e = eventAt(m, i);
    if (e === undefined) break;
    if (e.kind === TRACE.HANDLE_TRANSFER && e.pid === ev.pid) out.push(i);
  }
  return out;
}
