// File descriptors: each process's fd table, and the open files fds name.
//
// An fd is a number in its process's table (0..MAX_FDS-1, lowest free
// first) with WASI rights (they only shrink) and, for a preopen, its name.
// It names an OpenFile — a kernel object charged to whoever opened it —
// shared by every fd that names it (a spawner's fds wired into its child
// share it, as after fork + exec), and so are its offset and flags. An open
// file is a FILE of a filesystem service (mount + the service's open-file
// id; the offset is kept here, and the file holds a use of the mount), a DIR (its absolute path and the preopen it
// may not leave, + a service id once read), a DEV (a character device or
// stream of a service: no offsets) or one end of a pipe. It dies with its
// last fd: the service is told (CLOSE, no reply awaited) or the pipe end
// closes. When a process ends, its waiting op is dropped and its fds close.

import {
  OBJ_FILE, OBJECT_BYTES, MAX_FDS, VFS_CLOSE, VFS_REQUEST_SIZE, VFS_REQUEST_OP, VFS_REQUEST_FILE, VFS_REQUEST_TIME, WASI_RIGHT_ALL,
  WASI_RIGHT_FD_WRITE, WASI_RIGHT_FD_SEEK, WASI_RIGHT_FD_TELL, WASI_RIGHT_FD_ALLOCATE, WASI_RIGHT_FD_FILESTAT_SET_SIZE,
} from '../../../abi/assembly/index';
import { KObject } from '../object';
import { canCharge, chargeObject } from '../account';
import { dropKernelRef } from '../cap/ops';
import { Process } from '../process/process';
import { onProcessExit } from '../process/lifecycle';
import { kernelSend } from '../ipc/channel';
import { Message } from '../ipc/message';
import { now } from '../clock';
import { Mount, releaseMount } from './mount';
import { dropOp, failOpsHeldBy } from './call';
import { Pipe, pipeOpenEnd, pipeCloseEnd } from './pipe';
import { Ahead, AHEAD_BYTES, forget as forgetAhead } from './ahead';

export const F_FILE: i32 = 1;
export const F_DIR: i32 = 2;
export const F_DEV: i32 = 3;
export const F_PIPE_READ: i32 = 4;
export const F_PIPE_WRITE: i32 = 5;

/** The rights a directory fd can hold: none of those that only make sense on a file's bytes (as wasmtime's preopens). */
export const DIR_RIGHTS: u64 = <u64>WASI_RIGHT_ALL & ~<u64>(WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL |
  WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_SET_SIZE);

export class OpenFile extends KObject {
  kind: i32;
  mount: Mount | null = null;
  /** The service's open-file id (0: none; a preopen opens its directory on its first fd_readdir). */
  id: u32 = 0;
  /** DIR: its absolute path, and the one above which no path through it may climb (its own: a directory fd is a sandbox). */
  path: string = '';
  root: string = '';
  offset: u64 = 0;
  /** WASI fdflags (APPEND, NONBLOCK …), and the filetype the service reported. */
  flags: u32 = 0;
  filetype: u8 = 0;
  pipe: Pipe | null = null;
  /** FILE: its inode as the OPEN reply named it (0: unknown); its read-ahead and its room (ahead.ts), made on its first sequential read and write. */
  ino: u64 = 0;
  ahead: Ahead | null = null;
  room: Ahead | null = null;

  constructor(kind: i32) {
    super(OBJ_FILE);
    this.kind = kind;
  }

  /** The last fd closed. */
  destroy(): void {
    const pipe = this.pipe;
    if (pipe !== null) pipeCloseEnd(pipe, this.kind == F_PIPE_WRITE);
    const ahead = this.ahead;
    if (ahead !== null) forgetAhead(ahead);
    const room = this.room;
    if (room !== null) forgetAhead(room); // what was written into it is told before the CLOSE
    const m = this.mount;
    if (m === null) return;
    if (this.id != 0) sendClose(m, this.id);
    this.mount = null;
    releaseMount(m);
  }
}

/** Tell a service to forget an open-file id: one-way (txid 0); a service that is gone has nothing to forget. */
export function sendClose(m: Mount, id: u32): void {
  const msg = new Message(VFS_REQUEST_SIZE, 0);
  store<u32>(msg.at + VFS_REQUEST_OP, VFS_CLOSE);
  store<u32>(msg.at + VFS_REQUEST_FILE, id);
  store<u64>(msg.at + VFS_REQUEST_TIME, <u64>now());
  kernelSend(m.ep, msg);
}

export class Fd {
  file: OpenFile;
  base: u64;
  inheriting: u64;
  /** A preopen's name (fd_prestat_dir_name), or "". */
  preopen: string = '';

  constructor(file: OpenFile, base: u64, inheriting: u64) {
    this.file = file;
    this.base = base;
    this.inheriting = inheriting;
    file.kernelRefs++;
  }
}

/** Every process's fds, by pid (pids are never reused). */
const tables = new Map<i32, Array<Fd | null>>();

function tableOf(p: Process): Array<Fd | null> {
  if (!tables.has(p.pid)) tables.set(p.pid, []);
  return tables.get(p.pid);
}

/** The fd n of p, or null (not open, or not a number an fd can have). */
export function getFd(p: Process, n: u64): Fd | null {
  if (n >= <u64>MAX_FDS || !tables.has(p.pid)) return null;
  const t = tables.get(p.pid);
  return <i32>n < t.length ? t[<i32>n] : null;
}

/** A new open file charged to p (a pipe end when pipe is given), or null when p's quota says no. */
export function newFile(p: Process, kind: i32, pipe: Pipe | null = null): OpenFile | null {
  const bytes = kind == F_FILE ? OBJECT_BYTES + AHEAD_BYTES : OBJECT_BYTES; // a file may get read-ahead and room
  if (!canCharge(p, 0, bytes)) return null;
  const f = new OpenFile(kind);
  chargeObject(p, f, bytes);
  f.pipe = pipe;
  if (pipe !== null) pipeOpenEnd(pipe, kind == F_PIPE_WRITE);
  return f;
}

/** How many fds p may still open. */
export function freeFds(p: Process): i32 {
  const t = tableOf(p);
  let n = MAX_FDS - t.length;
  for (let i = 0; i < t.length; i++) if (t[i] === null) n++;
  return n;
}

/** Put fd into p's table at n (closing what was there), or at the lowest free number when n < 0; -1 when full. */
export function installFd(p: Process, fd: Fd, n: i32): i32 {
  const t = tableOf(p);
  if (n < 0) for (n = 0; n < t.length && t[n] !== null; n++);
  if (n >= MAX_FDS) {
    dropKernelRef(fd.file);
    return -1;
  }
  while (t.length <= n) t.push(null);
  const old = t[n];
  t[n] = fd;
  if (old !== null) dropKernelRef(old.file);
  return n;
}

/** Take fd n out of p's table (it must be open). */
export function takeFd(p: Process, n: u64): Fd {
  const fd = changetype<Fd>(getFd(p, n));
  tableOf(p)[<i32>n] = null;
  return fd;
}

/** Close fd n of p. False if it was not open. */
export function closeFd(p: Process, n: u64): bool {
  if (getFd(p, n) === null) return false;
  dropKernelRef(takeFd(p, n).file);
  return true;
}

/** The child gets the parent's fd parentFd at childFd: the same open file, rights and name. */
export function inheritFd(parent: Process, child: Process, childFd: i32, parentFd: i32): void {
  const from = changetype<Fd>(getFd(parent, parentFd));
  const fd = new Fd(from.file, from.base, from.inheriting);
  fd.preopen = from.preopen;
  installFd(child, fd, childFd);
}

/** p ended: its waiting op goes, the requests it served and owed fail, and every fd closes. */
function processEnded(p: Process): void {
  dropOp(p);
  failOpsHeldBy(p);
  if (!tables.has(p.pid)) return;
  const t = tables.get(p.pid);
  tables.delete(p.pid);
  for (let i = 0; i < t.length; i++) {
    const fd = t[i];
    if (fd !== null) dropKernelRef(fd.file);
  }
}

onProcessExit(processEnded);
