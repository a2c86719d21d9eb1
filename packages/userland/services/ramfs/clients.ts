// ramfs: the open files of each client channel.
//
// An open-file id is (generation << 16) | (slot + 1) in the table of the
// channel the request came on, so a client cannot name another's open files,
// and a closed slot's next id has a new generation, so a stale id is refused.
// Opening and closing are changes like the tree's (the kept store records
// each slot), so open files survive a restart of ramfs: a client's fds stay
// good. A client also remembers, from the store, the reply to the last
// request it had committed, to answer that request again instead of applying
// it twice when the kernel sends it again after a restart.

import { Handle } from "../../lib/index";
import { Inode, Tree } from "./tree";

/** Slots per client (ids keep 16 bits for the slot). */
export const SLOTS_MAX: i32 = 0xfffe;
/** Generations run 1..GEN_MAX. */
export const GEN_MAX: u32 = 0x7fff;

/** One client channel and the files opened through it. */
export class Client {
  h: Handle;
  /** Its place among the SERVICE channels (the same in every instance: init gives them in manifest order). */
  index: i32;
  opens: Array<Inode | null> = [];
  gens: Array<u32> = [];
  free: Array<i32> = [];
  /** The last committed request of this client before a restart, and its reply (txid 0: none). */
  againTxid: u32 = 0;
  againReply: ArrayBuffer = new ArrayBuffer(0);

  constructor(h: Handle, index: i32) {
    this.h = h;
    this.index = index;
  }

  /** A new open-file id for node: 0 when the table is full. */
  open(tree: Tree, node: Inode): u32 {
    let slot: i32;
    if (this.free.length > 0) {
      slot = this.free.pop();
    } else {
      if (this.opens.length >= SLOTS_MAX) return 0;
      slot = this.opens.length;
      this.opens.push(null);
      this.gens.push(1);
    }
    this.opens[slot] = node;
    node.opens++;
    tree.changes.slot(this.index, slot, this.gens[slot], node);
    return (this.gens[slot] << 16) | <u32>(slot + 1);
  }

  /** The inode an open-file id names, or null for a closed, stale or forged id. */
  get(id: u32): Inode | null {
    const slot = <i32>(id & 0xffff) - 1;
    if (slot < 0 || slot >= this.opens.length || this.gens[slot] != id >>> 16) return null;
    return this.opens[slot];
  }

  /** Close an id: its inode (the caller releases it), or null when the id names nothing. */
  close(tree: Tree, id: u32): Inode | null {
    const node = this.get(id);
    if (node === null) return null;
    const slot = <i32>(id & 0xffff) - 1;
    this.opens[slot] = null;
    this.gens[slot] = (this.gens[slot] % GEN_MAX) + 1;
    this.free.push(slot);
    node.opens--;
    tree.changes.slot(this.index, slot, this.gens[slot], null);
    return node;
  }

  /**
   * Replaying a kept slot: slot holds node (null: closed) with generation gen.
   * False when the record cannot be right (a slot out of range, an open slot opened again).
   */
  setSlot(slot: i32, gen: u32, node: Inode | null): bool {
    if (slot < 0 || slot >= SLOTS_MAX || gen < 1 || gen > GEN_MAX) return false;
    while (this.opens.length <= slot) {
      this.opens.push(null);
      this.gens.push(1);
    }
    const old = this.opens[slot];
    if (old !== null) old.opens--;
    this.opens[slot] = node;
    this.gens[slot] = gen;
    if (node !== null) node.opens++;
    return true;
  }

  /** After replaying: the free list is every closed slot. */
  settle(): void {
    this.free.length = 0;
    for (let i = this.opens.length - 1; i >= 0; i--) if (this.opens[i] === null) this.free.push(i);
  }
}
