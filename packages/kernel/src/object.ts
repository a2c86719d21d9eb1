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
// instead of reaching someone else's object.
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

  constructor(type: i32) {
    this.type = type;
    this.koid = nextKoid++;
    registry.set(this.koid, this);
  }

  /** This type's own teardown, run once when the last reference is gone (before its bytes are refunded). */
  destroy(): void {}
}

let nextKoid: i32 = 1;

/** Every live object by koid (used by invariant checks and statistics). */
export const registry = new Map<i32, KObject>();

export const SLOT_BITS: i32 = 10;
const SLOT_MASK: i32 = (1 << SLOT_BITS) - 1;
const GEN_LIMIT: i32 = 1 << 20;

export class Handle {
  obj: KObject;
  rights: u32;
  /** Holder, or null while in flight. */
  owner: Actor | null = null;
  /** Value in the owner's table (0 while in flight). */
  value: i32 = 0;
  /** The message carrying this handle while in flight. */
  carrier: Carrier | null = null;
  parent: Handle | null = null;
  children: Array<Handle> = [];
  live: bool = true;

  constructor(obj: KObject, rights: u32, parent: Handle | null) {
    this.obj = obj;
    this.rights = rights;
    this.parent = parent;
    if (parent !== null) parent.children.push(this);
    obj.handleCount++;
    liveHandles++;
  }
}

/** What carries handles in flight (ipc/message.ts's Message): a slot is null once its handle is revoked. */
export class Carrier {
  handles: Array<Handle | null> = [];
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

  hasRoom(n: i32): bool {
    return this.count + n <= MAX_HANDLES;
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
    h.carrier = null;
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

  /** Take h out of its slot and retire the slot's generation. */
  remove(h: Handle): void {
    const slot = h.value & SLOT_MASK;
    assert(slot < this.slots.length && this.slots[slot] === h, 'handle not in its table');
    this.slots[slot] = null;
    let gen = this.gens[slot] + 1;
    if (gen >= GEN_LIMIT) gen = 1;
    this.gens[slot] = gen;
    this.free.push(slot);
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
  usedPages: u32 = 0;

  constructor(pid: i32, quotaPages: u32) {
    super(OBJ_PROCESS);
    this.pid = pid;
    this.quotaPages = quotaPages;
  }
}
