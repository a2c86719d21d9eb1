// A run as a scenario sees it: the decoded trace events of one machine's
// run, with each process's program name (from its SPAWN event), the events
// an EventMatch names, and the final state a check asks about — who holds a
// handle to which object at the end — folded from the handle events, the
// way the kernel's own tables changed.

import { spec, type TraceEvent } from '@oncrix/abi';
import type { EventMatch } from './format.js';
import { argNames, kindOf } from './kinds.js';

const SPAWN = spec.TraceKind.SPAWN.value;
const K = spec.TraceKind;
const decoder = new TextDecoder();

export class Run {
  /** The program name of each event's process, as it was when the event happened. */
  private readonly names: string[] = [];
  private readonly latest = new Map<number, string>([[0, 'kernel']]);

  constructor(readonly events: readonly TraceEvent[]) {
    for (const e of events) {
      if (e.kind === SPAWN) this.latest.set(e.args[0] ?? -1, decoder.decode(e.data));
      this.names.push(this.latest.get(e.pid) ?? `pid ${e.pid}`);
    }
  }

  /** The program name of the i-th event's process. */
  processAt(i: number): string {
    return this.names[i] ?? '?';
  }

  /** The program name a pid last had. */
  nameOf(pid: number): string {
    return this.latest.get(pid) ?? `pid ${pid}`;
  }

  private matches(m: EventMatch, e: TraceEvent, i: number): boolean {
    if (e.kind !== kindOf(m.kind)) return false;
    if (m.process !== undefined && this.names[i] !== m.process) return false;
    if (m.args !== undefined) {
      const names = argNames(m.kind);
      for (const [name, want] of Object.entries(m.args)) {
        const value = e.args[names.indexOf(name)];
        const w = typeof want === 'string' ? (spec.ObjType as Record<string, { value: number } | undefined>)[want.toUpperCase()]?.value : want;
        if (value !== w) return false;
      }
    }
    return true;
  }

  /** The indexes (into events) of every event that matches, ignoring nth. */
  allIndexes(m: EventMatch): number[] {
    const out: number[] = [];
    this.events.forEach((e, i) => { if (this.matches(m, e, i)) out.push(i); });
    return out;
  }

  /** The index of the event a match names (its nth), or -1 when the run has none. */
  indexOf(m: EventMatch): number {
    let left = m.nth ?? 1;
    for (let i = 0; i < this.events.length; i++) {
      const e = this.events[i];
      if (e !== undefined && this.matches(m, e, i) && --left === 0) return i;
    }
    return -1;
  }

  find(m: EventMatch): TraceEvent | undefined {
    return this.events[this.indexOf(m)];
  }

  /**
   * At the end of the run: the processes (program names) that hold a handle
   * to the object `koid`, each with how many. Handles in flight in a message
   * belong to no one until delivered (HANDLE_TRANSFER); an exited process
   * holds nothing.
   */
  holdersOf(koid: number): Map<string, number> {
    const tables = new Map<number, Map<number, number>>(); // pid → handle → koid
    const table = (pid: number): Map<number, number> => {
      let t = tables.get(pid);
      if (t === undefined) tables.set(pid, (t = new Map()));
      return t;
    };
    for (const e of this.events) {
      const a = e.args;
      switch (e.kind) {
        case K.HANDLE_CREATE.value: table(e.pid).set(a[0] ?? 0, a[1] ?? 0); break;
        case K.HANDLE_DUPLICATE.value: table(e.pid).set(a[0] ?? 0, a[2] ?? 0); break;
        case K.HANDLE_TRANSFER.value:
          tables.get(a[1] ?? 0)?.delete(a[2] ?? 0);
          table(e.pid).set(a[0] ?? 0, a[3] ?? 0);
          break;
        case K.HANDLE_CLOSE.value: tables.get(e.pid)?.delete(a[0] ?? 0); break;
        case K.EXIT.value: tables.delete(e.pid); break;
        default: break;
      }
    }
    const out = new Map<string, number>();
    for (const [pid, t] of tables) {
      let n = 0;
      for (const k of t.values()) if (k === koid) n++;
      if (n > 0) out.set(this.nameOf(pid), (out.get(this.nameOf(pid)) ?? 0) + n);
    }
    return out;
  }
}
