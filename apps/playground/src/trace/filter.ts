// Which events the sequence diagram shows: a filter by process and by kind
// (with one-click presets: everything, IPC, capabilities, scheduling; and
// "only this kind"), whether exited processes keep their lanes, and the list
// of visible rows it yields. Rows are global event numbers in
// an Int32Array that grows by doubling, so appending live events costs only
// the new ones, and a 100,000-event log re-filters in a few milliseconds.

import type { TraceEvent } from '@oncrix/abi';
import { TRACE } from '@oncrix/abi';
import { eventCount, kindAt, pidAt, type TraceModel } from './model.js';

export interface TraceFilter {
  /** Pids whose events are hidden (0: the kernel's own events). */
  hiddenPids: ReadonlySet<number>;
  /** Trace kinds that are hidden. */
  hiddenKinds: ReadonlySet<number>;
  /**
   * Leave out the lanes of processes that are not alive in the rows on
   * screen. Only lanes: their events stay in the log, and scrolling back to
   * when they ran brings their lanes back.
   */
  hideExited?: boolean;
}

export const DEFAULT_FILTER: TraceFilter = { hiddenPids: new Set(), hiddenKinds: new Set([TRACE.DATA]), hideExited: false };

/** Every kind the filter offers (DATA is never shown: it is folded into the event it belongs to). */
export const ALL_KINDS: readonly number[] = Object.values(TRACE).filter((k) => k !== TRACE.DATA);

/** The filter's one-click presets: which kinds each shows. */
export const PRESETS: readonly { id: string; label: string; title: string; kinds: readonly number[] }[] = [
  { id: 'all', label: 'all', title: 'every kind of event', kinds: ALL_KINDS },
  { id: 'ipc', label: 'IPC', title: 'only messages: each send and the delivery that took it', kinds: [TRACE.MSG_SEND, TRACE.MSG_DELIVER] },
  {
    id: 'caps', label: 'capabilities', title: 'only handles and objects: created, duplicated, moved, closed, revoked',
    kinds: [TRACE.HANDLE_CREATE, TRACE.HANDLE_DUPLICATE, TRACE.HANDLE_TRANSFER, TRACE.HANDLE_CLOSE, TRACE.HANDLE_REVOKE,
      TRACE.OBJECT_CREATE, TRACE.OBJECT_DESTROY],
  },
  {
    id: 'sched', label: 'scheduling', title: 'only the scheduler: who runs where, preemptions, idle CPUs, and why a process blocked or woke',
    kinds: [TRACE.SCHED_RUN, TRACE.SCHED_PREEMPT, TRACE.SCHED_IDLE, TRACE.SYSCALL_BLOCK, TRACE.SYSCALL_WAKE],
  },
];

/** The filter showing only these kinds (the lanes stay as they were). */
export function onlyKinds(f: TraceFilter, kinds: readonly number[]): TraceFilter {
  const shown = new Set(kinds);
  return { ...f, hiddenKinds: new Set([TRACE.DATA, ...ALL_KINDS.filter((k) => !shown.has(k))]) };
}

/** The preset this filter's kinds are, or null. */
export function presetOf(f: TraceFilter): string | null {
  const shown = ALL_KINDS.filter((k) => !f.hiddenKinds.has(k));
  const same = (kinds: readonly number[]): boolean => kinds.length === shown.length && kinds.every((k) => !f.hiddenKinds.has(k));
  return PRESETS.find((p) => same(p.kinds))?.id ?? null;
}

export function passes(ev: TraceEvent, f: TraceFilter): boolean {
  return !f.hiddenKinds.has(ev.kind) && !f.hiddenPids.has(ev.pid);
}

/** Visible rows: global event numbers that pass the filter, in order. */
export class Rows {
  private buf = new Int32Array(1024);
  length = 0;
  /** Global number one past the last event considered. */
  scanned = 0;

  /** The global event number at row r. */
  at(r: number): number {
    return this.buf[r] ?? -1;
  }

  private push(g: number): void {
    if (this.length === this.buf.length) {
      const bigger = new Int32Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.length++] = g;
  }

  /** Consider the events added to the model since the last call. */
  extend(m: TraceModel, f: TraceFilter): void {
    const start = Math.max(this.scanned, m.base);
    const end = eventCount(m);
    // Read kind and pid from the raw records: a live run appends thousands of events per frame.
    for (let g = start; g < end; g++) {
      if (!f.hiddenKinds.has(kindAt(m, g)) && !f.hiddenPids.has(pidAt(m, g))) this.push(g);
    }
    this.scanned = end;
  }

  /** Drop rows of events the model no longer keeps. */
  dropBefore(base: number): void {
    const k = this.rowOf(base);
    if (k <= 0) return;
    this.buf.copyWithin(0, k, this.length);
    this.length -= k;
  }

  /** The first row whose event number is >= g (binary search). */
  rowOf(g: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.buf[mid] ?? 0) < g) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The row showing event g exactly, or -1 when g is filtered out. */
  exactRow(g: number): number {
    const r = this.rowOf(g);
    return r < this.length && this.buf[r] === g ? r : -1;
  }

  static build(m: TraceModel, f: TraceFilter): Rows {
    const rows = new Rows();
    rows.extend(m, f);
    return rows;
  }
}
