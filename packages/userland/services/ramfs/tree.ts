// ramfs: the tree of inodes — directories, regular files and symbolic links
// in this process's own memory.
//
// The idea: a filesystem is a table of inodes and nothing else. A directory
// is an ordered list of (name, inode) entries, so readdir cookies are
// positions in it; a file is a list of 64 KiB blocks, added as it grows
// (never copied, and no block bigger than that to find room for); a link is
// its target text. Blocks are raw allocations (heap.alloc), not objects of
// the garbage collector: a collector that steps with every allocation would
// otherwise walk the heap at each 64 KiB a write adds. Hard links are several entries naming one inode, which
// lives while it has a name or an open file. Every allocation is counted
// against a byte budget set from the quota at start, so a full ramfs answers
// NOSPC instead of running into its quota (where an allocation would trap).
//
// Paths arrive already normalized by the kernel's vfs (no "", "." or ".."
// components, no leading or trailing "/"), relative to the root. Walking one
// stops at a symbolic link the caller must follow and says so (a redirect),
// because the link's target may lie in another filesystem.
//
// Every change to the tree goes through a method of Tree that takes the time
// of the change and tells `changes` about it (ramfs/journal.ts writes each
// into the kept store, and replays them through the same methods when a new
// instance attaches: so what is kept is exactly what the tree did). Only
// access times of reads and of followed links change without a record.

import {
  WASI_FILETYPE_DIRECTORY, WASI_FILETYPE_REGULAR_FILE, WASI_FILETYPE_SYMBOLIC_LINK,
  WASI_ENOENT, WASI_ENOTDIR, WASI_ENAMETOOLONG, WASI_ENOSPC, WASI_EFBIG, VFS_REDIRECT,
} from "../../../abi/assembly/index";
import { clockNs } from "../../lib/index";

/** Longest name of one directory entry. */
export const NAME_MAX_BYTES: i32 = 255;
/** Largest file (bytes): offsets are u32 inside this process's memory. */
export const FILE_MAX: u64 = 1 << 30;
/** Bytes counted for an inode besides its data and names. */
const INODE_COST: i64 = 128;
/** A file's data block. Bytes of a block past the file's size are always zero. */
export const BLOCK: i32 = 65536;

export class Inode {
  ino: u32;
  kind: u8;
  nlink: u32 = 0;
  /** Open files naming this inode (it lives while opens > 0, even with no name). */
  opens: u32 = 0;
  /** File data: ceil(size / BLOCK) blocks (at least), each BLOCK bytes at an address from heap.alloc. */
  blocks: Array<usize> = [];
  size: u32 = 0;
  names: Array<string> = [];
  children: Array<Inode> = [];
  /** The directory holding a directory's entry ("..": itself for the root). */
  parent: Inode | null = null;
  target: string = "";
  atim: u64;
  mtim: u64;
  ctim: u64;

  constructor(ino: u32, kind: u8, t: u64) {
    this.ino = ino;
    this.kind = kind;
    this.atim = t;
    this.mtim = t;
    this.ctim = t;
  }

  get isDir(): bool { return this.kind == WASI_FILETYPE_DIRECTORY; }
  get isFile(): bool { return this.kind == WASI_FILETYPE_REGULAR_FILE; }
  get isLink(): bool { return this.kind == WASI_FILETYPE_SYMBOLIC_LINK; }

  /** Where byte `at` of the file lives, and how many bytes from there stay in its block. */
  byteAt(at: u32): usize {
    return this.blocks[<i32>(at / <u32>BLOCK)] + <usize>(at % <u32>BLOCK);
  }

  /** Index of name among a directory's entries, or -1. */
  indexOf(name: string): i32 {
    for (let i = 0; i < this.names.length; i++) if (this.names[i] == name) return i;
    return -1;
  }

  lookup(name: string): Inode | null {
    const i = this.indexOf(name);
    return i >= 0 ? this.children[i] : null;
  }
}

/** Kernel time in nanoseconds, the timestamp of every change. */
/** The time of the request being served (VfsRequest.time: the kernel's clock as it sent it); 0 before the first, or for a request without one. */
let requestTime: u64 = 0;

/** Serve what follows as of time t, a request's time (0: read the clock instead). */
export function servingAt(t: u64): void {
  requestTime = t;
}

/** The time of a change: the request's, which the kernel stamped (no syscall per request), else the clock. */
export function now(): u64 {
  if (requestTime != 0) return requestTime;
  const t = clockNs();
  return t > 0 ? <u64>t : 0;
}

/** What walking a path found: the parent directory, the last name and its inode, or why not. */
export class Walk {
  /** 0, a WASI errno, or VFS_REDIRECT (then consumed and target say where to go on). */
  errno: u32 = 0;
  parent: Inode | null = null;
  name: string = "";
  node: Inode | null = null;
  consumed: u32 = 0;
  target: string = "";
}

/**
 * Told of every change the tree makes, with the arguments that make it again
 * (the default tells no one: a ramfs without a kept store). release() is not
 * a change of its own: it follows from unlink and close.
 */
export class Changes {
  make(node: Inode, t: u64): void {}
  link(dir: Inode, name: string, node: Inode, t: u64): void {}
  unlink(dir: Inode, name: string, t: u64): void {}
  /** The entry `name` of dir moved to `to` in toDir (rename; a target there was unlinked first). */
  move(dir: Inode, name: string, toDir: Inode, to: string, t: u64): void {}
  resize(node: Inode, size: u32, t: u64): void {}
  /** Bytes [offset, offset + n) of node were written (they are in its blocks now). */
  wrote(node: Inode, offset: u32, n: u32, t: u64): void {}
  times(node: Inode): void {}
  /** Open-file slot `slot` of client `client` now holds node (null: closed) with generation gen (ramfs/clients.ts). */
  slot(client: i32, slot: i32, gen: u32, node: Inode | null): void {}
}

/** Free node's blocks from index `keep` on (all of them for 0). */
/** Blocks that hold the first `bytes` bytes of a file. */
function blocksFor(bytes: u32): i32 {
  return <i32>((bytes + <u32>BLOCK - 1) / <u32>BLOCK);
}

function dropBlocks(node: Inode, keep: i32): void {
  for (let i = keep; i < node.blocks.length; i++) heap.free(node.blocks[i]);
  node.blocks.length = keep;
}

export class Tree {
  root: Inode;
  inodes: Array<Inode | null> = [null];
  /** Bytes the tree may use, and uses. */
  budget: i64;
  used: i64 = 0;
  changes: Changes = new Changes();

  constructor(budget: i64) {
    this.budget = budget;
    const root = new Inode(1, <u8>WASI_FILETYPE_DIRECTORY, now());
    root.nlink = 2;
    root.parent = root;
    this.root = root;
    this.inodes.push(root);
    this.used = INODE_COST;
  }

  /** The live inode numbered ino, or null. */
  node(ino: u32): Inode | null {
    return ino < <u32>this.inodes.length ? this.inodes[<i32>ino] : null;
  }

  /** A new inode of a WasiFiletype, with a symbolic link's target (caller checked the budget with reserve). */
  make(kind: i32, target: string, t: u64): Inode {
    const node = this.makeAt(<u32>this.inodes.length, kind, target, t);
    this.changes.make(node, t);
    return node;
  }

  /** The inode numbered ino (free: the caller checked), made as `make` does: what replaying a kept MAKE does. */
  makeAt(ino: u32, kind: i32, target: string, t: u64): Inode {
    const node = new Inode(ino, <u8>kind, t);
    while (<u32>this.inodes.length <= ino) this.inodes.push(null);
    this.inodes[<i32>ino] = node;
    this.used += INODE_COST;
    if (node.isLink) {
      node.target = target;
      node.size = <u32>String.UTF8.byteLength(target);
      this.used += node.size;
    }
    return node;
  }

  /** Room for n more bytes? */
  reserve(n: i64): bool {
    return this.used + n <= this.budget;
  }

  /** Walk path; follow: resolve a link at the last component too; dirOnly: the path ended in "/". */
  walk(path: string, follow: bool, dirOnly: bool): Walk {
    const w = new Walk();
    w.node = this.root;
    w.parent = this.root;
    if (path.length == 0) return w;
    const parts = path.split("/");
    let cur = this.root;
    let consumed: u32 = 0;
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      consumed += <u32>String.UTF8.byteLength(name) + (i > 0 ? 1 : 0);
      if (String.UTF8.byteLength(name) > NAME_MAX_BYTES) { w.errno = WASI_ENAMETOOLONG; return w; }
      if (!cur.isDir) { w.errno = WASI_ENOTDIR; return w; }
      const next = cur.lookup(name);
      const last = i == parts.length - 1;
      if (last) {
        w.parent = cur;
        w.name = name;
        w.node = next;
        if (next !== null && next.isLink && (follow || dirOnly)) return redirect(w, consumed, next);
        if (next !== null && dirOnly && !next.isDir) w.errno = WASI_ENOTDIR;
        return w;
      }
      if (next === null) { w.errno = WASI_ENOENT; return w; }
      if (next.isLink) return redirect(w, consumed, next);
      cur = next;
    }
    return w;
  }

  /** Add an entry name -> node in dir (the caller checked that name is free). */
  link(dir: Inode, name: string, node: Inode, t: u64): void {
    this.changes.link(dir, name, node, t);
    this.addEntry(dir, name, node, t);
  }

  /** Remove the entry at index i of dir; the inode goes once nothing names or opens it. */
  unlink(dir: Inode, i: i32, t: u64): void {
    this.changes.unlink(dir, dir.names[i], t);
    this.dropEntry(dir, i, t);
  }

  /**
   * Rename: the entry at index i of dir becomes `to` in toDir (free: the
   * caller unlinked a target first, and checked a directory does not move
   * into itself). Linked under the new name first, so the inode never has no
   * name (and the counts of "." and ".." come out right).
   */
  move(dir: Inode, i: i32, toDir: Inode, to: string, t: u64): void {
    this.changes.move(dir, dir.names[i], toDir, to, t);
    const node = dir.children[i];
    this.addEntry(toDir, to, node, t);
    this.dropEntry(dir, i, t);
  }

  /** Is node the directory anc or inside it? */
  within(node: Inode, anc: Inode): bool {
    let d = node;
    for (let hops = 0; hops < this.inodes.length; hops++) {
      if (d === anc) return true;
      if (d === this.root) return false;
      d = changetype<Inode>(d.parent);
    }
    return true; // a parent chain longer than the tree has inodes: a cycle, as bad as inside
  }

  private addEntry(dir: Inode, name: string, node: Inode, t: u64): void {
    dir.names.push(name);
    dir.children.push(node);
    node.nlink++;
    if (node.isDir) {
      node.parent = dir;
      node.nlink++; // its own "."
      dir.nlink++; // its ".."
    }
    this.used += String.UTF8.byteLength(name);
    if (!node.isDir) node.ctim = t; // a new name changes the file's status
    touch(dir, t);
  }

  private dropEntry(dir: Inode, i: i32, t: u64): void {
    const node = dir.children[i];
    this.used -= String.UTF8.byteLength(dir.names[i]);
    dir.names.splice(i, 1);
    dir.children.splice(i, 1);
    node.nlink--;
    if (node.isDir) {
      node.nlink--;
      dir.nlink--;
    }
    node.ctim = t;
    touch(dir, t);
    this.release(node);
  }

  /** Free an inode that has no name left and no open file. */
  release(node: Inode): void {
    if (node.opens > 0 || node.nlink > (node.isDir ? <u32>1 : 0) || node === this.root) return;
    if (this.inodes[node.ino] === null) return;
    this.used -= INODE_COST + <i64>node.blocks.length * BLOCK + String.UTF8.byteLength(node.target);
    dropBlocks(node, 0);
    this.inodes[node.ino] = null;
  }

  /** Blocks for the first `end` bytes of node, its size unchanged (zeroed: what a grown file reads). 0 or ENOSPC. */
  grow(node: Inode, end: u32): u32 {
    const need = blocksFor(end);
    const have = node.blocks.length;
    if (need <= have) return 0;
    if (!this.reserve(<i64>(need - have) * BLOCK)) return WASI_ENOSPC;
    for (let i = have; i < need; i++) {
      const block = heap.alloc(<usize>BLOCK);
      memory.fill(block, 0, <usize>BLOCK);
      node.blocks.push(block);
    }
    this.used += <i64>(need - have) * BLOCK;
    return 0;
  }

  /** Drop the blocks past node's size (room it was given and did not use). */
  trim(node: Inode): void {
    const need = blocksFor(node.size);
    const have = node.blocks.length;
    if (need >= have) return;
    dropBlocks(node, need);
    this.used -= <i64>(have - need) * BLOCK;
  }

  /** Bytes [offset, offset + n) of node were written into its blocks (grown first): the size and times follow. */
  wrote(node: Inode, offset: u32, n: u32, t: u64): void {
    if (offset + n > node.size) node.size = offset + n;
    node.mtim = t;
    node.ctim = t;
    this.changes.wrote(node, offset, n, t);
  }

  /** Set node's three times (stat's atim, mtim, ctim). */
  setTimes(node: Inode, atim: u64, mtim: u64, ctim: u64): void {
    node.atim = atim;
    node.mtim = mtim;
    node.ctim = ctim;
    this.changes.times(node);
  }

  /** Make a file size bytes long (zero-filled when it grows): blocks are added or dropped, never moved. 0 or an errno. */
  resize(node: Inode, size: u64, t: u64): u32 {
    if (size > FILE_MAX) return WASI_EFBIG;
    const want = <u32>size;
    const need = blocksFor(want);
    const e = this.grow(node, want);
    if (e != 0) return e;
    if (want < node.size) {
      // Shrinking: the blocks past the end go, and the rest of the last one is zeroed for a later growth.
      if (need < node.blocks.length) {
        this.used -= <i64>(node.blocks.length - need) * BLOCK;
        dropBlocks(node, need);
      }
      if (want % <u32>BLOCK != 0) memory.fill(node.byteAt(want), 0, <usize>(<u32>BLOCK - want % <u32>BLOCK));
    }
    node.size = want;
    node.mtim = t;
    node.ctim = t;
    this.changes.resize(node, want, t);
    return 0;
  }
}

function redirect(w: Walk, consumed: u32, link: Inode): Walk {
  w.errno = VFS_REDIRECT;
  w.consumed = consumed;
  w.target = link.target;
  link.atim = now();
  return w;
}

function touch(dir: Inode, t: u64): void {
  dir.mtim = t;
  dir.ctim = t;
}
