// Handles: the only way a process reaches an object (no ambient authority).
//
// A handle is a node: it points at one object with a rights mask, lives in
// exactly one place (a process's handle table, or in flight inside a queued
// message), and sits in a derivation tree. Duplicating a handle makes a child
// node; moving it in a message moves the node itself, so it keeps its place in
// the tree. Revoking a node closes its whole subtree wherever the nodes are —
// seL4's idea, which lets a server take back every capability it ever handed
// out. Closing a node alone reparents its children, so an ancestor can still
// revoke them.
//
// Handle values seen by processes are slot + generation: value =
// (generation << SLOT_BITS) | slot. A closed slot bumps its generation, so a
// stale or forged value is detected instead of reaching someone else's object.

import { MAX_HANDLES } from '../../../abi/assembly/index';
import { KObject } from '../object';
import { Process } from '../process/process';
import { Message } from '../ipc/message';

export const SLOT_BITS: i32 = 10;
const SLOT_MASK: i32 = (1 << SLOT_BITS) - 1;
const GEN_LIMIT: i32 = 1 << 20;

export class Handle {
  obj: KObject;
  rights: u32;
  /** Holder, or null while in flight. */
  owner: Process | null = null;
  /** Value in the owner's table (0 while in flight). */
  value: i32 = 0;
  /** The message carrying this handle while in flight. */
  carrier: Message | null = null;
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

/** Handles alive anywhere (tables + in flight). */
export let liveHandles: i32 = 0;

export function handleDied(): void {
  liveHandles--;
}

/** One process's handles: slots with generations and a LIFO free list (deterministic reuse). */
export class HandleTable {
  slots: Array<Handle | null> = [];
  gens: Array<i32> = [];
  free: Array<i32> = [];
  count: i32 = 0;

  hasRoom(n: i32): bool {
    return this.count + n <= MAX_HANDLES;
  }

  /** Put h in a free slot; returns its value, or 0 when the table is full. */
  install(h: Handle, owner: Process): i32 {
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

/** Detach h from the derivation tree; its children move up to h's parent. */
export function unlinkFromTree(h: Handle): void {
  const parent = h.parent;
  for (let i = 0; i < h.children.length; i++) {
    const c = h.children[i];
    c.parent = parent;
    if (parent !== null) parent.children.push(c);
  }
  h.children = [];
  if (parent !== null) {
    const i = parent.children.indexOf(h);
    assert(i >= 0, 'derivation tree broken');
    parent.children.splice(i, 1);
  }
  h.parent = null;
}

/** Every node below h (not h itself), parents before children. */
export function subtree(h: Handle): Array<Handle> {
  const out: Array<Handle> = [];
  const stack: Array<Handle> = [];
  for (let i = h.children.length - 1; i >= 0; i--) stack.push(h.children[i]);
  while (stack.length > 0) {
    const n = stack.pop();
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}
