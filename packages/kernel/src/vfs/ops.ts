// The file operations behind the WASI calls, once the front door has checked
// their arguments into an Op (syscall/wasi.ts): reading and writing (a pipe
// here, a file or device by request to its service), and what each request's
// reply means — the `done` continuations, which write the results into the
// caller's memory (pointers checked when the call began) and return the
// errno that ends the call, or send the next request of a two-step operation
// (fd_seek from the end, the first fd_readdir of a preopen).

import {
  K_BLOCKED, PIPE_BYTES, OBJECT_BYTES, VFS_OPEN, VFS_READ, VFS_WRITE, VFS_READLINK, VFS_FSTAT, VFS_STAT, VFS_READDIR,
  VFS_APPEND, READ_AHEAD_BYTES, WRITE_AHEAD_BYTES, VFS_REPLY_VALUE, VFS_REPLY_FILETYPE, VFS_REPLY_FILE_SIZE, VFS_REPLY_SIZE,
  WASI_FILESTAT_SIZE, WASI_FILESTAT_DEV, WASI_FILESTAT_INO, WASI_FILESTAT_BYTES, WASI_FILESTAT_FILETYPE, WASI_EAGAIN, WASI_EISDIR,
  WASI_ESPIPE, WASI_EIO, WASI_EMFILE, WASI_ENOMEM, WASI_EINVAL, WASI_FDFLAG_NONBLOCK, WASI_FDFLAG_APPEND,
  WASI_O_DIRECTORY, WASI_RIGHT_FD_FDSTAT_SET_FLAGS, WASI_RIGHT_FD_FILESTAT_GET, WASI_RIGHT_POLL_FD_READWRITE,
  WASI_RIGHT_FD_READ, WASI_RIGHT_FD_WRITE, WASI_FILETYPE_DIRECTORY, WASI_FILETYPE_CHARACTER_DEVICE,
  WASI_FILETYPE_BLOCK_DEVICE, WASI_FILETYPE_SOCKET_STREAM,
} from '../../../abi/assembly/index';
import { Process } from '../process/process';
import { canCharge, chargeObject } from '../account';
import { copyOut, putU32, putU64 } from '../mm/user';
import { Pipe, pipeRead, pipeWrite } from './pipe';
import { OpenFile, Fd, F_FILE, F_DIR, F_DEV, F_PIPE_READ, F_PIPE_WRITE, DIR_RIGHTS, newFile, installFd, freeFds, sendClose } from './fd';
import { Mount, useMount, releaseMount } from './mount';
import { Op, park, request, reply, replyU32, replyU64, replyTail } from './call';
import { Ahead, serve as serveAhead } from './ahead';

/** The open file an op works on. */
export function fileOf(op: Op): OpenFile { return changetype<OpenFile>(op.file); }

function ok(op: Op): i32 { return 0; }

/** Send op's request `vop`, whose reply needs nothing but its errno. */
export function simple(op: Op, vop: u32): i32 {
  op.vop = vop;
  op.done = ok;
  return request(op);
}

/** Aim op at its open file: by path for a directory, by the service's id otherwise. */
function atFile(op: Op): Op {
  const f = fileOf(op);
  op.hasPath = f.kind == F_DIR;
  op.path = f.path;
  op.mount = f.mount;
  op.vfile = f.id;
  op.ino = f.ino;
  return op;
}

/** A request about an open file that needs only its errno (SET_SIZE, SET_TIMES). */
export function fileRequest(op: Op, vop: u32): i32 { return simple(atFile(op), vop); }

// ---- reading and writing ------------------------------------------------------

/** A pipe read or write (again): the count to op.out, or K_BLOCKED. */
function pipeRetry(op: Op): i32 {
  const pipe = changetype<Pipe>(fileOf(op).pipe);
  const n = op.vop == VFS_WRITE ? pipeWrite(pipe, op) : pipeRead(pipe, op);
  if (n == K_BLOCKED) return K_BLOCKED;
  if (n < 0) return -n;
  putU32(op.p, op.out, <u32>n);
  return 0;
}

/** The count a READ or WRITE reply gives: to op.out; a file's offset moves past it (or to its end, appending). */
function countDone(op: Op): i32 {
  const n = min(replyU32(VFS_REPLY_VALUE), op.vcount);
  const f = fileOf(op);
  if (f.kind == F_FILE && op.k == 0) f.offset = (op.vflags & VFS_APPEND) != 0 ? replyU64(VFS_REPLY_FILE_SIZE) : op.voff + n;
  putU32(op.p, op.out, n);
  return 0;
}

/**
 * fd_read / fd_write between the file and op's segments; positioned
 * (fd_pread, fd_pwrite) at offset op.n, leaving the fd's offset. The count
 * goes to op.out. A pipe is served here, waiting when it must; a file read
 * or written in order, from its read-ahead or room when they hold the bytes
 * (ahead.ts); else a file or device is one request, its bytes moved by
 * grant or by the segments of its reply.
 */
export function readWrite(op: Op, write: bool, positioned: bool): i32 {
  const f = fileOf(op);
  op.vop = write ? VFS_WRITE : VFS_READ;
  if (f.kind == F_DIR) return WASI_EISDIR;
  if (positioned && f.kind != F_FILE) return WASI_ESPIPE;
  if (f.pipe !== null) {
    const r = pipeRetry(op);
    if (r != K_BLOCKED) return r;
    if ((f.flags & WASI_FDFLAG_NONBLOCK) != 0) return WASI_EAGAIN;
    const pipe = changetype<Pipe>(f.pipe);
    op.retry = pipeRetry;
    pipe.ops.push(op);
    return park(op, pipe.koid);
  }
  atFile(op);
  op.voff = positioned ? op.n : f.kind == F_FILE ? f.offset : 0;
  op.k = positioned ? 1 : 0;
  op.vflags = write && !positioned && (f.flags & WASI_FDFLAG_APPEND) != 0 ? VFS_APPEND : 0;
  op.vcount = op.total;
  op.toCaller = !write;
  op.done = countDone;
  if (!positioned && (op.vflags & VFS_APPEND) == 0 && f.kind == F_FILE && f.ino != 0 && f.mount !== null) {
    // In order: from the read-ahead or room the last READ or WRITE left, if it holds the bytes here; else a request
    // that allows more (ahead.ts).
    let ahead = write ? f.room : f.ahead;
    if (ahead === null) {
      ahead = new Ahead(changetype<Mount>(f.mount).ep, f.ino, f.id);
      if (write) f.room = ahead;
      else f.ahead = ahead;
    }
    const n = serveAhead(ahead, f.offset, op.p, op.segs, op.total, write);
    if (n >= 0) {
      f.offset += <u64>n;
      putU32(op.p, op.out, <u32>n);
      return 0;
    }
    op.ahead = ahead;
    op.vval = write ? WRITE_AHEAD_BYTES : READ_AHEAD_BYTES;
  }
  return request(op);
}

// ---- stat, seek, size -----------------------------------------------------------

/** Copy the reply's Filestat to op.out, with dev set to the mount's number. */
function statDone(op: Op): i32 {
  if (replyTail() < <u32>WASI_FILESTAT_SIZE) return WASI_EIO;
  const at = reply.dataStart + VFS_REPLY_SIZE;
  const m = op.mount;
  store<u64>(at + WASI_FILESTAT_DEV, m !== null ? <u64>m.dev : 0);
  copyOut(op.p, at, op.out, WASI_FILESTAT_SIZE);
  return 0;
}

/** fd_filestat_get (FSTAT, or STAT of a directory's path; a pipe answers here) or path_filestat_get (STAT). */
export function stat(op: Op, ofFd: bool): i32 {
  op.done = statDone;
  const f = fileOf(op);
  if (!ofFd) {
    op.vop = VFS_STAT;
    return request(op);
  }
  if (f.pipe !== null) {
    const at = reply.dataStart + VFS_REPLY_SIZE;
    memory.fill(at, 0, WASI_FILESTAT_SIZE);
    store<u8>(at + WASI_FILESTAT_FILETYPE, WASI_FILETYPE_SOCKET_STREAM);
    store<u64>(at + WASI_FILESTAT_BYTES, <u64>changetype<Pipe>(f.pipe).count);
    copyOut(op.p, at, op.out, WASI_FILESTAT_SIZE);
    return 0;
  }
  atFile(op).vop = f.kind == F_DIR ? VFS_STAT : VFS_FSTAT;
  return request(op);
}

/** fd_seek from the end: the size came (FSTAT); the offset is op.n past it. */
function seekEndDone(op: Op): i32 {
  const to = <i64>replyU64(VFS_REPLY_SIZE + WASI_FILESTAT_BYTES) + <i64>op.n;
  if (to < 0) return WASI_EINVAL;
  fileOf(op).offset = <u64>to;
  putU64(op.p, op.out, <u64>to);
  return 0;
}

/** fd_seek from the end (offset op.n, the result to op.out): the file's size first. */
export function seekEnd(op: Op): i32 {
  atFile(op).vop = VFS_FSTAT;
  op.done = seekEndDone;
  return request(op);
}

// ---- open, readdir, readlink ----------------------------------------------------

function openDone(op: Op): i32 {
  const type = <u8>replyU32(VFS_REPLY_FILETYPE);
  const kind = type == WASI_FILETYPE_DIRECTORY ? F_DIR
    : type == WASI_FILETYPE_CHARACTER_DEVICE || type == WASI_FILETYPE_BLOCK_DEVICE ? F_DEV : F_FILE;
  const id = replyU32(VFS_REPLY_VALUE);
  if (kind == F_DIR && (op.n & <u64>WASI_RIGHT_FD_WRITE) != 0) {
    sendClose(changetype<Mount>(op.mount), id); // a directory is not written as a file (POSIX: EISDIR)
    return WASI_EISDIR;
  }
  const f = newFile(op.p, kind);
  if (f === null) {
    sendClose(changetype<Mount>(op.mount), id); // the caller's quota refused the file: the service forgets it
    return WASI_ENOMEM;
  }
  f.mount = useMount(changetype<Mount>(op.mount));
  f.id = id;
  f.filetype = type;
  f.flags = op.k;
  if (kind == F_FILE && replyTail() >= <u32>WASI_FILESTAT_SIZE) f.ino = load<u64>(reply.dataStart + VFS_REPLY_SIZE + WASI_FILESTAT_INO);
  f.path = op.path;
  f.root = kind == F_DIR ? op.path : op.root; // no path through a directory fd leaves it
  const n = installFd(op.p, new Fd(f, kind == F_DIR ? op.n & DIR_RIGHTS : op.n, op.m), -1);
  if (n < 0) return WASI_EMFILE;
  putU32(op.p, op.out, <u32>n);
  return 0;
}

/** path_open: OPEN the op's path; op.n, op.m: the new fd's rights, op.k its fdflags. */
export function open(op: Op): i32 {
  if (!canCharge(op.p, 0, OBJECT_BYTES)) return WASI_ENOMEM;
  op.vop = VFS_OPEN;
  op.done = openDone;
  return request(op);
}

/** READDIR from cookie op.n into op's segment; the reply to a preopen's first OPEN sends it. */
function readdirDone(op: Op): i32 {
  const f = fileOf(op);
  if (op.vop == VFS_READDIR) {
    putU32(op.p, op.out, min(replyU32(VFS_REPLY_VALUE), op.vcount));
    return 0;
  }
  if (op.vop == VFS_OPEN) {
    const m = changetype<Mount>(op.mount);
    const id = replyU32(VFS_REPLY_VALUE);
    if (f.id != 0) {
      sendClose(m, id); // another fd_readdir of this directory opened it first: keep that one
    } else {
      const old = f.mount;
      f.mount = useMount(m);
      f.id = id;
      if (old !== null) releaseMount(old);
    }
  }
  op.hasPath = false;
  op.mount = f.mount;
  op.vop = VFS_READDIR;
  op.vfile = f.id;
  op.voff = op.n;
  op.vflags = 0;
  op.vcount = op.total;
  op.toCaller = true;
  return request(op);
}

/** fd_readdir; a preopen opens its directory first. */
export function readdir(op: Op): i32 {
  const f = fileOf(op);
  op.done = readdirDone;
  if (f.id != 0) return readdirDone(op);
  atFile(op).vop = VFS_OPEN;
  op.vflags = WASI_O_DIRECTORY;
  return request(op);
}

function readlinkDone(op: Op): i32 {
  const n = min(replyTail(), op.total);
  copyOut(op.p, reply.dataStart + VFS_REPLY_SIZE, op.segs[0], n);
  putU32(op.p, op.out, n);
  return 0;
}

/** path_readlink into op's one segment. */
export function readlink(op: Op): i32 {
  op.vop = VFS_READLINK;
  op.done = readlinkDone;
  return request(op);
}

// ---- pipes ----------------------------------------------------------------------

const PIPE_RIGHTS: u64 = WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE;

/** FD_PIPE: a pipe charged to p and its two fds (read, then write) written to out; false when p's quota or fd table says no. */
export function makePipe(p: Process, out: u32): bool {
  if (freeFds(p) < 2 || !canCharge(p, 0, PIPE_BYTES + 3 * OBJECT_BYTES)) return false;
  const pipe = new Pipe();
  chargeObject(p, pipe, PIPE_BYTES + OBJECT_BYTES);
  const r = changetype<OpenFile>(newFile(p, F_PIPE_READ, pipe));
  const w = changetype<OpenFile>(newFile(p, F_PIPE_WRITE, pipe));
  putU32(p, out, <u32>installFd(p, new Fd(r, PIPE_RIGHTS | WASI_RIGHT_FD_READ, 0), -1));
  putU32(p, out + 4, <u32>installFd(p, new Fd(w, PIPE_RIGHTS | WASI_RIGHT_FD_WRITE, 0), -1));
  return true;
}
