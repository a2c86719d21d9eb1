// The ONCRIX ABI: the single source of truth for every number and layout that
// crosses a boundary — between a process and the kernel (syscalls, errors,
// rights, signals, structures in user memory) and between the kernel and its
// host (the HAL) (trace records, boot information).
//
// The idea: everything here is plain data. The TypeScript side imports it
// directly; `scripts/generate.ts` turns the same tables into the
// AssemblyScript view (for the kernel and liboncrix) and the C view (for the
// bare-metal HAL). A test regenerates both and fails when a checked-in view is
// stale, so the three languages can never disagree. The POSIX front door's
// tables (WASI and the vfs protocol) live in posix.ts and are listed here
// with the rest.

import { Wasi, WasiErrno, WasiFiletype, WasiFlags, WasiRights, VfsOp, Vfs, PosixLayouts } from './posix.js';
import { HostOp, FilesOp, FilesJob, LoaderOp, HostLayouts } from './hostio.js';

/** A named constant with a one-line meaning, emitted verbatim in every view. */
export interface Constant {
  readonly value: number;
  readonly doc: string;
}

/** A table of related constants (syscalls, errors, rights …). */
export type ConstantTable = Readonly<Record<string, Constant>>;

/** One field of a binary layout: byte offset, width and meaning. */
export interface Field {
  readonly offset: number;
  readonly type: 'u8' | 'u16' | 'i32' | 'u32' | 'u64' | 'f64';
  readonly doc: string;
}

/** A fixed binary layout (little-endian) with its total size in bytes. */
export interface Layout {
  readonly size: number;
  readonly doc: string;
  readonly fields: Readonly<Record<string, Field>>;
}

// ---------------------------------------------------------------------------
// Syscalls. Numbers 0..63 are the native core; 64..127 are reserved for the
// file-descriptor layer (the kernel vfs that forwards file operations to
// filesystem services over IPC); 128..191 for the WASI preview 1 front door.
// Every syscall takes up to six i32 arguments and returns one i32: a value
// >= 0 on success, or a negative error code.
// ---------------------------------------------------------------------------
export const Sys = {
  NULL: { value: 0, doc: 'do nothing and return 0 (measures the bare syscall path)' },
  HANDLE_CLOSE: { value: 1, doc: '(h) close a handle; its derived handles stay (reparented)' },
  HANDLE_DUPLICATE: { value: 2, doc: '(h, rights, out_handle_ptr) new handle with a subset of the rights; needs DUPLICATE' },
  HANDLE_REVOKE: { value: 3, doc: '(h) close every handle derived from h, in every process and in flight; returns how many' },
  HANDLE_INFO: { value: 4, doc: '(h, out_ptr) write a HandleInfo for h' },
  HANDLE_LIST: { value: 5, doc: '(buf_ptr, cap) write up to cap HandleInfo records of the caller; returns the total count' },
  OBJECT_WAIT: { value: 6, doc: '(h, mask, timeout_us, out_observed_ptr) wait until any signal in mask is set; needs WAIT' },
  OBJECT_WAIT_MANY: { value: 7, doc: '(items_ptr, count, timeout_us) wait on several WaitItems; returns the index of the first ready one' },
  CHANNEL_CREATE: { value: 8, doc: '(out_handles_ptr) create a channel; writes two endpoint handles' },
  CHANNEL_WRITE: { value: 9, doc: '(h, bytes_ptr, len, handles_ptr, n_handles, recv_args_ptr) queue a message; handles are moved; needs WRITE (+TRANSFER on each moved handle). If recv_args_ptr is not 0, then wait for the next message on h as CHANNEL_RECV does (a server reply-and-wait; needs READ and WAIT too)' },
  CHANNEL_READ: { value: 10, doc: '(h, bytes_ptr, cap, handles_ptr, handle_cap, out_actual_ptr) take the next message without blocking; needs READ' },
  CHANNEL_CALL: { value: 11, doc: '(h, call_args_ptr) write a message with a fresh transaction id and wait for the reply carrying it' },
  NOTIFY_CREATE: { value: 12, doc: '(out_handle_ptr) create a notification (signal bits 0..30)' },
  NOTIFY_SIGNAL: { value: 13, doc: '(h, bits) set bits (0..30) on a notification; needs SIGNAL' },
  NOTIFY_WAIT: { value: 14, doc: '(h, mask, timeout_us) wait for any bit in mask; returns and clears the pending bits in mask; needs WAIT' },
  MEMOBJ_CREATE: { value: 15, doc: '(size, out_handle_ptr) create a shared memory object of size bytes, charged to the caller' },
  MEMOBJ_READ: { value: 16, doc: '(h, offset, dst_ptr, len) copy bytes out of a memory object; needs READ' },
  MEMOBJ_WRITE: { value: 17, doc: '(h, offset, src_ptr, len) copy bytes into a memory object; needs WRITE' },
  MEMOBJ_SIZE: { value: 18, doc: '(h) size in bytes of a memory object' },
  TIMER_CREATE: { value: 19, doc: '(notify_h, bit, out_handle_ptr) a timer that sets bit on the notification when it fires; needs SIGNAL on notify_h' },
  TIMER_SET: { value: 20, doc: '(h, timeout_us) arm (or re-arm) the timer; a negative timeout cancels it; needs WRITE' },
  PROCESS_SPAWN: { value: 21, doc: '(parent_h, spawn_desc_ptr, out_handle_ptr) start a child of the process behind parent_h; needs SPAWN' },
  PROCESS_EXIT: { value: 22, doc: '(code) end the calling process with code 0..255 (others: INVALID_ARGS); does not return' },
  PROCESS_KILL: { value: 23, doc: '(h) end a process with EXIT_KILLED; needs MANAGE' },
  PROCESS_INFO: { value: 24, doc: '(h, out_ptr) write a ProcessInfo; needs INSPECT' },
  PROCESS_LIST: { value: 25, doc: '(h, buf_ptr, cap) ProcessInfo of h and all its descendants; returns the total; needs INSPECT' },
  STARTUP_INFO: { value: 26, doc: '(buf_ptr, cap) write the startup block (handles then arguments); returns its full size' },
  YIELD: { value: 27, doc: '() give up the CPU to a ready process of the same priority' },
  SLEEP: { value: 28, doc: '(timeout_us) block for at least timeout_us microseconds' },
  CLOCK_GET: { value: 29, doc: '(out_ptr) write the monotonic time in nanoseconds as an f64' },
  MEM_GROW: { value: 30, doc: '(pages) grow the caller memory by 64 KiB pages, charged to its quota; returns the old size in pages' },
  MEM_INFO: { value: 31, doc: '(out_ptr) write a MemInfo for the caller and the system' },
  IRQ_BIND: { value: 32, doc: '(irq_h, notify_h, bit) deliver the interrupt line as bit on the notification; needs MANAGE + SIGNAL' },
  IRQ_ACK: { value: 33, doc: '(irq_h) acknowledge: unmask the line again; needs MANAGE' },
  IRQ_MASK: { value: 34, doc: '(irq_h, masked) mask (1) or unmask (0) the line; needs MANAGE' },
  DEV_READ: { value: 35, doc: '(dev_h, reg, out_value_ptr) read a device register and write its u32 value to out; needs READ' },
  DEV_WRITE: { value: 36, doc: '(dev_h, reg, value) write a device register; needs WRITE' },
  DEBUG_LOG: { value: 37, doc: '(ptr, len) put up to 128 bytes of text into the trace' },
  CHANNEL_RECV: { value: 39, doc: '(h, recv_args_ptr, timeout_us) like CHANNEL_READ, but waits for a message; returns its byte count; needs READ and WAIT' },
  PROCESS_GET_CHILD: { value: 38, doc: '(h, pid, rights, out_handle_ptr) a handle (derived from h) to process pid, which must be h or a descendant; needs INSPECT' },
  PROCESS_WATCH: { value: 40, doc: '(h, notify_h, bit) set bit on the notification when the process behind h has ended and its handles are closed (at once if it already has); one watch per process, a new one replaces it; needs INSPECT on h and SIGNAL on notify_h' },
  SYSTEM_PANIC: { value: 41, doc: '(root_h, ptr, len) stop the machine with a panic naming the caller and up to LOG_MAX_BYTES of text (a critical service died); root_h: init with MANAGE' },
  DEV_READ_BLOCK: { value: 42, doc: '(dev_h, reg, count, out_ptr) read count (at most DEV_BLOCK_MAX) consecutive registers from reg, in order, and write their u32 values to out; returns count; needs READ' },
  FD_CALL: { value: 65, doc: '(wasi_nr, args_ptr) call WASI function wasi_nr with WIDE_ARGS u64 arguments read from args_ptr; returns its WASI errno' },
  FD_PIPE: { value: 66, doc: '(out_fds_ptr) make a pipe: writes the read fd, then the write fd' },
  FD_FROM_HANDLE: { value: 67, doc: '(channel_h, out_fd_ptr) give a channel to a stream service (the console) to the kernel as an fd; the handle is moved; needs READ and WRITE' },
  FD_MOUNT: { value: 68, doc: '(root_h, path_ptr, path_len, channel_h) mount the filesystem service behind channel_h (moved) at an absolute path; root_h: init with MANAGE' },
  FD_PREOPEN: { value: 69, doc: '(root_h, path_ptr, path_len, out_fd_ptr) a preopened directory fd named by its absolute path; root_h: init with MANAGE' },
  FD_GRANT_COPY: { value: 70, doc: '(endpoint_h, txid, offset, buf_ptr, len) a filesystem service moves file bytes between its memory and the memory of the caller whose vfs request txid is pending on the endpoint (docs/vfs.md); returns the bytes copied' },
  FD_FIRST: { value: 64, doc: 'first number of the reserved file-descriptor (vfs) range' },
  FD_LAST: { value: 127, doc: 'last number of the reserved file-descriptor (vfs) range' },
  WASI_FIRST: { value: 128, doc: 'first number of the reserved WASI preview 1 range' },
  WASI_LAST: { value: 191, doc: 'last number of the reserved WASI preview 1 range' },
} as const satisfies ConstantTable;

// ---------------------------------------------------------------------------
// Error codes: every syscall result < 0 is one of these.
// ---------------------------------------------------------------------------
export const Err = {
  OK: { value: 0, doc: 'success' },
  INVALID_ARGS: { value: -1, doc: 'an argument is out of its allowed range' },
  BAD_HANDLE: { value: -2, doc: 'not a live handle of the caller (closed, stale generation or forged)' },
  WRONG_TYPE: { value: -3, doc: 'the handle refers to another type of object' },
  ACCESS_DENIED: { value: -4, doc: 'the handle lacks a right the operation needs' },
  FAULT: { value: -5, doc: 'a user pointer and length do not lie inside the caller memory' },
  NO_MEMORY: { value: -6, doc: 'the memory quota of the process or the system budget would be exceeded' },
  SHOULD_WAIT: { value: -7, doc: 'nothing to read, or the queue is full: try again after waiting' },
  PEER_CLOSED: { value: -8, doc: 'the other end of the channel is gone' },
  TIMED_OUT: { value: -9, doc: 'the deadline passed before the wait was satisfied' },
  OUT_OF_RANGE: { value: -10, doc: 'offset and length fall outside the object' },
  BUFFER_TOO_SMALL: { value: -11, doc: 'the message does not fit the buffers given; it stays queued' },
  NOT_FOUND: { value: -12, doc: 'no such program image' },
  BAD_SYSCALL: { value: -13, doc: 'no such syscall number' },
  LIMIT: { value: -14, doc: 'a fixed kernel limit (handles, processes, queue) is reached' },
  BAD_STATE: { value: -15, doc: 'the object or process is not in a state that allows this' },
  CANCELED: { value: -16, doc: 'the handle waited on was closed or revoked during the wait' },
  NOT_SUPPORTED: { value: -17, doc: 'reserved syscall range not served yet' },
  BAD_FD: { value: -18, doc: 'not an open file descriptor of the caller' },
} as const satisfies ConstantTable;

/** Internal result between kernel and HAL: the caller is parked until `hal.run` gives the real result. */
export const Kernel = {
  BLOCKED: { value: -1024, doc: 'syscall/safepoint result meaning: park this process until hal.run resumes it' },
  NO_DEADLINE: { value: -1, doc: 'next_deadline() result when no timer or timeout is pending' },
  FLAG_DETERMINISTIC: { value: 1, doc: 'boot flag: virtual time, slices counted in safepoints' },
  CPU_NONE: { value: 255, doc: 'trace cpu field when the event happened on no CPU' },
} as const satisfies ConstantTable;

// ---------------------------------------------------------------------------
// Object types and rights.
// ---------------------------------------------------------------------------
export const ObjType = {
  NONE: { value: 0, doc: 'no object' },
  PROCESS: { value: 1, doc: 'an address space + one thread' },
  CHANNEL: { value: 2, doc: 'one endpoint of a channel' },
  NOTIFICATION: { value: 3, doc: '32 signal bits' },
  IRQ: { value: 4, doc: 'the right to one interrupt line' },
  DEVICE: { value: 5, doc: 'an I/O register window' },
  MEMORY: { value: 6, doc: 'a shared memory object' },
  TIMER: { value: 7, doc: 'a deadline that signals a notification' },
  FILE: { value: 8, doc: 'an open file of the vfs (reached only through fds, never a handle): a file, directory or device of a service, or a pipe end' },
  PIPE: { value: 9, doc: 'a kernel pipe: a PIPE_BYTES ring shared by its read and write ends' },
} as const satisfies ConstantTable;

export const Rights = {
  READ: { value: 1 << 0, doc: 'read messages, bytes or registers' },
  WRITE: { value: 1 << 1, doc: 'write messages, bytes or registers; arm a timer' },
  TRANSFER: { value: 1 << 2, doc: 'move this handle to another process inside a message' },
  DUPLICATE: { value: 1 << 3, doc: 'make a new handle with a subset of the rights' },
  WAIT: { value: 1 << 4, doc: 'wait for signals on the object' },
  SIGNAL: { value: 1 << 5, doc: 'set bits on a notification' },
  MANAGE: { value: 1 << 6, doc: 'kill a process; bind, ack and mask an IRQ' },
  SPAWN: { value: 1 << 7, doc: 'start children under this process' },
  INSPECT: { value: 1 << 8, doc: 'read process information and list descendants' },
  ALL: { value: 0x1ff, doc: 'every right' },
} as const satisfies ConstantTable;

/** Signal bits of channels, processes and timers (notifications use bits 0..30 freely). */
export const Signal = {
  READABLE: { value: 1 << 0, doc: 'a channel endpoint has a message queued' },
  WRITABLE: { value: 1 << 1, doc: 'the peer queue has room' },
  PEER_CLOSED: { value: 1 << 2, doc: 'the other endpoint is gone' },
  TERMINATED: { value: 1 << 3, doc: 'a process has exited' },
  FIRED: { value: 1 << 4, doc: 'a timer deadline passed' },
} as const satisfies ConstantTable;

export const ProcState = {
  READY: { value: 1, doc: 'runnable, waiting for a CPU' },
  RUNNING: { value: 2, doc: 'on a CPU' },
  BLOCKED: { value: 3, doc: 'waiting in a syscall' },
  EXITED: { value: 4, doc: 'ended; its exit code is kept while handles to it remain' },
} as const satisfies ConstantTable;

/** Exit codes the kernel itself gives; programs use 0..255. */
export const Exit = {
  KILLED: { value: -1, doc: 'ended by PROCESS_KILL' },
  FAULT_BASE: { value: -100, doc: 'ended by a fault: FAULT_BASE - reason' },
} as const satisfies ConstantTable;

/** Why a process faulted (fault(pid, reason) from the HAL). */
export const Fault = {
  TRAP: { value: 1, doc: 'a WebAssembly trap: unreachable, bad memory access, divide by zero …' },
  STACK: { value: 2, doc: 'call stack exhausted' },
  BAD_IMPORT: { value: 3, doc: 'the module imports something ONCRIX does not provide' },
  BAD_MODULE: { value: 4, doc: 'the program is not valid WebAssembly' },
  OOM: { value: 5, doc: 'the host could not provide memory' },
  ABORT: { value: 6, doc: 'the program aborted itself (assertion, panic)' },
  QUOTA: { value: 7, doc: 'the program trapped right after the kernel refused to grow its memory (MEM_GROW: NO_MEMORY): it ran out of its memory quota' },
  INJECTED: { value: 8, doc: 'the host ended the process on purpose (fault injection: oncrix --inject, the playground break-it panel)' },
} as const satisfies ConstantTable;

/** Well-known startup-handle tags; a spawner may use any other value for its own. */
export const Tag = {
  SELF: { value: 1, doc: 'a handle to the process itself' },
  CONSOLE: { value: 2, doc: 'a channel to the console service' },
  SERVICE: { value: 3, doc: 'the channel on which this process serves clients' },
  PEER: { value: 4, doc: 'a channel to a peer program' },
  MEMORY: { value: 5, doc: 'a shared memory object' },
  SYSTEM: { value: 6, doc: 'a process handle to init with INSPECT only: lets ps list every process' },
  IMAGES: { value: 7, doc: 'a memory object holding the program image table (name -> image id)' },
  SCRIPT: { value: 8, doc: 'a read-only memory object holding the shell start-up script (lines run before the first prompt)' },
  HEARTBEAT: { value: 9, doc: 'a channel on which the supervisor pings this process; it answers each ping by writing the same bytes back' },
  KEEP: { value: 10, doc: 'a memory object the supervisor keeps for this program across its restarts: state that outlives the process (ramfs keeps its files there)' },
  DEVICE_BASE: { value: 0x100, doc: 'boot device i comes as DEVICE_BASE + i' },
  IRQ_BASE: { value: 0x200, doc: 'the interrupt of boot device i comes as IRQ_BASE + i' },
} as const satisfies ConstantTable;

export const Limits = {
  PAGE_SIZE: { value: 65536, doc: 'bytes in a WebAssembly page, the unit of memory accounting' },
  MSG_MAX_BYTES: { value: 4096, doc: 'largest message payload' },
  MSG_MAX_HANDLES: { value: 8, doc: 'most handles moved by one message' },
  QUEUE_DEPTH: { value: 64, doc: 'messages an endpoint holds before writes get SHOULD_WAIT' },
  MAX_HANDLES: { value: 1024, doc: 'handles one process may hold' },
  MAX_PROCESSES: { value: 256, doc: 'processes alive at once' },
  MAX_CPUS: { value: 8, doc: 'virtual CPUs' },
  PRIORITY_MAX: { value: 7, doc: 'highest priority; 0 is lowest' },
  NOTIFY_BITS: { value: 31, doc: 'usable bits of a notification (0..30); bit 31 is reserved so NOTIFY_WAIT results stay non-negative' },
  WAIT_MANY_MAX: { value: 16, doc: 'most items in one OBJECT_WAIT_MANY' },
  STARTUP_MAX_HANDLES: { value: 16, doc: 'most handles given to a child at spawn' },
  STARTUP_MAX_ARGS: { value: 1024, doc: 'most argument bytes given to a child at spawn' },
  NAME_MAX: { value: 16, doc: 'bytes in a process name' },
  MEMOBJ_MAX_BYTES: { value: 16 << 20, doc: 'largest memory object' },
  LOG_MAX_BYTES: { value: 128, doc: 'most bytes of one DEBUG_LOG or traced message payload' },
  OBJECT_BYTES: { value: 256, doc: 'nominal kernel memory charged per object created' },
  HANDLE_BYTES: { value: 128, doc: 'kernel memory charged for each handle, to its holder (to its sender while in flight); it also covers the placeholder a closed handle with derived handles may leave in the derivation tree' },
  MESSAGE_BYTES: { value: 192, doc: 'kernel memory charged for each queued message besides its payload, to its sender until it is read or dropped' },
  PROCESS_BYTES: { value: 16384, doc: 'kernel memory charged to a process for its own record, handle table and waits, until its record is gone' },
  DERIVE_MAX_DEPTH: { value: 64, doc: 'most derivations (duplicate, spawn, get-child) between a handle and the root of its derivation tree, counted when the handle is made' },
  DEV_BLOCK_MAX: { value: 256, doc: 'most registers one DEV_READ_BLOCK reads' },
  READ_AHEAD_BYTES: { value: 1 << 20, doc: 'vfs READ value the kernel sends for a sequential read of a file: bytes past count the reply may name as read-ahead' },
  WRITE_AHEAD_BYTES: { value: 1 << 20, doc: 'vfs WRITE value the kernel sends for a sequential write of a file: bytes past count the reply may name as room' },
  AHEAD_SPANS: { value: 16, doc: 'VfsSegment records of read-ahead, and of room, an open file keeps (more are not used)' },
  MAX_DEVICES: { value: 8, doc: 'devices described in the boot info' },
  MAX_FDS: { value: 128, doc: 'file descriptors one process may hold (fds 0..MAX_FDS-1)' },
  WIDE_ARGS: { value: 10, doc: 'u64 argument words of syscall_wide and FD_CALL (WASI functions have at most nine)' },
  PATH_MAX: { value: 1024, doc: 'longest path a vfs call takes, in bytes' },
  SYMLOOP_MAX: { value: 32, doc: 'symbolic links followed in one path resolution before LOOP' },
  PIPE_BYTES: { value: 65536, doc: 'bytes a pipe buffers' },
  IOV_MAX: { value: 1024, doc: 'most iovecs in one fd_read/fd_write' },
  STARTUP_MAX_ENV: { value: 4096, doc: 'most environment bytes given to a child at spawn' },
  SPAWN_MAX_FDS: { value: 16, doc: 'most fds given to a child at spawn' },
} as const satisfies ConstantTable;

// ---------------------------------------------------------------------------
// Structures in user memory (little-endian, 4-byte aligned).
// ---------------------------------------------------------------------------
export const Layouts = {
  HandleInfo: {
    size: 16,
    doc: 'one handle as HANDLE_INFO / HANDLE_LIST report it',
    fields: {
      handle: { offset: 0, type: 'u32', doc: 'the handle value' },
      type: { offset: 4, type: 'u32', doc: 'ObjType of the object' },
      rights: { offset: 8, type: 'u32', doc: 'Rights mask' },
      koid: { offset: 12, type: 'u32', doc: 'kernel object id (unique, never reused)' },
    },
  },
  WaitItem: {
    size: 12,
    doc: 'one entry of OBJECT_WAIT_MANY',
    fields: {
      handle: { offset: 0, type: 'u32', doc: 'handle to wait on (needs WAIT)' },
      mask: { offset: 4, type: 'u32', doc: 'signals of interest' },
      observed: { offset: 8, type: 'u32', doc: 'out: signals set when the wait ended' },
    },
  },
  ReadActual: {
    size: 8,
    doc: 'out-parameter of CHANNEL_READ: the size of the message, also when it did not fit',
    fields: {
      bytes: { offset: 0, type: 'u32', doc: 'payload bytes of the message' },
      handles: { offset: 4, type: 'u32', doc: 'handles in the message' },
    },
  },
  CallArgs: {
    size: 44,
    doc: 'argument block of CHANNEL_CALL; the first 4 bytes of the written message are replaced by the transaction id',
    fields: {
      wrBytes: { offset: 0, type: 'u32', doc: 'request bytes (at least 4)' },
      wrLen: { offset: 4, type: 'u32', doc: 'request length' },
      wrHandles: { offset: 8, type: 'u32', doc: 'handles to move with the request' },
      wrNumHandles: { offset: 12, type: 'u32', doc: 'how many' },
      rdBytes: { offset: 16, type: 'u32', doc: 'reply buffer' },
      rdCap: { offset: 20, type: 'u32', doc: 'reply buffer size' },
      rdHandles: { offset: 24, type: 'u32', doc: 'buffer for reply handles' },
      rdHandleCap: { offset: 28, type: 'u32', doc: 'its capacity in handles' },
      timeoutUs: { offset: 32, type: 'i32', doc: 'deadline for the reply in microseconds; negative: none' },
      actualBytes: { offset: 36, type: 'u32', doc: 'out: reply length' },
      actualHandles: { offset: 40, type: 'u32', doc: 'out: reply handle count' },
    },
  },
  RecvArgs: {
    size: 24,
    doc: 'argument block of CHANNEL_RECV',
    fields: {
      bytes: { offset: 0, type: 'u32', doc: 'buffer for the payload' },
      cap: { offset: 4, type: 'u32', doc: 'its size' },
      handles: { offset: 8, type: 'u32', doc: 'buffer for the handles' },
      handleCap: { offset: 12, type: 'u32', doc: 'its capacity in handles' },
      actualBytes: { offset: 16, type: 'u32', doc: 'out: payload bytes of the message (also when it did not fit)' },
      actualHandles: { offset: 20, type: 'u32', doc: 'out: handles in the message' },
    },
  },
  SpawnDesc: {
    size: 60,
    doc: 'argument block of PROCESS_SPAWN',
    fields: {
      image: { offset: 0, type: 'u32', doc: 'program image id (index in the boot image table)' },
      quotaPages: { offset: 4, type: 'u32', doc: 'memory quota in 64 KiB pages (at most the parent quota)' },
      priority: { offset: 8, type: 'u32', doc: 'priority (at most the parent priority)' },
      namePtr: { offset: 12, type: 'u32', doc: 'process name bytes' },
      nameLen: { offset: 16, type: 'u32', doc: 'name length (at most NAME_MAX; longer is cut)' },
      argsPtr: { offset: 20, type: 'u32', doc: 'argument bytes (NUL-separated by convention)' },
      argsLen: { offset: 24, type: 'u32', doc: 'argument length' },
      handlesPtr: { offset: 28, type: 'u32', doc: 'StartupHandle array: handles moved to the child' },
      numHandles: { offset: 32, type: 'u32', doc: 'how many' },
      selfRights: { offset: 36, type: 'u32', doc: 'if not 0, the child also gets a handle to itself with these rights (tag SELF)' },
      fdsPtr: { offset: 40, type: 'u32', doc: 'SpawnFd array: fds of the spawner the child shares' },
      numFds: { offset: 44, type: 'u32', doc: 'how many (at most SPAWN_MAX_FDS)' },
      envPtr: { offset: 48, type: 'u32', doc: 'environment bytes, NAME=VALUE strings NUL-separated (environ_get)' },
      envLen: { offset: 52, type: 'u32', doc: 'environment length (at most STARTUP_MAX_ENV)' },
      generation: { offset: 56, type: 'u32', doc: 'which instance of its program this is (a supervisor counts restarts: 0 first, 1 after the first restart …); shown in ProcessInfo and the SPAWN record, never interpreted by the kernel' },
    },
  },
  StartupHandle: {
    size: 8,
    doc: 'one handle of a startup block, with the tag that says what it is for',
    fields: {
      handle: { offset: 0, type: 'u32', doc: 'the handle (in the spawner before, in the child after)' },
      tag: { offset: 4, type: 'u32', doc: 'Tag value' },
    },
  },
  StartupHeader: {
    size: 8,
    doc: 'start of the STARTUP_INFO block; followed by numHandles StartupHandle then argsLen bytes',
    fields: {
      numHandles: { offset: 0, type: 'u32', doc: 'startup handles that follow' },
      argsLen: { offset: 4, type: 'u32', doc: 'argument bytes after the handles' },
    },
  },
  ProcessInfo: {
    size: 68,
    doc: 'one process as PROCESS_INFO / PROCESS_LIST report it',
    fields: {
      pid: { offset: 0, type: 'u32', doc: 'process id' },
      parent: { offset: 4, type: 'u32', doc: 'parent pid (0 for init)' },
      state: { offset: 8, type: 'u32', doc: 'ProcState' },
      priority: { offset: 12, type: 'u32', doc: 'priority' },
      exitCode: { offset: 16, type: 'i32', doc: 'exit code once EXITED' },
      quotaPages: { offset: 20, type: 'u32', doc: 'memory quota in pages' },
      usedPages: { offset: 24, type: 'u32', doc: 'pages charged (memory + kernel objects)' },
      handles: { offset: 28, type: 'u32', doc: 'handles held' },
      cpuTimeUs: { offset: 32, type: 'f64', doc: 'CPU time used, microseconds' },
      syscalls: { offset: 40, type: 'u32', doc: 'syscalls made' },
      image: { offset: 44, type: 'u32', doc: 'program image id' },
      name: { offset: 48, type: 'u32', doc: 'NAME_MAX bytes of name, NUL-padded (to offset 64)' },
      generation: { offset: 64, type: 'u32', doc: 'the generation its spawner gave it (SpawnDesc.generation): 0 for a first instance, n after n restarts' },
    },
  },
  MemInfo: {
    size: 28,
    doc: 'MEM_INFO result',
    fields: {
      quotaPages: { offset: 0, type: 'u32', doc: 'caller quota' },
      usedPages: { offset: 4, type: 'u32', doc: 'caller pages charged' },
      memoryPages: { offset: 8, type: 'u32', doc: 'of which linear memory' },
      objectBytes: { offset: 12, type: 'u32', doc: 'kernel object bytes charged to the caller' },
      budgetPages: { offset: 16, type: 'u32', doc: 'system budget' },
      budgetUsed: { offset: 20, type: 'u32', doc: 'pages charged system-wide' },
      childPages: { offset: 24, type: 'u32', doc: 'caller quota pages held for its children (each child quota, while the child or what it still holds lives)' },
    },
  },
  BootInfo: {
    size: 48,
    doc: 'written by the HAL at kernel.boot_info_area() before init(); followed by numDevices BootDevice records',
    fields: {
      cpus: { offset: 0, type: 'u32', doc: 'virtual CPUs (1..MAX_CPUS)' },
      flags: { offset: 4, type: 'u32', doc: 'Kernel.FLAG_* bits' },
      budgetPages: { offset: 8, type: 'u32', doc: 'system memory budget in pages' },
      sliceSafepoints: { offset: 12, type: 'u32', doc: 'deterministic mode: safepoints per time slice' },
      sliceUs: { offset: 16, type: 'u32', doc: 'real-time mode: time slice in microseconds' },
      rootImage: { offset: 20, type: 'u32', doc: 'program image of init' },
      rootQuota: { offset: 24, type: 'u32', doc: 'memory quota of init in pages' },
      rootPriority: { offset: 28, type: 'u32', doc: 'priority of init' },
      numDevices: { offset: 32, type: 'u32', doc: 'BootDevice records that follow' },
      safepointNs: { offset: 36, type: 'u32', doc: 'deterministic mode: virtual nanoseconds per safepoint' },
      kernelPages: { offset: 40, type: 'u32', doc: 'the most pages the kernel memory can grow to (0: as many as WebAssembly allows); the kernel refuses allocations that could need more' },
      realtimeSec: { offset: 44, type: 'u32', doc: 'wall-clock seconds since 1970 at boot (WASI CLOCK_REALTIME counts from it; 0: unknown)' },
    },
  },
  BootDevice: {
    size: 12,
    doc: 'one device the HAL offers; init gets a DEVICE handle (and an IRQ handle if irq >= 0)',
    fields: {
      device: { offset: 0, type: 'u32', doc: 'HAL device number for dev_read/dev_write' },
      registers: { offset: 4, type: 'u32', doc: 'number of registers in its window' },
      irq: { offset: 8, type: 'i32', doc: 'interrupt line, or -1' },
    },
  },
  TraceRecord: {
    size: 64,
    doc: 'one kernel event; args meaning per TraceKind',
    fields: {
      seq: { offset: 0, type: 'u32', doc: 'sequence number, from 0, no gaps' },
      kind: { offset: 4, type: 'u16', doc: 'TraceKind' },
      cpu: { offset: 6, type: 'u8', doc: 'CPU, or CPU_NONE' },
      flags: { offset: 7, type: 'u8', doc: 'DATA records: payload byte count' },
      time: { offset: 8, type: 'f64', doc: 'kernel time in nanoseconds (virtual in deterministic mode)' },
      pid: { offset: 16, type: 'i32', doc: 'process the event concerns (0: kernel)' },
      args: { offset: 20, type: 'i32', doc: 'TRACE_ARGS i32 arguments (offsets 20..63); DATA records hold bytes here' },
    },
  },
  ...PosixLayouts,
  ...HostLayouts,
} as const satisfies Readonly<Record<string, Layout>>;

export const TRACE_ARGS = 11;
export const TRACE_DATA_BYTES = TRACE_ARGS * 4;

/**
 * Trace record kinds. The doc string names the args in order; the decoder and
 * the playground use these names.
 */
export const TraceKind = {
  BOOT: { value: 1, doc: 'cpus, flags, budgetPages' },
  SYSCALL_ENTER: { value: 2, doc: 'nr, a0, a1, a2, a3, a4, a5' },
  SYSCALL_EXIT: { value: 3, doc: 'nr, result' },
  SYSCALL_BLOCK: { value: 4, doc: 'nr, koid' },
  SYSCALL_WAKE: { value: 5, doc: 'nr, result' },
  MSG_SEND: { value: 6, doc: 'chanKoid, peerKoid, bytes, handles, txid, receiverPid, forPid (a request the kernel sends: the process it acts for, else 0)' },
  MSG_DELIVER: { value: 7, doc: 'chanKoid, senderPid, bytes, handles, txid' },
  SIGNAL: { value: 8, doc: 'koid, set, cleared, now' },
  IRQ: { value: 9, doc: 'line, notifyKoid, bit' },
  SCHED_RUN: { value: 10, doc: 'cpu, reason' },
  SCHED_PREEMPT: { value: 11, doc: 'cpu, byPid' },
  SPAWN: { value: 12, doc: 'childPid, image, priority, quotaPages, koid, generation; name follows as DATA' },
  EXIT: { value: 13, doc: 'code' },
  FAULT: { value: 14, doc: 'reason' },
  KILL: { value: 15, doc: 'byPid' },
  HANDLE_CREATE: { value: 16, doc: 'handle, koid, type, rights' },
  HANDLE_DUPLICATE: { value: 17, doc: 'handle, fromHandle, koid, rights' },
  HANDLE_TRANSFER: { value: 18, doc: 'handle, fromPid, fromHandle, koid, rights, type' },
  HANDLE_CLOSE: { value: 19, doc: 'handle, koid, reason' },
  HANDLE_REVOKE: { value: 20, doc: 'handle, koid, closedCount' },
  OBJECT_CREATE: { value: 21, doc: 'koid, type' },
  OBJECT_DESTROY: { value: 22, doc: 'koid, type' },
  PAGE_CHARGE: { value: 23, doc: 'pages, usedPages, budgetUsed' },
  PAGE_RELEASE: { value: 24, doc: 'pages, usedPages, budgetUsed' },
  PANIC: { value: 25, doc: 'message follows as DATA' },
  DATA: { value: 26, doc: 'flags = byte count; args hold the bytes' },
  LOG: { value: 27, doc: 'bytes; text follows as DATA' },
  TIMER_FIRE: { value: 28, doc: 'timerKoid, notifyKoid, bit' },
  SCHED_IDLE: { value: 29, doc: 'cpu' },
  LIMIT: { value: 30, doc: 'limit, payerPid, asked, used, max; a request was refused because it would pass a limit (Limit.*); the numbers are in the limit unit (pages, bytes, processes, handles, messages, levels)' },
} as const satisfies ConstantTable;

/** Why a handle closed (HANDLE_CLOSE reason arg). */
export const CloseReason = {
  CLOSED: { value: 0, doc: 'HANDLE_CLOSE by its holder' },
  REVOKED: { value: 1, doc: 'an ancestor was revoked' },
  EXITED: { value: 2, doc: 'the holder exited' },
  DROPPED: { value: 3, doc: 'in a message that was destroyed unread' },
  TRANSFER_FAILED: { value: 4, doc: 'could not be installed in the receiver' },
} as const satisfies ConstantTable;

/** Why the scheduler ran a process (SCHED_RUN reason arg). */
export const RunReason = {
  START: { value: 0, doc: 'first run after spawn' },
  WAKE: { value: 1, doc: 'a blocking syscall completed' },
  RESUME: { value: 2, doc: 'continued after preemption or yield' },
} as const satisfies ConstantTable;

/** What kernel.debug_stat(which) reports (for tests, benchmarks and the playground). */
export const Stat = {
  OBJECTS: { value: 0, doc: 'live kernel objects' },
  HANDLES: { value: 1, doc: 'live handles (in tables and in flight)' },
  BUDGET_USED: { value: 2, doc: 'pages charged system-wide' },
  PROCESSES: { value: 3, doc: 'processes not yet exited' },
  MSG_SENT: { value: 4, doc: 'messages written since boot' },
  MSG_DELIVERED: { value: 5, doc: 'messages read (or replies delivered) since boot' },
  MSG_DROPPED: { value: 6, doc: 'messages destroyed unread since boot' },
  MSG_QUEUED: { value: 7, doc: 'messages sitting in queues now' },
  TRACE_RECORDS: { value: 8, doc: 'trace records emitted since boot' },
  DEADLINES: { value: 9, doc: 'pending deadlines' },
  READY: { value: 10, doc: 'processes ready and waiting for a CPU' },
  KERNEL_PAGES: { value: 11, doc: 'pages of the kernel own linear memory' },
  ZOMBIES: { value: 12, doc: 'exited processes whose record is still held by handles' },
  WORK: { value: 13, doc: 'teardown steps still pending (revokes, exits, dropped queues, cycle scans); the HAL sees next_deadline() = now while any is' },
  KERNEL_BYTES: { value: 14, doc: 'kernel bytes charged to all processes' },
  ENTRY_STEPS_MAX: { value: 15, doc: 'most teardown steps one kernel entry has run since boot (bounded by the per-entry step budget)' },
  ENTRY_GC_MAX: { value: 16, doc: 'most work units the garbage collector has done inside one kernel entry since boot (bounded by the bytes the entry allocates, not by how much the kernel holds)' },
} as const satisfies ConstantTable;

/** Which limit stopped a request (LIMIT trace record). */
export const Limit = {
  QUOTA: { value: 1, doc: 'the memory quota of the paying process (pages, its children quotas included)' },
  BUDGET: { value: 2, doc: 'the system page budget' },
  KERNEL_MEMORY: { value: 3, doc: 'the kernel memory the HAL can give (bytes charged to all processes)' },
  PROCESSES: { value: 4, doc: 'MAX_PROCESSES alive at once' },
  HANDLES: { value: 5, doc: 'MAX_HANDLES in one table' },
  QUEUE: { value: 6, doc: 'QUEUE_DEPTH messages on one endpoint' },
  DEPTH: { value: 7, doc: 'DERIVE_MAX_DEPTH derivations' },
} as const satisfies ConstantTable;

/** All constant tables, in the order the generated views list them. */
export const Tables = {
  Sys, Err, Kernel, ObjType, Rights, Signal, ProcState, Exit, Fault, Tag, Limits, TraceKind, CloseReason, RunReason, Stat,
  Limit, Wasi, WasiErrno, WasiFiletype, WasiFlags, WasiRights, VfsOp, Vfs, HostOp, FilesOp, FilesJob, LoaderOp,
} as const;

export { Wasi, WasiErrno, WasiFiletype, WasiFlags, WasiRights, VfsOp, Vfs, WasiFunctions } from './posix.js';
export { HostOp, FilesOp, FilesJob, LoaderOp } from './hostio.js';
