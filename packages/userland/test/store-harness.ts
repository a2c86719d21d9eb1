// Test harness for ramfs's kept store: the real store, journal, tree and
// attach code (services/ramfs/), compiled on its own by the unit test
// (store.test.ts), which plays the kernel: it answers MEMOBJ_READ, _WRITE and
// _SIZE on memory objects it holds as plain bytes, so a test can stop a
// "process" at any write, look at and damage the bytes, and attach a new
// instance (a fresh module) to them.
//
// Every export is one step a ramfs instance takes; names are "f" + a number.

import { Space, Store } from "../services/ramfs/store";
import { Journal, snapshot } from "../services/ramfs/journal";
import { Tree, Inode } from "../services/ramfs/tree";
import { Client } from "../services/ramfs/clients";
import { attach, Attached } from "../services/ramfs/attach";
import { WASI_FILETYPE_REGULAR_FILE, WASI_FILETYPE_DIRECTORY } from "../../abi/assembly/index";

let kept: Store | null = null;
let tree: Tree = new Tree(0);
let clients: Array<Client> = [];
let found: Attached = new Attached();

function s(): Store {
  return changetype<Store>(kept);
}

/** Attach, as a new instance does, to memory objects 1 and 2: 0 when it went on, -1 when the snapshot could not be written. */
export function start(budget: i64): i32 {
  const space = new Space();
  space.add(1);
  space.add(2);
  kept = new Store(space);
  clients = [new Client(100, 0)];
  found = attach(s(), budget, clients);
  if (found.tree === null) return -1;
  tree = changetype<Tree>(found.tree);
  tree.changes = new Journal(s());
  return 0;
}

export function foundAny(): bool { return found.found; }
export function foundTxns(): i32 { return found.txns; }
export function foundTorn(): bool { return found.torn; }
export function foundDamaged(): bool { return found.damaged; }
export function epoch(): u32 { return s().epoch; }
export function activeHalf(): i32 { return s().active; }

/** Begin a request's transaction; false when the log has no room for `size` bytes (the caller snapshots). */
export function begin(size: u32): bool {
  if (!s().room(size)) return false;
  s().begin();
  return true;
}

/** Commit the transaction: header and records, then the COMMIT word. */
export function commit(): bool { return s().commit(); }

/** Keep the reply to the request in progress (txid, a reply of `len` bytes of value b), as ramfs does before it answers. */
export function keepReply(txid: u32, len: i32, b: u8): void {
  const bytes = new ArrayBuffer(len);
  memory.fill(changetype<usize>(bytes), b, len);
  changetype<Journal>(tree.changes).reply(0, txid, changetype<usize>(bytes), len);
}

/** The committed request this instance found unanswered (its txid, 0: none), and a byte of its kept reply. */
export function againTxid(): u32 { return clients[0].againTxid; }
export function againByte(at: i32): i32 {
  const r = clients[0].againReply;
  return at < r.byteLength ? <i32>load<u8>(changetype<usize>(r) + <usize>at) : -1;
}

/** Write a fresh snapshot into the other half (what a full log makes ramfs do). */
export function compact(): bool {
  return snapshot(tree, clients, s());
}

function name(n: i32): string { return "f" + n.toString(); }

/** Create file f<n> in directory dir (an inode number): its inode number. */
export function create(dir: u32, n: i32, kind: i32): u32 {
  const d = changetype<Inode>(tree.node(dir));
  const node = tree.make(kind == 1 ? WASI_FILETYPE_DIRECTORY : WASI_FILETYPE_REGULAR_FILE, "", 1000);
  tree.link(d, name(n), node, 1000);
  return node.ino;
}

/** Write `count` bytes of value `b` at offset of file ino. */
export function write(ino: u32, offset: u32, count: u32, b: u8): void {
  const node = changetype<Inode>(tree.node(ino));
  tree.grow(node, offset + count);
  for (let i: u32 = 0; i < count; i++) store<u8>(node.byteAt(offset + i), b);
  tree.wrote(node, offset, count, 2000);
}

/** Rename f<n> in dir to f<m> in toDir. */
export function rename(dir: u32, n: i32, toDir: u32, m: i32): void {
  const d = changetype<Inode>(tree.node(dir));
  tree.move(d, d.indexOf(name(n)), changetype<Inode>(tree.node(toDir)), name(m), 3000);
}

/** Unlink f<n> in dir. */
export function unlink(dir: u32, n: i32): void {
  const d = changetype<Inode>(tree.node(dir));
  tree.unlink(d, d.indexOf(name(n)), 4000);
}

/** Open file ino on client 0: the open-file id. */
export function open(ino: u32): u32 { return clients[0].open(tree, changetype<Inode>(tree.node(ino))); }
export function close(id: u32): bool { return clients[0].close(tree, id) !== null; }
/** The inode number an open-file id of client 0 names (0: none). */
export function opened(id: u32): u32 {
  const node = clients[0].get(id);
  return node !== null ? node.ino : 0;
}

/** The inode f<n> in dir names (0: none). */
export function lookup(dir: u32, n: i32): u32 {
  const d = tree.node(dir);
  if (d === null) return 0;
  const node = d.lookup(name(n));
  return node !== null ? node.ino : 0;
}

/** Entries of directory dir. */
export function entries(dir: u32): i32 {
  const d = tree.node(dir);
  return d !== null ? d.names.length : -1;
}

export function size(ino: u32): u32 {
  const node = tree.node(ino);
  return node !== null ? node.size : 0;
}

export function nlink(ino: u32): u32 {
  const node = tree.node(ino);
  return node !== null ? node.nlink : 0;
}

export function mtim(ino: u32): u64 {
  const node = tree.node(ino);
  return node !== null ? node.mtim : 0;
}

/** Byte `at` of file ino (-1 past its end). */
export function byte(ino: u32, at: u32): i32 {
  const node = tree.node(ino);
  if (node === null || at >= node.size) return -1;
  return load<u8>(node.byteAt(at));
}
