// ramfs: a filesystem service kept in memory — an ordinary process with its
// own quota, serving the vfs protocol (docs/vfs.md) on every SERVICE channel
// it was started with.
//
// The kernel's vfs is its main client: it sends one request per file
// operation of any process, with the path already normalized and the bytes
// granted. ramfs trusts nothing in a request: an open-file id is checked
// against the table of the channel it came on (ids are per client, with a
// generation, so a client cannot name another's open files), offsets and
// sizes are checked against the file limit, and a request that is too short
// or names an unknown operation gets an error, never a crash.
//
// What it has acknowledged outlives it. Given kept memory (TAG_KEEP: init's
// {"keep": PAGES}, docs/vfs.md "What a ramfs restart keeps"), every request
// that changes the tree or an open file is committed there — one transaction
// of the tree's own changes, and the reply — before the reply goes out; a new
// instance attaches to it and rebuilds everything, and a request the dead one
// had committed but not answered, which the kernel sends again with its txid,
// is answered from the kept reply rather than applied twice. Without kept
// memory ramfs works the same, and its files end with it.
//
// The tree itself (inodes, walking, the byte budget) is ramfs/tree.ts, open
// files ramfs/clients.ts, the kept store ramfs/store.ts, journal.ts and
// attach.ts; this file is the protocol: one handler per operation.

import {
  TAG_SERVICE, TAG_KEEP, VFS_REQUEST_SIZE, VFS_REQUEST_COUNT, MSG_MAX_BYTES, ERR_PEER_CLOSED, WAIT_MANY_MAX, SIG_READABLE, SIG_PEER_CLOSED, PAGE_SIZE,
  VFS_OPEN, VFS_CLOSE, VFS_READ, VFS_WRITE, VFS_WROTE, VFS_STAT, VFS_FSTAT, VFS_SET_SIZE, VFS_SET_TIMES, VFS_READDIR,
  VFS_MKDIR, VFS_UNLINK, VFS_RMDIR, VFS_RENAME, VFS_LINK, VFS_SYMLINK, VFS_READLINK, VFS_SYNC,
  VFS_FOLLOW, VFS_APPEND, VFS_ROOT, VFS_DIR_ONLY, VFS_DIR_ONLY2, VFS_REDIRECT, VFS_REDIRECT_SECOND,
  WASI_O_CREAT, WASI_O_DIRECTORY, WASI_O_EXCL, WASI_O_TRUNC,
  WASI_FST_ATIM, WASI_FST_ATIM_NOW, WASI_FST_MTIM, WASI_FST_MTIM_NOW,
  WASI_FILETYPE_DIRECTORY, WASI_FILETYPE_REGULAR_FILE, WASI_FILETYPE_SYMBOLIC_LINK,
  WASI_EBADF, WASI_EEXIST, WASI_EISDIR, WASI_ENOENT, WASI_ENOTDIR, WASI_ENOTEMPTY, WASI_EINVAL, WASI_ENOSPC,
  WASI_ELOOP, WASI_EPERM, WASI_EBUSY, WASI_ENOSYS, WASI_EFBIG, WASI_EIO, WASI_ENAMETOOLONG,
  WASI_DIRENT_SIZE, WASI_DIRENT_NEXT, WASI_DIRENT_INO, WASI_DIRENT_NAMLEN, WASI_DIRENT_TYPE,
} from "../../abi/assembly/index";
import {
  startup, println, channelRecv, channelReplyRecv, channelRead, channelWrite, WaitSet, memInfo, MemInfo, processExit,
  errorName, Handle, Received, Bytes,
} from "../lib/index";
import { Request, Reply, grantCopy } from "../lib/vfs";
import { Tree, Inode, Walk, now, servingAt, FILE_MAX, NAME_MAX_BYTES, BLOCK } from "./ramfs/tree";
import { Client } from "./ramfs/clients";
import { Space, Store } from "./ramfs/store";
import { Journal, snapshot, TXN_OVERHEAD } from "./ramfs/journal";
import { attach } from "./ramfs/attach";

/** Pages kept free of file data: the message buffers, tables and the allocator's own slack. */
const RESERVE_PAGES: i32 = 4;
/** Kept memory smaller than this (bytes, both halves) is not worth a store. */
const STORE_MIN: u32 = 1 << 20;

let tree = new Tree(0);
const reply = new Reply();
const req = new Request();
const dirents = new Bytes(4096);
let clients: Array<Client> = [];
/** The kept store (null: no kept memory was given, and nothing outlives this instance). */
let kept: Store | null = null;
let journal: Journal | null = null;
/** The most file bytes the WRITE being served may take (the room left in the store). */
let writeRoom: u32 = u32.MAX_VALUE;

export function _start(): void {
  const services = startup().handlesWith(TAG_SERVICE);
  if (services.length == 0 || services.length > WAIT_MANY_MAX) {
    println("ramfs: needs 1 to 16 SERVICE channels");
    processExit(1);
  }
  const mem = new MemInfo();
  memInfo(mem);
  const pages = mem.quotaPages - mem.usedPages - RESERVE_PAGES;
  // File data lives in fixed blocks that are never copied: what is left, less the allocator's own slack per block.
  let budget: i64 = pages > 0 ? <i64>pages * PAGE_SIZE * 15 / 16 : 0;
  for (let i = 0; i < services.length; i++) clients.push(new Client(services[i], i));
  const keep = startup().handlesWith(TAG_KEEP);
  if (keep.length > 0) {
    const space = new Space();
    for (let i = 0; i < keep.length; i++) {
      if (!space.add(keep[i])) println("ramfs: kept memory handle " + keep[i].toString() + " is unusable; left out");
    }
    if (space.total >= STORE_MIN) {
      const s = new Store(space);
      kept = s;
      // A snapshot of a full tree must leave room in its half for the log: 7/8 of a half at most.
      budget = min<i64>(budget - s.zeros.byteLength, <i64>s.halfSize * 7 / 8);
    } else {
      println("ramfs: the kept memory is too small (" + space.total.toString() + " bytes); files will not outlive this instance");
    }
  }
  tree = new Tree(budget);
  if (kept !== null) {
    const a = attach(changetype<Store>(kept), budget, clients);
    if (a.tree === null) {
      println("ramfs: cannot write its files into the kept store; stopping");
      processExit(1);
    }
    tree = changetype<Tree>(a.tree);
    const j = new Journal(changetype<Store>(kept));
    journal = j;
    tree.changes = j;
    if (a.found) println(a.report());
  }
  if (clients.length == 1) serveOne(clients[0]);
  else serveMany(clients);
}

/** The common case, one client (the kernel): reply and wait for the next request in one syscall. */
function serveOne(c: Client): void {
  const buf = new ArrayBuffer(MSG_MAX_BYTES);
  const m = changetype<usize>(buf);
  const got = new Received();
  let n = channelRecv(c.h, m, MSG_MAX_BYTES, 0, 0, got);
  while (n != ERR_PEER_CLOSED) {
    if (n < 0) {
      println("ramfs: receive: " + errorName(n));
      processExit(1);
    }
    if (handle(c, m, n)) n = channelReplyRecv(c.h, reply.ptr, reply.length, m, MSG_MAX_BYTES, 0, 0, got);
    else n = channelRecv(c.h, m, MSG_MAX_BYTES, 0, 0, got);
  }
}

/** Several clients: wait for any, serve what it sent; a client whose peer is gone leaves the set. */
function serveMany(clients: Array<Client>): void {
  const buf = new ArrayBuffer(MSG_MAX_BYTES);
  const m = changetype<usize>(buf);
  const set = new WaitSet();
  const live = clients;
  while (live.length > 0) {
    set.clear();
    for (let i = 0; i < live.length; i++) set.add(live[i].h, SIG_READABLE | SIG_PEER_CLOSED);
    const which = set.wait();
    if (which < 0) {
      println("ramfs: wait: " + errorName(which));
      processExit(1);
    }
    const c = live[which];
    const n = channelRead(c.h, m, MSG_MAX_BYTES);
    if (n == ERR_PEER_CLOSED) {
      live.splice(which, 1);
      continue;
    }
    if (n >= 0 && handle(c, m, n)) channelWrite(c.h, reply.ptr, reply.length);
  }
}

/** Serve one message; true when reply holds an answer to send. With a kept store, what it changed is committed first. */
function handle(c: Client, m: usize, len: i32): bool {
  const s = kept;
  if (s === null) return serve(c, m, len);
  if (c.againTxid != 0 && len >= 4 && load<u32>(m) == c.againTxid) {
    // Sent again after a restart: the last instance committed it and died before it answered. Answer, do not apply twice.
    c.againTxid = 0;
    println("ramfs: a request the last instance had committed came again: answered from the kept reply, not applied twice");
    memory.copy(reply.ptr, changetype<usize>(c.againReply), c.againReply.byteLength);
    reply.length = c.againReply.byteLength;
    return true;
  }
  const op = len >= 8 ? load<u32>(m, 4) : 0;
  writeRoom = u32.MAX_VALUE;
  if (changes(op)) {
    const paths = len > VFS_REQUEST_SIZE ? <u32>(len - VFS_REQUEST_SIZE) : 0;
    const data = op == VFS_WRITE && len >= VFS_REQUEST_SIZE ? load<u32>(m, VFS_REQUEST_COUNT) : 0;
    if (!ensureRoom(s, TXN_OVERHEAD + 2 * paths + data)) {
      // Not even after a fresh snapshot: a write may still take what is left (a short write); anything else is refused.
      const left = s.left();
      if (op != VFS_WRITE || left <= TXN_OVERHEAD + 2 * paths + 4) {
        if (len < 4 || load<u32>(m) == 0) return false;
        reply.begin(load<u32>(m), WASI_ENOSPC);
        return true;
      }
      writeRoom = left - TXN_OVERHEAD - 2 * paths - 4;
    }
  }
  s.begin();
  const answer = serve(c, m, len);
  if (s.dirty) {
    if (answer) changetype<Journal>(journal).reply(c.index, load<u32>(reply.ptr), reply.ptr, reply.length);
    if (!s.commit()) {
      println("ramfs: the kept store refused a change; stopping (the next instance starts from what it holds)");
      processExit(1);
    }
  }
  return answer;
}

/** Does a request of this operation change anything kept (so it needs room in the store)? */
function changes(op: u32): bool {
  return op != VFS_READ && op != VFS_STAT && op != VFS_FSTAT && op != VFS_READDIR && op != VFS_READLINK && op != VFS_SYNC;
}

/** Room for a transaction of `size` bytes in the store's active half, writing a fresh snapshot into the other if need be. */
function ensureRoom(s: Store, size: u32): bool {
  if (s.room(size)) return true;
  if (!snapshot(tree, clients, s)) {
    println("ramfs: cannot write a fresh snapshot into the kept store; stopping");
    processExit(1);
  }
  return s.room(size);
}

/** Serve one message; true when reply holds an answer to send. */
function serve(c: Client, m: usize, len: i32): bool {
  if (!req.parse(m, len)) {
    // Too short for a request, or its path lengths overrun it: answer only if there is a txid to answer.
    if (len < 4 || load<u32>(m) == 0) return false;
    reply.begin(load<u32>(m), WASI_EINVAL);
    return true;
  }
  const op = req.op;
  servingAt(req.time);
  if (op == VFS_WROTE) {
    wroteRoom(c);
    return false; // one-way, as CLOSE
  }
  if (op == VFS_CLOSE) {
    const node = c.close(tree, req.file);
    if (node !== null) {
      if (node.opens == 0 && kept === null) tree.trim(node); // room it was given and did not use
      tree.release(node);
    }
    if (req.txid == 0) return false;
    reply.begin(req.txid, node !== null ? 0 : WASI_EBADF);
    return true;
  }
  if (req.txid == 0) return false; // every other operation is a call
  reply.begin(req.txid, 0);
  let errno: u32 = WASI_ENOSYS;
  if (op == VFS_OPEN) errno = open(c);
  else if (op == VFS_READ) errno = read(c);
  else if (op == VFS_WRITE) errno = write(c);
  else if (op == VFS_STAT) errno = stat();
  else if (op == VFS_FSTAT) errno = fstat(c);
  else if (op == VFS_SET_SIZE) errno = setSize(c);
  else if (op == VFS_SET_TIMES) errno = setTimes(c);
  else if (op == VFS_READDIR) errno = readdir(c);
  else if (op == VFS_MKDIR) errno = mkdir();
  else if (op == VFS_UNLINK) errno = remove(false);
  else if (op == VFS_RMDIR) errno = remove(true);
  else if (op == VFS_RENAME) errno = rename();
  else if (op == VFS_LINK) errno = link();
  else if (op == VFS_SYMLINK) errno = symlink();
  else if (op == VFS_READLINK) errno = readlink();
  else if (op == VFS_SYNC) errno = c.get(req.file) !== null ? 0 : WASI_EBADF;
  if (errno != 0 && errno != VFS_REDIRECT) reply.begin(req.txid, errno);
  return true;
}

// ---- helpers ------------------------------------------------------------------

/** Walk the request's first path; a redirect is written into the reply. */
function walk1(follow: bool): Walk {
  const w = tree.walk(req.path(), follow, (req.flags & VFS_DIR_ONLY) != 0);
  if (w.errno == VFS_REDIRECT) reply.begin(req.txid, VFS_REDIRECT).value(w.consumed).text(w.target);
  return w;
}

/** A link in the second path (RENAME, LINK): the redirect says so with REDIRECT_SECOND in its value. */
function redirect2(w: Walk): u32 {
  reply.begin(req.txid, VFS_REDIRECT).value(w.consumed | VFS_REDIRECT_SECOND).text(w.target);
  return VFS_REDIRECT;
}

function follows(): bool {
  return (req.flags & VFS_FOLLOW) != 0;
}

function putStat(node: Inode): void {
  const nlink: u64 = node.nlink;
  reply.filestat(0, node.ino, node.kind, nlink, node.size, node.atim, node.mtim, node.ctim);
}

/** A name may be made in dir: it is a directory, the name fits and is free. */
function checkNew(w: Walk): u32 {
  if (w.errno != 0) return w.errno;
  if (w.node !== null) return WASI_EEXIST;
  if (String.UTF8.byteLength(w.name) > NAME_MAX_BYTES) return WASI_ENAMETOOLONG;
  if (w.name.length == 0) return WASI_EEXIST; // the root itself
  return tree.reserve(<i64>String.UTF8.byteLength(w.name) + 256) ? 0 : WASI_ENOSPC;
}

// ---- operations ---------------------------------------------------------------

function open(c: Client): u32 {
  const oflags = req.flags & 0xff;
  const w = walk1(follows());
  if (w.errno != 0) return w.errno;
  let node = w.node;
  if (node === null) {
    if ((oflags & WASI_O_CREAT) == 0) return WASI_ENOENT;
    if ((oflags & WASI_O_DIRECTORY) != 0) return WASI_EINVAL;
    const e = checkNew(w);
    if (e != 0) return e;
    const t = now();
    node = tree.make(WASI_FILETYPE_REGULAR_FILE, "", t);
    tree.link(changetype<Inode>(w.parent), w.name, node, t);
  } else {
    if ((oflags & WASI_O_CREAT) != 0 && (oflags & WASI_O_EXCL) != 0) return WASI_EEXIST;
    if (node.isLink) return WASI_ELOOP; // a link opened without following it
    if ((oflags & WASI_O_DIRECTORY) != 0 && !node.isDir) return WASI_ENOTDIR;
    if ((oflags & WASI_O_TRUNC) != 0) {
      if (node.isDir) return WASI_EISDIR;
      const e = tree.resize(node, 0, now());
      if (e != 0) return e;
    }
  }
  const id = c.open(tree, node);
  if (id == 0) return WASI_ENOSPC;
  reply.value(id).filetype(node.kind);
  putStat(node);
  return 0;
}

/**
 * Move n bytes at offset of node's data through the request's grant (into the
 * caller for READ, out of it for WRITE), block by block: the bytes moved, or
 * a negative error. A short copy (the caller's iovecs were shorter) ends it.
 */
/** Bytes from file offset `at` to the end of its block, at most `left`: one contiguous span of a file's data. */
function spanAt(at: u32, left: u32): u32 {
  return min<u32>(left, <u32>BLOCK - at % <u32>BLOCK);
}

function copyBlocks(c: Client, node: Inode, offset: u32, n: u32): i32 {
  let done: u32 = 0;
  while (done < n) {
    const at = offset + done;
    const len = spanAt(at, n - done);
    const r = grantCopy(c.h, req.txid, done, node.byteAt(at), <i32>len);
    if (r < 0) return done > 0 ? <i32>done : r;
    done += <u32>r;
    if (<u32>r < len) break;
  }
  return <i32>done;
}

/** Name bytes [at, at + n) of node's data as segments of the reply, one per block, while the reply has room for them: the bytes named. */
function nameBlocks(node: Inode, at: u32, n: u32): u32 {
  let done: u32 = 0;
  while (done < n && reply.segmentsLeft > 0) {
    const len = spanAt(at + done, n - done);
    reply.segment(node.byteAt(at + done), len);
    done += len;
  }
  return done;
}

function read(c: Client): u32 {
  const node = c.get(req.file);
  if (node === null) return WASI_EBADF;
  if (node.isDir) return WASI_EISDIR;
  const offset = req.offset;
  // The bytes go as segments of the reply, one per block, which the kernel copies as it takes the reply (a
  // read longer than a reply can name is cut short, as POSIX allows); then, as read-ahead, as many of the
  // next bytes as the kernel allowed. ramfs keeps its promise about those (docs/vfs.md) because a block moves
  // or changes only through WRITE and SET_SIZE of its file, and is freed only once no open file holds it.
  const wanted = <u64>req.count + min<u64>(req.value, <u64>FILE_MAX);
  let n: u32 = 0;
  if (offset < <u64>node.size) n = <u32>min<u64>(wanted, <u64>node.size - offset);
  const done = nameBlocks(node, <u32>offset, n);
  node.atim = now();
  reply.value(min<u32>(done, req.count));
  return 0;
}

function write(c: Client): u32 {
  const node = c.get(req.file);
  if (node === null) return WASI_EBADF;
  if (node.isDir) return WASI_EISDIR;
  const offset: u64 = (req.flags & VFS_APPEND) != 0 ? <u64>node.size : req.offset;
  const count = min<u32>(req.count, writeRoom); // a short write when the kept store is nearly full
  if (offset > FILE_MAX || offset + <u64>count > FILE_MAX) return WASI_EFBIG;
  // Blocks first (the size grows only by what is actually copied below).
  const e = tree.grow(node, <u32>(offset + count));
  if (e != 0) return e;
  let n: u32 = 0;
  if (count > 0 && kept === null) {
    // Nothing to commit before the reply: it names the blocks as segments, and the kernel copies the bytes into them.
    n = nameBlocks(node, <u32>offset, count);
    if (n == count) giveRoom(node, <u32>offset + n, req.value);
  } else if (count > 0) {
    // The kept store commits the bytes before the reply goes: they must be here first.
    const r = copyBlocks(c, node, <u32>offset, count);
    if (r < 0) return WASI_EIO;
    n = <u32>r;
  }
  tree.wrote(node, <u32>offset, n, now());
  reply.value(n).fileSize(node.size);
  return 0;
}

/**
 * Room (docs/vfs.md): blocks for the file's next bytes from `at`, up to
 * `allowed` of them, named after the write's own segments, for the kernel to
 * write the next writes into and tell of with WROTE. Given only without a
 * kept store (write: nothing acknowledged must outlive this instance), and
 * only what the quota allows; the blocks are the file's until its last
 * close trims what was not used. Every byte named lies in a block of this file.
 */
function giveRoom(node: Inode, at: u32, allowed: u64): void {
  if (allowed == 0 || <u64>at >= FILE_MAX) return;
  const end = <u32>min<u64>(<u64>at + min<u64>(allowed, <u64>FILE_MAX), <u64>FILE_MAX);
  const have = <u32>node.blocks.length * <u32>BLOCK;
  if (end > have && tree.grow(node, end) != 0) return;
  nameBlocks(node, at, end - at);
}

/** WROTE: the kernel wrote bytes [offset, offset + count) of an open file into the room its last WRITE reply named. */
function wroteRoom(c: Client): void {
  const node = c.get(req.file);
  if (node === null || node.isDir || kept !== null) return;
  const end = req.offset + <u64>req.count;
  if (end > <u64>node.blocks.length * <u64>BLOCK) return; // not room this instance gave: nothing to take
  tree.wrote(node, <u32>req.offset, req.count, req.time);
}

function stat(): u32 {
  const w = walk1(follows());
  if (w.errno != 0) return w.errno;
  if (w.node === null) return WASI_ENOENT;
  putStat(changetype<Inode>(w.node));
  return 0;
}

function fstat(c: Client): u32 {
  const node = req.file == VFS_ROOT ? tree.root : c.get(req.file);
  if (node === null) return WASI_EBADF;
  putStat(node);
  return 0;
}

function setSize(c: Client): u32 {
  const node = c.get(req.file);
  if (node === null) return WASI_EBADF;
  if (!node.isFile) return WASI_EINVAL;
  return tree.resize(node, req.offset, now());
}

function setTimes(c: Client): u32 {
  let node: Inode | null;
  if (req.pathLen == 0) {
    node = req.file == VFS_ROOT ? tree.root : c.get(req.file);
    if (node === null) return WASI_EBADF;
  } else {
    const w = walk1(follows());
    if (w.errno != 0) return w.errno;
    node = w.node;
    if (node === null) return WASI_ENOENT;
  }
  const fst = req.count;
  if (((fst & WASI_FST_ATIM) != 0 && (fst & WASI_FST_ATIM_NOW) != 0) ||
    ((fst & WASI_FST_MTIM) != 0 && (fst & WASI_FST_MTIM_NOW) != 0)) return WASI_EINVAL;
  const t = now();
  let atim = node.atim;
  let mtim = node.mtim;
  if ((fst & WASI_FST_ATIM) != 0) atim = req.offset;
  if ((fst & WASI_FST_ATIM_NOW) != 0) atim = t;
  if ((fst & WASI_FST_MTIM) != 0) mtim = req.value;
  if ((fst & WASI_FST_MTIM_NOW) != 0) mtim = t;
  tree.setTimes(node, atim, mtim, t);
  return 0;
}

/** Dirent records from the cookie on: ".", "..", then the entries in order. */
function readdir(c: Client): u32 {
  const dir = c.get(req.file);
  if (dir === null) return WASI_EBADF;
  if (!dir.isDir) return WASI_ENOTDIR;
  const total = <u64>dir.names.length + 2;
  dirents.reset();
  for (let i = req.offset; i < total && <u32>dirents.length < req.count; i++) {
    const name = i == 0 ? "." : i == 1 ? ".." : dir.names[<i32>i - 2];
    const node = i == 0 ? dir : i == 1 ? changetype<Inode>(dir.parent) : dir.children[<i32>i - 2];
    const utf8 = String.UTF8.encode(name);
    dirents.reserve(WASI_DIRENT_SIZE + utf8.byteLength);
    const at = dirents.ptr + <usize>dirents.length;
    memory.fill(at, 0, WASI_DIRENT_SIZE);
    store<u64>(at + WASI_DIRENT_NEXT, i + 1);
    store<u64>(at + WASI_DIRENT_INO, node.ino);
    store<u32>(at + WASI_DIRENT_NAMLEN, <u32>utf8.byteLength);
    store<u8>(at + WASI_DIRENT_TYPE, node.kind);
    memory.copy(at + WASI_DIRENT_SIZE, changetype<usize>(utf8), utf8.byteLength);
    dirents.length += WASI_DIRENT_SIZE + utf8.byteLength;
  }
  // The last record may be cut: a full buffer tells the caller to read on from its cookie.
  const n = min<u32>(<u32>dirents.length, req.count);
  if (n > 0 && grantCopy(c.h, req.txid, 0, dirents.ptr, <i32>n) < 0) return WASI_EIO;
  dir.atim = now();
  reply.value(n);
  return 0;
}

function mkdir(): u32 {
  const w = walk1(false);
  const e = checkNew(w);
  if (e != 0) return e;
  const t = now();
  tree.link(changetype<Inode>(w.parent), w.name, tree.make(WASI_FILETYPE_DIRECTORY, "", t), t);
  return 0;
}

/** UNLINK (a non-directory) or RMDIR (an empty directory). */
function remove(dir: bool): u32 {
  const w = walk1(false);
  if (w.errno != 0) return w.errno;
  const node = w.node;
  if (node === null) return WASI_ENOENT;
  if (node === tree.root) return WASI_EBUSY;
  if (dir && !node.isDir) return WASI_ENOTDIR;
  if (!dir && node.isDir) return WASI_EISDIR;
  if (dir && node.names.length > 0) return WASI_ENOTEMPTY;
  const parent = changetype<Inode>(w.parent);
  tree.unlink(parent, parent.indexOf(w.name), now());
  return 0;
}

function rename(): u32 {
  const from = walk1(false);
  if (from.errno != 0) return from.errno;
  const node = from.node;
  if (node === null) return WASI_ENOENT;
  if (node === tree.root) return WASI_EBUSY;
  const to = tree.walk(req.path2(), false, (req.flags & VFS_DIR_ONLY2) != 0);
  if (to.errno == VFS_REDIRECT) return redirect2(to);
  if (to.errno != 0) return to.errno;
  if ((req.flags & VFS_DIR_ONLY2) != 0 && !node.isDir) return WASI_ENOTDIR;
  const target = to.node;
  if (target === node) return 0; // the same file under both names: nothing to do
  const toParent = changetype<Inode>(to.parent);
  if (node.isDir && tree.within(toParent, node)) return WASI_EINVAL; // into its own subtree
  if (target !== null) {
    if (target === tree.root) return WASI_EBUSY;
    if (node.isDir && !target.isDir) return WASI_ENOTDIR;
    if (!node.isDir && target.isDir) return WASI_EISDIR;
    if (target.isDir && target.names.length > 0) return WASI_ENOTEMPTY;
  } else {
    const e = checkNew(to);
    if (e != 0) return e;
  }
  const t = now();
  if (target !== null) tree.unlink(toParent, toParent.indexOf(to.name), t);
  const fromParent = changetype<Inode>(from.parent);
  tree.move(fromParent, fromParent.indexOf(from.name), toParent, to.name, t);
  return 0;
}

function link(): u32 {
  const from = walk1(follows());
  if (from.errno != 0) return from.errno;
  const node = from.node;
  if (node === null) return WASI_ENOENT;
  if (node.isDir) return WASI_EPERM;
  const to = tree.walk(req.path2(), false, (req.flags & VFS_DIR_ONLY2) != 0);
  if (to.errno == VFS_REDIRECT) return redirect2(to);
  if ((req.flags & VFS_DIR_ONLY2) != 0) return to.node !== null ? WASI_EEXIST : WASI_ENOENT;
  const e = checkNew(to);
  if (e != 0) return e;
  tree.link(changetype<Inode>(to.parent), to.name, node, now());
  return 0;
}

function symlink(): u32 {
  const w = walk1(false);
  if (w.errno != 0) return w.errno;
  if ((req.flags & VFS_DIR_ONLY) != 0) return w.node !== null ? WASI_EEXIST : WASI_ENOENT;
  const e = checkNew(w);
  if (e != 0) return e;
  const target = req.path2();
  if (!tree.reserve(<i64>String.UTF8.byteLength(target))) return WASI_ENOSPC;
  const t = now();
  tree.link(changetype<Inode>(w.parent), w.name, tree.make(WASI_FILETYPE_SYMBOLIC_LINK, target, t), t);
  return 0;
}

function readlink(): u32 {
  const w = walk1(false);
  if (w.errno != 0) return w.errno;
  const node = w.node;
  if (node === null) return WASI_ENOENT;
  if (!node.isLink) return WASI_EINVAL;
  reply.value(<u32>String.UTF8.byteLength(node.target)).text(node.target);
  return 0;
}
