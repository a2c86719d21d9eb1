// ramfs: the records of the kept store — each change the tree makes
// (tree.ts's Changes) as a record, the replay of records into a fresh tree,
// and the snapshot of a whole tree as records.
//
// A record is [op u32][size u32 = all its bytes, a multiple of 4] then its
// fields; names, link targets and file bytes are padded with zeros to 4.
// Inodes are named by number, so replaying a record does exactly what the
// tree did, through the same methods (replay tells no one: the tree's
// `changes` is the silent default while it runs). Replay trusts nothing it
// reads: a record that names a missing inode, a name already taken, a slot
// out of range or anything that could not have been written by a correct
// ramfs ends the replay with `false`, and the caller keeps only whole
// transactions before it (store.ts, ramfs.ts).

import {
  WASI_FILETYPE_DIRECTORY, WASI_FILETYPE_REGULAR_FILE, WASI_FILETYPE_SYMBOLIC_LINK, PATH_MAX, MSG_MAX_BYTES,
} from "../../../abi/assembly/index";
import { Tree, Inode, Changes, FILE_MAX, NAME_MAX_BYTES, BLOCK } from "./tree";
import { Client } from "./clients";
import { Out, In, Store } from "./store";

const R_MAKE: u32 = 1; // ino, kind, t u64, target length, target
const R_LINK: u32 = 2; // dir, ino, t u64, name length, name
const R_UNLINK: u32 = 3; // dir, t u64, name length, name
const R_RESIZE: u32 = 4; // ino, size, t u64
const R_DATA: u32 = 5; // ino, offset, n, t u64, n bytes
const R_TIMES: u32 = 6; // ino, atim u64, mtim u64, ctim u64
const R_SLOT: u32 = 7; // client, slot, gen, ino (0: closed)
const R_REPLY: u32 = 8; // client, txid, length, the reply's bytes
const R_MOVE: u32 = 9; // dir, toDir, t u64, name length, new name length, name, new name

function padded(n: u32): u32 {
  return (n + 3) & ~3;
}

function utf8Length(s: string): u32 {
  return <u32>String.UTF8.byteLength(s);
}

// ---- writing records ----------------------------------------------------------

function putMake(o: Out, node: Inode, t: u64): void {
  const n = utf8Length(node.target);
  o.u32(R_MAKE).u32(28 + padded(n)).u32(node.ino).u32(node.kind).u64(t).u32(n).text(node.target);
}

function putLink(o: Out, dir: Inode, name: string, node: Inode, t: u64): void {
  const n = utf8Length(name);
  o.u32(R_LINK).u32(28 + padded(n)).u32(dir.ino).u32(node.ino).u64(t).u32(n).text(name);
}

/** Bytes [offset, offset + n) of node, written straight from its blocks. */
function putData(o: Out, node: Inode, offset: u32, n: u32, t: u64): void {
  o.u32(R_DATA).u32(28 + padded(n)).u32(node.ino).u32(offset).u32(n).u64(t);
  let done: u32 = 0;
  while (done < n) {
    const at = offset + done;
    const len = min<u32>(n - done, <u32>BLOCK - at % <u32>BLOCK);
    o.outside(node.byteAt(at), len);
    done += len;
  }
  o.pad();
}

function putTimes(o: Out, node: Inode): void {
  o.u32(R_TIMES).u32(36).u32(node.ino).u64(node.atim).u64(node.mtim).u64(node.ctim);
}

function putSlot(o: Out, client: i32, slot: i32, gen: u32, node: Inode | null): void {
  o.u32(R_SLOT).u32(24).u32(<u32>client).u32(<u32>slot).u32(gen).u32(node !== null ? node.ino : 0);
}

function putReply(o: Out, client: i32, txid: u32, ptr: usize, len: i32): void {
  o.u32(R_REPLY).u32(20 + padded(<u32>len)).u32(<u32>client).u32(txid).u32(<u32>len);
  o.buf.raw(ptr, len);
  o.size += <u32>len;
  o.pad();
}

/** Bytes a transaction needs besides file data and names: generous, for the room check before a request. */
export const TXN_OVERHEAD: u32 = 1024;
/** Longest reply kept for answering a request again (a mutating request's reply is a header and a Filestat). */
const REPLY_KEPT_MAX: i32 = 256;

/** The kept store's side of the tree: every change becomes a record of the open transaction. */
export class Journal extends Changes {
  store: Store;

  constructor(store: Store) {
    super();
    this.store = store;
  }

  make(node: Inode, t: u64): void { putMake(this.store.out, node, t); }
  link(dir: Inode, name: string, node: Inode, t: u64): void { putLink(this.store.out, dir, name, node, t); }

  unlink(dir: Inode, name: string, t: u64): void {
    const n = utf8Length(name);
    this.store.out.u32(R_UNLINK).u32(24 + padded(n)).u32(dir.ino).u64(t).u32(n).text(name);
  }

  move(dir: Inode, name: string, toDir: Inode, to: string, t: u64): void {
    const n = utf8Length(name);
    const m = utf8Length(to);
    this.store.out.u32(R_MOVE).u32(32 + padded(n) + padded(m)).u32(dir.ino).u32(toDir.ino).u64(t).u32(n).u32(m).text(name).text(to);
  }

  resize(node: Inode, size: u32, t: u64): void {
    this.store.out.u32(R_RESIZE).u32(24).u32(node.ino).u32(size).u64(t);
  }

  wrote(node: Inode, offset: u32, n: u32, t: u64): void { putData(this.store.out, node, offset, n, t); }
  times(node: Inode): void { putTimes(this.store.out, node); }
  slot(client: i32, slot: i32, gen: u32, node: Inode | null): void { putSlot(this.store.out, client, slot, gen, node); }

  /** The reply to a committed request, kept to answer it again after a restart. */
  reply(client: i32, txid: u32, ptr: usize, len: i32): void {
    if (txid == 0 || len > REPLY_KEPT_MAX) return;
    putReply(this.store.out, client, txid, ptr, len);
  }
}

/** Write the whole tree, every open-file slot and every reply still owed as a snapshot into the store's other half; false when it does not fit. */
export function snapshot(tree: Tree, clients: Array<Client>, store: Store): bool {
  if (!store.beginSnapshot()) return false;
  const o = store.out;
  const inodes = tree.inodes;
  for (let i = 2; i < inodes.length; i++) {
    const node = inodes[i];
    if (node === null) continue;
    putMake(o, node, node.ctim);
    if (node.isFile && node.size > 0) putData(o, node, 0, node.size, node.mtim);
    if (!store.flushSnapshot(false)) return false;
  }
  for (let i = 1; i < inodes.length; i++) {
    const dir = inodes[i];
    if (dir === null || !dir.isDir) continue;
    for (let j = 0; j < dir.names.length; j++) {
      putLink(o, dir, dir.names[j], dir.children[j], dir.mtim);
      if (!store.flushSnapshot(false)) return false;
    }
  }
  for (let i = 1; i < inodes.length; i++) {
    const node = inodes[i];
    if (node === null) continue;
    putTimes(o, node);
    if (!store.flushSnapshot(false)) return false;
  }
  for (let c = 0; c < clients.length; c++) {
    const client = clients[c];
    for (let s = 0; s < client.opens.length; s++) {
      putSlot(o, c, s, client.gens[s], client.opens[s]);
      if (!store.flushSnapshot(false)) return false;
    }
    // A committed request not answered yet (found by attach, to be answered when the kernel sends it again):
    // its reply goes into the snapshot too, or an instance that dies before that answer would apply it twice.
    if (client.againTxid != 0) {
      putReply(o, c, client.againTxid, changetype<usize>(client.againReply), client.againReply.byteLength);
      if (!store.flushSnapshot(false)) return false;
    }
  }
  return store.endSnapshot();
}

// ---- replaying records ---------------------------------------------------------

/** A name a directory entry may have: 1..NAME_MAX bytes, no "/", not "." or "..". */
function goodName(name: string): bool {
  const n = String.UTF8.byteLength(name);
  return n > 0 && n <= NAME_MAX_BYTES && !name.includes("/") && name != "." && name != ".." && !name.includes("\0");
}

/** Apply the records in [in.pos, end) to tree and clients; false at the first record that cannot be right. */
export function replay(tree: Tree, clients: Array<Client>, inp: In, end: u32): bool {
  while (inp.pos < end) {
    const start = inp.pos;
    const op = inp.u32();
    const size = inp.u32();
    if (!inp.ok || size < 8 || (size & 3) != 0 || <u64>start + <u64>size > <u64>end) return false;
    if (!apply(tree, clients, inp, op)) return false;
    if (!inp.ok || inp.pos != start + size) return false;
  }
  return inp.ok;
}

function apply(tree: Tree, clients: Array<Client>, inp: In, op: u32): bool {
  if (op == R_MAKE) {
    const ino = inp.u32();
    const kind = <i32>inp.u32();
    const t = inp.u64();
    const n = inp.u32();
    if (n > <u32>PATH_MAX) return false;
    const target = inp.text(n);
    if (!inp.ok || ino < 2 || ino > 0x7fffffff || tree.node(ino) !== null) return false;
    if (kind != WASI_FILETYPE_DIRECTORY && kind != WASI_FILETYPE_REGULAR_FILE && kind != WASI_FILETYPE_SYMBOLIC_LINK) return false;
    if (kind != WASI_FILETYPE_SYMBOLIC_LINK && n != 0) return false;
    tree.makeAt(ino, kind, target, t);
    return true;
  }
  if (op == R_LINK) {
    const dir = tree.node(inp.u32());
    const node = tree.node(inp.u32());
    const t = inp.u64();
    const name = inp.text(inp.u32());
    if (!inp.ok || dir === null || node === null || !dir.isDir || !goodName(name) || dir.indexOf(name) >= 0) return false;
    if (node === tree.root || (node.isDir && node.nlink > 0)) return false; // a directory has one name
    tree.link(dir, name, node, t);
    return true;
  }
  if (op == R_UNLINK) {
    const dir = tree.node(inp.u32());
    const t = inp.u64();
    const name = inp.text(inp.u32());
    if (!inp.ok || dir === null || !dir.isDir) return false;
    const i = dir.indexOf(name);
    if (i < 0) return false;
    const node = dir.children[i];
    if (node.isDir && node.names.length > 0) return false;
    tree.unlink(dir, i, t);
    return true;
  }
  if (op == R_MOVE) {
    const dir = tree.node(inp.u32());
    const toDir = tree.node(inp.u32());
    const t = inp.u64();
    const n = inp.u32();
    const m = inp.u32();
    const name = inp.text(n);
    const to = inp.text(m);
    if (!inp.ok || dir === null || toDir === null || !dir.isDir || !toDir.isDir || !goodName(to) || toDir.indexOf(to) >= 0) return false;
    const i = dir.indexOf(name);
    if (i < 0) return false;
    if (dir.children[i].isDir && tree.within(toDir, dir.children[i])) return false;
    tree.move(dir, i, toDir, to, t);
    return true;
  }
  if (op == R_RESIZE) {
    const node = tree.node(inp.u32());
    const size = inp.u32();
    const t = inp.u64();
    if (!inp.ok || node === null || !node.isFile || <u64>size > FILE_MAX) return false;
    return tree.resize(node, size, t) == 0;
  }
  if (op == R_DATA) {
    const node = tree.node(inp.u32());
    const offset = inp.u32();
    const n = inp.u32();
    const t = inp.u64();
    if (!inp.ok || node === null || !node.isFile || <u64>offset + <u64>n > FILE_MAX) return false;
    if (tree.grow(node, offset + n) != 0) return false;
    let done: u32 = 0;
    while (done < n) {
      const at = offset + done;
      const len = min<u32>(n - done, <u32>BLOCK - at % <u32>BLOCK);
      if (!inp.bytes(node.byteAt(at), len)) return false;
      done += len;
    }
    inp.pos += padded(n) - n;
    tree.wrote(node, offset, n, t);
    return true;
  }
  if (op == R_TIMES) {
    const node = tree.node(inp.u32());
    const atim = inp.u64();
    const mtim = inp.u64();
    const ctim = inp.u64();
    if (!inp.ok || node === null) return false;
    tree.setTimes(node, atim, mtim, ctim);
    return true;
  }
  if (op == R_SLOT) {
    const c = inp.u32();
    const slot = <i32>inp.u32();
    const gen = inp.u32();
    const ino = inp.u32();
    if (!inp.ok || c >= <u32>clients.length) return false;
    const node: Inode | null = ino == 0 ? null : tree.node(ino);
    if (ino != 0 && node === null) return false;
    const client = clients[<i32>c];
    const old = slot >= 0 && slot < client.opens.length ? client.opens[slot] : null;
    if (!client.setSlot(slot, gen, node)) return false;
    if (old !== null && old !== node) tree.release(old);
    return true;
  }
  if (op == R_REPLY) {
    const c = inp.u32();
    const txid = inp.u32();
    const n = inp.u32();
    if (!inp.ok || c >= <u32>clients.length || n > <u32>MSG_MAX_BYTES) return false;
    const bytes = new ArrayBuffer(<i32>n);
    if (!inp.bytes(changetype<usize>(bytes), n)) return false;
    inp.pos += padded(n) - n;
    clients[<i32>c].againTxid = txid;
    clients[<i32>c].againReply = bytes;
    return true;
  }
  return false;
}
