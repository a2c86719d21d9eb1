// The state of the machine as the trace tells it: processes, their handles,
// kernel objects, memory, and which message send belongs to which delivery.
//
// The idea: the kernel records every event, so the page needs no other
// window into the machine — this reducer folds events, one at a time and in
// order, into a model. It is deliberately mutable and incremental (a run
// easily reaches a million events; copying maps per event would not keep
// up): records arrive in bulk as raw bytes (`appendRecords`), `foldRecords`
// folds them in place, within a time budget if asked, and bumps `version`
// once per batch, and the UI redraws from it. The events stay raw records
// in a TraceLog (log.ts); the fold reads their fields without decoding
// them, and `eventAt` decodes one into a TraceEvent when a view shows it.
// Events keep a global number (`base` + index among the kept events), so
// trimming the oldest events never renumbers anything.

import { TRACE, OBJ, TRACE_ARGS, encodeTrace, type TraceEvent } from '@oncrix/abi';
import { TraceLog, IntColumn } from './log.js';

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
  /** Which instance of its program it is, as its supervisor counts (0 first, 1 after the first restart …; SPAWN's sixth argument). */
  generation: number;
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
  /** The raw records: every event and the DATA records that follow it. */
  log: TraceLog;
  /** Per kept event (global number = base + index): its record in the log. */
  eventRecs: IntColumn;
  /** Records of the log folded so far (the rest wait for the next foldRecords). */
  folded: number;
  base: number;
  /** Per kept event: the global number of the matching MSG_SEND / MSG_DELIVER, or -1. */
  partner: IntColumn;
  /** Per kept event: the pid an arrow points at (spawned child, receiver, handle recipient, IRQ handler …), or -1. */
  target: IntColumn;
  /** Events decoded lately (eventAt), so a frame that asks twice gets the same object. */
  decoded: Map<number, TraceEvent>;
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
    log: new TraceLog(), eventRecs: new IntColumn(), folded: 0, base: 0, partner: new IntColumn(), target: new IntColumn(),
    decoded: new Map(), procs: new Map(), lanes: [], handles: new Map(), objects: new Map(),
    holders: new Map(), pending: new Map(), cpuOwner: [], runs: new Map(), cpus: 1, deterministic: false, budgetPages: 0, budgetUsed: 0,
    now: 0, lastHandleChange: -1, records: 0, version: 0,
  };
}

/** Global number one past the newest event. */
export function eventCount(m: TraceModel): number {
  return m.base + m.eventRecs.length;
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

/** Decoded events kept for eventAt before the cache starts over. */
const DECODED_MAX = 4096;

/** The event with global number g, if still kept: decoded from its record, with the bytes of the DATA records after it. */
export function eventAt(m: TraceModel, g: number): TraceEvent | undefined {
  const r = m.eventRecs.get(g - m.base);
  if (r < 0) return undefined;
  const hit = m.decoded.get(g);
  if (hit !== undefined) return hit;
  const ev = m.log.decode(r);
  const end = g + 1 < eventCount(m) ? m.eventRecs.get(g + 1 - m.base) : m.folded;
  if (end > r + 1) {
    const parts: Uint8Array[] = [];
    for (let d = r + 1; d < end; d++) parts.push(m.log.payload(d, m.log.flags(d)));
    ev.data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      ev.data.set(p, at);
      at += p.length;
    }
  }
  if (m.decoded.size >= DECODED_MAX) m.decoded.clear();
  m.decoded.set(g, ev);
  return ev;
}

/** The kind of event g without decoding it (-1: not kept). */
export function kindAt(m: TraceModel, g: number): number {
  const r = m.eventRecs.get(g - m.base);
  return r < 0 ? -1 : m.log.kind(r);
}

/** The pid of event g without decoding it (-1: not kept). */
export function pidAt(m: TraceModel, g: number): number {
  const r = m.eventRecs.get(g - m.base);
  return r < 0 ? -1 : m.log.pid(r);
}

/** Argument i of event g without decoding it (0: not kept). */
export function argAt(m: TraceModel, g: number, i: number): number {
  const r = m.eventRecs.get(g - m.base);
  return r < 0 ? 0 : m.log.arg(r, i);
}

export function partnerOf(m: TraceModel, g: number): number {
  return m.partner.get(g - m.base);
}

export function targetOf(m: TraceModel, g: number): number {
  return m.target.get(g - m.base);
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

/** The lowest pid holding koid, other than `not` (for IRQ, timer and signal marks; without sorting a copy: one runs per event). */
function holderPid(m: TraceModel, koid: number, not = -1): number {
  const h = m.holders.get(koid);
  if (h === undefined) return -1;
  let low = -1;
  for (const pid of h.keys()) if (pid !== not && (low < 0 || pid < low)) low = pid;
  return low;
}

function linkPeers(m: TraceModel, a: number, b: number): void {
  if (a === 0 || b === 0) return;
  noteObject(m, a, OBJ.CHANNEL).peer = b;
  noteObject(m, b, OBJ.CHANNEL).peer = a;
}

/** Argument i of the event being folded (a function of its own: apply runs per event and makes no closure). */
function argOf(ev: TraceEvent, i: number): number {
  return ev.args[i] ?? 0;
}

/** Fold one event (global number g) into the model. */
function apply(m: TraceModel, ev: TraceEvent, g: number): void {
  const p = proc(m, ev.pid);
  m.now = Math.max(m.now, ev.time);
  switch (ev.kind) {
    case TRACE.BOOT:
      m.cpus = argOf(ev, 0);
      m.deterministic = (argOf(ev, 1) & 1) !== 0;
      m.budgetPages = argOf(ev, 2);
      m.cpuOwner = new Array<number>(m.cpus).fill(0);
      break;
    case TRACE.SPAWN: {
      const child: ProcInfo = {
        pid: argOf(ev, 0), name: dataText(ev) || `pid ${argOf(ev, 0)}`, parent: ev.pid, image: argOf(ev, 1), priority: argOf(ev, 2), quotaPages: argOf(ev, 3),
        koid: argOf(ev, 4), generation: argOf(ev, 5), state: 'ready', cpu: -1, usedPages: 0, cpuNs: 0, runSince: -1, syscalls: 0, blockedNr: -1, blockedKoid: 0,
        exitCode: null, fault: null, spawnAt: g, exitAt: -1,
      };
      m.procs.set(child.pid, child);
      m.lanes.push(child.pid);
      noteObject(m, child.koid, OBJ.PROCESS).pid = child.pid;
      m.target.set(g - m.base, child.pid);
      break;
    }
    case TRACE.SCHED_RUN:
      if (p !== undefined) {
        const cpu = argOf(ev, 0);
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
      m.target.set(g - m.base, argOf(ev, 1) > 0 ? argOf(ev, 1) : -1);
      break;
    case TRACE.SCHED_IDLE:
      if (m.cpuOwner[argOf(ev, 0)] !== undefined) m.cpuOwner[argOf(ev, 0)] = 0;
      break;
    case TRACE.SYSCALL_ENTER:
      if (p !== undefined) p.syscalls++;
      break;
    case TRACE.SYSCALL_BLOCK:
      if (p !== undefined && p.state !== 'exited') {
        stopRunning(m, p, ev.time, g);
        p.state = 'blocked';
        p.blockedNr = argOf(ev, 0);
        p.blockedKoid = argOf(ev, 1);
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
        p.exitCode = argOf(ev, 0);
        p.exitAt = g;
      }
      break;
    case TRACE.KILL:
      m.target.set(g - m.base, ev.pid); // the arrow goes from the killer (byPid) to the victim
      break;
    case TRACE.FAULT:
      if (p !== undefined) p.fault = argOf(ev, 0);
      break;
    case TRACE.HANDLE_CREATE: {
      const o = noteObject(m, argOf(ev, 1), argOf(ev, 2));
      // CHANNEL_CREATE makes both endpoints in a row: the previous event is the other one.
      const prev = g - 1;
      if (o.type === OBJ.CHANNEL && kindAt(m, prev) === TRACE.HANDLE_CREATE && pidAt(m, prev) === ev.pid &&
          argAt(m, prev, 2) === OBJ.CHANNEL && o.peer === 0 && m.objects.get(argAt(m, prev, 1))?.peer === 0) {
        linkPeers(m, argAt(m, prev, 1), o.koid);
      }
      addHandle(m, ev.pid, { value: argOf(ev, 0), koid: argOf(ev, 1), type: argOf(ev, 2), rights: argOf(ev, 3), at: g, via: 'create', fromPid: ev.pid });
      break;
    }
    case TRACE.HANDLE_DUPLICATE: {
      const from = m.handles.get(ev.pid)?.get(argOf(ev, 1));
      const type = m.objects.get(argOf(ev, 2))?.type ?? from?.type ?? OBJ.NONE;
      noteObject(m, argOf(ev, 2), type);
      addHandle(m, ev.pid, { value: argOf(ev, 0), koid: argOf(ev, 2), type, rights: argOf(ev, 3), at: g, via: 'duplicate', fromPid: ev.pid });
      break;
    }
    case TRACE.HANDLE_TRANSFER: {
      const fromPid = argOf(ev, 1);
      const old = m.handles.get(fromPid)?.get(argOf(ev, 2));
      if (old !== undefined && old.koid === argOf(ev, 3)) removeHandle(m, fromPid, argOf(ev, 2));
      noteObject(m, argOf(ev, 3), argOf(ev, 5));
      addHandle(m, ev.pid, { value: argOf(ev, 0), koid: argOf(ev, 3), type: argOf(ev, 5), rights: argOf(ev, 4), at: g, via: 'transfer', fromPid });
      m.target.set(g - m.base, ev.pid);
      break;
    }
    case TRACE.HANDLE_CLOSE: {
      const value = argOf(ev, 0);
      const koid = argOf(ev, 1);
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
      noteObject(m, argOf(ev, 0), argOf(ev, 1));
      break;
    case TRACE.OBJECT_DESTROY:
      noteObject(m, argOf(ev, 0), argOf(ev, 1)).destroyed = true;
      break;
    case TRACE.PAGE_CHARGE:
    case TRACE.PAGE_RELEASE:
      if (p !== undefined) p.usedPages = argOf(ev, 1);
      m.budgetUsed = argOf(ev, 2);
      break;
    case TRACE.MSG_SEND: {
      linkPeers(m, argOf(ev, 0), argOf(ev, 1));
      let queue = m.pending.get(argOf(ev, 1));
      if (queue === undefined) {
        queue = [];
        m.pending.set(argOf(ev, 1), queue);
      }
      queue.push(g);
      m.target.set(g - m.base, argOf(ev, 5) > 0 ? argOf(ev, 5) : -1);
      break;
    }
    case TRACE.MSG_DELIVER: {
      const koid = argOf(ev, 0);
      const queue = m.pending.get(koid);
      if (queue !== undefined && queue.length > 0) {
        // The matching send: same sender and transaction id, else the oldest queued.
        const sender = argOf(ev, 1);
        const txid = argOf(ev, 4);
        let k = 0;
        while (k < queue.length) {
          const q = queue[k] ?? -1;
          if (q >= m.base && pidAt(m, q) === sender && argAt(m, q, 4) === txid) break;
          k++;
        }
        if (k === queue.length) k = 0;
        const s = queue[k] ?? -1;
        if (k === 0) queue.shift();
        else queue.splice(k, 1);
        if (queue.length === 0) m.pending.delete(koid);
        if (s >= m.base) {
          m.partner.set(s - m.base, g);
          m.partner.set(g - m.base, s);
          m.target.set(s - m.base, ev.pid);
        }
      }
      break;
    }
    case TRACE.IRQ:
    case TRACE.TIMER_FIRE:
      m.target.set(g - m.base, holderPid(m, argOf(ev, 1)));
      break;
    case TRACE.SIGNAL:
      m.target.set(g - m.base, holderPid(m, argOf(ev, 0)));
      break;
    default:
      break;
  }
}

/** Take whole raw trace records (a multiple of 64 bytes, possibly a view of shared memory: they are copied). Fold them with foldRecords. */
export function appendRecords(m: TraceModel, bytes: Uint8Array): void {
  m.log.append(bytes);
}

/** Records appended but not folded yet. */
export function unfolded(m: TraceModel): number {
  return m.log.end - m.folded;
}

/** The event foldRecords fills from each record (one object, reused: folding allocates nothing per event). */
const scratch: TraceEvent = { seq: 0, kind: 0, kindName: '', cpu: 0, time: 0, pid: 0, args: new Array<number>(TRACE_ARGS).fill(0), data: new Uint8Array(0) };

/**
 * Fold the appended records into the model, in order, for at most budgetMs
 * (the rest waits for the next call); returns whether all are folded. A DATA
 * record belongs to the event before it, even when it arrives in a later
 * batch (the trace ring was drained between a record and its DATA): that
 * event is then amended (a SPAWN learns its process name).
 */
export function foldRecords(m: TraceModel, budgetMs = Infinity): boolean {
  const log = m.log;
  const until = budgetMs === Infinity ? Infinity : performance.now() + budgetMs;
  const before = m.folded;
  while (m.folded < log.end) {
    const r = m.folded++;
    log.fill(r, scratch);
    m.records = Math.max(m.records, scratch.seq + 1);
    const kind = scratch.kind;
    const last = eventCount(m) - 1;
    if (kind === TRACE.DATA && last >= m.base) {
      m.decoded.delete(last);
      if (kindAt(m, last) === TRACE.SPAWN) {
        const child = m.procs.get(argAt(m, last, 0));
        const ev = eventAt(m, last);
        if (child !== undefined && ev !== undefined) child.name = dataText(ev);
        m.decoded.delete(last); // decoded before the next DATA record (if any) is folded in
      }
      continue;
    }
    const g = eventCount(m);
    m.eventRecs.push(r);
    m.partner.push(-1);
    m.target.push(-1);
    apply(m, scratch, g);
    if ((m.folded & 1023) === 0 && performance.now() > until) break;
  }
  if (m.folded !== before) m.version++;
  return m.folded >= log.end;
}

/** Append decoded events (as decodeTrace gives them: DATA folded in, or DATA events after their event) and fold them in. */
export function applyEvents(m: TraceModel, batch: readonly TraceEvent[]): void {
  if (batch.length === 0) return;
  appendRecords(m, encodeTrace(batch));
  foldRecords(m);
}

/** Forget the oldest `n` events and their records (the model state they built stays). */
export function trimEvents(m: TraceModel, n: number): void {
  const k = Math.min(n, m.eventRecs.length);
  if (k <= 0) return;
  m.eventRecs.dropFront(k);
  m.partner.dropFront(k);
  m.target.dropFront(k);
  m.base += k;
  m.log.dropBefore(m.eventRecs.length > 0 ? m.eventRecs.get(0) : m.folded);
  m.decoded.clear();
  m.version++;
}
