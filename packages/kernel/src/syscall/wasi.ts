// The WASI preview 1 front door: one small handler per wasi_snapshot_preview1
// function, in witx order (`wasiCalls`, entry i is syscall WASI_FIRST + i).
//
// A WASI function has up to nine parameters, two of them 64-bit, so its
// arguments arrive as WIDE_ARGS u64 words in `wideArgs`: written by the HAL
// before syscall_wide (index.ts), copied from the caller's memory by FD_CALL
// (fd.ts), or widened from the six registers of an ordinary syscall (calls
// whose parameters are all i32 may take that road). Each handler is fetch,
// check, act, return: the fd must be the caller's and carry the WASI rights
// the call needs; every pointer — each iovec and the iovec array itself,
// paths, result pointers — is checked against the caller's memory before
// anything is copied; a path is checked for length and NULs and normalized
// against its directory fd without leaving the preopen (vfs/mount.ts). Only
// then does the vfs act. The answer is a WASI errno (0..76); a copy that
// failed anyway answers FAULT.

import {
  WIDE_ARGS, IOV_MAX, PATH_MAX, K_BLOCKED, ERR_BAD_SYSCALL, SYS_WASI_FIRST,
  WASI_IOVEC_SIZE, WASI_IOVEC_BUF, WASI_IOVEC_LEN, WASI_FDSTAT_SIZE, WASI_FDSTAT_FILETYPE, WASI_FDSTAT_FLAGS,
  WASI_FDSTAT_RIGHTS_BASE, WASI_FDSTAT_RIGHTS_INHERITING, WASI_PRESTAT_SIZE, WASI_PRESTAT_TAG, WASI_PRESTAT_NAME_LEN,
  WASI_FILESTAT_SIZE, WASI_SUBSCRIPTION_SIZE, WASI_EVENT_SIZE, WASI_EBADF, WASI_EFAULT, WASI_EINVAL,
  WASI_ENOTCAPABLE, WASI_ENAMETOOLONG, WASI_ENOENT, WASI_ENOTDIR, WASI_ESPIPE, WASI_ENOSYS, WASI_ENOTSOCK,
  WASI_EMFILE, WASI_ENOTSUP, WASI_EPERM, WASI_EISDIR, WASI_FILETYPE_CHARACTER_DEVICE, WASI_FILETYPE_DIRECTORY, WASI_FILETYPE_SOCKET_STREAM,
  WASI_FDFLAG_APPEND, WASI_FDFLAG_NONBLOCK, WASI_O_CREAT, WASI_O_TRUNC, WASI_LOOKUP_SYMLINK_FOLLOW,
  WASI_WHENCE_SET, WASI_WHENCE_CUR, WASI_WHENCE_END, WASI_CLOCK_REALTIME, WASI_CLOCK_MONOTONIC,
  WASI_CLOCK_PROCESS_CPUTIME, WASI_CLOCK_THREAD_CPUTIME, VFS_FOLLOW, VFS_DIR_ONLY, VFS_DIR_ONLY2, VFS_MKDIR,
  VFS_UNLINK, VFS_RMDIR, VFS_RENAME, VFS_LINK, VFS_SYMLINK, VFS_READLINK, VFS_SET_TIMES, VFS_SET_SIZE,
  WASI_RIGHT_FD_DATASYNC, WASI_RIGHT_FD_READ, WASI_RIGHT_FD_SEEK, WASI_RIGHT_FD_FDSTAT_SET_FLAGS, WASI_RIGHT_FD_SYNC,
  WASI_RIGHT_FD_TELL, WASI_RIGHT_FD_WRITE, WASI_RIGHT_FD_ADVISE, WASI_RIGHT_FD_ALLOCATE,
  WASI_RIGHT_PATH_CREATE_DIRECTORY, WASI_RIGHT_PATH_CREATE_FILE, WASI_RIGHT_PATH_LINK_SOURCE,
  WASI_RIGHT_PATH_LINK_TARGET, WASI_RIGHT_PATH_OPEN, WASI_RIGHT_FD_READDIR, WASI_RIGHT_PATH_READLINK,
  WASI_RIGHT_PATH_RENAME_SOURCE, WASI_RIGHT_PATH_RENAME_TARGET, WASI_RIGHT_PATH_FILESTAT_GET,
  WASI_RIGHT_PATH_FILESTAT_SET_SIZE, WASI_RIGHT_PATH_FILESTAT_SET_TIMES, WASI_RIGHT_FD_FILESTAT_GET,
  WASI_RIGHT_FD_FILESTAT_SET_SIZE, WASI_RIGHT_FD_FILESTAT_SET_TIMES, WASI_RIGHT_PATH_SYMLINK,
  WASI_RIGHT_PATH_REMOVE_DIRECTORY, WASI_RIGHT_PATH_UNLINK_FILE,
} from '../../../abi/assembly/index';
import { Config, now } from '../clock';
import { Process } from '../process/process';
import { exitProcess } from '../process/lifecycle';
import { yieldCpu } from '../sched/scheduler';
import { inRange, copyBytes, copyOut, putU32, putU64, takeFault } from '../mm/user';
import { normalize } from '../vfs/mount';
import { Op } from '../vfs/call';
import { Fd, OpenFile, getFd, closeFd, takeFd, installFd, freeFds, F_FILE, F_DIR } from '../vfs/fd';
import { readWrite, stat, seekEnd, open, readdir, readlink, simple, fileRequest } from '../vfs/ops';
import { poll, pollOp } from '../vfs/poll';

/** The arguments of the WASI call being made (see above). */
export const wideArgs = new StaticArray<u64>(WIDE_ARGS);
/** Set by syscall_wide while its call runs: the arguments are already in wideArgs. */
let wide = false;

export function setWide(on: bool): void { wide = on; }

function a32(i: i32): u32 { return <u32>unchecked(wideArgs[i]); }

function a64(i: i32): u64 { return unchecked(wideArgs[i]); }

/** Run WASI call nr for p with its arguments in wideArgs: the errno, or K_BLOCKED. */
export function wasiCall(p: Process, nr: i32): i32 {
  const i = nr - SYS_WASI_FIRST;
  if (<u32>i >= <u32>wasiCalls.length) return ERR_BAD_SYSCALL;
  const r = unchecked(wasiCalls[i])(p);
  return r != K_BLOCKED && takeFault(p) ? WASI_EFAULT : r;
}

/** A WASI call from the front door: through syscall_wide, or its i32 arguments in the six registers. */
export function wasiEntry(p: Process, nr: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  if (!wide) {
    const w = wideArgs;
    w[0] = <u32>a0; w[1] = <u32>a1; w[2] = <u32>a2; w[3] = <u32>a3; w[4] = <u32>a4; w[5] = <u32>a5;
    for (let i = 6; i < WIDE_ARGS; i++) w[i] = 0;
  }
  return wasiCall(p, nr);
}

// ---- argument checks ------------------------------------------------------------

/** 0 if fd n is p's and has every right in `rights`; else BADF or NOTCAPABLE. */
function checkFd(p: Process, n: u32, rights: u64): i32 {
  const fd = getFd(p, n);
  if (fd === null) return WASI_EBADF;
  return (fd.base & rights) == rights ? 0 : WASI_ENOTCAPABLE;
}

function fileOf(p: Process, n: u32): OpenFile { return changetype<Fd>(getFd(p, n)).file; }

/** An op on fd a32(0) of p, which must have `rights`; its k holds the errno when it may not. */
function fdOp(p: Process, rights: u64): Op {
  const op = new Op(p);
  op.k = <u32>checkFd(p, a32(0), rights);
  if (op.k == 0) op.file = fileOf(p, a32(0));
  return op;
}

/** Check an iovec array and every buffer in it; the buffers become op's segments. */
function iovecs(p: Process, op: Op, ptr: u32, count: u32): i32 {
  if (count > <u32>IOV_MAX) return WASI_EINVAL;
  if (!inRange(p, ptr, <u64>count * WASI_IOVEC_SIZE)) return WASI_EFAULT;
  const list = copyBytes(p, ptr, count * WASI_IOVEC_SIZE);
  if (list === null) return WASI_EFAULT;
  let total: u64 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const at = list.dataStart + <usize>(i * WASI_IOVEC_SIZE);
    const buf = load<u32>(at + WASI_IOVEC_BUF), len = load<u32>(at + WASI_IOVEC_LEN);
    if (!inRange(p, buf, len)) return WASI_EFAULT;
    if (len == 0) continue;
    op.segs.push(buf);
    op.segs.push(len);
    total += len;
  }
  op.total = <u32>min<u64>(total, 0x7fffffff); // a transfer never reports more than an i32 can say
  return 0;
}

/** One checked buffer as op's only segment. */
function buffer(p: Process, op: Op, ptr: u32, len: u32): i32 {
  if (!inRange(p, ptr, len)) return WASI_EFAULT;
  op.segs = [ptr, len];
  op.total = len;
  return 0;
}

/** A path's text, checked for length, memory and NULs; null (the errno in op.k) when it is not a path. */
function pathText(p: Process, op: Op, ptr: u32, len: u32): string | null {
  op.k = len > <u32>PATH_MAX ? WASI_ENAMETOOLONG : !inRange(p, ptr, len) ? WASI_EFAULT : 0;
  const bytes = op.k == 0 ? copyBytes(p, ptr, len) : null;
  if (bytes !== null && bytes.indexOf(0) < 0) return String.UTF8.decodeUnsafe(bytes.dataStart, len);
  if (op.k == 0) op.k = bytes !== null ? WASI_EINVAL : WASI_EFAULT;
  return null;
}

/**
 * Resolve a path argument against directory fd dirfd (which needs `rights`):
 * its absolute form becomes op's path (or path2), the preopen its root.
 */
function pathArg(p: Process, op: Op, dirfd: u32, rights: u64, ptr: u32, len: u32, second: bool): i32 {
  const e = checkFd(p, dirfd, rights);
  if (e != 0) return e;
  const dir = fileOf(p, dirfd);
  if (dir.kind != F_DIR) return WASI_ENOTDIR;
  const text = pathText(p, op, ptr, len);
  if (text === null) return <i32>op.k;
  if (text.length == 0) return WASI_ENOENT;
  if (text.startsWith('/')) return WASI_ENOTCAPABLE;
  const abs = normalize(dir.path, text, dir.root);
  if (abs === null) return WASI_ENOTCAPABLE;
  if (text.endsWith('/') || text.endsWith('/.') || text == '.') op.vflags |= second ? VFS_DIR_ONLY2 : VFS_DIR_ONLY;
  if (second) {
    op.path2 = abs;
    op.root2 = dir.root;
    op.hasPath2 = true;
  } else {
    op.path = abs;
    op.root = dir.root;
    op.hasPath = true;
  }
  return 0;
}

/** An op for a path call on (dirfd, ptr, len) needing `rights`; its k holds the errno when the path is refused. */
function pathOp(p: Process, dirfd: u32, rights: u64, ptr: u32, len: u32): Op {
  const op = new Op(p);
  op.k = <u32>pathArg(p, op, dirfd, rights, ptr, len, false);
  return op;
}

// ---- arguments, environment, clocks, random, process -----------------------------

/** Strings in a NUL-separated block (the spawn arguments or environment). */
function countStrings(b: Uint8Array): u32 {
  let n: u32 = b.length > 0 ? 1 : 0;
  for (let i = 0; i < b.length; i++) if (b[i] == 0) n++;
  return n;
}

/** args_sizes_get / environ_sizes_get: (count_out, buf_size_out). */
function sizes(p: Process, b: Uint8Array): i32 {
  if (!inRange(p, a32(0), 4) || !inRange(p, a32(1), 4)) return WASI_EFAULT;
  putU32(p, a32(0), countStrings(b));
  putU32(p, a32(1), b.length > 0 ? <u32>b.length + 1 : 0);
  return 0;
}

/** args_get / environ_get: (ptrs, buf) the NUL-terminated strings to buf, a pointer to each to ptrs. */
function strings(p: Process, b: Uint8Array): i32 {
  const ptrs = a32(0), buf = a32(1), n = countStrings(b);
  if (!inRange(p, ptrs, <u64>n * 4) || !inRange(p, buf, n > 0 ? b.length + 1 : 0)) return WASI_EFAULT;
  if (n == 0) return 0;
  copyOut(p, b.dataStart, buf, b.length);
  copyOut(p, changetype<usize>(zero), buf + b.length, 1);
  putU32(p, ptrs, buf);
  for (let i = 0, k: u32 = 1; i < b.length; i++) if (b[i] == 0) putU32(p, ptrs + 4 * k++, buf + <u32>i + 1);
  return 0;
}

const zero = new StaticArray<u64>(1);

function argsGet(p: Process): i32 { return strings(p, p.args); }
function argsSizesGet(p: Process): i32 { return sizes(p, p.args); }
function environGet(p: Process): i32 { return strings(p, p.env); }
function environSizesGet(p: Process): i32 { return sizes(p, p.env); }

const word64 = new StaticArray<u64>(1);

/** clock_res_get(id, resolution_out): microseconds, the resolution every HAL clock gives. */
function clockResGet(p: Process): i32 {
  if (a32(0) > <u32>WASI_CLOCK_THREAD_CPUTIME) return WASI_EINVAL;
  if (!inRange(p, a32(1), 8)) return WASI_EFAULT;
  putU64(p, a32(1), 1000);
  return 0;
}

/** clock_time_get(id, precision, time_out): kernel time, wall time, or the process's CPU time. */
function clockTimeGet(p: Process): i32 {
  const id = a32(0);
  if (!inRange(p, a32(2), 8)) return WASI_EFAULT;
  let t: u64;
  if (id == WASI_CLOCK_MONOTONIC) t = <u64>now();
  else if (id == WASI_CLOCK_REALTIME) t = <u64>Config.realtimeSec * 1_000_000_000 + <u64>now();
  else if (id == WASI_CLOCK_PROCESS_CPUTIME || id == WASI_CLOCK_THREAD_CPUTIME) t = <u64>(p.cpuNs + (p.cpu >= 0 ? now() - p.sliceStart : 0));
  else return WASI_EINVAL;
  putU64(p, a32(2), t);
  return 0;
}

/** random_get's generator (xorshift64*), seeded from the clock — so fixed in deterministic mode. Not for keys. */
let seed: u64 = 0;

function randomGet(p: Process): i32 {
  const buf = a32(0), len = a32(1);
  if (!inRange(p, buf, len)) return WASI_EFAULT;
  if (seed == 0) seed = <u64>now() ^ 0x9e3779b97f4a7c15;
  for (let done: u32 = 0; done < len; done += 8) {
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    unchecked(word64[0] = seed * 0x2545f4914f6cdd1d);
    copyOut(p, changetype<usize>(word64), buf + done, min<u32>(8, len - done));
  }
  return 0;
}

/** proc_exit(code): the low 8 bits are the exit code, as a POSIX parent sees it. */
function procExit(p: Process): i32 {
  exitProcess(p, <i32>(a32(0) & 0xff));
  return K_BLOCKED;
}

function procRaise(p: Process): i32 { return WASI_ENOSYS; }
function schedYield(p: Process): i32 { return yieldCpu(p) ? K_BLOCKED : 0; }
/** sock_*: ONCRIX has no sockets — an fd that is open is not one. */
function notSocket(p: Process): i32 { return getFd(p, a32(0)) === null ? WASI_EBADF : WASI_ENOTSOCK; }

// ---- fds ---------------------------------------------------------------------------

function fdClose(p: Process): i32 { return closeFd(p, a32(0)) ? 0 : WASI_EBADF; }

/** A call that needs only its rights for files kept in memory (advise, sync); pipes cannot. */
function fdNoop(p: Process, rights: u64): i32 {
  const op = fdOp(p, rights);
  return op.k != 0 ? <i32>op.k : fileOf(p, a32(0)).pipe !== null ? WASI_ESPIPE : 0;
}

function fdAdvise(p: Process): i32 { return a32(3) > 5 ? WASI_EINVAL : fdNoop(p, WASI_RIGHT_FD_ADVISE); }
function fdDatasync(p: Process): i32 { return fdNoop(p, WASI_RIGHT_FD_DATASYNC); }
function fdSync(p: Process): i32 { return fdNoop(p, WASI_RIGHT_FD_SYNC); }

/** fd_allocate: NOTSUP, as in wasmtime (a WASI program grows a file by writing it or fd_filestat_set_size). */
function fdAllocate(p: Process): i32 {
  const op = fdOp(p, WASI_RIGHT_FD_ALLOCATE);
  return op.k != 0 ? <i32>op.k : WASI_ENOTSUP;
}

const fdstat = new StaticArray<u64>(3);

function fdFdstatGet(p: Process): i32 {
  const fd = getFd(p, a32(0));
  if (fd === null) return WASI_EBADF;
  if (!inRange(p, a32(1), WASI_FDSTAT_SIZE)) return WASI_EFAULT;
  const f = fd.file, at = changetype<usize>(fdstat);
  store<u64>(at, 0);
  store<u8>(at + WASI_FDSTAT_FILETYPE, f.pipe !== null ? <u8>WASI_FILETYPE_SOCKET_STREAM : f.kind == F_DIR
    ? <u8>WASI_FILETYPE_DIRECTORY : f.filetype != 0 ? f.filetype : <u8>WASI_FILETYPE_CHARACTER_DEVICE);
  store<u16>(at + WASI_FDSTAT_FLAGS, <u16>f.flags);
  store<u64>(at + WASI_FDSTAT_RIGHTS_BASE, fd.base);
  store<u64>(at + WASI_FDSTAT_RIGHTS_INHERITING, fd.inheriting);
  copyOut(p, at, a32(1), WASI_FDSTAT_SIZE);
  return 0;
}

/** fd_fdstat_set_flags(fd, flags): APPEND and NONBLOCK may change; the sync flags are accepted. */
function fdFdstatSetFlags(p: Process): i32 {
  const op = fdOp(p, WASI_RIGHT_FD_FDSTAT_SET_FLAGS);
  if (op.k != 0) return <i32>op.k;
  if ((a32(1) & ~0x1f) != 0) return WASI_EINVAL;
  const f = fileOf(p, a32(0)), keep = WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK;
  f.flags = (f.flags & ~keep) | (a32(1) & keep);
  return 0;
}

/** fd_fdstat_set_rights(fd, base, inheriting): rights only shrink. */
function fdFdstatSetRights(p: Process): i32 {
  const fd = getFd(p, a32(0));
  if (fd === null) return WASI_EBADF;
  if ((a64(1) & ~fd.base) != 0 || (a64(2) & ~fd.inheriting) != 0) return WASI_ENOTCAPABLE;
  fd.base = a64(1);
  fd.inheriting = a64(2);
  return 0;
}

function fdFilestatGet(p: Process): i32 {
  const op = fdOp(p, WASI_RIGHT_FD_FILESTAT_GET);
  if (op.k != 0) return <i32>op.k;
  if (!inRange(p, a32(1), WASI_FILESTAT_SIZE)) return WASI_EFAULT;
  op.out = a32(1);
  return stat(op, true);
}

function fdFilestatSetSize(p: Process): i32 {
  const op = fdOp(p, WASI_RIGHT_FD_FILESTAT_SET_SIZE);
  if (op.k != 0) return <i32>op.k;
  if (fileOf(p, a32(0)).kind != F_FILE) return WASI_EINVAL;
  op.voff = a64(1);
  return fileRequest(op, VFS_SET_SIZE);
}

function fdFilestatSetTimes(p: Process): i32 {
  const op = fdOp(p, WASI_RIGHT_FD_FILESTAT_SET_TIMES);
  if (op.k != 0) return <i32>op.k;
  if (fileOf(p, a32(0)).pipe !== null) return WASI_EINVAL;
  op.voff = a64(1);
  op.vval = a64(2);
  op.vcount = a32(3);
  return fileRequest(op, VFS_SET_TIMES);
}

/** fd_read, fd_write (fd, iovs, iovs_len, n_out) and, positioned, fd_pread, fd_pwrite (…, offset, n_out). */
function transfer(p: Process, rights: u64, positioned: bool, write: bool): i32 {
  const op = fdOp(p, rights);
  if (op.k != 0) return <i32>op.k;
  const out = a32(positioned ? 4 : 3);
  if (!inRange(p, out, 4)) return WASI_EFAULT;
  const v = iovecs(p, op, a32(1), a32(2));
  if (v != 0) return v;
  op.out = out;
  op.n = a64(3);
  return readWrite(op, write, positioned);
}

function fdRead(p: Process): i32 { return transfer(p, WASI_RIGHT_FD_READ, false, false); }
function fdPread(p: Process): i32 { return transfer(p, WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK, true, false); }
function fdWrite(p: Process): i32 { return transfer(p, WASI_RIGHT_FD_WRITE, false, true); }
function fdPwrite(p: Process): i32 { return transfer(p, WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK, true, true); }

/** The fd a32(0) if it is a preopen. */
function preopen(p: Process): Fd | null {
  const fd = getFd(p, a32(0));
  return fd !== null && fd.preopen.length > 0 ? fd : null;
}

function fdPrestatGet(p: Process): i32 {
  const fd = preopen(p);
  if (fd === null) return WASI_EBADF;
  if (!inRange(p, a32(1), WASI_PRESTAT_SIZE)) return WASI_EFAULT;
  putU32(p, a32(1) + WASI_PRESTAT_TAG, 0);
  putU32(p, a32(1) + WASI_PRESTAT_NAME_LEN, <u32>String.UTF8.byteLength(fd.preopen));
  return 0;
}

function fdPrestatDirName(p: Process): i32 {
  const fd = preopen(p);
  if (fd === null) return WASI_EBADF;
  const name = String.UTF8.encode(fd.preopen);
  if (a32(2) < <u32>name.byteLength) return WASI_ENAMETOOLONG;
  if (!inRange(p, a32(1), name.byteLength)) return WASI_EFAULT;
  copyOut(p, changetype<usize>(name), a32(1), name.byteLength);
  return 0;
}

/** fd_readdir(fd, buf, buf_len, cookie, bufused_out) */
function fdReaddir(p: Process): i32 {
  const op = fdOp(p, WASI_RIGHT_FD_READDIR);
  if (op.k != 0) return <i32>op.k;
  if (fileOf(p, a32(0)).kind != F_DIR) return WASI_ENOTDIR;
  const b = buffer(p, op, a32(1), a32(2));
  if (b != 0) return b;
  if (!inRange(p, a32(4), 4)) return WASI_EFAULT;
  op.out = a32(4);
  op.n = a64(3);
  return readdir(op);
}

function fdRenumber(p: Process): i32 {
  if (getFd(p, a32(0)) === null || getFd(p, a32(1)) === null) return WASI_EBADF;
  if (a32(0) != a32(1)) installFd(p, takeFd(p, a32(0)), a32(1));
  return 0;
}

/** fd_seek(fd, offset, whence, newoffset_out): the offset of a file (from its end: its size first). */
function fdSeek(p: Process): i32 {
  const whence = a32(2);
  const op = fdOp(p, whence == WASI_WHENCE_CUR && a64(1) == 0 ? WASI_RIGHT_FD_TELL : WASI_RIGHT_FD_SEEK);
  if (op.k != 0) return <i32>op.k;
  if (!inRange(p, a32(3), 8)) return WASI_EFAULT;
  const f = fileOf(p, a32(0));
  if (f.kind != F_FILE) return f.kind == F_DIR ? WASI_EISDIR : WASI_ESPIPE;
  op.out = a32(3);
  op.n = a64(1);
  if (whence == WASI_WHENCE_END) return seekEnd(op);
  if (whence != WASI_WHENCE_SET && whence != WASI_WHENCE_CUR) return WASI_EINVAL;
  const to = (whence == WASI_WHENCE_CUR ? <i64>f.offset : 0) + <i64>a64(1);
  if (to < 0) return WASI_EINVAL;
  f.offset = <u64>to;
  putU64(p, a32(3), f.offset);
  return 0;
}

/** fd_tell(fd, offset_out) is fd_seek(fd, 0, CUR, offset_out). */
function fdTell(p: Process): i32 {
  wideArgs[3] = wideArgs[1];
  wideArgs[1] = 0;
  wideArgs[2] = WASI_WHENCE_CUR;
  return fdSeek(p);
}

// ---- paths ---------------------------------------------------------------------------

/** A one-path call that needs only its errno: (fd, path, path_len). */
function onePath(p: Process, rights: u64, vop: u32): i32 {
  const op = pathOp(p, a32(0), rights, a32(1), a32(2));
  return op.k != 0 ? <i32>op.k : simple(op, vop);
}

function pathCreateDirectory(p: Process): i32 { return onePath(p, WASI_RIGHT_PATH_CREATE_DIRECTORY, VFS_MKDIR); }
function pathRemoveDirectory(p: Process): i32 { return onePath(p, WASI_RIGHT_PATH_REMOVE_DIRECTORY, VFS_RMDIR); }
function pathUnlinkFile(p: Process): i32 { return onePath(p, WASI_RIGHT_PATH_UNLINK_FILE, VFS_UNLINK); }

function follow(flags: u32): u32 { return (flags & WASI_LOOKUP_SYMLINK_FOLLOW) != 0 ? VFS_FOLLOW : 0; }

/** path_filestat_get(fd, lookupflags, path, path_len, filestat_out) */
function pathFilestatGet(p: Process): i32 {
  const op = pathOp(p, a32(0), WASI_RIGHT_PATH_FILESTAT_GET, a32(2), a32(3));
  if (op.k != 0) return <i32>op.k;
  if (!inRange(p, a32(4), WASI_FILESTAT_SIZE)) return WASI_EFAULT;
  op.out = a32(4);
  op.vflags |= follow(a32(1));
  return stat(op, false);
}

/** path_filestat_set_times(fd, lookupflags, path, path_len, atim, mtim, fst_flags) */
function pathFilestatSetTimes(p: Process): i32 {
  const op = pathOp(p, a32(0), WASI_RIGHT_PATH_FILESTAT_SET_TIMES, a32(2), a32(3));
  if (op.k != 0) return <i32>op.k;
  op.vflags |= follow(a32(1));
  op.voff = a64(4);
  op.vval = a64(5);
  op.vcount = a32(6);
  return simple(op, VFS_SET_TIMES);
}

/** path_link(old_fd, old_lookupflags, old_path, old_len, new_fd, new_path, new_len) */
function pathLink(p: Process): i32 {
  const op = pathOp(p, a32(0), WASI_RIGHT_PATH_LINK_SOURCE, a32(2), a32(3));
  if (op.k != 0) return <i32>op.k;
  const e = pathArg(p, op, a32(4), WASI_RIGHT_PATH_LINK_TARGET, a32(5), a32(6), true);
  op.vflags |= follow(a32(1));
  return e != 0 ? e : simple(op, VFS_LINK);
}

/** path_open(fd, lookupflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags, fd_out) */
function pathOpen(p: Process): i32 {
  const oflags = a32(4);
  let rights: u64 = WASI_RIGHT_PATH_OPEN;
  if ((oflags & WASI_O_CREAT) != 0) rights |= WASI_RIGHT_PATH_CREATE_FILE;
  if ((oflags & WASI_O_TRUNC) != 0) rights |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
  const op = pathOp(p, a32(0), rights, a32(2), a32(3));
  if (op.k != 0) return <i32>op.k;
  if (oflags > 0xf || a32(7) > 0x1f) return WASI_EINVAL;
  if (!inRange(p, a32(8), 4)) return WASI_EFAULT;
  if (freeFds(p) == 0) return WASI_EMFILE;
  const dir = changetype<Fd>(getFd(p, a32(0)));
  op.out = a32(8);
  op.n = a64(5) & dir.inheriting;
  op.m = a64(6) & dir.inheriting;
  op.k = a32(7);
  op.vflags |= oflags | a32(7) << 8 | follow(a32(1));
  return open(op);
}

/** path_readlink(fd, path, path_len, buf, buf_len, bufused_out): the target, cut to buf_len. */
function pathReadlink(p: Process): i32 {
  const op = pathOp(p, a32(0), WASI_RIGHT_PATH_READLINK, a32(1), a32(2));
  if (op.k != 0) return <i32>op.k;
  const b = buffer(p, op, a32(3), a32(4));
  if (b != 0) return b;
  if (!inRange(p, a32(5), 4)) return WASI_EFAULT;
  op.out = a32(5);
  return readlink(op);
}

/** path_rename(fd, old_path, old_len, new_fd, new_path, new_len): within one service, else XDEV. */
function pathRename(p: Process): i32 {
  const op = pathOp(p, a32(0), WASI_RIGHT_PATH_RENAME_SOURCE, a32(1), a32(2));
  if (op.k != 0) return <i32>op.k;
  const e = pathArg(p, op, a32(3), WASI_RIGHT_PATH_RENAME_TARGET, a32(4), a32(5), true);
  return e != 0 ? e : simple(op, VFS_RENAME);
}

/** path_symlink(target, target_len, fd, path, path_len): the target is stored as given. */
function pathSymlink(p: Process): i32 {
  const op = pathOp(p, a32(2), WASI_RIGHT_PATH_SYMLINK, a32(3), a32(4));
  if (op.k != 0) return <i32>op.k;
  const target = pathText(p, op, a32(0), a32(1));
  if (target === null) return <i32>op.k;
  if (target.length == 0) return WASI_ENOENT;
  if (target.startsWith('/')) return WASI_EPERM; // a link may not name a place outside its directory tree (as wasmtime)
  op.path2 = target;
  op.hasPath2 = true;
  op.raw2 = true;
  return simple(op, VFS_SYMLINK);
}

/** poll_oneoff(subscriptions, events_out, nsubscriptions, nevents_out) */
function pollOneoff(p: Process): i32 {
  const subs = a32(0), events = a32(1), n = a32(2);
  if (n == 0 || n > 4096) return WASI_EINVAL;
  if (!inRange(p, subs, <u64>n * WASI_SUBSCRIPTION_SIZE) || !inRange(p, events, <u64>n * WASI_EVENT_SIZE)) return WASI_EFAULT;
  const list = inRange(p, a32(3), 4) ? copyBytes(p, subs, n * WASI_SUBSCRIPTION_SIZE) : null;
  if (list === null) return WASI_EFAULT;
  const op = pollOp(p);
  op.out = events;
  op.out2 = a32(3);
  return poll(op, list, n);
}

/** The WASI calls, by number - WASI_FIRST: the order of WasiFunctions (packages/abi/src/posix.ts), four a line. */
const wasiCalls: StaticArray<(p: Process) => i32> = [
  /*  0 */ argsGet, argsSizesGet, environGet, environSizesGet,
  /*  4 */ clockResGet, clockTimeGet, fdAdvise, fdAllocate,
  /*  8 */ fdClose, fdDatasync, fdFdstatGet, fdFdstatSetFlags,
  /* 12 */ fdFdstatSetRights, fdFilestatGet, fdFilestatSetSize, fdFilestatSetTimes,
  /* 16 */ fdPread, fdPrestatGet, fdPrestatDirName, fdPwrite,
  /* 20 */ fdRead, fdReaddir, fdRenumber, fdSeek,
  /* 24 */ fdSync, fdTell, fdWrite, pathCreateDirectory,
  /* 28 */ pathFilestatGet, pathFilestatSetTimes, pathLink, pathOpen,
  /* 32 */ pathReadlink, pathRemoveDirectory, pathRename, pathSymlink,
  /* 36 */ pathUnlinkFile, pollOneoff, procExit, procRaise,
  /* 40 */ schedYield, randomGet, notSocket, notSocket,
  /* 44 */ notSocket, notSocket,
];
