// liboncrix: file descriptors — the kernel vfs (docs/vfs.md) for programs
// written against liboncrix: the fd syscalls (FD_PIPE, FD_FROM_HANDLE,
// FD_MOUNT, FD_PREOPEN) and the WASI functions, called through FD_CALL with
// their arguments in a block of u64 words (WIDE_ARGS of them) in this
// program's memory. WASI calls answer a WASI errno (0: success), never a
// negative ERR_* code unless the call itself was malformed; results come back
// through out-parameters, read here from one scratch block.

import {
  SYS_FD_CALL, SYS_FD_PIPE, SYS_FD_FROM_HANDLE, SYS_FD_MOUNT, SYS_FD_PREOPEN, WIDE_ARGS,
  WASI_FD_READ, WASI_FD_WRITE, WASI_FD_CLOSE, WASI_FD_FDSTAT_GET, WASI_PATH_OPEN, WASI_PATH_FILESTAT_GET, WASI_FILESTAT_SIZE,
  WASI_FILESTAT_FILETYPE, WASI_RIGHT_ALL, WASI_RIGHT_FD_WRITE, WASI_LOOKUP_SYMLINK_FOLLOW, WASI_O_DIRECTORY,
} from "../../abi/assembly/index";
import { syscall } from "./sys";
import { Handle } from "./handles";

export type Fd = i32;

const args = new StaticArray<u64>(WIDE_ARGS);
/** Out-parameters of the calls below: two fds, a count, or a Filestat. */
const out = memory.data(64);
const iov = memory.data(8);

/** WASI function nr with up to WIDE_ARGS arguments: its errno. */
export function wasi(nr: i32, a0: u64 = 0, a1: u64 = 0, a2: u64 = 0, a3: u64 = 0, a4: u64 = 0, a5: u64 = 0, a6: u64 = 0,
  a7: u64 = 0, a8: u64 = 0): i32 {
  args[0] = a0; args[1] = a1; args[2] = a2; args[3] = a3; args[4] = a4;
  args[5] = a5; args[6] = a6; args[7] = a7; args[8] = a8;
  return syscall(SYS_FD_CALL, nr, <i32>changetype<usize>(args), 0, 0, 0, 0);
}

/** A pipe: [read fd, write fd], or null when the kernel said no (the quota, or a full fd table). */
export function fdPipe(): StaticArray<Fd> | null {
  const r = syscall(SYS_FD_PIPE, <i32>out, 0, 0, 0, 0, 0);
  if (r < 0) return null;
  const fds = new StaticArray<Fd>(2);
  fds[0] = load<i32>(out);
  fds[1] = load<i32>(out + 4);
  return fds;
}

/** Give a channel to a stream service (the console) to the kernel as an fd (the handle is moved). The fd or an error. */
export function fdFromHandle(h: Handle): Fd {
  const r = syscall(SYS_FD_FROM_HANDLE, h, <i32>out, 0, 0, 0, 0);
  return r < 0 ? r : load<i32>(out);
}

/** Mount the filesystem service behind channel h (moved) at an absolute path; root: init with MANAGE. */
export function fdMount(root: Handle, path: string, h: Handle): i32 {
  const p = String.UTF8.encode(path);
  return syscall(SYS_FD_MOUNT, root, <i32>changetype<usize>(p), p.byteLength, h, 0, 0);
}

/** A preopened directory fd for an absolute path; root: init with MANAGE. The fd or an error. */
export function fdPreopen(root: Handle, path: string): Fd {
  const p = String.UTF8.encode(path);
  const r = syscall(SYS_FD_PREOPEN, root, <i32>changetype<usize>(p), p.byteLength, <i32>out, 0, 0);
  return r < 0 ? r : load<i32>(out);
}

/** fd_read into buf: bytes read (0 at the end), or -errno. */
export function fdRead(fd: Fd, buf: usize, len: i32): i32 {
  store<u32>(iov, <u32>buf);
  store<u32>(iov + 4, <u32>len);
  const e = wasi(WASI_FD_READ, <u32>fd, iov, 1, out);
  return e != 0 ? -e : load<i32>(out);
}

/** fd_write from buf: bytes written, or -errno. */
export function fdWrite(fd: Fd, buf: usize, len: i32): i32 {
  store<u32>(iov, <u32>buf);
  store<u32>(iov + 4, <u32>len);
  const e = wasi(WASI_FD_WRITE, <u32>fd, iov, 1, out);
  return e != 0 ? -e : load<i32>(out);
}

/** Write all of a string to fd (UTF-8); false if a write failed. */
export function fdPrint(fd: Fd, s: string): bool {
  const b = String.UTF8.encode(s);
  for (let done = 0; done < b.byteLength;) {
    const n = fdWrite(fd, changetype<usize>(b) + done, b.byteLength - done);
    if (n <= 0) return false;
    done += n;
  }
  return true;
}

/** Is fd open in this process? (fd_fdstat_get says so) */
export function fdIsOpen(fd: Fd): bool {
  return wasi(WASI_FD_FDSTAT_GET, <u32>fd, out) == 0;
}

export function fdClose(fd: Fd): i32 {
  return wasi(WASI_FD_CLOSE, <u32>fd);
}

/**
 * path_open relative to directory fd dir with oflags and fdflags, every right (with O_DIRECTORY, every right but
 * FD_WRITE, which the kernel refuses on a directory): the new fd, or -errno.
 */
export function pathOpen(dir: Fd, path: string, oflags: u32, fdflags: u32): Fd {
  const p = String.UTF8.encode(path);
  const rights: u64 = (oflags & WASI_O_DIRECTORY) != 0 ? <u64>WASI_RIGHT_ALL & ~<u64>WASI_RIGHT_FD_WRITE : <u64>WASI_RIGHT_ALL;
  const e = wasi(WASI_PATH_OPEN, <u32>dir, WASI_LOOKUP_SYMLINK_FOLLOW, changetype<usize>(p), p.byteLength, oflags,
    rights, WASI_RIGHT_ALL, fdflags, out);
  return e != 0 ? -e : load<i32>(out);
}

/** The WasiFiletype of what path names (relative to dir, following links), or -errno. */
export function pathType(dir: Fd, path: string): i32 {
  const p = String.UTF8.encode(path);
  const e = wasi(WASI_PATH_FILESTAT_GET, <u32>dir, WASI_LOOKUP_SYMLINK_FOLLOW, changetype<usize>(p), p.byteLength, out);
  return e != 0 ? -e : load<u8>(out + WASI_FILESTAT_FILETYPE);
}

// The Filestat lands in `out` (64 bytes): keep the layout honest.
assert(WASI_FILESTAT_SIZE <= 64);
