// devfs: the /dev directory — null, zero and random as files, served over
// the vfs protocol (docs/vfs.md) like any filesystem.
//
// Reading /dev/null gives end of file at once and writing it swallows the
// bytes; /dev/zero reads as zeros; /dev/random reads as bytes from the
// entropy device (DEVICE_BASE + DEVICE_ENTROPY, the only capability devfs
// needs besides its SERVICE channel). The directory also lists `console`,
// which init mounts at /dev/console straight onto the UART driver, so
// opening it never reaches devfs. No file here has state of its own, so an
// open-file id simply names the file.

import {
  TAG_SERVICE, TAG_DEVICE_BASE, MSG_MAX_BYTES, ERR_PEER_CLOSED,
  VFS_OPEN, VFS_CLOSE, VFS_READ, VFS_WRITE, VFS_STAT, VFS_FSTAT, VFS_READDIR, VFS_SYNC, VFS_SET_TIMES,
  WASI_O_CREAT, WASI_O_DIRECTORY, WASI_O_EXCL, WASI_FILETYPE_CHARACTER_DEVICE, WASI_FILETYPE_DIRECTORY,
  WASI_ENOENT, WASI_ENOTDIR, WASI_EISDIR, WASI_EBADF, WASI_EEXIST, WASI_EPERM, WASI_ENXIO, WASI_EIO,
  WASI_DIRENT_SIZE, WASI_DIRENT_NEXT, WASI_DIRENT_INO, WASI_DIRENT_NAMLEN, WASI_DIRENT_TYPE,
} from "../../abi/assembly/index";
import { startup, println, channelRecv, channelReplyRecv, devRead, processExit, errorName, Received, Bytes, DEVICE_ENTROPY } from "../lib/index";
import { Request, Reply, grantCopy } from "../lib/vfs";

// Files by open-file id (= inode number); 1 is the directory itself.
const DIR: u32 = 1;
const NULL: u32 = 2;
const ZERO: u32 = 3;
const RANDOM: u32 = 4;
const CONSOLE: u32 = 5;
const NAMES = ["null", "zero", "random", "console"];

const req = new Request();
const reply = new Reply();
const chunk = new ArrayBuffer(MSG_MAX_BYTES);
const listing = new Bytes(256);
let svc = 0;
let entropy = 0;

export function _start(): void {
  const s = startup();
  svc = s.handle(TAG_SERVICE);
  entropy = s.handle(TAG_DEVICE_BASE + DEVICE_ENTROPY);
  if (svc <= 0) {
    println("devfs: needs a SERVICE channel");
    processExit(1);
  }
  const buf = new ArrayBuffer(MSG_MAX_BYTES);
  const m = changetype<usize>(buf);
  const got = new Received();
  let n = channelRecv(svc, m, MSG_MAX_BYTES, 0, 0, got);
  while (n != ERR_PEER_CLOSED) {
    if (n < 0) {
      println("devfs: receive: " + errorName(n));
      processExit(1);
    }
    n = answer(m, n) ? channelReplyRecv(svc, reply.ptr, reply.length, m, MSG_MAX_BYTES, 0, 0, got)
      : channelRecv(svc, m, MSG_MAX_BYTES, 0, 0, got);
  }
}

/** The file a name (relative to /dev) names, or 0. */
function lookup(path: string): u32 {
  if (path.length == 0) return DIR;
  for (let i = 0; i < NAMES.length; i++) if (NAMES[i] == path) return NULL + <u32>i;
  return 0;
}

function kindOf(id: u32): u8 {
  return id == DIR ? <u8>WASI_FILETYPE_DIRECTORY : <u8>WASI_FILETYPE_CHARACTER_DEVICE;
}

function stat(id: u32): void {
  reply.filestat(0, id, kindOf(id), id == DIR ? 2 : 1, 0, 0, 0, 0);
}

/** Serve one message; true when there is a reply to send. */
function answer(m: usize, len: i32): bool {
  if (!req.parse(m, len) || req.txid == 0) return false; // CLOSE and anything one-way need no answer
  const op = req.op;
  const txid = req.txid;
  reply.begin(txid, 0);
  if (op == VFS_OPEN || op == VFS_STAT) {
    const id = lookup(req.path());
    const oflags = req.flags & 0xff;
    if (id == 0) reply.begin(txid, (oflags & WASI_O_CREAT) != 0 ? WASI_EPERM : WASI_ENOENT);
    else if (id == CONSOLE) reply.begin(txid, WASI_ENXIO); // served by the UART driver's own mount
    else if (op == VFS_OPEN && (oflags & WASI_O_CREAT) != 0 && (oflags & WASI_O_EXCL) != 0) reply.begin(txid, WASI_EEXIST);
    else if (op == VFS_OPEN && (oflags & WASI_O_DIRECTORY) != 0 && id != DIR) reply.begin(txid, WASI_ENOTDIR);
    else {
      if (op == VFS_OPEN) reply.value(id).filetype(kindOf(id));
      stat(id);
    }
    return true;
  }
  const id = req.file;
  if (id < DIR || id > RANDOM) {
    reply.begin(txid, op == VFS_CLOSE ? 0 : WASI_EBADF);
    return true;
  }
  if (op == VFS_FSTAT) stat(id);
  else if (op == VFS_READ) read(id, txid);
  else if (op == VFS_WRITE) {
    if (id == DIR) reply.begin(txid, WASI_EISDIR);
    else reply.value(req.count); // every device here swallows writes
  } else if (op == VFS_READDIR) readdir(id, txid);
  else if (op == VFS_SYNC || op == VFS_SET_TIMES || op == VFS_CLOSE) reply.begin(txid, 0);
  else reply.begin(txid, WASI_EPERM); // nothing can be made, removed or renamed in /dev
  return true;
}

function read(id: u32, txid: u32): void {
  if (id == DIR) {
    reply.begin(txid, WASI_EISDIR);
    return;
  }
  if (id == NULL) {
    reply.value(0);
    return;
  }
  const n = <i32>min<u32>(req.count, <u32>MSG_MAX_BYTES);
  const buf = changetype<usize>(chunk);
  if (id == ZERO) {
    memory.fill(buf, 0, n);
  } else {
    for (let i = 0; i < n; i += 4) {
      const r = devRead(entropy, 0);
      if (r < 0 && i == 0) {
        reply.begin(txid, WASI_EIO);
        return;
      }
      store<u32>(buf + i, <u32>r);
    }
  }
  // One chunk per request: a reader asking for more reads again, as from any device.
  const copied = n > 0 ? grantCopy(svc, txid, 0, buf, n) : 0;
  if (copied < 0) reply.begin(txid, WASI_EIO);
  else reply.value(<u32>copied);
}

/** The directory's entries from the cookie on: ".", "..", null, zero, random, console. */
function readdir(id: u32, txid: u32): void {
  if (id != DIR) {
    reply.begin(txid, WASI_ENOTDIR);
    return;
  }
  listing.reset();
  for (let i = req.offset; i < <u64>NAMES.length + 2 && <u32>listing.length < req.count; i++) {
    const name = i == 0 ? "." : i == 1 ? ".." : NAMES[<i32>i - 2];
    const ino: u64 = i < 2 ? DIR : NULL + <u32>i - 2;
    const utf8 = String.UTF8.encode(name);
    listing.reserve(WASI_DIRENT_SIZE + utf8.byteLength);
    const at = listing.ptr + <usize>listing.length;
    memory.fill(at, 0, WASI_DIRENT_SIZE);
    store<u64>(at + WASI_DIRENT_NEXT, i + 1);
    store<u64>(at + WASI_DIRENT_INO, ino);
    store<u32>(at + WASI_DIRENT_NAMLEN, <u32>utf8.byteLength);
    store<u8>(at + WASI_DIRENT_TYPE, kindOf(<u32>ino));
    memory.copy(at + WASI_DIRENT_SIZE, changetype<usize>(utf8), utf8.byteLength);
    listing.length += WASI_DIRENT_SIZE + utf8.byteLength;
  }
  const n = min<u32>(<u32>listing.length, req.count);
  const copied = n > 0 ? grantCopy(svc, txid, 0, listing.ptr, <i32>n) : 0;
  if (copied < 0) reply.begin(txid, WASI_EIO);
  else reply.value(<u32>copied);
}
