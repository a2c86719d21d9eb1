// The object model: kernel objects, the handles that name them, and the
// actors (processes) that hold handles and pay for objects. Everything else
// in the kernel is built on these types; they live in one file because they
// name each other.
//
// Every object has a koid (kernel object id: unique, increasing, never reused,
// so traces can name objects), a type, a 32-bit signal state that waiters
// watch, and two reference counts: handles (live handles in tables or in
// flight inside messages) and kernel references (an IRQ binding or a timer
// holding a notification; a process that is still alive holding itself). An
// object is destroyed exactly when both reach zero (cap/ops.ts); then its
// type's own destroy() runs — a channel drops its queue, a timer its deadline
// — so the capability code never needs to know what kind of object it holds.
//
// A handle is the only way a process reaches an object (no ambient
// authority): it points at one object with a rights mask, lives in exactly
// one place (an actor's handle table, or in flight inside a queued message),
// and is a node of a derivation tree (cap/tree.ts). Handle values seen by
// processes are slot + generation: value = (generation << SLOT_BITS) | slot.
// A closed slot bumps its generation, so a stale or forged value is detected
// instead of reaching someone else's object. A value is a positive i32, so a
// generation has at most 21 bits (20 are used): a slot whose generations are
// used up is retired for good rather than wrapped, and a stale value can never
// name a live handle again (the table loses one slot per 2^20 - 1 handles that
// slot ever held).
//
// An Actor is a process as the object and capability layers see it: a pid and
// the CPU it runs on (every trace record names both), its handle table, and
// an account that pays for the kernel memory it causes (account.ts).
// process/process.ts builds the whole process on it; the layers below it name
// processes only as Actors, which keeps the kernel's imports going one way.

import { OBJ_PROCESS, MAX_HANDLES } from '../../abi/assembly/index';

export class KObject {
  koid: i32;
  type: i32;
  handleCount: i32 = 0;
  kernelRefs: i32 = 0;
  signals: u32 = 0;
  /** Processes blocked until some signal of this object changes (ipc/wait.ts), or waiting for a reply on it (a channel endpoint). */
  waiters: Array<Actor> = [];
  /** The actor whose account pays for this object, and how many bytes. */
  payer: Actor | null = null;
  chargedBytes: u32 = 0;
  destroyed: bool = false;
  /** Handles to this object in flight (inside queued messages), linked through Handle.flightNext; flightCount of them. */
  flight: Handle | null = null;
  flightCount: i32 = 0;
  /** The cycle scan (ipc/cycles.ts) that has this object in its set, or 0; and whether one is queued for it. */
  scan: i32 = 0;
  scanQueued: bool = false;
  /** Its neighbours in the registry of live objects (null at the ends, or once it has left). */
  olderObj: KObject | null = null;
  newerObj: KObject | null = null;

  constructor(type: i32) {
    this.type = type;
    this.koid = nextKoid++;
    registry.join(this);
  }

  /** This type's own teardown, run once when the last reference is gone (before its bytes are refunded). */
  destroy(): void {}

  /** A handle to this object left a table or, in flight, closed (a channel endpoint checks whether only messages still reach it). */
  handlesChanged(): void {}

  /** Nothing can reach this object any more except through queues that nothing can read: let go of what it holds (a queue). */
  release(): void {}
}

let nextKoid: i32 = 1;

/**
 * Every live object, newest first, linked through the objects themselves:
 * joining and leaving are O(1) and nothing is ever copied or rehashed (a map
 * of every object rehashed all of them in the entry that outgrew it, and the
 * collector scanned it in one step). Walked only by the invariant check and
 * statistics.
 */
class Registry {
  newest: KObject | null = null;
  size: i32 = 0;

  join(o: KObject): void {
    const n = this.newest;
    o.olderObj = n;
    if (n !== null) n.newerObj = o;
    this.newest = o;
    this.size++;
  }

  /** o leaves (it is destroyed, or it was never finished); a second call does nothing. */
  leave(o: KObject): void {
    const older = o.olderObj, newer = o.newerObj;
    if (newer === null && this.newest !== o) return;
    if (older !== null) older.newerObj = newer;
    if (newer !== null) newer.olderObj = older;
    else this.newest = older;
    o.olderObj = null;
    o.newerObj = null;
    this.size--;
  }

  /** Every live object, newest first (allocates: for the invariant walk and statistics only). */
  values(): Array<KObject> {
    const out: Array<KObject> = [];
    let o = this.newest;
    while (o !== null) {
      const c: KObject = o;
      out.push(c);
      o = c.olderObj;
    }
    return out;
  }
}

export const registry = new Registry();

/**
 * The cycle scan running now (ipc/cycles.ts), and whether something it
 * depends on changed: a handle to an object in its set entered a table,
 * went into flight, or left flight. The scan then gives up (the object is
 * reachable, or its candidate is checked again).
 */
export let activeScan: i32 = 0;
export let scanDisturbed: bool = false;

export function beginScan(id: i32): void {
  activeScan = id;
  scanDisturbed = false;
}

export function endScan(): void {
  activeScan = 0;
}

function touched(obj: KObject): void {
  if (obj.scan != 0 && obj.scan == activeScan) scanDisturbed = true;
}

export const SLOT_BITS: i32 = 10;
const SLOT_MASK: i32 = (1 << SLOT_BITS) - 1;
/** Generations run 1 .. GEN_LIMIT - 1 (GEN_LIMIT << SLOT_BITS stays below 2^31, so a value is always a positive i32). */
export const GEN_LIMIT: i32 = 1 << 20;

/**
 * The handles derived from one handle (cap/tree.ts): a doubly linked list
 * through Handle.prev/next. Each child names the list it is in (`up`), not
 * the parent itself, so a revocation takes a whole list over in O(1).
 */
export class Kids {
  /** The handle these derive from; null once a revocation has taken the list over. */
  holder: Handle | null;
  first: Handle | null = null;
  count: i32 = 0;

  constructor(holder: Handle | null) {
    this.holder = holder;
  }
}

export class Handle {
  obj: KObject;
  rights: u32;
  /** Holder, or null while in flight. */
  owner: Actor | null = null;
  /** Value in the owner's table (0 while in flight). */
  value: i32 = 0;
  /** The message carrying this handle while in flight. */
  carrier: Carrier | null = null;
  /** Whose account pays HANDLE_BYTES for it: its holder, or its sender while it is in flight (account.ts). */
  payer: Actor | null = null;
  // Its node of the derivation tree (cap/tree.ts).
  up: Kids | null = null;
  prev: Handle | null = null;
  next: Handle | null = null;
  kids: Kids | null = null;
  /** Derivations from the root of its tree when it was made (the real depth can only have shrunk since). */
  depth: i32 = 0;
  /** False once closed; a closed node may stay in the tree as a placeholder while two or more handles derive from it. */
  live: bool = true;
  // Its place in obj's list of handles in flight, and the value it had in its sender's table (for the transfer record).
  flightPrev: Handle | null = null;
  flightNext: Handle | null = null;
  sentAs: i32 = 0;

  constructor(obj: KObject, rights: u32) {
    this.obj = obj;
    this.rights = rights;
    obj.handleCount++;
    liveHandles++;
  }

  /** The handle this one derives from (a placeholder, or null for a root or a node being revoked). */
  get parent(): Handle | null {
    const up = this.up;
    return up !== null ? up.holder : null;
  }
}

/** h goes into flight inside `carrier`: it joins its object's list of handles in flight. */
export function putInFlight(h: Handle, carrier: Carrier): void {
  h.carrier = carrier;
  const o = h.obj;
  const first = o.flight;
  h.flightPrev = null;
  h.flightNext = first;
  if (first !== null) first.flightPrev = h;
  o.flight = h;
  o.flightCount++;
  touched(o);
}

/** h leaves flight (installed in a table, or closed). */
export function takeFromFlight(h: Handle): void {
  h.carrier = null;
  const o = h.obj;
  const prev = h.flightPrev, next = h.flightNext;
  if (prev !== null) prev.flightNext = next;
  else o.flight = next;
  if (next !== null) next.flightPrev = prev;
  h.flightPrev = null;
  h.flightNext = null;
  o.flightCount--;
  touched(o);
}

/** The handles of a carrier that carries none (shared, never written to). */
export const NO_HANDLES: Array<Handle | null> = [];

/** What carries handles in flight (ipc/message.ts's Message): a slot is null once its handle is revoked. */
export class Carrier {
  handles: Array<Handle | null> = NO_HANDLES;
  /** The object whose queue holds it (a channel endpoint), or null while it is being delivered or dropped. */
  queuedOn: KObject | null = null;
}

/** Handles alive anywhere (tables + in flight). */
export let liveHandles: i32 = 0;

export function handleDied(): void {
  liveHandles--;
}

/** One actor's handles: slots with generations and a LIFO free list (deterministic reuse). */
export class HandleTable {
  slots: Array<Handle | null> = [];
  gens: Array<i32> = [];
  free: Array<i32> = [];
  count: i32 = 0;
  /** Slots whose generations are used up: never handed out again. */
  retired: i32 = 0;

  hasRoom(n: i32): bool {
    return this.count + this.retired + n <= MAX_HANDLES;
  }

  /** Put h in a free slot of owner's table; returns its value, or 0 when the table is full. */
  install(h: Handle, owner: Actor): i32 {
    let slot: i32;
    if (this.free.length > 0) {
      slot = this.free.pop();
    } else {
      if (this.slots.length >= MAX_HANDLES) return 0;
      slot = this.slots.length;
      this.slots.push(null);
      this.gens.push(1);
    }
    this.slots[slot] = h;
    this.count++;
    h.owner = owner;
    if (h.carrier !== null) takeFromFlight(h);
    h.value = (this.gens[slot] << SLOT_BITS) | slot;
    return h.value;
  }

  /** The live handle a value names, or null for closed, stale or forged values. */
  lookup(value: i32): Handle | null {
    if (value <= 0) return null;
    const slot = value & SLOT_MASK;
    const gen = value >>> SLOT_BITS;
    if (slot >= this.slots.length || this.gens[slot] != gen) return null;
    return this.slots[slot];
  }

  /** The handle behind a value that lookup has just accepted (the check is not repeated). */
  get(value: i32): Handle {
    return changetype<Handle>(unchecked(this.slots[value & SLOT_MASK]));
  }

  /** Take h out of its slot and move the slot to its next generation (or retire it when there is none). */
  remove(h: Handle): void {
    const slot = h.value & SLOT_MASK;
    assert(slot < this.slots.length && this.slots[slot] === h, 'handle not in its table');
    this.slots[slot] = null;
    const gen = this.gens[slot] + 1;
    this.gens[slot] = gen;
    if (gen < GEN_LIMIT) this.free.push(slot);
    else this.retired++;
    this.count--;
    h.owner = null;
    h.value = 0;
  }
}

/** A process as the object, accounting and capability layers know it. */
export class Actor extends KObject {
  pid: i32;
  /** The virtual CPU it runs on, or -1. */
  cpu: i32 = -1;
  table: HandleTable = new HandleTable();
  // Its account (account.ts): the quota and what is charged against it.
  quotaPages: u32;
  memPages: u32 = 0;
  objectBytes: u32 = 0;
  /** Its own pages: memory plus kernel bytes rounded up (what the system budget counts). */
  usedPages: u32 = 0;
  /** Quota pages held for its children: a child quota comes out of its parent's (nested quotas). */
  childPages: u32 = 0;
  /** The account that holds this one's quota (its parent's, or an ancestor's once the parent ended); null for init. */
  sponsor: Actor | null = null;
  /** It has exited: its quota shrinks to what it still holds, and the rest goes back to its sponsor. */
  ended: bool = false;

  constructor(pid: i32, quotaPages: u32) {
    super(OBJ_PROCESS);
    this.pid = pid;
    this.quotaPages = quotaPages;
  }
}
