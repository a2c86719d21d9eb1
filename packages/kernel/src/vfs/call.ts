// A file operation in progress, and its requests to filesystem services.
//
// The front door checks every argument of a WASI call and copies what it
// needs into an Op: the caller's buffers (iovecs as checked (ptr, len)
// segments), its result pointers, the open file, the absolute paths. An Op
// that waits for a pipe or poll_oneoff is retried (`retry`) whenever that
// pipe changes; one that needs a service is a request in flight: `request`
// sends it as one vfs message (a VfsRequest header, then the paths below the
// mount) with a fresh kernel txid on the mount's channel and parks the
// caller; the reply comes back here (onKernelMessage, ipc/channel.ts)
// instead of to a queue, and `done` finishes the call or sends the next
// request. A REDIRECT reply (a symbolic link) is handled here for every
// operation: the target is spliced into the path, which is normalized and
// checked against the preopen again, and the request goes again — to
// another service if the path now lies under another mount — at most
// SYMLOOP_MAX times. While a request is pending its service may move bytes
// between its own memory and the caller's segments with FD_GRANT_COPY
// (`grantCopy`), only on that endpoint and only up to the granted length;
// a READ or WRITE reply may instead name the bytes as VfsSegment records
// after its header, which the kernel copies as it takes the reply
// (`replySegments`): the same copy, one kernel entry fewer per call. A READ's
// segments past the caller's share are read-ahead, a WRITE's room (ahead.ts);
// before any request goes to a service, what was written into its rooms is
// told (WROTE), and the read-ahead and room it may change are dropped
// (`invalidate`).
//
// A caller has at most one Op, kept by pid while it waits, and that is the
// only trace of the wait: a caller that is killed loses its Op (and its
// request in flight, which held its mount), and a late reply, a grant or a
// pipe that would wake it finds it gone (`live`). A service that dies after
// taking a request off its queue does not leave its caller waiting
// (`failOpsHeldBy`): when the channel lives on (a supervisor keeps its server
// end for the next instance) the request is sent again on it with the same
// txid (a service that keeps its state can so tell a request it had applied
// and answer it again instead of applying it twice), for the next instance to
// answer — so a C program's console write or read survives a
// driver restart, though a write the dead driver had begun may come out twice.
// When the service's end of the channel is gone, every request waiting on it
// fails with EIO (`serviceGone`), taken or still queued.

import {
  MSG_MAX_BYTES, PATH_MAX, SYMLOOP_MAX, K_BLOCKED, ERR_BAD_STATE, VFS_REDIRECT, VFS_REDIRECT_SECOND,
  VFS_REQUEST_SIZE, VFS_REQUEST_TXID, VFS_REQUEST_OP, VFS_REQUEST_FILE, VFS_REQUEST_FLAGS, VFS_REQUEST_OFFSET,
  VFS_REQUEST_VALUE, VFS_REQUEST_COUNT, VFS_REQUEST_PATH_LEN, VFS_REQUEST_PATH2_LEN, VFS_REQUEST_TIME, VFS_REPLY_SIZE, VFS_REPLY_TXID,
  VFS_REPLY_ERRNO, VFS_REPLY_VALUE, VFS_SEGMENT_SIZE, VFS_SEGMENT_BUF, VFS_SEGMENT_LEN, VFS_READ, VFS_WRITE, VFS_STAT, VFS_FSTAT,
  VFS_READDIR, VFS_READLINK, VFS_SYNC, VFS_SET_TIMES, VFS_SET_SIZE, WASI_EIO, WASI_EAGAIN, WASI_ENOENT, WASI_EXDEV, WASI_ELOOP, WASI_ENOTCAPABLE,
  WASI_ENAMETOOLONG, QUEUE_DEPTH, TR_MSG_SEND, TR_MSG_DELIVER, TR_SYSCALL_BLOCK, PS_EXITED, LOG_MAX_BYTES, WASI_EFAULT,
} from '../../../abi/assembly/index';
import { KObject } from '../object';
import { Process, W_VFS } from '../process/process';
import { Endpoint, KERNEL_TXID, kernelSend, onKernelMessage, onKernelRequestTaken, onKernelPeerClosed } from '../ipc/channel';
import { Message, messageStats } from '../ipc/message';
import { finishWait } from '../ipc/wait';
import { block } from '../sched/scheduler';
import { copyIn, copyBetween, inRange, takeFault } from '../mm/user';
import { emit, emitData } from '../trace';
import { now } from '../clock';
import { Mount, mountFor, restOf, normalize, parentOf, useMount, releaseMount } from './mount';
import { Ahead, changing, changeCount, begin, add, flush, forget as forgetAhead } from './ahead';

function never(op: Op): i32 { return K_BLOCKED; }

export class Op {
  p: Process;
  /** The caller's buffers, (ptr, len) pairs checked against its memory, and their total; its result pointers. */
  segs: Array<u32> = [];
  total: u32 = 0;
  out: u32 = 0; out2: u32 = 0;
  /** The open file (fd.ts) it works on; offsets, rights, flags as each operation needs. */
  file: KObject | null = null;
  n: u64 = 0; m: u64 = 0; k: u32 = 0;
  /** The request to a service: where, its txid, and its VfsRequest fields (op, file, flags, offset, value, count). */
  mount: Mount | null = null;
  txid: u32 = 0;
  /** The pid of the service process that took the request off its queue and owes the reply (0: not taken yet). */
  server: i32 = 0;
  vop: u32 = 0; vfile: u32 = 0; vflags: u32 = 0; voff: u64 = 0; vval: u64 = 0; vcount: u32 = 0;
  /** Absolute paths and the preopens they may not leave; raw2: path2 is a symlink target, sent as given. */
  path: string = ''; root: string = ''; hasPath: bool = false;
  path2: string = ''; root2: string = ''; hasPath2: bool = false; raw2: bool = false;
  /** The next request is this one again, for a restarted service: it keeps its txid. */
  again: bool = false;
  /** Symbolic links followed so far; the grant's direction (into the caller: READ, READDIR). */
  hops: i32 = 0;
  toCaller: bool = false;
  /** The open file's inode (0: unknown), for invalidate; a sequential READ's read-ahead, and the change count as it was sent. */
  ino: u64 = 0;
  ahead: Ahead | null = null;
  stamp: u32 = 0;
  done: (op: Op) => i32 = never;
  retry: (op: Op) => i32 = never;

  constructor(p: Process) {
    this.p = p;
  }
}

/** The Op of each waiting caller, by pid. */
const waiting = new Map<i32, Op>();

/** Is op still what its caller waits for? (false once the caller was killed or the op ended) */
export function live(op: Op): bool {
  const pid = op.p.pid;
  return waiting.has(pid) && waiting.get(pid) === op;
}

/** Park the caller until op ends. Returns K_BLOCKED. */
export function park(op: Op, koid: i32): i32 {
  const p = op.p;
  waiting.set(p.pid, op);
  p.waitKind = W_VFS;
  emit(TR_SYSCALL_BLOCK, p.pid, p.cpu, p.waitNr, koid);
  block(p);
  return K_BLOCKED;
}

/** End a parked op: its caller resumes with errno (FAULT if writing its results failed). */
export function finish(op: Op, errno: i32): void {
  if (!live(op)) return;
  waiting.delete(op.p.pid);
  forget(op);
  finishWait(op.p, takeFault(op.p) ? WASI_EFAULT : errno);
}

/** The caller ended: forget its op, and its request in flight. */
export function dropOp(p: Process): void {
  if (!waiting.has(p.pid)) return;
  const op = waiting.get(p.pid);
  waiting.delete(p.pid);
  forget(op);
}

/** Requests waiting for their reply, by txid; each holds a use of its mount. */
const pending = new Map<u32, Op>();
let nextTxid: u32 = 1;

/** op no longer waits for its reply (a late one is dropped): its mount loses the request's use. */
function forget(op: Op): void {
  if (!pending.has(op.txid) || pending.get(op.txid) !== op) return;
  pending.delete(op.txid);
  releaseMount(changetype<Mount>(op.mount));
}

/** The reply being handled: its bytes and length. */
export const reply = new Uint8Array(MSG_MAX_BYTES);
let replyLen: u32 = 0;

export function replyU32(offset: u32): u32 { return offset + 4 <= replyLen ? load<u32>(reply.dataStart + offset) : 0; }

export function replyU64(offset: u32): u64 { return offset + 8 <= replyLen ? load<u64>(reply.dataStart + offset) : 0; }

/** Bytes of the reply after its header (a Filestat, a link target). */
export function replyTail(): u32 { return replyLen > <u32>VFS_REPLY_SIZE ? replyLen - VFS_REPLY_SIZE : 0; }

/**
 * Send op's request (its v* fields; its paths when hasPath) to the service
 * owning its path, or to op.mount. Returns K_BLOCKED (the caller is parked),
 * or the errno that ends the call now.
 */
export function request(op: Op): i32 {
  if (op.hasPath) {
    const m = mountFor(op.path);
    if (m === null) return WASI_ENOENT;
    if (op.hasPath2 && !op.raw2 && mountFor(op.path2) !== m) return WASI_EXDEV;
    op.mount = m;
  }
  const m = op.mount;
  if (m === null) return WASI_EIO;
  const peer = m.ep.peer;
  if (peer === null) return WASI_EIO;
  if (peer.queue.length >= QUEUE_DEPTH) return WASI_EAGAIN;
  const p1 = op.hasPath ? String.UTF8.encode(restOf(m, op.path)) : new ArrayBuffer(0);
  const p2 = !op.hasPath2 ? new ArrayBuffer(0) : String.UTF8.encode(op.raw2 ? op.path2 : restOf(m, op.path2));
  if (p1.byteLength > PATH_MAX || p2.byteLength > PATH_MAX) return WASI_ENAMETOOLONG;
  const msg = new Message(VFS_REQUEST_SIZE + p1.byteLength + p2.byteLength, 0);
  const at = msg.at;
  if (!op.again) op.txid = KERNEL_TXID | (nextTxid++ & 0x3fffffff);
  op.again = false;
  op.server = 0;
  msg.txid = op.txid;
  store<u32>(at + VFS_REQUEST_TXID, op.txid);
  store<u32>(at + VFS_REQUEST_OP, op.vop);
  store<u32>(at + VFS_REQUEST_FILE, op.vfile);
  store<u32>(at + VFS_REQUEST_FLAGS, op.vflags);
  store<u64>(at + VFS_REQUEST_OFFSET, op.voff);
  store<u64>(at + VFS_REQUEST_VALUE, op.vval);
  store<u32>(at + VFS_REQUEST_COUNT, op.vcount);
  store<u32>(at + VFS_REQUEST_PATH_LEN, p1.byteLength);
  store<u32>(at + VFS_REQUEST_PATH2_LEN, p2.byteLength);
  store<u64>(at + VFS_REQUEST_TIME, <u64>now());
  memory.copy(at + VFS_REQUEST_SIZE, changetype<usize>(p1), p1.byteLength);
  memory.copy(at + VFS_REQUEST_SIZE + p1.byteLength, changetype<usize>(p2), p2.byteLength);
  flush(m.ep);
  invalidate(op, m.ep);
  op.stamp = changeCount();
  // Pending before it is sent: a service blocked in CHANNEL_RECV takes it at once, and must be recorded as owing it.
  pending.set(op.txid, op);
  useMount(m);
  kernelSend(m.ep, msg, op.p.pid); // the trace names the process the request is for
  return live(op) ? K_BLOCKED : park(op, m.ep.koid);
}

/** op may change file bytes at ep: drop the read-ahead it concerns there (its inode's for WRITE and SET_SIZE, else all). */
function invalidate(op: Op, ep: Endpoint): void {
  const v = op.vop;
  if (v == VFS_READ || v == VFS_STAT || v == VFS_FSTAT || v == VFS_READDIR || v == VFS_READLINK || v == VFS_SYNC || v == VFS_SET_TIMES) return;
  changing(ep, v == VFS_WRITE || v == VFS_SET_SIZE ? op.ino : 0);
}

/** A reply from a service: to the op waiting for it, if any. */
function received(w: Process, at: Endpoint, src: u32, len: u32): i32 {
  const n = min(len, <u32>MSG_MAX_BYTES);
  if (!copyIn(w, src, reply.dataStart, n)) return 0;
  replyLen = n;
  messageStats.sent++;
  messageStats.delivered++;
  const txid = load<u32>(reply.dataStart + VFS_REPLY_TXID);
  emit(TR_MSG_SEND, w.pid, w.cpu, at.peer !== null ? changetype<Endpoint>(at.peer).koid : 0, at.koid, <i32>len, 0, <i32>txid, 0);
  emitData(w.pid, reply.dataStart, min<u32>(n, <u32>LOG_MAX_BYTES));
  emit(TR_MSG_DELIVER, 0, -1, at.koid, w.pid, <i32>len, 0, <i32>txid);
  if (!pending.has(txid)) return 0;
  const op = pending.get(txid);
  const m = op.mount;
  if (m === null || m.ep !== at) return 0; // another service's txid: not for it to answer
  pending.delete(txid);
  if (live(op) && op.p.state != PS_EXITED) { // else the caller is gone: the late reply is dropped
    let errno = n < <u32>VFS_REPLY_SIZE ? WASI_EIO : load<u32>(reply.dataStart + VFS_REPLY_ERRNO);
    if (errno == 0 && (op.vop == VFS_READ || op.vop == VFS_WRITE) && replyTail() > 0 && !replySegments(w, op)) errno = WASI_EIO;
    const r = errno == VFS_REDIRECT ? redirect(op) : errno != 0 ? <i32>errno : op.done(op);
    if (r != K_BLOCKED) finish(op, r);
  }
  releaseMount(m); // the request's use, after its reply is handled (the endpoint it came on may go with it)
  return 0;
}

onKernelMessage(received);

/** A service process took request txid off its queue: it owes the reply. */
function taken(txid: u32, reader: Process): void {
  if (pending.has(txid)) pending.get(txid).server = reader.pid;
}

onKernelRequestTaken(taken);

/** The service end of ep is gone: every request waiting for an answer on it fails with EIO. */
function serviceGone(ep: Endpoint): void {
  const ops = pending.values();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const m = op.mount;
    if (m === null || m.ep !== ep) continue;
    if (live(op)) finish(op, WASI_EIO);
    else forget(op);
  }
}

onKernelPeerClosed(serviceGone);

/** The service process p ended: every request it had taken and not answered goes again on its channel, or fails with EIO. */
export function failOpsHeldBy(p: Process): void {
  const ops = pending.values();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.server != p.pid) continue;
    forget(op);
    if (!live(op)) continue;
    op.again = true;
    const r = request(op);
    if (r != K_BLOCKED) finish(op, r);
  }
}

/** A symbolic link in the path: splice its target in and ask again. */
function redirect(op: Op): i32 {
  if (++op.hops > SYMLOOP_MAX) return WASI_ELOOP;
  const value = replyU32(VFS_REPLY_VALUE);
  const second = (value & VFS_REDIRECT_SECOND) != 0;
  if (second && (!op.hasPath2 || op.raw2)) return WASI_EIO;
  const consumed = value & ~VFS_REDIRECT_SECOND;
  const m = changetype<Mount>(op.mount);
  const rest = String.UTF8.encode(restOf(m, second ? op.path2 : op.path));
  if (consumed > <u32>rest.byteLength) return WASI_EIO;
  const through = String.UTF8.decodeUnsafe(changetype<usize>(rest), consumed);
  const after = String.UTF8.decodeUnsafe(changetype<usize>(rest) + consumed, rest.byteLength - consumed);
  const target = String.UTF8.decodeUnsafe(reply.dataStart + VFS_REPLY_SIZE, replyTail());
  const link = m.path.length == 0 ? through : through.length == 0 ? m.path : m.path + '/' + through;
  const root = second ? op.root2 : op.root;
  const next = normalize(target.startsWith('/') ? root : parentOf(link), target + after, root);
  if (next === null) return WASI_ENOTCAPABLE;
  if (second) op.path2 = next;
  else op.path = next;
  return request(op);
}

/**
 * FD_GRANT_COPY for the service w on its endpoint ep: move len bytes between
 * w's memory at buf (checked) and the segments of the op whose request txid
 * is pending there, from offset bytes into the grant. Bytes copied, or
 * BAD_STATE when no such request waits on this endpoint.
 */
export function grantCopy(w: Process, ep: Endpoint, txid: u32, offset: u32, buf: u32, len: u32): i32 {
  if (!pending.has(txid)) return ERR_BAD_STATE;
  const op = pending.get(txid);
  const m = op.mount;
  if (m === null || m.ep !== ep.peer || !live(op) || op.p.state == PS_EXITED) return ERR_BAD_STATE;
  return <i32>copyGrant(w, op, offset, buf, len);
}

/** Move up to len bytes between w's memory at buf and op's segments from offset bytes into the grant; bytes copied. */
function copyGrant(w: Process, op: Op, offset: u32, buf: u32, len: u32): u32 {
  const n: u32 = offset >= op.vcount ? 0 : min<u32>(len, op.vcount - offset);
  let skip = offset;
  let done: u32 = 0;
  for (let i = 0; i < op.segs.length && done < n; i += 2) {
    const seg = op.segs[i + 1];
    if (skip >= seg) {
      skip -= seg;
      continue;
    }
    const chunk = min(seg - skip, n - done);
    const at = op.segs[i] + skip;
    const ok = op.toCaller ? copyBetween(w, buf + done, op.p, at, chunk) : copyBetween(op.p, at, w, buf + done, chunk);
    if (!ok) return done;
    skip = 0;
    done += chunk;
  }
  return done;
}

/**
 * The VfsSegment records after a READ or WRITE reply's header: copy each
 * between the service w and op's grant, in order from its start. Segments
 * past the grant (up to the read-ahead or room the request allowed) become
 * the file's read-ahead or room, if nothing that may change them was sent
 * since the request. False (the call fails with EIO) when the records are
 * torn or a segment lies outside w's memory or past what was allowed — a
 * service's mistake, never the caller's.
 */
function replySegments(w: Process, op: Op): bool {
  const ahead = op.stamp == changeCount() ? op.ahead : null;
  const ok = copySegments(w, op, op.vval, ahead);
  if (!ok && ahead !== null) forgetAhead(ahead);
  return ok;
}

function copySegments(w: Process, op: Op, more: u64, ahead: Ahead | null): bool {
  const tail = replyTail();
  if (tail % <u32>VFS_SEGMENT_SIZE != 0) return false;
  const limit = <u64>op.vcount + more;
  let offset: u64 = 0;
  let begun = false;
  for (let at = <u32>VFS_REPLY_SIZE; at < <u32>VFS_REPLY_SIZE + tail; at += VFS_SEGMENT_SIZE) {
    const buf = replyU32(at + VFS_SEGMENT_BUF);
    const len = replyU32(at + VFS_SEGMENT_LEN);
    // Checked first, so that the service's reply is taken (its write succeeds) and only the caller hears of it.
    if (<u64>len > limit - offset || !inRange(w, buf, <u64>len)) return false;
    const share = offset < <u64>op.vcount ? min<u32>(len, op.vcount - <u32>offset) : 0;
    if (share > 0 && copyGrant(w, op, <u32>offset, buf, share) != share) return false;
    if (share < len && ahead !== null) {
      if (!begun) begin(ahead, w, op.voff + <u64>op.vcount);
      begun = true;
      add(ahead, buf + share, len - share);
    }
    offset += <u64>len;
  }
  return true;
}
