// Names for the numbers in trace events, all taken from the ABI (spec.ts), so
// the playground never keeps its own copy of a table: argument names come
// from each TraceKind's doc string ("chanKoid, peerKoid, bytes, …"), a
// syscall's parameter names from its Sys doc string ("(dev_h, reg, value) …"),
// and syscall, error, object-type, rights and reason names from their tables.
// Rights letters are the ones `caps` prints in the shell.

import { spec, nameOf, TRACE, RIGHTS } from '@oncrix/abi';

/** Argument names of a trace kind, parsed from its doc string in spec.ts. */
const argNameCache = new Map<number, string[]>();

export function argNames(kind: number): string[] {
  let names = argNameCache.get(kind);
  if (names === undefined) {
    const entry = Object.values(spec.TraceKind).find((c) => c.value === kind);
    const head = (entry?.doc ?? '').split(';')[0] ?? '';
    // Identifiers only: "a0" counts, prose after the list ("name follows as DATA") does not.
    names = head.split(',').map((s) => s.trim()).filter((s) => /^[a-zA-Z][a-zA-Z0-9]*$/.test(s));
    argNameCache.set(kind, names);
  }
  return names;
}

/** The doc string of a trace kind. */
export function kindDoc(kind: number): string {
  return Object.values(spec.TraceKind).find((c) => c.value === kind)?.doc ?? '';
}

export function kindName(kind: number): string {
  return nameOf(spec.TraceKind, kind) ?? `KIND_${kind}`;
}

export function syscallName(nr: number): string {
  return nameOf(spec.Sys, nr) ?? (nr >= spec.Sys.WASI_FIRST.value ? `WASI_${nr}` : `SYS_${nr}`);
}

/** A syscall's parameters as its doc string in spec.ts lists them ("(h, bytes_ptr, len) …"); null when it lists none. */
export function syscallParams(nr: number): string[] | null {
  const doc = Object.values(spec.Sys).find((c) => c.value === nr)?.doc ?? '';
  const list = /^\(([^)]*)\)/.exec(doc)?.[1];
  if (list === undefined) return null;
  return list.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A syscall result in words: a number, or the error name. */
export function resultName(r: number): string {
  if (r >= 0) return String(r);
  if (r === spec.Kernel.BLOCKED.value) return 'BLOCKED';
  return nameOf(spec.Err, r) ?? String(r);
}

export function typeName(t: number): string {
  return (nameOf(spec.ObjType, t) ?? `TYPE_${t}`).toLowerCase();
}

/** Short type names for tight places (graph nodes, lane labels). */
export function typeShort(t: number): string {
  const short: Record<string, string> = { notification: 'notify', channel: 'chan', process: 'proc', memory: 'mem' };
  const n = typeName(t);
  return short[n] ?? n;
}

const LETTERS: [number, string][] = [
  [RIGHTS.READ, 'R'], [RIGHTS.WRITE, 'W'], [RIGHTS.TRANSFER, 'T'], [RIGHTS.DUPLICATE, 'D'], [RIGHTS.WAIT, 'A'],
  [RIGHTS.SIGNAL, 'S'], [RIGHTS.MANAGE, 'M'], [RIGHTS.SPAWN, 'P'], [RIGHTS.INSPECT, 'I'],
];

/** Rights as letters, as `caps` prints them: R W T D A(wait) S M P(spawn) I, "-" where absent. */
export function rightsLetters(rights: number): string {
  return LETTERS.map(([bit, l]) => ((rights & bit) !== 0 ? l : '-')).join('');
}

/** Rights as letters without the gaps ("RWT"). */
export function rightsCompact(rights: number): string {
  if ((rights & RIGHTS.ALL) === RIGHTS.ALL) return 'ALL';
  return LETTERS.filter(([bit]) => (rights & bit) !== 0).map(([, l]) => l).join('') || '∅';
}

/** Rights as names ("READ WRITE"). */
export function rightsNames(rights: number): string {
  const names = Object.entries(spec.Rights).filter(([n, c]) => n !== 'ALL' && (rights & c.value) !== 0).map(([n]) => n);
  return names.length > 0 ? names.join(' ') : 'none';
}

export function signalNames(bits: number): string {
  const names = Object.entries(spec.Signal).filter(([, c]) => (bits & c.value) !== 0).map(([n]) => n);
  return names.length > 0 ? names.join('|') : bits === 0 ? '0' : `0x${(bits >>> 0).toString(16)}`;
}

export function closeReasonName(r: number): string {
  return nameOf(spec.CloseReason, r) ?? String(r);
}

export function runReasonName(r: number): string {
  return nameOf(spec.RunReason, r) ?? String(r);
}

export function faultName(r: number): string {
  return nameOf(spec.Fault, r) ?? String(r);
}

/** How a process ended, from its exit code. */
export function exitName(code: number): string {
  if (code === spec.Exit.KILLED.value) return 'killed';
  if (code <= spec.Exit.FAULT_BASE.value) return `fault ${faultName(spec.Exit.FAULT_BASE.value - code).toLowerCase()}`;
  return `exit ${code}`;
}

/** Kinds grouped the way the filter offers them. */
export const KIND_GROUPS: { id: string; label: string; kinds: number[] }[] = [
  { id: 'ipc', label: 'messages', kinds: [TRACE.MSG_SEND, TRACE.MSG_DELIVER] },
  { id: 'syscall', label: 'syscalls', kinds: [TRACE.SYSCALL_ENTER, TRACE.SYSCALL_EXIT, TRACE.SYSCALL_BLOCK, TRACE.SYSCALL_WAKE] },
  { id: 'sched', label: 'scheduling', kinds: [TRACE.SCHED_RUN, TRACE.SCHED_PREEMPT, TRACE.SCHED_IDLE] },
  { id: 'signal', label: 'signals', kinds: [TRACE.SIGNAL, TRACE.TIMER_FIRE] },
  { id: 'irq', label: 'irqs', kinds: [TRACE.IRQ] },
  { id: 'process', label: 'processes', kinds: [TRACE.SPAWN, TRACE.EXIT, TRACE.FAULT, TRACE.KILL] },
  {
    id: 'handle', label: 'handles',
    kinds: [TRACE.HANDLE_CREATE, TRACE.HANDLE_DUPLICATE, TRACE.HANDLE_TRANSFER, TRACE.HANDLE_CLOSE, TRACE.HANDLE_REVOKE,
      TRACE.OBJECT_CREATE, TRACE.OBJECT_DESTROY],
  },
  { id: 'memory', label: 'memory', kinds: [TRACE.PAGE_CHARGE, TRACE.PAGE_RELEASE] },
  { id: 'kernel', label: 'boot/log', kinds: [TRACE.BOOT, TRACE.LOG, TRACE.PANIC, TRACE.DATA] },
];

/** The group a kind belongs to. */
export function groupOf(kind: number): string {
  return KIND_GROUPS.find((g) => g.kinds.includes(kind))?.id ?? 'kernel';
}
