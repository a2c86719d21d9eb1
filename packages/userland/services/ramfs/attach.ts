// ramfs: attaching to the kept store — what a new instance does first.
//
// It finds the half that counts (store.ts), replays its snapshot and then
// its committed transactions into a fresh tree and the clients' open-file
// tables (journal.ts), and writes the result afresh as the other half's
// snapshot, which drops a torn or damaged tail for good and makes the next
// epoch. Replay stops at the first record that cannot be right; then it runs
// again, from scratch, up to the last whole transaction before it, so the
// tree is always what some committed prefix of requests made — never half a
// transaction. What the instance tells the console says what it found.

import { Store, Found, In, COMMIT } from "./store";
import { Tree } from "./tree";
import { Client } from "./clients";
import { replay, snapshot } from "./journal";

/** What attaching found and made. */
export class Attached {
  /** The rebuilt tree (null: the fresh snapshot could not be written; the instance cannot go on). */
  tree: Tree | null = null;
  /** A committed half was there (else the store was new). */
  found: bool = false;
  /** Committed transactions replayed after the snapshot. */
  txns: i32 = 0;
  /** A transaction was begun and never committed (its request was never answered). */
  torn: bool = false;
  /** A record could not be right: the log was cut after `txns` transactions. */
  damaged: bool = false;
  inodes: i32 = 0;

  /** The line a restarted ramfs prints. */
  report(): string {
    let text = "ramfs: found its files in the kept store: " + this.inodes.toString() + " inodes, " + this.txns.toString() + " transactions since the snapshot";
    if (this.torn) text += "; a torn transaction (never answered) dropped";
    if (this.damaged) text += "; DAMAGED after transaction " + this.txns.toString() + ": what follows it is lost";
    return text;
  }
}

/** Rebuild from s into a tree of this budget and into clients (their tables are replaced); then snapshot. */
export function attach(s: Store, budget: i64, clients: Array<Client>): Attached {
  const a = new Attached();
  let tree = new Tree(budget);
  const found = s.find();
  if (found.any) {
    a.found = true;
    tree.budget = i64.MAX_VALUE; // what was kept fits: it was checked when it was written
    replayFound(a, tree, clients, s, found, -1);
    if (a.damaged) {
      tree = new Tree(budget);
      for (let i = 0; i < clients.length; i++) clients[i] = new Client(clients[i].h, i);
      tree.budget = i64.MAX_VALUE;
      const again = new Attached();
      replayFound(again, tree, clients, s, found, a.txns);
    }
    tree.budget = budget;
    for (let i = 0; i < clients.length; i++) clients[i].settle();
    s.active = found.half;
    s.epoch = found.epoch;
  }
  for (let i = 2; i < tree.inodes.length; i++) if (tree.inodes[i] !== null) a.inodes++;
  if (snapshot(tree, clients, s)) a.tree = tree;
  return a;
}

/** Replay the found half's snapshot and then its committed transactions (at most `limit`; -1: all) into a. */
function replayFound(a: Attached, tree: Tree, clients: Array<Client>, s: Store, found: Found, limit: i32): void {
  const space = s.space;
  const inp = new In(space, found.snapAt, found.snapEnd); // one buffer for the whole replay
  if (!replay(tree, clients, inp, found.snapEnd)) {
    a.damaged = true;
    return;
  }
  let pos = found.logAt;
  const hdr = memory.data(8);
  while (limit < 0 || a.txns < limit) {
    if (<u64>pos + 8 > <u64>found.halfEnd || !space.read(pos, hdr, 8)) break;
    const len = load<u32>(hdr);
    const state = load<u32>(hdr, 4);
    if (len == 0 && state == 0) break; // the end of the log: zeros from here on
    if (state == 0) { a.torn = true; break; } // begun, never committed: its request was never answered
    if (state != COMMIT || <u64>pos + <u64>Store.need(len) > <u64>found.halfEnd) { a.damaged = true; break; }
    if (!replay(tree, clients, inp.at(pos + 8, pos + 8 + len), pos + 8 + len)) { a.damaged = true; break; }
    a.txns++;
    pos += Store.need(len);
  }
}
