// Channels: pairs of endpoints with bounded message queues.
//
// Writing on one endpoint queues a message on its peer; reading takes from the
// endpoint's own queue. Handles in a message are moved: they leave the
// writer's table at write and enter the reader's table at read. `call` is a
// write plus a wait for the reply whose first four bytes carry the same
// transaction id: the kernel stamps a fresh id into the request, and a reply
// written while the caller waits goes straight from the replier's memory to
// the caller's buffer (copy_between), without passing through a queue.
//
// Signals of an endpoint: READABLE (its queue has a message), WRITABLE (the
// peer's queue has room), PEER_CLOSED (the peer is gone). This module trusts
// its arguments: the syscall front door validated every pointer, handle and
// size before calling in. A caller blocked in call() waits in its own
// endpoint's waiter list; the reply that carries its transaction id ends
// the wait.
//
// Who pays: a queued message costs its writer MESSAGE_BYTES plus the payload
// until it is read or dropped, and the handles it carries stay charged to
// the writer; the reader takes over the handles' charge when it reads them,
// so a read that the reader's quota cannot cover fails with NO_MEMORY and the
// message stays queued. A dead endpoint's queue is dropped one message per
// step (work.ts), and an endpoint that only queued messages still reach is
// checked for a cycle (ipc/cycles.ts).
//
// An endpoint the kernel holds (the vfs's end of a service's channel) takes
// requests the kernel writes with kernelSend; a reply carrying a kernel txid
// goes to the vfs (onKernelMessage), replies to calls as before.
//
// Whoever reads a request that someone waits on owes its reply: the caller
// records the reader's pid (callServer), the vfs its request's (through
// onKernelRequestTaken), so that if the reader dies first the wait ends at
// once with PEER_CLOSED (process/lifecycle.ts) instead of lasting forever.

import {
  OBJ_CHANNEL, QUEUE_DEPTH, LOG_MAX_BYTES, ERR_PEER_CLOSED, ERR_SHOULD_WAIT, ERR_BUFFER_TOO_SMALL, ERR_LIMIT,
  ERR_FAULT, ERR_NO_MEMORY, ERR_INVALID_ARGS, K_BLOCKED, SIG_READABLE, SIG_WRITABLE, SIG_PEER_CLOSED, TR_MSG_SEND,
  TR_MSG_DELIVER, TR_HANDLE_TRANSFER, TR_SYSCALL_BLOCK, CLOSE_DROPPED, OBJECT_BYTES, HANDLE_BYTES, MESSAGE_BYTES,
  READ_ACTUAL_BYTES, READ_ACTUAL_HANDLES, CALL_ARGS_ACTUAL_BYTES, CALL_ARGS_ACTUAL_HANDLES, RECV_ARGS_ACTUAL_BYTES,
  LIMIT_QUEUE, PS_EXITED,
} from '../../../abi/assembly/index';
import { KObject, Handle, NO_HANDLES, putInFlight } from '../object';
import { closeHandle, newRootHandle, tableHasRoom } from '../cap/ops';
import { canCharge, chargeObject, chargeBytes, releaseBytes, payForHandle, refused } from '../account';
import { Work, deferWork } from '../work';
import { Process, asProcess, W_CALL } from '../process/process';
import { Message, messageStats } from './message';
import { updateSignals, armTimeout, finishWait, onReceive } from './wait';
import { suspect } from './cycles';
import { block } from '../sched/scheduler';
import { copyIn, copyOut, copyBetween, putU32 } from '../mm/user';
import { emit, emitData } from '../trace';

export class Endpoint extends KObject {
  peer: Endpoint | null = null;
  queue: Array<Message> = [];
  /** The vfs holds this endpoint: replies carrying a vfs txid go to the kernel (onKernelMessage). */
  kernelHeld: bool = false;

  constructor() {
    super(OBJ_CHANNEL);
    this.signals = SIG_WRITABLE;
  }

  /** The last handle to this endpoint closed: drop its queue (in steps) and tell the peer. */
  destroy(): void {
    this.release();
    const peer = this.peer;
    this.peer = null;
    if (peer === null) return;
    peer.peer = null;
    updateSignals(peer, SIG_PEER_CLOSED, SIG_WRITABLE);
    const callers = callersOn(peer);
    for (let i = 0; i < callers.length; i++) finishWait(callers[i], ERR_PEER_CLOSED);
    if (peer.kernelHeld) kernelPeerGone(peer);
  }

  /** Hand the queue (at most QUEUE_DEPTH messages) to a QueueDrop, which closes what it carries in steps. */
  release(): void {
    const q = this.queue;
    if (q.length == 0) return;
    this.queue = [];
    for (let i = 0; i < q.length; i++) q[i].queuedOn = null;
    const drop = new QueueDrop(q);
    dropping.add(drop);
    deferWork(drop);
    updateSignals(this, 0, SIG_READABLE);
    const peer = this.peer;
    if (peer !== null) updateSignals(peer, SIG_WRITABLE, 0);
  }

  /** Only queued messages may still reach this endpoint: look for a cycle. */
  handlesChanged(): void {
    suspect(this);
  }
}

/** A dead (or unreachable) endpoint's messages, dropped in steps: one handle a message carries, or one message that carries none left. */
export class QueueDrop extends Work {
  messages: Array<Message>;
  at: i32 = 0;
  /** The next handle slot of messages[at] to close. */
  slot: i32 = 0;

  constructor(messages: Array<Message>) {
    super();
    this.messages = messages;
  }

  step(): bool {
    if (this.at >= this.messages.length) return true;
    const msg = this.messages[this.at];
    const carried = msg.handles;
    while (this.slot < carried.length) {
      const h = carried[this.slot++];
      if (h !== null) {
        closeHandle(h, CLOSE_DROPPED); // its slot in the message becomes null
        return false;
      }
    }
    this.slot = 0;
    this.at++;
    dropMessage(msg);
    return this.at >= this.messages.length;
  }

  done(): void {
    dropping.delete(this);
  }
}

/** Queues being dropped (their handles are still in flight; the invariant walk counts them). */
export const dropping = new Set<QueueDrop>();

let nextTxid: u32 = 1;

/** Transaction ids of the kernel's own requests (the vfs's) have bit 30 set and bit 31 clear; calls' have bit 31. */
export const KERNEL_TXID: u32 = 0x40000000;

/** Where a reply to a kernel request goes (installed by the vfs): the writer, the kernel's endpoint, the bytes. */
let toKernel: (w: Process, at: Endpoint, src: u32, len: u32) => i32 = (w: Process, at: Endpoint, src: u32, len: u32): i32 => 0;

/** Install the receiver of replies to kernel requests. */
export function onKernelMessage(fn: (w: Process, at: Endpoint, src: u32, len: u32) => i32): void {
  toKernel = fn;
}

/** Told that the service end of an endpoint the kernel holds is gone (installed by the vfs: its requests fail). */
let kernelPeerGone: (ep: Endpoint) => void = (ep: Endpoint): void => {};

/** Install who learns that the peer of a kernel-held endpoint is gone. */
export function onKernelPeerClosed(fn: (ep: Endpoint) => void): void {
  kernelPeerGone = fn;
}

/** Told which process took a kernel request (its txid) off a queue (installed by the vfs). */
let kernelTaken: (txid: u32, reader: Process) => void = (txid: u32, reader: Process): void => {};

/** Install who learns that a process took a kernel request: that process owes its reply. */
export function onKernelRequestTaken(fn: (txid: u32, reader: Process) => void): void {
  kernelTaken = fn;
}

/** p took a message with `txid` off ep's queue: if someone waits for its reply, p now owes it. */
function owe(p: Process, ep: Endpoint, txid: u32): void {
  const from = ep.peer;
  if (from === null) return;
  if ((txid >>> 31) != 0) {
    const caller = findCaller(from, txid);
    if (caller !== null) caller.callServer = p.pid;
  } else if ((txid >>> 30) == 1 && from.kernelHeld) {
    kernelTaken(txid, p);
  }
}

/** The kernel writes msg on its endpoint ep: queued on the peer like any message (forPid, traced: the process it acts for). False when the peer is gone. */
export function kernelSend(ep: Endpoint, msg: Message, forPid: i32 = 0): bool {
  const peer = ep.peer;
  if (peer === null) return false;
  peer.queue.push(msg);
  msg.queuedOn = peer;
  messageStats.sent++;
  emit(TR_MSG_SEND, 0, -1, ep.koid, peer.koid, msg.length, 0, <i32>msg.txid, 0, forPid);
  emitData(0, msg.at, min<u32>(<u32>msg.length, <u32>LOG_MAX_BYTES));
  if (peer.queue.length >= QUEUE_DEPTH) updateSignals(ep, 0, SIG_WRITABLE);
  updateSignals(peer, SIG_READABLE, 0);
  return true;
}

/** The first four bytes of a write, to see whether it answers a call. */
const txidWord = new Uint8Array(4);

/** The first bytes of a reply that went straight from replier to caller, copied for the trace. */
const replySample = new Uint8Array(LOG_MAX_BYTES);

/** Create a channel: two endpoints, one handle each, installed in p. Returns [h0, h1] or null (NO_MEMORY). */
export function channelCreate(p: Process, rights: u32): Array<i32> | null {
  if (!canCharge(p, 0, 2 * (OBJECT_BYTES + HANDLE_BYTES))) return null;
  const a = new Endpoint();
  const b = new Endpoint();
  a.peer = b;
  b.peer = a;
  chargeObject(p, a, OBJECT_BYTES);
  chargeObject(p, b, OBJECT_BYTES);
  return [newRootHandle(p, a, rights), newRootHandle(p, b, rights)];
}

/** The caller on `ep` waiting for transaction `txid`, if any. */
function findCaller(ep: Endpoint, txid: u32): Process | null {
  const ws = ep.waiters;
  for (let i = 0; i < ws.length; i++) {
    const p = asProcess(ws[i]);
    if (p.waitKind == W_CALL && p.waitTxid == txid) return p;
  }
  return null;
}

/** The processes blocked in call() on ep, in the order they called. */
function callersOn(ep: Endpoint): Array<Process> {
  const out: Array<Process> = [];
  const ws = ep.waiters;
  for (let i = 0; i < ws.length; i++) {
    const p = asProcess(ws[i]);
    if (p.waitKind == W_CALL) out.push(p);
  }
  return out;
}

/** Move the handles out of the writer's table into msg (they stay charged to the writer while in flight). */
function detachInto(p: Process, msg: Message, moved: Array<Handle>): void {
  if (moved.length == 0) return;
  const list = new Array<Handle | null>(moved.length);
  for (let i = 0; i < moved.length; i++) {
    const h = moved[i];
    h.sentAs = h.value;
    p.table.remove(h);
    putInFlight(h, msg);
    list[i] = h;
  }
  msg.handles = list;
  for (let i = 0; i < moved.length; i++) moved[i].obj.handlesChanged();
}

/** Handle values of the message being delivered (reused: delivery is never nested). */
const installed: Array<i32> = [];

/** Install a message's handles in the reader; returns their new values (0 for revoked ones). */
function installFrom(msg: Message, reader: Process): Array<i32> {
  const values = installed;
  values.length = 0;
  for (let i = 0; i < msg.handles.length; i++) {
    const h = msg.handles[i];
    if (h === null) { values.push(0); continue; }
    payForHandle(reader, h);
    const v = reader.table.install(h, reader);
    assert(v != 0, 'reader table full after room check');
    emit(TR_HANDLE_TRANSFER, reader.pid, reader.cpu, v, msg.senderPid, h.sentAs, h.obj.koid, <i32>h.rights, h.obj.type);
    values.push(v);
  }
  msg.handles = NO_HANDLES;
  return values;
}

function writeHandleValues(p: Process, dst: u32, values: Array<i32>): void {
  for (let i = 0; i < values.length; i++) putU32(p, dst + <u32>(i * 4), <u32>values[i]);
}

/** Close every handle a message still carries (the message dies unread). */
export function dropMessage(msg: Message): void {
  msg.queuedOn = null;
  for (let i = 0; i < msg.handles.length; i++) {
    const h = msg.handles[i];
    if (h !== null) closeHandle(h, CLOSE_DROPPED);
  }
  msg.handles = NO_HANDLES;
  releasePayload(msg);
  messageStats.dropped++;
}

/** What a queued message of len payload bytes costs its writer. */
function messageCost(len: u32): u32 {
  return MESSAGE_BYTES + len;
}

/** Charge a queued message to its sender until it is read or dropped. */
function chargePayload(p: Process, msg: Message): void {
  chargeBytes(p, messageCost(<u32>msg.length));
  msg.payer = p;
}

function releasePayload(msg: Message): void {
  const p = msg.payer;
  if (p === null) return;
  releaseBytes(p, messageCost(<u32>msg.length));
  msg.payer = null;
}

/** Is there room on peer's queue? If not, the LIMIT record says whose writes the queue stopped. */
function queueHasRoom(p: Process, peer: Endpoint): bool {
  if (peer.queue.length < QUEUE_DEPTH) return true;
  refused(LIMIT_QUEUE, p, 1, peer.queue.length, QUEUE_DEPTH);
  return false;
}

function enqueue(writer: Process, peer: Endpoint, msg: Message): void {
  peer.queue.push(msg);
  msg.queuedOn = peer;
  messageStats.sent++;
  const w = peer.peer;
  emit(TR_MSG_SEND, writer.pid, writer.cpu, w !== null ? w.koid : 0, peer.koid, msg.length, msg.handles.length, <i32>msg.txid, 0);
  emitData(writer.pid, msg.at, min<u32>(<u32>msg.length, <u32>LOG_MAX_BYTES));
  if (peer.queue.length >= QUEUE_DEPTH && w !== null) updateSignals(w, 0, SIG_WRITABLE);
  updateSignals(peer, SIG_READABLE, 0);
}

/** Build a kernel copy of a message from the writer's memory. Returns null on a copy fault. */
function copyMessage(p: Process, src: u32, len: u32): Message | null {
  const msg = new Message(<i32>len, p.pid);
  return copyIn(p, src, msg.at, len) ? msg : null;
}

/** CHANNEL_WRITE: queue a message on the peer (or hand a reply straight to its caller). */
export function channelWrite(p: Process, ep: Endpoint, src: u32, len: u32, moved: Array<Handle>): i32 {
  const peer = ep.peer;
  if (peer === null) return ERR_PEER_CLOSED;
  if (len >= 4) {
    if (!copyIn(p, src, txidWord.dataStart, 4)) return ERR_FAULT;
    const txid = load<u32>(txidWord.dataStart);
    const caller = findCaller(peer, txid);
    if (caller !== null) return deliverReply(p, src, len, moved, caller, peer);
    if (peer.kernelHeld && (txid >>> 30) == 1) return moved.length > 0 ? ERR_INVALID_ARGS : toKernel(p, peer, src, len);
  }
  if (!queueHasRoom(p, peer)) return ERR_SHOULD_WAIT;
  if (!canCharge(p, 0, messageCost(len))) return ERR_NO_MEMORY;
  const msg = copyMessage(p, src, len);
  if (msg === null) return ERR_FAULT;
  chargePayload(p, msg);
  if (len >= 4) msg.txid = load<u32>(msg.at);
  detachInto(p, msg, moved);
  enqueue(p, peer, msg);
  return 0;
}

/** A reply for a waiting caller: copy straight into its reply buffer and wake it. */
function deliverReply(w: Process, src: u32, len: u32, moved: Array<Handle>, caller: Process, at: Endpoint): i32 {
  const txid = caller.waitTxid;
  const argsPtr = caller.waitOut;
  putU32(caller, argsPtr + CALL_ARGS_ACTUAL_BYTES, len);
  putU32(caller, argsPtr + CALL_ARGS_ACTUAL_HANDLES, <u32>moved.length);
  const fits = len <= caller.callRdCap && <u32>moved.length <= caller.callRdHandleCap && caller.table.hasRoom(moved.length) &&
    (moved.length == 0 || canCharge(caller, 0, <u32>moved.length * HANDLE_BYTES));
  if (!fits) {
    for (let i = 0; i < moved.length; i++) closeHandle(moved[i], CLOSE_DROPPED);
    messageStats.sent++;
    messageStats.dropped++;
    finishWait(caller, ERR_BUFFER_TOO_SMALL);
    return 0;
  }
  const traced = min<u32>(len, <u32>LOG_MAX_BYTES);
  if (!copyIn(w, src, replySample.dataStart, traced)) return ERR_FAULT;
  if (!copyBetween(w, src, caller, caller.callRdBytes, len)) {
    // Not delivered: the replier's write fails, and so does the call it was for (its handles stay with the replier).
    finishWait(caller, ERR_FAULT);
    return ERR_FAULT;
  }
  const msg = new Message(0, w.pid);
  msg.txid = txid;
  detachInto(w, msg, moved);
  messageStats.sent++;
  messageStats.delivered++;
  const wep = at.peer;
  emit(TR_MSG_SEND, w.pid, w.cpu, wep !== null ? wep.koid : 0, at.koid, <i32>len, moved.length, <i32>txid, caller.pid);
  emitData(w.pid, replySample.dataStart, traced);
  emit(TR_MSG_DELIVER, caller.pid, -1, at.koid, w.pid, <i32>len, moved.length, <i32>txid);
  writeHandleValues(caller, caller.callRdHandles, installFrom(msg, caller));
  finishWait(caller, 0);
  return 0;
}

/** CHANNEL_READ: take the next message if it fits the buffers given. Returns its byte count. */
export function channelRead(p: Process, ep: Endpoint, dst: u32, cap: u32, hdst: u32, hcap: u32, actual: u32): i32 {
  if (ep.queue.length == 0) return ep.peer === null ? ERR_PEER_CLOSED : ERR_SHOULD_WAIT;
  const msg = ep.queue[0];
  const len = <u32>msg.length;
  if (actual != 0) {
    putU32(p, actual + READ_ACTUAL_BYTES, len);
    putU32(p, actual + READ_ACTUAL_HANDLES, <u32>msg.handles.length);
  }
  if (len > cap || <u32>msg.handles.length > hcap) return ERR_BUFFER_TOO_SMALL;
  if (!tableHasRoom(p, msg.handles.length)) return ERR_LIMIT;
  if (msg.handles.length > 0 && !canCharge(p, 0, <u32>msg.handles.length * HANDLE_BYTES)) return ERR_NO_MEMORY;
  if (!copyOut(p, msg.at, dst, len)) return ERR_FAULT;
  ep.queue.shift();
  msg.queuedOn = null;
  messageStats.delivered++;
  releasePayload(msg);
  emit(TR_MSG_DELIVER, p.pid, p.cpu, ep.koid, msg.senderPid, <i32>len, msg.handles.length, <i32>msg.txid);
  writeHandleValues(p, hdst, installFrom(msg, p));
  if (msg.txid != 0) owe(p, ep, msg.txid);
  if (ep.queue.length == 0) updateSignals(ep, 0, SIG_READABLE);
  const w = ep.peer;
  if (w !== null && ep.queue.length < QUEUE_DEPTH) updateSignals(w, SIG_WRITABLE, 0);
  return <i32>len;
}

/** CHANNEL_CALL: queue the request with a fresh transaction id and block until the reply. */
export function channelCall(p: Process, h: Handle, src: u32, len: u32, moved: Array<Handle>, argsPtr: u32,
  rdBytes: u32, rdCap: u32, rdHandles: u32, rdHandleCap: u32, timeoutUs: i32): i32 {
  const ep = changetype<Endpoint>(h.obj);
  const peer = ep.peer;
  if (peer === null) return ERR_PEER_CLOSED;
  if (!queueHasRoom(p, peer)) return ERR_SHOULD_WAIT;
  if (!canCharge(p, 0, messageCost(len))) return ERR_NO_MEMORY;
  const msg = copyMessage(p, src, len);
  if (msg === null) return ERR_FAULT;
  chargePayload(p, msg);
  const txid = 0x80000000 | (nextTxid++ & 0x7fffffff);
  store<u32>(msg.at, txid);
  msg.txid = txid;
  detachInto(p, msg, moved);
  p.waitKind = W_CALL;
  p.waitOn(h, 0);
  p.waitTxid = txid;
  p.waitOut = argsPtr;
  p.callRdBytes = rdBytes;
  p.callRdCap = rdCap;
  p.callRdHandles = rdHandles;
  p.callRdHandleCap = rdHandleCap;
  ep.waiters.push(p);
  enqueue(p, peer, msg);
  armTimeout(p, timeoutUs);
  emit(TR_SYSCALL_BLOCK, p.pid, p.cpu, p.waitNr, ep.koid);
  block(p);
  return K_BLOCKED;
}

/** A CHANNEL_RECV wait is satisfied when a message is there (or the peer is gone): read it into the waiter's buffers. */
function receiveFor(p: Process): i32 {
  const ep = changetype<Endpoint>(p.waitHandles[0].obj);
  if (ep.queue.length == 0 && ep.peer !== null) return K_BLOCKED;
  return channelRead(p, ep, p.callRdBytes, p.callRdCap, p.callRdHandles, p.callRdHandleCap, p.waitOut + RECV_ARGS_ACTUAL_BYTES);
}

onReceive(receiveFor);
