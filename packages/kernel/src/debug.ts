// Self-examination: statistics and a full invariant check.
//
// checkInvariants walks every kernel structure and recounts what the fast
// paths keep incrementally — handles per object, bytes and pages per process,
// the derivation tree, queues and signals, the scheduler. The property tests
// call it after every random syscall; a nonzero answer names the first broken
// invariant (the numbers below), so a failure points at its cause.

import {
  OBJ_CHANNEL, PS_EXITED, PS_RUNNING, PS_BLOCKED, PS_READY, QUEUE_DEPTH, PAGE_SIZE, SIG_READABLE,
  STAT_OBJECTS, STAT_HANDLES, STAT_BUDGET_USED, STAT_PROCESSES, STAT_MSG_SENT, STAT_MSG_DELIVERED,
  STAT_MSG_DROPPED, STAT_MSG_QUEUED, STAT_TRACE_RECORDS, STAT_DEADLINES, STAT_READY, STAT_KERNEL_PAGES,
  STAT_ZOMBIES, STAT_WORK, STAT_KERNEL_BYTES, STAT_ENTRY_STEPS_MAX, STAT_ENTRY_GC_MAX, MESSAGE_BYTES, HANDLE_BYTES, DERIVE_MAX_DEPTH,
} from '../../abi/assembly/index';
import { Actor, Handle, KObject, liveHandles, registry } from './object';
import { processes, W_NONE } from './process/process';
import { Endpoint, dropping } from './ipc/channel';
import { Message, messageStats } from './ipc/message';
import { budgetUsed, kernelBytes } from './account';
import { pendingWork, maxEntrySteps } from './work';
import { liveProcessCount } from './process/lifecycle';
import { cpuCount, onCpu, readyCount } from './sched/scheduler';
import { pendingDeadlines } from './sched/timers';
import { traceCount } from './trace';
import { gcEntryWorkMax } from './rt/collector';

export const BAD_HANDLE_COUNT: i32 = 1;
export const DEAD_OBJECT_ALIVE: i32 = 2;
export const BAD_TABLE_ENTRY: i32 = 3;
export const BAD_LIVE_HANDLES: i32 = 4;
export const BAD_BUDGET: i32 = 5;
export const BAD_PROCESS_PAGES: i32 = 6;
export const BAD_OBJECT_BYTES: i32 = 7;
export const BAD_QUEUE: i32 = 8;
export const BAD_TREE: i32 = 9;
export const BAD_SCHEDULE: i32 = 10;
export const BAD_EXITED: i32 = 11;

/** Every endpoint queue's messages, for walks over in-flight handles. */
function endpoints(): Array<Endpoint> {
  const out: Array<Endpoint> = [];
  const all = registry.values();
  for (let i = 0; i < all.length; i++) if (all[i].type == OBJ_CHANNEL) out.push(changetype<Endpoint>(all[i]));
  return out;
}

/** Add h's HANDLE_BYTES to what its payer should be charged. */
function chargeHandle(payers: Set<Actor>, bytesOf: Map<Actor, u32>, h: Handle): void {
  const payer = h.payer;
  if (payer === null) return;
  payers.add(payer);
  bytesOf.set(payer, (bytesOf.has(payer) ? bytesOf.get(payer) : 0) + HANDLE_BYTES);
}

function countRef(counts: Map<i32, i32>, obj: KObject): void {
  counts.set(obj.koid, (counts.has(obj.koid) ? counts.get(obj.koid) : 0) + 1);
}

/** h's links in the derivation tree agree with its neighbours', its list of derived handles is as long as it says, and no placeholder above it has fewer than two. */
function treeSound(h: Handle): bool {
  const up = h.up;
  if (up !== null) {
    if (up.count < 1) return false;
    const prev = h.prev, next = h.next;
    if (prev !== null ? prev.next !== h || prev.up !== up : up.first !== h) return false;
    if (next !== null && (next.prev !== h || next.up !== up)) return false;
    const holder = up.holder;
    if (holder !== null && (holder.kids !== up || (!holder.live && up.count < 2))) return false;
    if (holder !== null && !holder.live && !treeSound(holder)) return false;
  }
  const kids = h.kids;
  if (kids !== null) {
    if (kids.holder !== h) return false;
    let n = 0;
    let c: Handle | null = kids.first;
    while (c !== null && n <= kids.count) {
      n++;
      c = c.next;
    }
    if (n != kids.count) return false;
  }
  return h.depth <= DERIVE_MAX_DEPTH;
}

/** The handles in flight that h's object lists, counted once per object (they must match those found in queues). */
function flightListed(o: KObject): i32 {
  let n = 0;
  let h: Handle | null = o.flight;
  while (h !== null && n <= o.flightCount) {
    if (h.obj !== o || h.carrier === null || h.owner !== null) return -1;
    n++;
    h = h.flightNext;
  }
  return n == o.flightCount ? n : -1;
}

export function checkInvariants(): i32 {
  const counts = new Map<i32, i32>();
  const inFlight = new Map<i32, i32>();
  const payers = new Set<Actor>();
  const bytesOf = new Map<Actor, u32>();
  let handles = 0;
  let readyProcs = 0;
  const procs = processes.values();
  for (let i = 0; i < procs.length; i++) {
    const p = procs[i];
    payers.add(p);
    const slots = p.table.slots;
    let inTable = 0;
    for (let s = 0; s < slots.length; s++) {
      const h = slots[s];
      if (h === null) continue;
      inTable++;
      if (!h.live || h.owner !== p || p.table.lookup(h.value) !== h || h.obj.destroyed) return BAD_TABLE_ENTRY;
      if (h.payer !== p || h.carrier !== null) return BAD_TABLE_ENTRY;
      if (!treeSound(h)) return BAD_TREE;
      countRef(counts, h.obj);
      chargeHandle(payers, bytesOf, h);
      handles++;
    }
    if (inTable != p.table.count) return BAD_TABLE_ENTRY;
    if (p.state == PS_EXITED && ((inTable != 0 && !p.tearingDown) || p.memPages != 0)) return BAD_EXITED;
    if (p.state == PS_RUNNING && (p.cpu < 0 || onCpu(p.cpu) !== p)) return BAD_SCHEDULE;
    if (p.state == PS_BLOCKED && p.waitKind == W_NONE) return BAD_SCHEDULE;
    if (p.state == PS_READY) readyProcs++;
  }
  if (readyProcs != readyCount()) return BAD_SCHEDULE;
  const eps = endpoints();
  const queues: Array<Array<Message>> = [];
  for (let i = 0; i < eps.length; i++) {
    const ep = eps[i];
    if (ep.queue.length > QUEUE_DEPTH) return BAD_QUEUE;
    if ((ep.queue.length > 0) != ((ep.signals & SIG_READABLE) != 0)) return BAD_QUEUE;
    const peer = ep.peer;
    if (peer !== null && peer.peer !== ep) return BAD_QUEUE;
    for (let m = 0; m < ep.queue.length; m++) if (ep.queue[m].queuedOn !== ep) return BAD_QUEUE;
    queues.push(ep.queue);
  }
  const drops = dropping.values();
  for (let i = 0; i < drops.length; i++) queues.push(drops[i].messages.slice(drops[i].at));
  for (let i = 0; i < queues.length; i++) {
    const q = queues[i];
    for (let m = 0; m < q.length; m++) {
      const msg = q[m];
      const payer = msg.payer;
      if (payer !== null) {
        payers.add(payer);
        bytesOf.set(payer, (bytesOf.has(payer) ? bytesOf.get(payer) : 0) + MESSAGE_BYTES + <u32>msg.length);
      }
      for (let k = 0; k < msg.handles.length; k++) {
        const h = msg.handles[k];
        if (h === null) continue;
        if (!h.live || h.owner !== null || h.carrier !== msg || !treeSound(h)) return BAD_TABLE_ENTRY;
        countRef(counts, h.obj);
        countRef(inFlight, h.obj);
        chargeHandle(payers, bytesOf, h);
        handles++;
      }
    }
  }
  if (handles != liveHandles) return BAD_LIVE_HANDLES;
  const objs = registry.values();
  for (let i = 0; i < objs.length; i++) {
    const o = objs[i];
    const n = counts.has(o.koid) ? counts.get(o.koid) : 0;
    if (n != o.handleCount) return BAD_HANDLE_COUNT;
    const f = inFlight.has(o.koid) ? inFlight.get(o.koid) : 0;
    if (flightListed(o) != f) return BAD_HANDLE_COUNT;
    if (o.destroyed || (o.handleCount == 0 && o.kernelRefs == 0)) return DEAD_OBJECT_ALIVE;
    const payer = o.payer;
    if (payer !== null) {
      payers.add(payer);
      bytesOf.set(payer, (bytesOf.has(payer) ? bytesOf.get(payer) : 0) + o.chargedBytes);
    }
  }
  let total: u32 = 0;
  let kernel: u64 = 0;
  // Every account, with its chain of sponsors.
  const known = payers.values();
  for (let i = 0; i < known.length; i++) {
    let s = known[i].sponsor;
    while (s !== null && !payers.has(s)) {
      payers.add(s);
      s = s.sponsor;
    }
  }
  const ps = payers.values();
  const held = new Map<Actor, u32>();
  for (let i = 0; i < ps.length; i++) {
    const s = ps[i].sponsor;
    if (s !== null) held.set(s, (held.has(s) ? held.get(s) : 0) + ps[i].quotaPages);
  }
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    const bytes = bytesOf.has(p) ? bytesOf.get(p) : 0;
    if (bytes != p.objectBytes) return BAD_OBJECT_BYTES;
    const pages = p.memPages + (p.objectBytes + PAGE_SIZE - 1) / PAGE_SIZE;
    if (pages != p.usedPages || pages + p.childPages > p.quotaPages) return BAD_PROCESS_PAGES;
    if (p.ended && pages + p.childPages != p.quotaPages) return BAD_PROCESS_PAGES;
    if ((held.has(p) ? held.get(p) : 0) != p.childPages) return BAD_PROCESS_PAGES;
    total += pages;
    kernel += p.objectBytes;
  }
  if (total != budgetUsed || kernel != kernelBytes) return BAD_BUDGET;
  for (let c = 0; c < cpuCount(); c++) {
    const p = onCpu(c);
    if (p !== null && (p.state != PS_RUNNING || p.cpu != c)) return BAD_SCHEDULE;
  }
  return 0;
}

/** Readable name of an invariant number, for the panic message. */
export function invariantName(code: i32): string {
  switch (code) {
    case BAD_HANDLE_COUNT: return 'object handle count differs from the handles that exist';
    case DEAD_OBJECT_ALIVE: return 'an object with no references is still registered';
    case BAD_TABLE_ENTRY: return 'a handle table entry is inconsistent';
    case BAD_LIVE_HANDLES: return 'the live handle count is wrong';
    case BAD_BUDGET: return 'the system page budget does not add up';
    case BAD_PROCESS_PAGES: return 'a process page count is wrong or over its quota';
    case BAD_OBJECT_BYTES: return 'kernel bytes charged to a process do not add up';
    case BAD_QUEUE: return 'a channel queue or its signals are inconsistent';
    case BAD_TREE: return 'the handle derivation tree is broken';
    case BAD_SCHEDULE: return 'the scheduler state is inconsistent';
    case BAD_EXITED: return 'an exited process still holds handles or memory';
    default: return 'unknown invariant ' + code.toString();
  }
}

export function stat(which: i32): i32 {
  switch (which) {
    case STAT_OBJECTS: return registry.size;
    case STAT_HANDLES: return liveHandles;
    case STAT_BUDGET_USED: return <i32>budgetUsed;
    case STAT_PROCESSES: return liveProcessCount();
    case STAT_MSG_SENT: return <i32>messageStats.sent;
    case STAT_MSG_DELIVERED: return <i32>messageStats.delivered;
    case STAT_MSG_DROPPED: return <i32>messageStats.dropped;
    case STAT_MSG_QUEUED: {
      let n = 0;
      const eps = endpoints();
      for (let i = 0; i < eps.length; i++) n += eps[i].queue.length;
      return n;
    }
    case STAT_TRACE_RECORDS: return <i32>traceCount();
    case STAT_DEADLINES: return pendingDeadlines();
    case STAT_READY: return readyCount();
    case STAT_KERNEL_PAGES: return <i32>memory.size();
    case STAT_WORK: return pendingWork();
    case STAT_KERNEL_BYTES: return <i32>min<u64>(kernelBytes, <u64>i32.MAX_VALUE);
    case STAT_ENTRY_STEPS_MAX: return maxEntrySteps();
    case STAT_ENTRY_GC_MAX: return gcEntryWorkMax();
    case STAT_ZOMBIES: {
      let n = 0;
      const all = processes.values();
      for (let i = 0; i < all.length; i++) if (all[i].state == PS_EXITED) n++;
      return n;
    }
    default: return -1;
  }
}

