// Syscall handlers for IPC: waiting, channels, notifications, memory objects
// and timers. Each is fetch, check, act, return — every handle, size and
// pointer is checked here before ipc/ sees it; the table is in dispatch.ts.

import {
  OBJ_NONE, OBJ_CHANNEL, OBJ_NOTIFICATION, OBJ_MEMORY, OBJ_TIMER, RIGHT_READ, RIGHT_WRITE, RIGHT_TRANSFER,
  RIGHT_DUPLICATE, RIGHT_WAIT, RIGHT_SIGNAL, RIGHT_MANAGE, RIGHT_SPAWN, RIGHT_INSPECT, RIGHT_ALL, SIG_READABLE,
  SIG_PEER_CLOSED, ERR_INVALID_ARGS, ERR_FAULT, ERR_NO_MEMORY, ERR_OUT_OF_RANGE, MSG_MAX_BYTES, MSG_MAX_HANDLES,
  WAIT_MANY_MAX, NOTIFY_BITS, MEMOBJ_MAX_BYTES, WAIT_ITEM_SIZE, WAIT_ITEM_HANDLE, WAIT_ITEM_MASK, READ_ACTUAL_SIZE,
  CALL_ARGS_SIZE, CALL_ARGS_WR_BYTES, CALL_ARGS_WR_LEN, CALL_ARGS_WR_HANDLES, CALL_ARGS_WR_NUM_HANDLES,
  CALL_ARGS_RD_BYTES, CALL_ARGS_RD_CAP, CALL_ARGS_RD_HANDLES, CALL_ARGS_RD_HANDLE_CAP, CALL_ARGS_TIMEOUT_US,
  RECV_ARGS_SIZE, RECV_ARGS_BYTES, RECV_ARGS_CAP, RECV_ARGS_HANDLES, RECV_ARGS_HANDLE_CAP,
} from '../../../abi/assembly/index';
import { Handle } from '../object';
import { Process, W_SIGNALS, W_MANY, W_NOTIFY, W_RECV } from '../process/process';
import { fetch, inRange, putU32 } from '../mm/user';
import { Endpoint, channelCreate, channelWrite, channelRead, channelCall } from '../ipc/channel';
import { notifyCreate, notifySignal } from '../ipc/notification';
import { MemoryObject, memobjCreate, memobjRead, memobjWrite } from '../ipc/memobj';
import { Timer, timerCreate, timerSet } from '../ipc/timer';
import { beginWait } from '../ipc/wait';
import { checkHandle, checkSignalTarget, objectOf, checkHandleOut, collectMoved } from './args';

/** The notification bits a process may use (0..NOTIFY_BITS-1). */
const NOTIFY_MASK: u32 = (<u32>1 << <u32>NOTIFY_BITS) - 1;

/** OBJECT_WAIT(h, mask, timeout_us, out_observed_ptr) */
export function sysObjectWait(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_NONE, RIGHT_WAIT);
  if (e != 0) return e;
  if (a1 == 0) return ERR_INVALID_ARGS;
  if (!inRange(p, <u32>a3, a3 != 0 ? 4 : 0)) return ERR_FAULT;
  p.waitKind = W_SIGNALS;
  p.waitOn(p.table.get(a0), <u32>a1);
  p.waitOut = <u32>a3;
  return beginWait(p, a2);
}

/** OBJECT_WAIT_MANY(items_ptr, count, timeout_us): the index of the first ready item. */
export function sysObjectWaitMany(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  if (a1 < 1 || a1 > WAIT_MANY_MAX) return ERR_INVALID_ARGS;
  const items = fetch(p, <u32>a0, <u32>(a1 * WAIT_ITEM_SIZE));
  if (items === null) return ERR_FAULT;
  const hs: Array<Handle> = [];
  const masks: Array<u32> = [];
  for (let i = 0; i < a1; i++) {
    const at = <u32>(i * WAIT_ITEM_SIZE);
    const value = <i32>items.u32(at + WAIT_ITEM_HANDLE);
    const e = checkHandle(p, value, OBJ_NONE, RIGHT_WAIT);
    if (e != 0) return e;
    const mask = items.u32(at + WAIT_ITEM_MASK);
    if (mask == 0) return ERR_INVALID_ARGS;
    hs.push(p.table.get(value));
    masks.push(mask);
  }
  p.waitKind = W_MANY;
  p.waitHandles = hs;
  p.waitMasks = masks;
  p.waitOut = <u32>a0;
  return beginWait(p, a2);
}

/** CHANNEL_CREATE(out_handles_ptr) */
export function sysChannelCreate(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandleOut(p, <u32>a0, 2);
  if (e != 0) return e;
  const pair = channelCreate(p, RIGHT_ALL & ~(RIGHT_SIGNAL | RIGHT_MANAGE | RIGHT_SPAWN | RIGHT_INSPECT));
  if (pair === null) return ERR_NO_MEMORY;
  putU32(p, <u32>a0, <u32>pair[0]);
  putU32(p, <u32>a0 + 4, <u32>pair[1]);
  return 0;
}

/**
 * CHANNEL_WRITE(h, bytes_ptr, len, handles_ptr, n_handles, recv_args_ptr).
 * With a RecvArgs block in a5 this is a server's reply-and-wait: write, then CHANNEL_RECV on h.
 */
export function sysChannelWrite(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_CHANNEL, a5 != 0 ? RIGHT_WRITE | RIGHT_READ | RIGHT_WAIT : RIGHT_WRITE);
  if (e != 0) return e;
  const h = p.table.get(a0);
  if (<u32>a2 > <u32>MSG_MAX_BYTES || <u32>a4 > <u32>MSG_MAX_HANDLES) return ERR_INVALID_ARGS;
  if (!inRange(p, <u32>a1, <u32>a2) || !inRange(p, <u32>a3, <u64><u32>a4 * 4)) return ERR_FAULT;
  if (a5 != 0 && !recvArgs(p, <u32>a5)) return ERR_FAULT;
  const moved: Array<Handle> = [];
  const m = collectMoved(p, <u32>a3, <u32>a4, 4, h, moved, []);
  if (m != 0) return m;
  const r = channelWrite(p, changetype<Endpoint>(h.obj), <u32>a1, <u32>a2, moved);
  if (r != 0 || a5 == 0) return r;
  return beginRecv(p, h, <u32>a5, -1);
}

/** CHANNEL_READ(h, bytes_ptr, cap, handles_ptr, handle_cap, out_actual_ptr): the message's byte count. */
export function sysChannelRead(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_CHANNEL, RIGHT_READ);
  if (e != 0) return e;
  if (!inRange(p, <u32>a1, <u32>a2) || !inRange(p, <u32>a3, <u64><u32>a4 * 4)) return ERR_FAULT;
  if (!inRange(p, <u32>a5, a5 != 0 ? READ_ACTUAL_SIZE : 0)) return ERR_FAULT;
  return channelRead(p, objectOf<Endpoint>(p, a0), <u32>a1, <u32>a2, <u32>a3, <u32>a4, <u32>a5);
}

/** CHANNEL_CALL(h, call_args_ptr): copy the argument block in and check every pointer it holds. */
export function sysChannelCall(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_CHANNEL, RIGHT_READ | RIGHT_WRITE);
  if (e != 0) return e;
  const h = p.table.get(a0);
  const args = <u32>a1;
  const b = fetch(p, args, CALL_ARGS_SIZE);
  if (b === null) return ERR_FAULT;
  const wrBytes = b.u32(CALL_ARGS_WR_BYTES), wrLen = b.u32(CALL_ARGS_WR_LEN);
  const wrHandles = b.u32(CALL_ARGS_WR_HANDLES), wrNum = b.u32(CALL_ARGS_WR_NUM_HANDLES);
  const rdBytes = b.u32(CALL_ARGS_RD_BYTES), rdCap = b.u32(CALL_ARGS_RD_CAP);
  const rdHandles = b.u32(CALL_ARGS_RD_HANDLES), rdHandleCap = b.u32(CALL_ARGS_RD_HANDLE_CAP);
  const timeoutUs = <i32>b.u32(CALL_ARGS_TIMEOUT_US);
  if (wrLen < 4 || wrLen > <u32>MSG_MAX_BYTES || wrNum > <u32>MSG_MAX_HANDLES) return ERR_INVALID_ARGS;
  if (!inRange(p, wrBytes, wrLen) || !inRange(p, wrHandles, <u64>wrNum * 4)) return ERR_FAULT;
  if (!inRange(p, rdBytes, rdCap) || !inRange(p, rdHandles, <u64>rdHandleCap * 4)) return ERR_FAULT;
  const moved: Array<Handle> = [];
  const m = collectMoved(p, wrHandles, wrNum, 4, h, moved, []);
  if (m != 0) return m;
  return channelCall(p, h, wrBytes, wrLen, moved, args, rdBytes, rdCap, rdHandles, rdHandleCap, timeoutUs);
}

/** CHANNEL_RECV(h, recv_args_ptr, timeout_us): like CHANNEL_READ, waiting for a message. */
export function sysChannelRecv(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_CHANNEL, RIGHT_READ | RIGHT_WAIT);
  if (e != 0) return e;
  if (!recvArgs(p, <u32>a1)) return ERR_FAULT;
  return beginRecv(p, p.table.get(a0), <u32>a1, a2);
}

/**
 * Copy a RecvArgs block in and check the buffers it names; on success the
 * checked values wait in the process's receive fields for beginRecv.
 */
function recvArgs(p: Process, args: u32): bool {
  const b = fetch(p, args, RECV_ARGS_SIZE);
  if (b === null) return false;
  const bytes = b.u32(RECV_ARGS_BYTES), cap = b.u32(RECV_ARGS_CAP);
  const handles = b.u32(RECV_ARGS_HANDLES), handleCap = b.u32(RECV_ARGS_HANDLE_CAP);
  if (!inRange(p, bytes, cap) || !inRange(p, handles, <u64>handleCap * 4)) return false;
  p.callRdBytes = bytes;
  p.callRdCap = cap;
  p.callRdHandles = handles;
  p.callRdHandleCap = handleCap;
  return true;
}

/** Take the next message on h into the buffers recvArgs checked, waiting for one if needed. */
function beginRecv(p: Process, h: Handle, args: u32, timeoutUs: i32): i32 {
  p.waitKind = W_RECV;
  p.waitOn(h, SIG_READABLE | SIG_PEER_CLOSED);
  p.waitOut = args;
  return beginWait(p, timeoutUs);
}

/** NOTIFY_CREATE(out_handle_ptr) */
export function sysNotifyCreate(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandleOut(p, <u32>a0, 1);
  if (e != 0) return e;
  const v = notifyCreate(p, RIGHT_ALL & ~(RIGHT_SPAWN | RIGHT_INSPECT | RIGHT_MANAGE));
  if (v == 0) return ERR_NO_MEMORY;
  putU32(p, <u32>a0, <u32>v);
  return 0;
}

/** NOTIFY_SIGNAL(h, bits) */
export function sysNotifySignal(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_NOTIFICATION, RIGHT_SIGNAL);
  if (e != 0) return e;
  if ((<u32>a1 & ~NOTIFY_MASK) != 0) return ERR_INVALID_ARGS;
  notifySignal(p.table.get(a0).obj, <u32>a1);
  return 0;
}

/** NOTIFY_WAIT(h, mask, timeout_us): the bits taken. */
export function sysNotifyWait(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_NOTIFICATION, RIGHT_WAIT);
  if (e != 0) return e;
  if (a1 == 0 || (<u32>a1 & ~NOTIFY_MASK) != 0) return ERR_INVALID_ARGS;
  p.waitKind = W_NOTIFY;
  p.waitOn(p.table.get(a0), <u32>a1);
  return beginWait(p, a2);
}

/** MEMOBJ_CREATE(size, out_handle_ptr) */
export function sysMemobjCreate(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  if (<u32>a0 > <u32>MEMOBJ_MAX_BYTES) return ERR_OUT_OF_RANGE;
  const e = checkHandleOut(p, <u32>a1, 1);
  if (e != 0) return e;
  const v = memobjCreate(p, <u32>a0, RIGHT_ALL & ~(RIGHT_SIGNAL | RIGHT_SPAWN | RIGHT_INSPECT | RIGHT_MANAGE));
  if (v == 0) return ERR_NO_MEMORY;
  putU32(p, <u32>a1, <u32>v);
  return 0;
}

/** The memory object behind a handle whose offset..offset+len range and user range were checked, or the error. */
function memobjAccess(p: Process, a0: i32, rights: u32, offset: u32, ptr: u32, len: u32): i32 {
  const e = checkHandle(p, a0, OBJ_MEMORY, rights);
  if (e != 0) return e;
  const m = objectOf<MemoryObject>(p, a0);
  if (<u64>offset + <u64>len > <u64>m.bytes.length) return ERR_OUT_OF_RANGE;
  if (!inRange(p, ptr, len)) return ERR_FAULT;
  return 0;
}

/** MEMOBJ_READ(h, offset, dst_ptr, len): bytes copied. */
export function sysMemobjRead(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = memobjAccess(p, a0, RIGHT_READ, <u32>a1, <u32>a2, <u32>a3);
  if (e != 0) return e;
  return memobjRead(p, objectOf<MemoryObject>(p, a0), <u32>a1, <u32>a2, <u32>a3);
}

/** MEMOBJ_WRITE(h, offset, src_ptr, len): bytes copied. */
export function sysMemobjWrite(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = memobjAccess(p, a0, RIGHT_WRITE, <u32>a1, <u32>a2, <u32>a3);
  if (e != 0) return e;
  return memobjWrite(p, objectOf<MemoryObject>(p, a0), <u32>a1, <u32>a2, <u32>a3);
}

/** MEMOBJ_SIZE(h) */
export function sysMemobjSize(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_MEMORY, 0);
  if (e != 0) return e;
  return objectOf<MemoryObject>(p, a0).bytes.length;
}

/** TIMER_CREATE(notify_h, bit, out_handle_ptr) */
export function sysTimerCreate(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkSignalTarget(p, a0, a1);
  if (e != 0) return e;
  const o = checkHandleOut(p, <u32>a2, 1);
  if (o != 0) return o;
  const v = timerCreate(p, p.table.get(a0).obj, <u32>a1, RIGHT_READ | RIGHT_WRITE | RIGHT_WAIT | RIGHT_DUPLICATE | RIGHT_TRANSFER);
  if (v == 0) return ERR_NO_MEMORY;
  putU32(p, <u32>a2, <u32>v);
  return 0;
}

/** TIMER_SET(h, timeout_us) */
export function sysTimerSet(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_TIMER, RIGHT_WRITE);
  if (e != 0) return e;
  timerSet(objectOf<Timer>(p, a0), a1);
  return 0;
}
