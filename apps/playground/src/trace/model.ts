// The state of the machine as the trace tells it: processes, their handles,
// kernel objects, memory, and which message send belongs to which delivery.
//
// The idea: the kernel records every event, so the page needs no other
// window into the machine — this reducer folds events, one at a time and in
// order, into a model. It is deliberately mutable and incremental (a run
// easily reaches 100,000 events; copying maps per event would not keep up):
// `applyEvents` updates the model in place and bumps `version`, and the UI
// redraws from it. Events keep a global number (`base` + index in `events`),
// so trimming the oldest events never renumbers anything.

import { TRACE, OBJ, TRACE_DATA_BYTES, type TraceEvent } from '@oncrix/abi';

export type ProcState = 'ready' | 'running' | 'blocked' | 'exited';

export interface ProcInfo {
  pid: number;
  name: string;
  /** The process that spawned it (0: the kernel). */
  parent: number;
  image: number;
  priority: number;
  quotaPages: number;
  /** The kernel object id of the process (handles to it name this koid). */
  koid: number;
  state: ProcState;
  /** CPU it runs on, or -1. */
  cpu: number;
  usedPages: number;
  /** CPU time accumulated over finished runs, in ns. */
  cpuNs: number;
  /** Kernel time when the current run began, or -1. */
  runSince: number;
  syscalls: number;
  /** Syscall it is blocked in (-1: none) and the object it waits on. */
  blockedNr: number;
  blockedKoid: number;
  exitCode: number | null;
  /** Fault reason if it faulted. */
  fault: number | null;
  /** Global event numbers of its spawn and exit (-1: not yet). */
  spawnAt: number;
  exitAt: number;
}

export interface HandleEntry {
  value: number;
  koid: number;
  type: number;
  rights: number;
  /** Global event number where it appeared in this table. */
  at: number;
  via: 'create' | 'duplicate' | 'transfer';
  /** For transfers: where it came from. */
  fromPid: number;
}

export interface ObjInfo {
  koid: number;
  type: number;
  /** The other endpoint of a channel (0: unknown). */
  peer: number;
  /** For process objects: the pid. */
  pid: number;
  destroyed: boolean;
}

export interface TraceModel {
  /** Events kept (the oldest may have been trimmed: global number = base + index). */
  events: TraceEvent[];
  base: number;
  /** Per event: the global number of the matching MSG_SEND / MSG_DELIVER, or -1. */
  partner: number[];
  /** Per event: the pid an arrow points at (spawned child, receiver, handle recipient, IRQ handler …), or -1. */
  target: number[];
  procs: Map<number, ProcInfo>;
  /** Pids in spawn order: the lanes of the sequence diagram after the kernel's. */
  lanes: number[];
  /** Handle tables: pid -> handle value -> entry. */
  handles: Map<number, Map<number, HandleEntry>>;
  objects: Map<number, ObjInfo>;
  /** koid -> pid -> number of handles that pid holds to it. */
  holders: Map<number, Map<number, number>>;
  /** Receiving endpoint koid -> MSG_SEND events (global numbers) queued there, oldest first. */
  pending: Map<number, number[]>;
  /** CPU -> pid running there (0: idle). */
  cpuOwner: number[];
  cpus: number;
  deterministic: boolean;
  budgetPages: number;
  budgetUsed: number;
  /** Kernel time of the latest event (ns). */
  now: number;
  /** pid -> runs on a CPU as pairs of global event numbers [start, end, start, end …]; end -1 while running. */
  runs: Map<number, number[]>;
  /** Global number of the latest event that changed a handle table (-1: none). */
  lastHandleChange: number;
  /** One past the sequence number of the newest trace record seen (DATA records and lost ones take numbers too). */
  records: number;
  /** Bumped by every change. */
  version: number;
}

export function createModel(): TraceModel {
  return {
    events: [], base: 0, partner: [], target: [], procs: new Map(), lanes: [], handles: new Map(), objects: new Map(),
    holders: new Map(), pending: new Map(), cpuOwner: [], runs: new Map(), cpus: 1, deterministic: false, budgetPages: 0, budgetUsed: 0,
    now: 0, lastHandleChange: -1, records: 0, version: 0,
  };
}

/** Global number one past the newest event. */
export function eventCount(m: TraceModel): number {
  return m.base + m.events.length;
}

/**
 * Trace records the kernel has numbered so far, as the page has seen them:
 * the events, the DATA records that carried their bytes, and records lost on
 * the way. Event numbers (#seq) count the same way, so the newest event's
 * number is below this count.
 */
export function recordCount(m: TraceModel): number {
  return m.records;
}

/** The event with global number g, if still kept. */
export function eventAt(m: TraceModel, g: number): TraceEvent | undefined {
  return m.events[g - m.base];
}

export function partnerOf(m: TraceModel, g: number): number {
  return m.partner[g - m.base] ?? -1;
}

export function targetOf(m: TraceModel, g: number): number {
  return m.target[g - m.base] ?? -1;
}

/** CPU time of a process in ns, including the run in progress. */
export function cpuTimeNs(m: TraceModel, p: ProcInfo): number {
  return p.cpuNs + (p.runSince >= 0 ? Math.max(0, m.now - p.runSince) : 0);
}

/** Run intervals of pid that overlap the global event range [from, to): pairs [start, end] (end -1: still running). */
export function runsBetween(m: TraceModel, pid: number, from: number, to: number): number[] {
  const runs = m.runs.get(pid);
  if (runs === undefined) return [];
  // Intervals are in order: binary search the first whose end is at or after `from`.
  let lo = 0;
  let hi = runs.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const end = runs[mid * 2 + 1] ?? -1;
    if (end !== -1 && end < from) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let i = lo; i < runs.length / 2; i++) {
    const start = runs[i * 2] ?? 0;
    if (start >= to) break;
    out.push(start, runs[i * 2 + 1] ?? -1);
  }
  return out;
}

/** The pids holding a handle to koid (in pid order). */
export function holdersOf(m: TraceModel, koid: number): number[] {
  const h = m.holders.get(koid);
  return h === undefined ? [] : [...h.keys()].sort((a, b) => a - b);
}

const decoder = new TextDecoder();

/** Text of an event's data bytes (a name, a log line, a message payload). */
export function dataText(ev: TraceEvent): string {
  return decoder.decode(ev.data);
}

function table(m: TraceModel, pid: number): Map<number, HandleEntry> {
  let t = m.handles.get(pid);
  if (t === undefined) {
    t = new Map();
    m.handles.set(pid, t);
  }
  return t;
}

function noteObject(m: TraceModel, koid: number, type: number): ObjInfo {
  let o = m.objects.get(koid);
  if (o === undefined) {
    o = { koid, type, peer: 0, pid: 0, destroyed: false };
    m.objects.set(koid, o);
  } else if (o.type === OBJ.NONE && type !== OBJ.NONE) {
    o.type = type;
  }
  return o;
}

function addHandle(m: TraceModel, pid: number, e: HandleEntry): void {
  const t = table(m, pid);
  const old = t.get(e.value);
  if (old !== undefined) removeHandle(m, pid, e.value);
  t.set(e.value, e);
  let h = m.holders.get(e.koid);
  if (h === undefined) {
    h = new Map();
    m.holders.set(e.koid, h);
  }
  h.set(pid, (h.get(pid) ?? 0) + 1);
  m.lastHandleChange = e.at;
}

function removeHandle(m: TraceModel, pid: number, value: number): HandleEntry | undefined {
  const t = m.handles.get(pid);
  const e = t?.get(value);
  if (t === undefined || e === undefined) return undefined;
  t.delete(value);
  const h = m.holders.get(e.koid);
  if (h !== undefined) {
    const n = (h.get(pid) ?? 1) - 1;
    if (n > 0) h.set(pid, n);
    else h.delete(pid);
    if (h.size === 0) m.holders.delete(e.koid);
  }
  return e;
}

/** A process leaves its CPU (at event g): add the run to its CPU time and close the run interval. */
function stopRunning(m: TraceModel, p: ProcInfo, time: number, g: number): void {
  if (p.runSince >= 0) p.cpuNs += Math.max(0, time - p.runSince);
  const runs = m.runs.get(p.pid);
  if (runs !== undefined && runs[runs.length - 1] === -1) runs[runs.length - 1] = g;
  p.runSince = -1;
  if (p.cpu >= 0 && m.cpuOwner[p.cpu] === p.pid) m.cpuOwner[p.cpu] = 0;
  p.cpu = -1;
}

function proc(m: TraceModel, pid: number): ProcInfo | undefined {
  return m.procs.get(pid);
}

/** The first process holding koid, other than `not` (for IRQ, timer and signal marks). */
function holderPid(m: TraceModel, koid: number, not = -1): number {
  for (const pid of holdersOf(m, koid)) if (pid !== not) return pid;
  return -1;
}

function linkPeers(m: TraceModel, a: number, b: number): void {
  if (a === 0 || b === 0) return;
  noteObject(m, a, OBJ.CHANNEL).peer = b;
  noteObject(m, b, OBJ.CHANNEL).peer = a;
}

/** Fold one event (global number g) into the model. */
function apply(m: TraceModel, ev: TraceEvent, g: number): void {
  const a = ev.args;
  const arg = (i: number): number => a[i] ?? 0;
  const p = proc(m, ev.pid);
  m.now = Math.max(m.now, ev.time);
  switch (ev.kind) {
    case TRACE.BOOT:
      m.cpus = arg(0);
      m.deterministic = (arg(1) & 1) !== 0;
      m.budgetPages = arg(2);
      m.cpuOwner = new Array<number>(m.cpus).fill(0);
      break;
    case TRACE.SPAWN: {
      const child: ProcInfo = {
        pid: arg(0), name: dataText(ev) || `pid ${arg(0)}`, parent: ev.pid, image: arg(1), priority: arg(2), quotaPages: arg(3),
        koid: arg(4), state: 'ready', cpu: -1, usedPages: 0, cpuNs: 0, runSince: -1, syscalls: 0, blockedNr: -1, blockedKoid: 0,
        exitCode: null, fault: null, spawnAt: g, exitAt: -1,
      };
      m.procs.set(child.pid, child);
      m.lanes.push(child.pid);
      noteObject(m, child.koid, OBJ.PROCESS).pid = child.pid;
      m.target[g - m.base] = child.pid;
      break;
    }
    case TRACE.SCHED_RUN:
      if (p !== undefined) {
        const cpu = arg(0);
        const prev = m.cpuOwner[cpu] ?? 0;
        const other = prev !== p.pid ? proc(m, prev) : undefined;
        if (other !== undefined && other.state === 'running') {
          stopRunning(m, other, ev.time, g);
          other.state = 'ready';
        }
        if (p.runSince < 0) {
          p.runSince = ev.time;
          const runs = m.runs.get(p.pid) ?? [];
          if (runs[runs.length - 1] !== -1) runs.push(g, -1);
          m.runs.set(p.pid, runs);
        }
        p.cpu = cpu;
        p.state = 'running';
        p.blockedNr = -1;
        m.cpuOwner[cpu] = p.pid;
      }
      break;
    case TRACE.SCHED_PREEMPT:
      if (p !== undefined && p.state !== 'exited') {
        stopRunning(m, p, ev.time, g);
        p.state = 'ready';
      }
      m.target[g - m.base] = arg(1) > 0 ? arg(1) : -1;
      break;
    case TRACE.SCHED_IDLE:
      if (m.cpuOwner[arg(0)] !== undefined) m.cpuOwner[arg(0)] = 0;
      break;
    case TRACE.SYSCALL_ENTER:
      if (p !== undefined) p.syscalls++;
      break;
    case TRACE.SYSCALL_BLOCK:
      if (p !== undefined && p.state !== 'exited') {
        stopRunning(m, p, ev.time, g);
        p.state = 'blocked';
        p.blockedNr = arg(0);
        p.blockedKoid = arg(1);
      }
      break;
    case TRACE.SYSCALL_WAKE:
      if (p !== undefined && p.state === 'blocked') {
        p.state = 'ready';
        p.blockedNr = -1;
      }
      break;
    case TRACE.EXIT:
      if (p !== undefined) {
        stopRunning(m, p, ev.time, g);
        p.state = 'exited';
        p.exitCode = arg(0);
        p.exitAt = g;
      }
      break;
    case TRACE.KILL:
      m.target[g - m.base] = ev.pid; // the arrow goes from the killer (byPid) to the victim
      break;
    case TRACE.FAULT:
      if (p !== undefined) p.fault = arg(0);
      break;
    case TRACE.HANDLE_CREATE: {
      const o = noteObject(m, arg(1), arg(2));
      // CHANNEL_CREATE makes both endpoints in a row: the previous event is the other one.
      const prev = m.events[g - m.base - 1];
      if (o.type === OBJ.CHANNEL && prev !== undefined && prev.kind === TRACE.HANDLE_CREATE && prev.pid === ev.pid &&
          (prev.args[2] ?? 0) === OBJ.CHANNEL && o.peer === 0 && m.objects.get(prev.args[1] ?? 0)?.peer === 0) {
        linkPeers(m, prev.args[1] ?? 0, o.koid);
      }
      addHandle(m, ev.pid, { value: arg(0), koid: arg(1), type: arg(2), rights: arg(3), at: g, via: 'create', fromPid: ev.pid });
      break;
    }
    case TRACE.HANDLE_DUPLICATE: {
      const from = m.handles.get(ev.pid)?.get(arg(1));
      const type = m.objects.get(arg(2))?.type ?? from?.type ?? OBJ.NONE;
      noteObject(m, arg(2), type);
      addHandle(m, ev.pid, { value: arg(0), koid: arg(2), type, rights: arg(3), at: g, via: 'duplicate', fromPid: ev.pid });
      break;
    }
    case TRACE.HANDLE_TRANSFER: {
      const fromPid = arg(1);
      const old = m.handles.get(fromPid)?.get(arg(2));
      if (old !== undefined && old.koid === arg(3)) removeHandle(m, fromPid, arg(2));
      noteObject(m, arg(3), arg(5));
      addHandle(m, ev.pid, { value: arg(0), koid: arg(3), type: arg(5), rights: arg(4), at: g, via: 'transfer', fromPid });
      m.target[g - m.base] = ev.pid;
      break;
    }
    case TRACE.HANDLE_CLOSE: {
      const value = arg(0);
      const koid = arg(1);
      if (ev.pid !== 0) {
        const e = m.handles.get(ev.pid)?.get(value);
        if (e !== undefined && e.koid === koid) removeHandle(m, ev.pid, value);
      } else {
        // Closed in flight (inside a message): the model still shows it at its sender.
        for (const pid of holdersOf(m, koid)) {
          const e = m.handles.get(pid)?.get(value);
          if (e !== undefined && e.koid === koid) {
            removeHandle(m, pid, value);
            break;
          }
        }
      }
      m.lastHandleChange = g;
      break;
    }
    case TRACE.OBJECT_CREATE:
      noteObject(m, arg(0), arg(1));
      break;
    case TRACE.OBJECT_DESTROY:
      noteObject(m, arg(0), arg(1)).destroyed = true;
      break;
    case TRACE.PAGE_CHARGE:
    case TRACE.PAGE_RELEASE:
      if (p !== undefined) p.usedPages = arg(1);
      m.budgetUsed = arg(2);
      break;
    case TRACE.MSG_SEND: {
      linkPeers(m, arg(0), arg(1));
      const queue = m.pending.get(arg(1)) ?? [];
      queue.push(g);
      m.pending.set(arg(1), queue);
      m.target[g - m.base] = arg(5) > 0 ? arg(5) : -1;
      break;
    }
    case TRACE.MSG_DELIVER: {
      const koid = arg(0);
      const queue = m.pending.get(koid);
      if (queue !== undefined && queue.length > 0) {
        // The matching send: same sender and transaction id, else the oldest queued.
        let k = queue.findIndex((s) => {
          const se = eventAt(m, s);
          return se !== undefined && se.pid === arg(1) && (se.args[4] ?? 0) === arg(4);
        });
        if (k < 0) k = 0;
        const s = queue.splice(k, 1)[0] ?? -1;
        if (queue.length === 0) m.pending.delete(koid);
        if (s >= m.base) {
          m.partner[s - m.base] = g;
          m.partner[g - m.base] = s;
          m.target[s - m.base] = ev.pid;
        }
      }
      break;
    }
    case TRACE.IRQ:
    case TRACE.TIMER_FIRE:
      m.target[g - m.base] = holderPid(m, arg(1));
      break;
    case TRACE.SIGNAL:
      m.target[g - m.base] = holderPid(m, arg(0));
      break;
    default:
      break;
  }
}

/**
 * Append decoded events and fold them in. A batch may begin with DATA that
 * belongs to the last event of the previous batch (the trace ring was drained
 * between a record and its DATA): it is joined to that event, which is then
 * amended (a SPAWN learns its process name).
 */
export function applyEvents(m: TraceModel, batch: readonly TraceEvent[]): void {
  if (batch.length === 0) return;
  for (const ev of batch) {
    // A DATA record numbers itself; an event is one record, plus one DATA record per TRACE_DATA_BYTES folded into it.
    const own = ev.kind === TRACE.DATA ? 0 : 1;
    m.records = Math.max(m.records, ev.seq + own + Math.ceil(ev.data.length / TRACE_DATA_BYTES));
    const last = m.events[m.events.length - 1];
    if (ev.kind === TRACE.DATA && last !== undefined) {
      const joined = new Uint8Array(last.data.length + ev.data.length);
      joined.set(last.data);
      joined.set(ev.data, last.data.length);
      last.data = joined;
      if (last.kind === TRACE.SPAWN) {
        const child = m.procs.get(last.args[0] ?? 0);
        if (child !== undefined) child.name = dataText(last);
      }
      continue;
    }
    const g = eventCount(m);
    m.events.push(ev);
    m.partner.push(-1);
    m.target.push(-1);
    apply(m, ev, g);
  }
  m.version++;
}

/** Forget the oldest `n` events (the model state they built stays). */
export function trimEvents(m: TraceModel, n: number): void {
  const k = Math.min(n, m.events.length);
  if (k <= 0) return;
  m.events.splice(0, k);
  m.partner.splice(0, k);
  m.target.splice(0, k);
  m.base += k;
  m.version++;
}
