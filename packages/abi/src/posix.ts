// The POSIX front door's part of the ABI (docs/vfs.md): the WASI preview 1
// functions as syscalls, WASI's own numbers and structures, and the vfs
// protocol between the kernel and filesystem services.
//
// The idea: WASI's numbers are WASI's, copied from its specification
// (witx, wasi_snapshot_preview1) and never renumbered; ONCRIX adds only the
// syscall number of each function (WASI_FIRST + its index in `Wasi`) and its
// parameter types, from which the process shims of both HALs are generated.
// The vfs protocol is ONCRIX's: one fixed request header and one fixed reply
// header, so a service written in any language reads every request the same
// way. spec.ts lists these tables with the rest, so every view (TypeScript,
// AssemblyScript, C, docs/abi.md) has them.

import type { Constant, ConstantTable, Layout } from './spec.js';

/** WASI_FIRST, repeated here so this file needs nothing from spec.ts at run time. */
const WASI_BASE = 128;

/**
 * A WASI preview 1 function: its parameters ('i' i32, 'I' i64) in order.
 * Every function returns an errno (i32), except proc_exit, which does not return.
 */
export interface WasiFunction {
  readonly params: string;
  readonly doc: string;
}

/** Every function of wasi_snapshot_preview1, in witx order; the syscall number is WASI_FIRST + index. */
export const WasiFunctions = {
  args_get: { params: 'ii', doc: '(argv, argv_buf) the arguments: pointers, then the NUL-terminated strings' },
  args_sizes_get: { params: 'ii', doc: '(argc_out, argv_buf_size_out)' },
  environ_get: { params: 'ii', doc: '(environ, environ_buf) the environment, as args_get' },
  environ_sizes_get: { params: 'ii', doc: '(count_out, buf_size_out)' },
  clock_res_get: { params: 'ii', doc: '(clock_id, resolution_out u64)' },
  clock_time_get: { params: 'iIi', doc: '(clock_id, precision, time_out u64) nanoseconds' },
  fd_advise: { params: 'iIIi', doc: '(fd, offset, len, advice) accepted and ignored for files' },
  fd_allocate: { params: 'iII', doc: '(fd, offset, len) grow the file to offset + len if shorter' },
  fd_close: { params: 'i', doc: '(fd)' },
  fd_datasync: { params: 'i', doc: '(fd)' },
  fd_fdstat_get: { params: 'ii', doc: '(fd, fdstat_out) type, flags and rights of an fd' },
  fd_fdstat_set_flags: { params: 'ii', doc: '(fd, fdflags) APPEND and NONBLOCK may change' },
  fd_fdstat_set_rights: { params: 'iII', doc: '(fd, base, inheriting) rights only shrink' },
  fd_filestat_get: { params: 'ii', doc: '(fd, filestat_out)' },
  fd_filestat_set_size: { params: 'iI', doc: '(fd, size) truncate or extend' },
  fd_filestat_set_times: { params: 'iIIi', doc: '(fd, atim, mtim, fst_flags)' },
  fd_pread: { params: 'iiiIi', doc: '(fd, iovs, iovs_len, offset, nread_out) read at offset; the fd offset stays' },
  fd_prestat_get: { params: 'ii', doc: '(fd, prestat_out) BADF when fd is not a preopen' },
  fd_prestat_dir_name: { params: 'iii', doc: '(fd, path, path_len) the preopen name' },
  fd_pwrite: { params: 'iiiIi', doc: '(fd, iovs, iovs_len, offset, nwritten_out)' },
  fd_read: { params: 'iiii', doc: '(fd, iovs, iovs_len, nread_out) 0 bytes at end of file' },
  fd_readdir: { params: 'iiiIi', doc: '(fd, buf, buf_len, cookie, bufused_out) Dirent records from cookie; bufused < buf_len at the end' },
  fd_renumber: { params: 'ii', doc: '(fd, to) move fd to number to, closing what was there' },
  fd_seek: { params: 'iIii', doc: '(fd, offset i64, whence, newoffset_out u64)' },
  fd_sync: { params: 'i', doc: '(fd)' },
  fd_tell: { params: 'ii', doc: '(fd, offset_out u64)' },
  fd_write: { params: 'iiii', doc: '(fd, iovs, iovs_len, nwritten_out)' },
  path_create_directory: { params: 'iii', doc: '(fd, path, path_len)' },
  path_filestat_get: { params: 'iiiii', doc: '(fd, lookupflags, path, path_len, filestat_out)' },
  path_filestat_set_times: { params: 'iiiiIIi', doc: '(fd, lookupflags, path, path_len, atim, mtim, fst_flags)' },
  path_link: { params: 'iiiiiii', doc: '(old_fd, old_lookupflags, old_path, old_len, new_fd, new_path, new_len) a hard link, within one service' },
  path_open: { params: 'iiiiiIIii', doc: '(fd, lookupflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags, fd_out)' },
  path_readlink: { params: 'iiiiii', doc: '(fd, path, path_len, buf, buf_len, bufused_out)' },
  path_remove_directory: { params: 'iii', doc: '(fd, path, path_len) NOTEMPTY unless empty' },
  path_rename: { params: 'iiiiii', doc: '(fd, old_path, old_len, new_fd, new_path, new_len) within one service, else XDEV' },
  path_symlink: { params: 'iiiii', doc: '(target, target_len, fd, path, path_len)' },
  path_unlink_file: { params: 'iii', doc: '(fd, path, path_len) ISDIR for a directory' },
  poll_oneoff: { params: 'iiii', doc: '(subscriptions, events_out, nsubscriptions, nevents_out) wait for clocks and fd readiness' },
  proc_exit: { params: 'i', doc: '(code) end the process; does not return' },
  proc_raise: { params: 'i', doc: '(signal) NOSYS: ONCRIX has no signals' },
  sched_yield: { params: '', doc: '() as YIELD' },
  random_get: { params: 'ii', doc: '(buf, buf_len) random bytes from the entropy the HAL provides' },
  sock_accept: { params: 'iii', doc: '(fd, flags, fd_out) BADF or NOTSOCK: ONCRIX has no sockets' },
  sock_recv: { params: 'iiiiii', doc: '(fd, ri_data, ri_len, ri_flags, ro_datalen_out, ro_flags_out) BADF or NOTSOCK' },
  sock_send: { params: 'iiiii', doc: '(fd, si_data, si_len, si_flags, so_datalen_out) BADF or NOTSOCK' },
  sock_shutdown: { params: 'ii', doc: '(fd, how) BADF or NOTSOCK' },
} as const satisfies Readonly<Record<string, WasiFunction>>;

/** The syscall number of every WASI function (WASI_<NAME>), as a constant table. */
export const Wasi = Object.fromEntries(
  Object.entries(WasiFunctions).map(([name, f], i) => [name.toUpperCase(), { value: WASI_BASE + i, doc: `${name}${f.doc.startsWith('(') ? ' ' : ': '}${f.doc}` }]),
) as Readonly<Record<Uppercase<keyof typeof WasiFunctions>, Constant>>;

/** WASI errno values (witx `errno`): what every WASI call returns. */
export const WasiErrno = {
  SUCCESS: { value: 0, doc: 'no error' },
  '2BIG': { value: 1, doc: 'argument list too long' },
  ACCES: { value: 2, doc: 'permission denied' },
  ADDRINUSE: { value: 3, doc: 'address in use' },
  ADDRNOTAVAIL: { value: 4, doc: 'address not available' },
  AFNOSUPPORT: { value: 5, doc: 'address family not supported' },
  AGAIN: { value: 6, doc: 'resource unavailable, try again' },
  ALREADY: { value: 7, doc: 'connection already in progress' },
  BADF: { value: 8, doc: 'bad file descriptor' },
  BADMSG: { value: 9, doc: 'bad message' },
  BUSY: { value: 10, doc: 'device or resource busy' },
  CANCELED: { value: 11, doc: 'operation canceled' },
  CHILD: { value: 12, doc: 'no child processes' },
  CONNABORTED: { value: 13, doc: 'connection aborted' },
  CONNREFUSED: { value: 14, doc: 'connection refused' },
  CONNRESET: { value: 15, doc: 'connection reset' },
  DEADLK: { value: 16, doc: 'resource deadlock would occur' },
  DESTADDRREQ: { value: 17, doc: 'destination address required' },
  DOM: { value: 18, doc: 'mathematics argument out of domain' },
  DQUOT: { value: 19, doc: 'reserved' },
  EXIST: { value: 20, doc: 'file exists' },
  FAULT: { value: 21, doc: 'bad address: a pointer outside the caller memory' },
  FBIG: { value: 22, doc: 'file too large' },
  HOSTUNREACH: { value: 23, doc: 'host is unreachable' },
  IDRM: { value: 24, doc: 'identifier removed' },
  ILSEQ: { value: 25, doc: 'illegal byte sequence' },
  INPROGRESS: { value: 26, doc: 'operation in progress' },
  INTR: { value: 27, doc: 'interrupted function' },
  INVAL: { value: 28, doc: 'invalid argument' },
  IO: { value: 29, doc: 'I/O error (the filesystem service failed or went away)' },
  ISCONN: { value: 30, doc: 'socket is connected' },
  ISDIR: { value: 31, doc: 'is a directory' },
  LOOP: { value: 32, doc: 'too many levels of symbolic links' },
  MFILE: { value: 33, doc: 'file descriptor value too large (the fd table is full)' },
  MLINK: { value: 34, doc: 'too many links' },
  MSGSIZE: { value: 35, doc: 'message too large' },
  MULTIHOP: { value: 36, doc: 'reserved' },
  NAMETOOLONG: { value: 37, doc: 'filename too long' },
  NETDOWN: { value: 38, doc: 'network is down' },
  NETRESET: { value: 39, doc: 'connection aborted by network' },
  NETUNREACH: { value: 40, doc: 'network unreachable' },
  NFILE: { value: 41, doc: 'too many files open in system' },
  NOBUFS: { value: 42, doc: 'no buffer space available' },
  NODEV: { value: 43, doc: 'no such device' },
  NOENT: { value: 44, doc: 'no such file or directory' },
  NOEXEC: { value: 45, doc: 'executable file format error' },
  NOLCK: { value: 46, doc: 'no locks available' },
  NOLINK: { value: 47, doc: 'reserved' },
  NOMEM: { value: 48, doc: 'not enough space (a quota said no)' },
  NOMSG: { value: 49, doc: 'no message of the desired type' },
  NOPROTOOPT: { value: 50, doc: 'protocol not available' },
  NOSPC: { value: 51, doc: 'no space left on device (the service quota is full)' },
  NOSYS: { value: 52, doc: 'function not supported' },
  NOTCONN: { value: 53, doc: 'the socket is not connected' },
  NOTDIR: { value: 54, doc: 'not a directory' },
  NOTEMPTY: { value: 55, doc: 'directory not empty' },
  NOTRECOVERABLE: { value: 56, doc: 'state not recoverable' },
  NOTSOCK: { value: 57, doc: 'not a socket' },
  NOTSUP: { value: 58, doc: 'not supported' },
  NOTTY: { value: 59, doc: 'inappropriate I/O control operation' },
  NXIO: { value: 60, doc: 'no such device or address' },
  OVERFLOW: { value: 61, doc: 'value too large to be stored in data type' },
  OWNERDEAD: { value: 62, doc: 'previous owner died' },
  PERM: { value: 63, doc: 'operation not permitted' },
  PIPE: { value: 64, doc: 'broken pipe: no reader is left' },
  PROTO: { value: 65, doc: 'protocol error' },
  PROTONOSUPPORT: { value: 66, doc: 'protocol not supported' },
  PROTOTYPE: { value: 67, doc: 'protocol wrong type for socket' },
  RANGE: { value: 68, doc: 'result too large' },
  ROFS: { value: 69, doc: 'read-only file system' },
  SPIPE: { value: 70, doc: 'invalid seek (on a pipe or stream)' },
  SRCH: { value: 71, doc: 'no such process' },
  STALE: { value: 72, doc: 'reserved' },
  TIMEDOUT: { value: 73, doc: 'connection timed out' },
  TXTBSY: { value: 74, doc: 'text file busy' },
  XDEV: { value: 75, doc: 'cross-device link: the paths are on different services' },
  NOTCAPABLE: { value: 76, doc: 'capabilities insufficient: a right is missing, or the path leaves its preopen' },
} as const satisfies ConstantTable;

/** WASI file types (witx `filetype`). */
export const WasiFiletype = {
  UNKNOWN: { value: 0, doc: 'unknown' },
  BLOCK_DEVICE: { value: 1, doc: 'a block device' },
  CHARACTER_DEVICE: { value: 2, doc: 'a character device (the console, /dev/null …)' },
  DIRECTORY: { value: 3, doc: 'a directory' },
  REGULAR_FILE: { value: 4, doc: 'a regular file' },
  SOCKET_DGRAM: { value: 5, doc: 'a datagram socket' },
  SOCKET_STREAM: { value: 6, doc: 'a byte-stream socket (also what a pipe reports)' },
  SYMBOLIC_LINK: { value: 7, doc: 'a symbolic link' },
} as const satisfies ConstantTable;

/** WASI flag sets: open flags, fd flags, lookup flags, time flags, seek, clocks, events. */
export const WasiFlags = {
  O_CREAT: { value: 1 << 0, doc: 'oflags: create the file if it does not exist' },
  O_DIRECTORY: { value: 1 << 1, doc: 'oflags: fail with NOTDIR unless a directory' },
  O_EXCL: { value: 1 << 2, doc: 'oflags: fail with EXIST if it exists' },
  O_TRUNC: { value: 1 << 3, doc: 'oflags: truncate to size 0' },
  FDFLAG_APPEND: { value: 1 << 0, doc: 'fdflags: every write goes to the end' },
  FDFLAG_DSYNC: { value: 1 << 1, doc: 'fdflags: accepted' },
  FDFLAG_NONBLOCK: { value: 1 << 2, doc: 'fdflags: reads and writes that would block return AGAIN' },
  FDFLAG_RSYNC: { value: 1 << 3, doc: 'fdflags: accepted' },
  FDFLAG_SYNC: { value: 1 << 4, doc: 'fdflags: accepted' },
  LOOKUP_SYMLINK_FOLLOW: { value: 1 << 0, doc: 'lookupflags: follow a symbolic link at the last component' },
  FST_ATIM: { value: 1 << 0, doc: 'fstflags: set the access time to the given value' },
  FST_ATIM_NOW: { value: 1 << 1, doc: 'fstflags: set the access time to now' },
  FST_MTIM: { value: 1 << 2, doc: 'fstflags: set the modification time to the given value' },
  FST_MTIM_NOW: { value: 1 << 3, doc: 'fstflags: set the modification time to now' },
  WHENCE_SET: { value: 0, doc: 'fd_seek: from the start' },
  WHENCE_CUR: { value: 1, doc: 'fd_seek: from the current offset' },
  WHENCE_END: { value: 2, doc: 'fd_seek: from the end' },
  CLOCK_REALTIME: { value: 0, doc: 'clock: wall time since 1970' },
  CLOCK_MONOTONIC: { value: 1, doc: 'clock: monotonic (kernel time)' },
  CLOCK_PROCESS_CPUTIME: { value: 2, doc: 'clock: CPU time of the process' },
  CLOCK_THREAD_CPUTIME: { value: 3, doc: 'clock: CPU time of the thread (= the process)' },
  EVENT_CLOCK: { value: 0, doc: 'eventtype: a clock subscription' },
  EVENT_FD_READ: { value: 1, doc: 'eventtype: fd readable' },
  EVENT_FD_WRITE: { value: 2, doc: 'eventtype: fd writable' },
  SUBCLOCK_ABSTIME: { value: 1 << 0, doc: 'subclockflags: the timeout is an absolute time' },
  EVENT_FD_READWRITE_HANGUP: { value: 1 << 0, doc: 'eventrwflags: the peer of a pipe is gone' },
  PREOPEN_DIR: { value: 0, doc: 'preopentype: a directory' },
} as const satisfies ConstantTable;

/** WASI rights (witx `rights`): one bit per operation an fd allows. */
export const WasiRights = {
  FD_DATASYNC: { value: 1 << 0, doc: 'fd_datasync' },
  FD_READ: { value: 1 << 1, doc: 'fd_read, fd_pread' },
  FD_SEEK: { value: 1 << 2, doc: 'fd_seek (implies FD_TELL)' },
  FD_FDSTAT_SET_FLAGS: { value: 1 << 3, doc: 'fd_fdstat_set_flags' },
  FD_SYNC: { value: 1 << 4, doc: 'fd_sync' },
  FD_TELL: { value: 1 << 5, doc: 'fd_tell, fd_seek(CUR, 0)' },
  FD_WRITE: { value: 1 << 6, doc: 'fd_write, fd_pwrite' },
  FD_ADVISE: { value: 1 << 7, doc: 'fd_advise' },
  FD_ALLOCATE: { value: 1 << 8, doc: 'fd_allocate' },
  PATH_CREATE_DIRECTORY: { value: 1 << 9, doc: 'path_create_directory' },
  PATH_CREATE_FILE: { value: 1 << 10, doc: 'path_open with O_CREAT' },
  PATH_LINK_SOURCE: { value: 1 << 11, doc: 'path_link, old side' },
  PATH_LINK_TARGET: { value: 1 << 12, doc: 'path_link, new side' },
  PATH_OPEN: { value: 1 << 13, doc: 'path_open' },
  FD_READDIR: { value: 1 << 14, doc: 'fd_readdir' },
  PATH_READLINK: { value: 1 << 15, doc: 'path_readlink' },
  PATH_RENAME_SOURCE: { value: 1 << 16, doc: 'path_rename, old side' },
  PATH_RENAME_TARGET: { value: 1 << 17, doc: 'path_rename, new side' },
  PATH_FILESTAT_GET: { value: 1 << 18, doc: 'path_filestat_get' },
  PATH_FILESTAT_SET_SIZE: { value: 1 << 19, doc: 'path_open with O_TRUNC' },
  PATH_FILESTAT_SET_TIMES: { value: 1 << 20, doc: 'path_filestat_set_times' },
  FD_FILESTAT_GET: { value: 1 << 21, doc: 'fd_filestat_get' },
  FD_FILESTAT_SET_SIZE: { value: 1 << 22, doc: 'fd_filestat_set_size' },
  FD_FILESTAT_SET_TIMES: { value: 1 << 23, doc: 'fd_filestat_set_times' },
  PATH_SYMLINK: { value: 1 << 24, doc: 'path_symlink' },
  PATH_REMOVE_DIRECTORY: { value: 1 << 25, doc: 'path_remove_directory' },
  PATH_UNLINK_FILE: { value: 1 << 26, doc: 'path_unlink_file' },
  POLL_FD_READWRITE: { value: 1 << 27, doc: 'poll_oneoff on the fd' },
  SOCK_SHUTDOWN: { value: 1 << 28, doc: 'sock_shutdown' },
  SOCK_ACCEPT: { value: 1 << 29, doc: 'sock_accept' },
  ALL: { value: (1 << 30) - 1, doc: 'every right' },
} as const satisfies ConstantTable;

/**
 * Operations of the vfs protocol (kernel -> filesystem service). Numbers
 * start at 16 so that a service may also speak the console protocol
 * (operations 1..3) on the same channel, as the UART driver does.
 * Every request is a VfsRequest header followed by path bytes; every reply a
 * VfsReply header followed by what the operation returns.
 */
export const VfsOp = {
  OPEN: { value: 16, doc: 'path, flags = oflags | fdflags << 8 | FOLLOW -> value = open-file id, filetype; a Filestat follows' },
  CLOSE: { value: 17, doc: 'file: forget the open-file id (no reply is awaited)' },
  READ: { value: 18, doc: 'file, offset, count = bytes granted, value = read-ahead allowed -> FD_GRANT_COPY into the caller, or VfsSegment records after the reply header that the kernel copies (those past count: read-ahead); value = bytes read (0 at the end)' },
  WRITE: { value: 19, doc: 'file, offset, count, flags = APPEND?, value = room allowed -> FD_GRANT_COPY from the caller, or VfsSegment records after the reply header that the kernel copies the caller\'s bytes into (those past count: room for the next writes); value = bytes written, fileSize = the file size after' },
  STAT: { value: 20, doc: 'path, flags = FOLLOW? -> a Filestat follows' },
  FSTAT: { value: 21, doc: 'file -> a Filestat follows' },
  SET_SIZE: { value: 22, doc: 'file, offset = new size' },
  SET_TIMES: { value: 23, doc: 'path (or file when pathLen is 0), offset = atim, value = mtim, count = fstflags, flags = FOLLOW?' },
  READDIR: { value: 24, doc: 'file, offset = cookie, count = bytes granted -> Dirent records by FD_GRANT_COPY, value = bytes used' },
  MKDIR: { value: 25, doc: 'path' },
  UNLINK: { value: 26, doc: 'path (not a directory: ISDIR)' },
  RMDIR: { value: 27, doc: 'path (an empty directory: else NOTEMPTY)' },
  RENAME: { value: 28, doc: 'path, path2 = new path' },
  LINK: { value: 29, doc: 'path, path2 = new path; flags = FOLLOW?' },
  SYMLINK: { value: 30, doc: 'path = the link to make, path2 = its target' },
  READLINK: { value: 31, doc: 'path -> value = target length; the target follows' },
  SYNC: { value: 32, doc: 'file: accepted' },
  WROTE: { value: 33, doc: 'file, offset, count: the kernel wrote these bytes of the file into the room a WRITE reply named (no reply is awaited)' },
} as const satisfies ConstantTable;

/** One vfs operation as the protocol table shows it: what the request carries, what the reply does, and its errors. */
export interface VfsMessage {
  readonly request: string;
  readonly reply: string;
  /** WasiErrno names (and REDIRECT) the operation may answer. */
  readonly errors: readonly string[];
}

/** Errors of every operation that walks a path (before its own). */
const WALK = ['NOENT', 'NOTDIR', 'NAMETOOLONG', 'REDIRECT'] as const;

/**
 * The vfs protocol, one row per operation: docs/abi.md prints it as the
 * protocol's table (the test of the ABI checks that it names every VfsOp and
 * only errors that exist). Request fields are VfsRequest's, reply fields
 * VfsReply's; `path` is the pathLen bytes after the header, `path2` the
 * path2Len bytes after it.
 */
export const VfsProtocol = {
  OPEN: { request: 'path; flags = oflags | fdflags << 8, FOLLOW, DIR_ONLY', reply: 'value = open-file id, filetype; a WasiFilestat follows', errors: [...WALK, 'EXIST', 'ISDIR', 'LOOP', 'INVAL', 'NOSPC'] },
  CLOSE: { request: 'file', reply: 'none (sent without waiting)', errors: [] },
  READ: { request: 'file, offset, count = bytes granted; value = read-ahead: how many more bytes, past count, the reply may name', reply: 'value = bytes read (0 at the end), copied into the caller by FD_GRANT_COPY or named by VfsSegment records after the header, which the kernel copies into the grant in order from its start as it takes the reply (one kernel entry per read instead of two). Segments past count are the file\'s next bytes (read-ahead): the kernel serves the caller\'s next reads from them without a request, so a service that names them promises they stay the file\'s bytes until the kernel sends it a WRITE or SET_SIZE of that file (the inode of its OPEN reply) or a request that changes names (OPEN, MKDIR, UNLINK, RMDIR, RENAME, LINK, SYMLINK). A segment outside the service memory or past count + value fails the read with IO', errors: ['BADF', 'ISDIR', 'IO'] },
  WRITE: { request: 'file, offset, count = bytes granted; flags = APPEND; value = room: how many more bytes, past count, the reply may name', reply: 'value = bytes written, fileSize = the size after; the bytes are copied from the caller by FD_GRANT_COPY, or into the VfsSegment records after the header by the kernel as it takes the reply (in order from the grant\'s start). Segments past count are room: blocks the service gave the file for its next bytes, which the kernel writes the caller\'s next sequential writes into without a request, telling the service with WROTE before anything else it sends it; a service that names room promises those blocks stay the file\'s until then, as for read-ahead (and, since those writes are acknowledged before it has them, only a service whose writes need not outlive it may). A segment outside the service memory or past count + value fails the write with IO', errors: ['BADF', 'ISDIR', 'FBIG', 'NOSPC', 'IO'] },
  STAT: { request: 'path; flags = FOLLOW, DIR_ONLY', reply: 'a WasiFilestat follows', errors: [...WALK] },
  FSTAT: { request: 'file (ROOT: the service root)', reply: 'a WasiFilestat follows', errors: ['BADF'] },
  SET_SIZE: { request: 'file, offset = the new size', reply: 'nothing', errors: ['BADF', 'INVAL', 'FBIG', 'NOSPC'] },
  SET_TIMES: { request: 'path, or file when pathLen is 0; offset = atim, value = mtim, count = fstflags; flags = FOLLOW', reply: 'nothing', errors: [...WALK, 'BADF', 'INVAL'] },
  READDIR: { request: 'file, offset = cookie, count = bytes granted', reply: 'value = bytes of WasiDirent records copied by FD_GRANT_COPY (less than count: the end)', errors: ['BADF', 'NOTDIR', 'IO'] },
  MKDIR: { request: 'path', reply: 'nothing', errors: [...WALK, 'EXIST', 'NOSPC'] },
  UNLINK: { request: 'path', reply: 'nothing', errors: [...WALK, 'ISDIR', 'BUSY'] },
  RMDIR: { request: 'path', reply: 'nothing', errors: [...WALK, 'NOTEMPTY', 'BUSY'] },
  RENAME: { request: 'path = from, path2 = to; flags = DIR_ONLY, DIR_ONLY2', reply: 'nothing; a link in path2 redirects with REDIRECT_SECOND', errors: [...WALK, 'EXIST', 'ISDIR', 'NOTEMPTY', 'INVAL', 'BUSY', 'NOSPC'] },
  LINK: { request: 'path = existing file, path2 = new name; flags = FOLLOW', reply: 'nothing; a link in path2 redirects with REDIRECT_SECOND', errors: [...WALK, 'EXIST', 'PERM', 'NOSPC'] },
  SYMLINK: { request: 'path = the link to make, path2 = its target', reply: 'nothing', errors: [...WALK, 'EXIST', 'NOSPC'] },
  READLINK: { request: 'path', reply: 'value = target length; the target follows', errors: [...WALK, 'INVAL'] },
  SYNC: { request: 'file', reply: 'nothing', errors: ['BADF'] },
  WROTE: { request: 'file, offset, count: bytes the kernel wrote into the room the file\'s last WRITE reply named, now the file\'s (its size grows to offset + count if less); time = their mtim', reply: 'none (sent without waiting)', errors: [] },
} as const satisfies Readonly<Record<keyof typeof VfsOp, VfsMessage>>;

/** Values that only the vfs protocol uses. */
export const Vfs = {
  FOLLOW: { value: 1 << 16, doc: 'request flags: follow a symbolic link at the last component' },
  APPEND: { value: 1 << 17, doc: 'WRITE flags: write at the end of the file' },
  REDIRECT: { value: 1000, doc: 'reply errno (beyond every WASI errno): a symbolic link; value = path bytes consumed (through the link), the target follows' },
  ROOT: { value: 0, doc: 'the open-file id of the service root, where path operations start' },
  DIR_ONLY: { value: 1 << 18, doc: 'request flags: the path ended in "/": its last component must be a directory (NOTDIR)' },
  REDIRECT_SECOND: { value: 1 << 30, doc: 'REDIRECT value: the link is in the second path (RENAME, LINK); the low bits count its bytes' },
  DIR_ONLY2: { value: 1 << 19, doc: 'request flags: the same for the second path' },
} as const satisfies ConstantTable;

/** Layouts of WASI structures in the caller's memory and of the vfs protocol headers. */
export const PosixLayouts = {
  WasiIovec: {
    size: 8,
    doc: 'WASI iovec / ciovec: one buffer of a scatter/gather list',
    fields: {
      buf: { offset: 0, type: 'u32', doc: 'buffer address in the caller memory' },
      len: { offset: 4, type: 'u32', doc: 'buffer length' },
    },
  },
  WasiFdstat: {
    size: 24,
    doc: 'fd_fdstat_get result',
    fields: {
      filetype: { offset: 0, type: 'u8', doc: 'WasiFiletype' },
      flags: { offset: 2, type: 'u16', doc: 'fdflags' },
      rightsBase: { offset: 8, type: 'u64', doc: 'rights of this fd' },
      rightsInheriting: { offset: 16, type: 'u64', doc: 'rights of fds opened through it' },
    },
  },
  WasiFilestat: {
    size: 64,
    doc: 'fd_filestat_get / path_filestat_get result; services write it in this form',
    fields: {
      dev: { offset: 0, type: 'u64', doc: 'device: the service (mount) number' },
      ino: { offset: 8, type: 'u64', doc: 'inode number within the service' },
      filetype: { offset: 16, type: 'u8', doc: 'WasiFiletype' },
      nlink: { offset: 24, type: 'u64', doc: 'hard links' },
      bytes: { offset: 32, type: 'u64', doc: 'file size in bytes' },
      atim: { offset: 40, type: 'u64', doc: 'access time, ns since 1970' },
      mtim: { offset: 48, type: 'u64', doc: 'modification time' },
      ctim: { offset: 56, type: 'u64', doc: 'status change time' },
    },
  },
  WasiPrestat: {
    size: 8,
    doc: 'fd_prestat_get result',
    fields: {
      tag: { offset: 0, type: 'u8', doc: 'PREOPEN_DIR' },
      nameLen: { offset: 4, type: 'u32', doc: 'bytes of the preopen name' },
    },
  },
  WasiDirent: {
    size: 24,
    doc: 'one fd_readdir record; the name (d_namlen bytes, no NUL) follows',
    fields: {
      next: { offset: 0, type: 'u64', doc: 'cookie of the next entry' },
      ino: { offset: 8, type: 'u64', doc: 'inode number' },
      namlen: { offset: 16, type: 'u32', doc: 'name length' },
      type: { offset: 20, type: 'u8', doc: 'WasiFiletype' },
    },
  },
  WasiSubscription: {
    size: 48,
    doc: 'one poll_oneoff subscription',
    fields: {
      userdata: { offset: 0, type: 'u64', doc: 'copied into the event' },
      tag: { offset: 8, type: 'u8', doc: 'EVENT_CLOCK, EVENT_FD_READ or EVENT_FD_WRITE' },
      clockId: { offset: 16, type: 'u32', doc: 'clock: which clock (fd events: the fd)' },
      timeout: { offset: 24, type: 'u64', doc: 'clock: nanoseconds, relative unless ABSTIME' },
      precision: { offset: 32, type: 'u64', doc: 'clock: accepted' },
      clockFlags: { offset: 40, type: 'u16', doc: 'clock: SUBCLOCK_ABSTIME' },
    },
  },
  WasiEvent: {
    size: 32,
    doc: 'one poll_oneoff event',
    fields: {
      userdata: { offset: 0, type: 'u64', doc: 'from the subscription' },
      error: { offset: 8, type: 'u16', doc: 'WasiErrno' },
      type: { offset: 10, type: 'u8', doc: 'the subscription tag' },
      nbytes: { offset: 16, type: 'u64', doc: 'fd events: bytes available (or room)' },
      flags: { offset: 24, type: 'u16', doc: 'fd events: EVENT_FD_READWRITE_HANGUP' },
    },
  },
  SpawnFd: {
    size: 8,
    doc: 'one fd given to a child at spawn: the child gets the parent open file at childFd',
    fields: {
      childFd: { offset: 0, type: 'u32', doc: 'fd number in the child' },
      parentFd: { offset: 4, type: 'u32', doc: 'fd of the spawner that it shares' },
    },
  },
  VfsRequest: {
    size: 56,
    doc: 'every vfs request starts with this header; pathLen bytes of path, then path2Len bytes of path2 follow',
    fields: {
      txid: { offset: 0, type: 'u32', doc: 'transaction id, stamped by the kernel; the reply carries it back' },
      op: { offset: 4, type: 'u32', doc: 'VfsOp' },
      file: { offset: 8, type: 'u32', doc: 'open-file id the operation applies to (ROOT for path operations)' },
      flags: { offset: 12, type: 'u32', doc: 'per operation: oflags | fdflags << 8, FOLLOW, APPEND' },
      offset: { offset: 16, type: 'u64', doc: 'READ/WRITE/WROTE position, READDIR cookie, SET_SIZE size, SET_TIMES atim' },
      value: { offset: 24, type: 'u64', doc: 'SET_TIMES mtim; READ read-ahead, WRITE room allowed (bytes past count)' },
      count: { offset: 32, type: 'u32', doc: 'READ/WRITE/READDIR bytes granted, WROTE bytes written, SET_TIMES fstflags' },
      pathLen: { offset: 36, type: 'u32', doc: 'bytes of the path after the header' },
      path2Len: { offset: 40, type: 'u32', doc: 'bytes of the second path (RENAME, LINK new path; SYMLINK target) after the first' },
      reserved: { offset: 44, type: 'u32', doc: '0' },
      time: { offset: 48, type: 'u64', doc: 'the kernel clock (CLOCK_GET, ns) as it sent the request: the time of what the request changes, so a service needs no syscall to know it' },
    },
  },
  VfsSegment: {
    size: 8,
    doc: 'bytes of the service memory a READ or WRITE reply names (after its VfsReply header) for the kernel to copy into the caller or from it',
    fields: {
      buf: { offset: 0, type: 'u32', doc: 'address in the service memory' },
      len: { offset: 4, type: 'u32', doc: 'bytes' },
    },
  },
  VfsReply: {
    size: 24,
    doc: 'every vfs reply starts with this header; a Filestat, a link target, VfsSegment records (READ, WRITE) or nothing follows',
    fields: {
      txid: { offset: 0, type: 'u32', doc: 'the request transaction id' },
      errno: { offset: 4, type: 'u32', doc: 'WasiErrno, or REDIRECT' },
      value: { offset: 8, type: 'u32', doc: 'OPEN: open-file id; READ/WRITE/READDIR: bytes; READLINK: target length; REDIRECT: path bytes consumed' },
      filetype: { offset: 12, type: 'u32', doc: 'OPEN: WasiFiletype of what was opened' },
      fileSize: { offset: 16, type: 'u64', doc: 'WRITE: the file size after the write' },
    },
  },
} as const satisfies Readonly<Record<string, Layout>>;
