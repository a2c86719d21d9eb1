// Which events the sequence diagram shows: a filter by process and by kind,
// and the list of visible rows it yields. Rows are global event numbers in
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
}

export const DEFAULT_FILTER: TraceFilter = { hiddenPids: new Set(), hiddenKinds: new Set([TRACE.DATA]) };

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
