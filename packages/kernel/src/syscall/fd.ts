// Syscall handlers of the fd layer (FD_FIRST..FD_LAST): the native calls
// around the WASI ones — FD_CALL (a WASI call from a liboncrix program, its
// arguments in a block in the caller's memory), FD_PIPE, turning a stream
// service's channel into an fd, mounting a filesystem service and preopening
// a directory (both only with a handle to the root task with MANAGE:
// authority over the namespace is authority over the system), and
// FD_GRANT_COPY, by which a service moves a waiting caller's file bytes. Also
// the fd part of PROCESS_SPAWN: the SpawnFd list a spawner wires into its
// child. Each is fetch, check, act, return.

import {
  OBJ_CHANNEL, RIGHT_READ, RIGHT_WRITE, ERR_INVALID_ARGS, ERR_FAULT, ERR_NO_MEMORY,
  ERR_LIMIT, ERR_BAD_FD, ERR_BAD_SYSCALL, WIDE_ARGS, PATH_MAX, MAX_FDS, CLOSE_CLOSED, SPAWN_FD_SIZE,
  SPAWN_FD_CHILD_FD, SPAWN_FD_PARENT_FD, SYS_FD_CALL, SYS_FD_PIPE, SYS_FD_FROM_HANDLE, SYS_FD_MOUNT, SYS_FD_PREOPEN,
  SYS_FD_GRANT_COPY, SYS_WASI_FIRST, SYS_WASI_LAST, WASI_RIGHT_ALL, WASI_RIGHT_FD_READ, WASI_RIGHT_FD_WRITE,
  WASI_RIGHT_FD_FDSTAT_SET_FLAGS, WASI_RIGHT_FD_FILESTAT_GET, WASI_RIGHT_POLL_FD_READWRITE,
  WASI_FILETYPE_CHARACTER_DEVICE,
} from '../../../abi/assembly/index';
import { Process } from '../process/process';
import { closeHandle } from '../cap/ops';
import { Endpoint } from '../ipc/channel';
import { fetch, inRange, copyBytes, putU32 } from '../mm/user';
import { mounts, holdEndpoint, releaseMount, normalize } from '../vfs/mount';
import { Fd, getFd, freeFds, installFd, inheritFd, newFile, F_DIR, F_DEV, DIR_RIGHTS } from '../vfs/fd';
import { grantCopy } from '../vfs/call';
import { makePipe } from '../vfs/ops';
import { checkHandle, checkRoot, objectOf } from './args';
import { wideArgs, wasiCall } from './wasi';

/** Rights of a stream fd (the console): read, write, stat, poll. */
const STREAM_RIGHTS: u64 = <u64>(WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_FDSTAT_SET_FLAGS |
  WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE);

/** FD_CALL(wasi_nr, args_ptr): a WASI call with its WIDE_ARGS u64 arguments in the caller's memory. */
function fdCall(p: Process, a0: i32, a1: i32): i32 {
  if (a0 < SYS_WASI_FIRST || a0 > SYS_WASI_LAST) return ERR_BAD_SYSCALL;
  const b = fetch(p, <u32>a1, WIDE_ARGS * 8);
  if (b === null) return ERR_FAULT;
  memory.copy(changetype<usize>(wideArgs), b.at, WIDE_ARGS * 8);
  return wasiCall(p, a0);
}

/** FD_PIPE(out_fds_ptr) */
function fdPipe(p: Process, a0: i32): i32 {
  if (!inRange(p, <u32>a0, 8)) return ERR_FAULT;
  return makePipe(p, <u32>a0) ? 0 : freeFds(p) < 2 ? ERR_LIMIT : ERR_NO_MEMORY;
}

/** FD_FROM_HANDLE(channel_h, out_fd_ptr): the kernel takes the channel to a stream service; the caller gets an fd. */
function fdFromHandle(p: Process, a0: i32, a1: i32): i32 {
  const e = checkHandle(p, a0, OBJ_CHANNEL, RIGHT_READ | RIGHT_WRITE);
  if (e != 0) return e;
  if (!inRange(p, <u32>a1, 4)) return ERR_FAULT;
  if (freeFds(p) == 0) return ERR_LIMIT;
  const f = newFile(p, F_DEV);
  if (f === null) return ERR_NO_MEMORY;
  const h = p.table.get(a0);
  f.mount = holdEndpoint(changetype<Endpoint>(h.obj), '');
  f.filetype = <u8>WASI_FILETYPE_CHARACTER_DEVICE;
  closeHandle(h, CLOSE_CLOSED);
  putU32(p, <u32>a1, <u32>installFd(p, new Fd(f, STREAM_RIGHTS, STREAM_RIGHTS), -1));
  return 0;
}

/** An absolute path argument, normalized; null when it is not one. */
function absolutePath(p: Process, ptr: u32, len: u32): string | null {
  if (len > <u32>PATH_MAX || !inRange(p, ptr, len)) return null;
  const b = copyBytes(p, ptr, len);
  if (b === null || len == 0 || b[0] != 47 || b.indexOf(0) >= 0) return null;
  return normalize('', String.UTF8.decodeUnsafe(b.dataStart, len), '');
}

/** FD_MOUNT(root_h, path_ptr, path_len, channel_h): the service behind channel_h answers for path (a mount there is replaced). */
function fdMount(p: Process, a0: i32, a1: i32, a2: i32, a3: i32): i32 {
  const e = checkRoot(p, a0);
  if (e != 0) return e;
  const c = checkHandle(p, a3, OBJ_CHANNEL, RIGHT_READ | RIGHT_WRITE);
  if (c != 0) return c;
  const path = absolutePath(p, <u32>a1, <u32>a2);
  if (path === null) return ERR_INVALID_ARGS;
  const h = p.table.get(a3);
  const m = holdEndpoint(changetype<Endpoint>(h.obj), path);
  for (let i = 0; i < mounts.length; i++) {
    if (mounts[i].path == path) {
      releaseMount(mounts[i]);
      mounts.splice(i, 1);
      break;
    }
  }
  mounts.push(m);
  closeHandle(h, CLOSE_CLOSED);
  return 0;
}

/** FD_PREOPEN(root_h, path_ptr, path_len, out_fd_ptr): a directory fd named by its absolute path, which no path through it may leave. */
function fdPreopen(p: Process, a0: i32, a1: i32, a2: i32, a3: i32): i32 {
  const e = checkRoot(p, a0);
  if (e != 0) return e;
  const path = absolutePath(p, <u32>a1, <u32>a2);
  if (path === null) return ERR_INVALID_ARGS;
  if (!inRange(p, <u32>a3, 4)) return ERR_FAULT;
  if (freeFds(p) == 0) return ERR_LIMIT;
  const f = newFile(p, F_DIR);
  if (f === null) return ERR_NO_MEMORY;
  f.path = path;
  f.root = path;
  const fd = new Fd(f, DIR_RIGHTS, <u64>WASI_RIGHT_ALL);
  fd.preopen = '/' + path;
  putU32(p, <u32>a3, <u32>installFd(p, fd, -1));
  return 0;
}

/** FD_GRANT_COPY(endpoint_h, txid, offset, buf_ptr, len): bytes copied for the vfs request txid pending on the endpoint. */
function fdGrantCopy(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32): i32 {
  const e = checkHandle(p, a0, OBJ_CHANNEL, RIGHT_READ | RIGHT_WRITE);
  if (e != 0) return e;
  if (a4 < 0) return ERR_INVALID_ARGS;
  if (!inRange(p, <u32>a3, <u32>a4)) return ERR_FAULT;
  return grantCopy(p, objectOf<Endpoint>(p, a0), <u32>a1, <u32>a2, <u32>a3, <u32>a4);
}

/** Syscalls FD_FIRST..FD_LAST. */
export function fdSyscall(p: Process, nr: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  if (nr == SYS_FD_CALL) return fdCall(p, a0, a1);
  if (nr == SYS_FD_PIPE) return fdPipe(p, a0);
  if (nr == SYS_FD_FROM_HANDLE) return fdFromHandle(p, a0, a1);
  if (nr == SYS_FD_MOUNT) return fdMount(p, a0, a1, a2, a3);
  if (nr == SYS_FD_PREOPEN) return fdPreopen(p, a0, a1, a2, a3);
  if (nr == SYS_FD_GRANT_COPY) return fdGrantCopy(p, a0, a1, a2, a3, a4);
  return ERR_BAD_SYSCALL;
}

/**
 * PROCESS_SPAWN's SpawnFd list (copied in): without a child, 0 if it names
 * open fds of p and distinct fd numbers for the child, else why not; with
 * one, the child gets those fds.
 */
export function spawnFds(p: Process, child: Process | null, list: Uint8Array): i32 {
  for (let i = 0; i < list.length; i += SPAWN_FD_SIZE) {
    const to = load<u32>(list.dataStart + <usize>(i + SPAWN_FD_CHILD_FD));
    const from = load<u32>(list.dataStart + <usize>(i + SPAWN_FD_PARENT_FD));
    if (child !== null) inheritFd(p, child, <i32>to, <i32>from);
    else if (to >= <u32>MAX_FDS) return ERR_INVALID_ARGS;
    else if (getFd(p, from) === null) return ERR_BAD_FD;
    for (let j = 0; child === null && j < i; j += SPAWN_FD_SIZE) {
      if (load<u32>(list.dataStart + <usize>(j + SPAWN_FD_CHILD_FD)) == to) return ERR_INVALID_ARGS;
    }
  }
  return 0;
}
