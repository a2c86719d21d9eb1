// The front door: the one place every syscall enters.
//
// Each case below checks every argument before any subsystem runs: handles
// (live in the caller's table, current generation, the right type, the rights
// the operation needs), sizes against the ABI limits, and every user pointer
// and length against the caller's memory. Only trusted values — Handle
// objects, checked ranges — are passed on. A bad argument returns an error
// code; nothing below this file ever sees one.

import {
  SYS_NULL, SYS_HANDLE_CLOSE, SYS_HANDLE_DUPLICATE, SYS_HANDLE_REVOKE, SYS_HANDLE_INFO, SYS_HANDLE_LIST,
  SYS_OBJECT_WAIT, SYS_OBJECT_WAIT_MANY, SYS_CHANNEL_CREATE, SYS_CHANNEL_WRITE, SYS_CHANNEL_READ, SYS_CHANNEL_CALL,
  SYS_NOTIFY_CREATE, SYS_NOTIFY_SIGNAL, SYS_NOTIFY_WAIT, SYS_MEMOBJ_CREATE, SYS_MEMOBJ_READ, SYS_MEMOBJ_WRITE,
  SYS_MEMOBJ_SIZE, SYS_TIMER_CREATE, SYS_TIMER_SET, SYS_PROCESS_SPAWN, SYS_PROCESS_EXIT, SYS_PROCESS_KILL,
  SYS_PROCESS_INFO, SYS_PROCESS_LIST, SYS_STARTUP_INFO, SYS_YIELD, SYS_SLEEP, SYS_CLOCK_GET, SYS_MEM_GROW,
  SYS_MEM_INFO, SYS_IRQ_BIND, SYS_IRQ_ACK, SYS_IRQ_MASK, SYS_DEV_READ, SYS_DEV_WRITE, SYS_DEBUG_LOG,
  SYS_PROCESS_GET_CHILD, SYS_CHANNEL_RECV, SYS_FD_FIRST, SYS_FD_LAST, SYS_WASI_FIRST, SYS_WASI_LAST,
  ERR_INVALID_ARGS, ERR_BAD_HANDLE, ERR_WRONG_TYPE, ERR_ACCESS_DENIED, ERR_FAULT, ERR_NO_MEMORY, ERR_LIMIT,
  ERR_OUT_OF_RANGE, ERR_NOT_FOUND, ERR_BAD_SYSCALL, ERR_BAD_STATE, K_BLOCKED,
  OBJ_NONE, OBJ_PROCESS, OBJ_CHANNEL, OBJ_NOTIFICATION, OBJ_IRQ, OBJ_DEVICE, OBJ_MEMORY, OBJ_TIMER,
  RIGHT_READ, RIGHT_WRITE, RIGHT_TRANSFER, RIGHT_DUPLICATE, RIGHT_WAIT, RIGHT_SIGNAL, RIGHT_MANAGE, RIGHT_SPAWN,
  RIGHT_INSPECT, RIGHT_ALL, SIG_READABLE, SIG_PEER_CLOSED, PS_EXITED, CLOSE_CLOSED, CLOSE_REVOKED, TR_LOG,
  MSG_MAX_BYTES, MSG_MAX_HANDLES, MAX_HANDLES, MAX_PROCESSES, WAIT_MANY_MAX, STARTUP_MAX_HANDLES,
  STARTUP_MAX_ARGS, NOTIFY_BITS, NAME_MAX, MEMOBJ_MAX_BYTES, LOG_MAX_BYTES, PRIORITY_MAX,
  HANDLE_INFO_SIZE, WAIT_ITEM_SIZE, WAIT_ITEM_HANDLE, WAIT_ITEM_MASK, READ_ACTUAL_SIZE,
  CALL_ARGS_SIZE, CALL_ARGS_WR_BYTES, CALL_ARGS_WR_LEN, CALL_ARGS_WR_HANDLES, CALL_ARGS_WR_NUM_HANDLES,
  CALL_ARGS_RD_BYTES, CALL_ARGS_RD_CAP, CALL_ARGS_RD_HANDLES, CALL_ARGS_RD_HANDLE_CAP, CALL_ARGS_TIMEOUT_US,
  SPAWN_DESC_SIZE, SPAWN_DESC_IMAGE, SPAWN_DESC_QUOTA_PAGES, SPAWN_DESC_PRIORITY, SPAWN_DESC_NAME_PTR,
  SPAWN_DESC_NAME_LEN, SPAWN_DESC_ARGS_PTR, SPAWN_DESC_ARGS_LEN, SPAWN_DESC_HANDLES_PTR, SPAWN_DESC_NUM_HANDLES,
  SPAWN_DESC_SELF_RIGHTS, RECV_ARGS_SIZE, RECV_ARGS_BYTES, RECV_ARGS_CAP, RECV_ARGS_HANDLES, RECV_ARGS_HANDLE_CAP, STARTUP_HANDLE_SIZE, PROCESS_INFO_SIZE, MEM_INFO_SIZE,
} from '../../../abi/assembly/index';
import * as hal from '../hal';
import { Handle } from '../cap/handle';
import { closeHandle, duplicateHandle, revokeHandle, newRootHandle, derivedHandle } from '../cap/ops';
import { Process, W_SIGNALS, W_MANY, W_NOTIFY, W_RECV, findProcess } from '../process/process';
import { createProcess, spawnError, exitProcess, killProcess } from '../process/lifecycle';
import { Endpoint, channelCreate, channelWrite, channelRead, channelCall } from '../ipc/channel';
import { notifyCreate, notifySignal } from '../ipc/notification';
import { MemoryObject, memobjCreate, memobjRead, memobjWrite } from '../ipc/memobj';
import { Timer, timerCreate, timerSet } from '../ipc/timer';
import { beginWait, sleep } from '../ipc/wait';
import { Irq, Device, irqBind, irqAck, irqMask } from '../dev/irq';
import { yieldCpu } from '../sched/scheduler';
import { canCharge, chargeMemory } from '../mm/charge';
import { now } from '../clock';
import { emit, emitData } from '../trace';
import { userRange, getU32, putU32, putF64, fetch, field, copyBytes, scratch } from './user';
import { writeHandleInfo, writeProcessInfo, writeMemInfo, listProcesses, writeStartupInfo, descends } from './info';
import { reservedSyscall } from '../vfs/index';

let lookupError: i32 = 0;

/** The notification bits a process may use (0..NOTIFY_BITS-1). */
const NOTIFY_MASK: u32 = (<u32>1 << <u32>NOTIFY_BITS) - 1;

/** The caller's handle `value` if it is live, of `type` (OBJ_NONE: any) and has all `rights`. */
function resolve(p: Process, value: i32, type: i32, rights: u32): Handle | null {
  const h = p.table.lookup(value);
  if (h === null) { lookupError = ERR_BAD_HANDLE; return null; }
  if (type != OBJ_NONE && h.obj.type != type) { lookupError = ERR_WRONG_TYPE; return null; }
  if ((h.rights & rights) != rights) { lookupError = ERR_ACCESS_DENIED; return null; }
  return h;
}

/**
 * Read `count` handle values (stride bytes apart) from user memory and resolve
 * each as transferable. Rejects duplicates and `except` (the handle the
 * operation itself uses). Tags (the u32 after each value) go to `tags` when
 * stride is 8. Returns null with the error in lookupError.
 */
function resolveMoved(p: Process, ptr: u32, count: u32, stride: u32, except: Handle | null, tags: Array<i32>): Array<Handle> | null {
  const out: Array<Handle> = [];
  for (let i: u32 = 0; i < count; i++) {
    const h = resolve(p, <i32>getU32(p, ptr + i * stride), OBJ_NONE, RIGHT_TRANSFER);
    if (h === null) return null;
    if (h === except || out.indexOf(h) >= 0) { lookupError = ERR_INVALID_ARGS; return null; }
    out.push(h);
    if (stride == 8) tags.push(<i32>getU32(p, ptr + i * stride + 4));
  }
  return out;
}

/** Check that the caller can receive `n` more handles and that `out` holds n u32s. */
function outHandles(p: Process, out: u32, n: i32): i32 {
  if (!userRange(p, out, <u64>n * 4)) return ERR_FAULT;
  if (!p.table.hasRoom(n)) return ERR_LIMIT;
  return 0;
}

/** Run syscall nr for p (which is on a CPU). Returns the result or K_BLOCKED. */
export function dispatch(p: Process, nr: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  p.waitNr = nr;
  switch (nr) {
    case SYS_NULL: return 0;
    case SYS_HANDLE_CLOSE: {
      const h = resolve(p, a0, OBJ_NONE, 0);
      if (h === null) return lookupError;
      closeHandle(h, CLOSE_CLOSED);
      return 0;
    }
    case SYS_HANDLE_DUPLICATE: {
      const h = resolve(p, a0, OBJ_NONE, RIGHT_DUPLICATE);
      if (h === null) return lookupError;
      if ((<u32>a1 & ~h.rights) != 0) return ERR_INVALID_ARGS;
      const e = outHandles(p, <u32>a2, 1);
      if (e != 0) return e;
      putU32(p, <u32>a2, <u32>duplicateHandle(p, h, <u32>a1));
      return 0;
    }
    case SYS_HANDLE_REVOKE: {
      const h = resolve(p, a0, OBJ_NONE, 0);
      if (h === null) return lookupError;
      return revokeHandle(p, h, CLOSE_REVOKED);
    }
    case SYS_HANDLE_INFO: {
      const h = resolve(p, a0, OBJ_NONE, 0);
      if (h === null) return lookupError;
      if (!userRange(p, <u32>a1, HANDLE_INFO_SIZE)) return ERR_FAULT;
      writeHandleInfo(p, <u32>a1, h);
      return 0;
    }
    case SYS_HANDLE_LIST: {
      if (<u32>a1 > <u32>MAX_HANDLES) return ERR_INVALID_ARGS;
      if (!userRange(p, <u32>a0, <u64><u32>a1 * HANDLE_INFO_SIZE)) return ERR_FAULT;
      let n = 0;
      const slots = p.table.slots;
      for (let i = 0; i < slots.length; i++) {
        const h = slots[i];
        if (h === null) continue;
        if (<u32>n < <u32>a1) writeHandleInfo(p, <u32>a0 + <u32>(n * HANDLE_INFO_SIZE), h);
        n++;
      }
      return n;
    }
    case SYS_OBJECT_WAIT: {
      const h = resolve(p, a0, OBJ_NONE, RIGHT_WAIT);
      if (h === null) return lookupError;
      if (a1 == 0) return ERR_INVALID_ARGS;
      if (!userRange(p, <u32>a3, a3 != 0 ? 4 : 0)) return ERR_FAULT;
      p.waitKind = W_SIGNALS;
      p.waitOn(h, <u32>a1);
      p.waitOut = <u32>a3;
      return beginWait(p, a2);
    }
    case SYS_OBJECT_WAIT_MANY: {
      if (a1 < 1 || a1 > WAIT_MANY_MAX) return ERR_INVALID_ARGS;
      if (!userRange(p, <u32>a0, <u64>a1 * WAIT_ITEM_SIZE)) return ERR_FAULT;
      const hs: Array<Handle> = [];
      const masks: Array<u32> = [];
      for (let i = 0; i < a1; i++) {
        const base = <u32>a0 + <u32>(i * WAIT_ITEM_SIZE);
        const h = resolve(p, <i32>getU32(p, base + WAIT_ITEM_HANDLE), OBJ_NONE, RIGHT_WAIT);
        if (h === null) return lookupError;
        const mask = getU32(p, base + WAIT_ITEM_MASK);
        if (mask == 0) return ERR_INVALID_ARGS;
        hs.push(h);
        masks.push(mask);
      }
      p.waitKind = W_MANY;
      p.waitHandles = hs;
      p.waitMasks = masks;
      p.waitOut = <u32>a0;
      return beginWait(p, a2);
    }
    case SYS_CHANNEL_CREATE: {
      const e = outHandles(p, <u32>a0, 2);
      if (e != 0) return e;
      const pair = channelCreate(p, RIGHT_ALL & ~(RIGHT_SIGNAL | RIGHT_MANAGE | RIGHT_SPAWN | RIGHT_INSPECT));
      if (pair === null) return ERR_NO_MEMORY;
      putU32(p, <u32>a0, <u32>pair[0]);
      putU32(p, <u32>a0 + 4, <u32>pair[1]);
      return 0;
    }
    case SYS_CHANNEL_WRITE: {
      // With a RecvArgs block in a5 this is a server's reply-and-wait: write, then CHANNEL_RECV on h.
      const h = resolve(p, a0, OBJ_CHANNEL, a5 != 0 ? RIGHT_WRITE | RIGHT_READ | RIGHT_WAIT : RIGHT_WRITE);
      if (h === null) return lookupError;
      if (<u32>a2 > <u32>MSG_MAX_BYTES || <u32>a4 > <u32>MSG_MAX_HANDLES) return ERR_INVALID_ARGS;
      if (!userRange(p, <u32>a1, <u32>a2) || !userRange(p, <u32>a3, <u64><u32>a4 * 4)) return ERR_FAULT;
      if (a5 != 0 && !recvArgs(p, <u32>a5)) return ERR_FAULT;
      const moved = resolveMoved(p, <u32>a3, <u32>a4, 4, h, []);
      if (moved === null) return lookupError;
      const r = channelWrite(p, changetype<Endpoint>(h.obj), <u32>a1, <u32>a2, moved);
      if (r != 0 || a5 == 0) return r;
      return beginRecv(p, h, <u32>a5, -1);
    }
    case SYS_CHANNEL_READ: {
      const h = resolve(p, a0, OBJ_CHANNEL, RIGHT_READ);
      if (h === null) return lookupError;
      if (!userRange(p, <u32>a1, <u32>a2) || !userRange(p, <u32>a3, <u64><u32>a4 * 4)) return ERR_FAULT;
      if (!userRange(p, <u32>a5, a5 != 0 ? READ_ACTUAL_SIZE : 0)) return ERR_FAULT;
      return channelRead(p, changetype<Endpoint>(h.obj), <u32>a1, <u32>a2, <u32>a3, <u32>a4, <u32>a5);
    }
    case SYS_CHANNEL_CALL: return sysCall(p, a0, <u32>a1);
    case SYS_CHANNEL_RECV: {
      const h = resolve(p, a0, OBJ_CHANNEL, RIGHT_READ | RIGHT_WAIT);
      if (h === null) return lookupError;
      if (!recvArgs(p, <u32>a1)) return ERR_FAULT;
      return beginRecv(p, h, <u32>a1, a2);
    }
    case SYS_NOTIFY_CREATE: {
      const e = outHandles(p, <u32>a0, 1);
      if (e != 0) return e;
      const v = notifyCreate(p, RIGHT_ALL & ~(RIGHT_SPAWN | RIGHT_INSPECT | RIGHT_MANAGE));
      if (v == 0) return ERR_NO_MEMORY;
      putU32(p, <u32>a0, <u32>v);
      return 0;
    }
    case SYS_NOTIFY_SIGNAL: {
      const h = resolve(p, a0, OBJ_NOTIFICATION, RIGHT_SIGNAL);
      if (h === null) return lookupError;
      if ((<u32>a1 & ~NOTIFY_MASK) != 0) return ERR_INVALID_ARGS;
      notifySignal(h.obj, <u32>a1);
      return 0;
    }
    case SYS_NOTIFY_WAIT: {
      const h = resolve(p, a0, OBJ_NOTIFICATION, RIGHT_WAIT);
      if (h === null) return lookupError;
      if (a1 == 0 || (<u32>a1 & ~NOTIFY_MASK) != 0) return ERR_INVALID_ARGS;
      p.waitKind = W_NOTIFY;
      p.waitOn(h, <u32>a1);
      return beginWait(p, a2);
    }
    case SYS_MEMOBJ_CREATE: {
      if (<u32>a0 > <u32>MEMOBJ_MAX_BYTES) return ERR_OUT_OF_RANGE;
      const e = outHandles(p, <u32>a1, 1);
      if (e != 0) return e;
      const v = memobjCreate(p, <u32>a0, RIGHT_ALL & ~(RIGHT_SIGNAL | RIGHT_SPAWN | RIGHT_INSPECT | RIGHT_MANAGE));
      if (v == 0) return ERR_NO_MEMORY;
      putU32(p, <u32>a1, <u32>v);
      return 0;
    }
    case SYS_MEMOBJ_READ:
    case SYS_MEMOBJ_WRITE: {
      const reading = nr == SYS_MEMOBJ_READ;
      const h = resolve(p, a0, OBJ_MEMORY, reading ? RIGHT_READ : RIGHT_WRITE);
      if (h === null) return lookupError;
      const m = changetype<MemoryObject>(h.obj);
      if (<u64><u32>a1 + <u64><u32>a3 > <u64>m.bytes.length) return ERR_OUT_OF_RANGE;
      if (!userRange(p, <u32>a2, <u32>a3)) return ERR_FAULT;
      return reading ? memobjRead(p, m, <u32>a1, <u32>a2, <u32>a3) : memobjWrite(p, m, <u32>a1, <u32>a2, <u32>a3);
    }
    case SYS_MEMOBJ_SIZE: {
      const h = resolve(p, a0, OBJ_MEMORY, 0);
      if (h === null) return lookupError;
      return changetype<MemoryObject>(h.obj).bytes.length;
    }
    case SYS_TIMER_CREATE: {
      const n = resolve(p, a0, OBJ_NOTIFICATION, RIGHT_SIGNAL);
      if (n === null) return lookupError;
      if (<u32>a1 >= <u32>NOTIFY_BITS) return ERR_INVALID_ARGS;
      const e = outHandles(p, <u32>a2, 1);
      if (e != 0) return e;
      const v = timerCreate(p, n.obj, <u32>a1, RIGHT_READ | RIGHT_WRITE | RIGHT_WAIT | RIGHT_DUPLICATE | RIGHT_TRANSFER);
      if (v == 0) return ERR_NO_MEMORY;
      putU32(p, <u32>a2, <u32>v);
      return 0;
    }
    case SYS_TIMER_SET: {
      const h = resolve(p, a0, OBJ_TIMER, RIGHT_WRITE);
      if (h === null) return lookupError;
      timerSet(changetype<Timer>(h.obj), a1);
      return 0;
    }
    case SYS_PROCESS_SPAWN: return sysSpawn(p, a0, <u32>a1, <u32>a2);
    case SYS_PROCESS_EXIT: {
      // 0..255 only: negative codes are the kernel's own (killed, faults) and cannot be claimed.
      if (<u32>a0 > 255) return ERR_INVALID_ARGS;
      exitProcess(p, a0);
      return K_BLOCKED;
    }
    case SYS_PROCESS_KILL: {
      const h = resolve(p, a0, OBJ_PROCESS, RIGHT_MANAGE);
      if (h === null) return lookupError;
      const target = changetype<Process>(h.obj);
      if (target.state == PS_EXITED) return ERR_BAD_STATE;
      killProcess(p, target);
      return target === p ? K_BLOCKED : 0;
    }
    case SYS_PROCESS_INFO: {
      const h = resolve(p, a0, OBJ_PROCESS, RIGHT_INSPECT);
      if (h === null) return lookupError;
      if (!userRange(p, <u32>a1, PROCESS_INFO_SIZE)) return ERR_FAULT;
      writeProcessInfo(p, <u32>a1, changetype<Process>(h.obj));
      return 0;
    }
    case SYS_PROCESS_LIST: {
      const h = resolve(p, a0, OBJ_PROCESS, RIGHT_INSPECT);
      if (h === null) return lookupError;
      if (<u32>a2 > <u32>MAX_PROCESSES) return ERR_INVALID_ARGS;
      if (!userRange(p, <u32>a1, <u64><u32>a2 * PROCESS_INFO_SIZE)) return ERR_FAULT;
      return listProcesses(p, changetype<Process>(h.obj), <u32>a1, <u32>a2);
    }
    case SYS_PROCESS_GET_CHILD: {
      const h = resolve(p, a0, OBJ_PROCESS, RIGHT_INSPECT);
      if (h === null) return lookupError;
      if ((<u32>a2 & ~h.rights) != 0) return ERR_INVALID_ARGS;
      const target = findProcess(a1);
      if (target === null || !descends(target, changetype<Process>(h.obj))) return ERR_NOT_FOUND;
      const e = outHandles(p, <u32>a3, 1);
      if (e != 0) return e;
      putU32(p, <u32>a3, <u32>derivedHandle(p, h, target, <u32>a2));
      return 0;
    }
    case SYS_STARTUP_INFO: {
      if (!userRange(p, <u32>a0, <u32>a1)) return ERR_FAULT;
      return writeStartupInfo(p, <u32>a0, <u32>a1);
    }
    case SYS_YIELD: return yieldCpu(p) ? K_BLOCKED : 0;
    case SYS_SLEEP: return sleep(p, a0);
    case SYS_CLOCK_GET: {
      if (!userRange(p, <u32>a0, 8)) return ERR_FAULT;
      putF64(p, <u32>a0, now());
      return 0;
    }
    case SYS_MEM_GROW: {
      if (a0 < 0) return ERR_INVALID_ARGS;
      if (!canCharge(p, <u32>a0, 0)) return ERR_NO_MEMORY;
      const old = hal.mem_grow(p.pid, <u32>a0);
      if (old < 0) return ERR_NO_MEMORY;
      chargeMemory(p, <u32>a0);
      return old;
    }
    case SYS_MEM_INFO: {
      if (!userRange(p, <u32>a0, MEM_INFO_SIZE)) return ERR_FAULT;
      writeMemInfo(p, <u32>a0);
      return 0;
    }
    case SYS_IRQ_BIND: {
      const i = resolve(p, a0, OBJ_IRQ, RIGHT_MANAGE);
      if (i === null) return lookupError;
      const n = resolve(p, a1, OBJ_NOTIFICATION, RIGHT_SIGNAL);
      if (n === null) return lookupError;
      if (<u32>a2 >= <u32>NOTIFY_BITS) return ERR_INVALID_ARGS;
      irqBind(changetype<Irq>(i.obj), n.obj, <u32>a2);
      return 0;
    }
    case SYS_IRQ_ACK:
    case SYS_IRQ_MASK: {
      const i = resolve(p, a0, OBJ_IRQ, RIGHT_MANAGE);
      if (i === null) return lookupError;
      if (nr == SYS_IRQ_ACK) irqAck(changetype<Irq>(i.obj));
      else irqMask(changetype<Irq>(i.obj), a1 != 0);
      return 0;
    }
    case SYS_DEV_READ:
    case SYS_DEV_WRITE: {
      const reading = nr == SYS_DEV_READ;
      const h = resolve(p, a0, OBJ_DEVICE, reading ? RIGHT_READ : RIGHT_WRITE);
      if (h === null) return lookupError;
      const d = changetype<Device>(h.obj);
      if (<u32>a1 >= d.registers) return ERR_OUT_OF_RANGE;
      if (reading) {
        // The value goes through memory: a register may hold any 32 bits, which a result could confuse with an error.
        if (!userRange(p, <u32>a2, 4)) return ERR_FAULT;
        putU32(p, <u32>a2, <u32>hal.dev_read(d.device, <u32>a1));
        return 0;
      }
      hal.dev_write(d.device, <u32>a1, a2);
      return 0;
    }
    case SYS_DEBUG_LOG: {
      const len = min<u32>(<u32>a1, <u32>LOG_MAX_BYTES);
      if (!userRange(p, <u32>a0, len)) return ERR_FAULT;
      if (!fetch(p, <u32>a0, len)) return ERR_FAULT;
      emit(TR_LOG, p.pid, p.cpu, <i32>len);
      emitData(p.pid, scratch.dataStart, len);
      return <i32>len;
    }
    default:
      if ((nr >= SYS_FD_FIRST && nr <= SYS_FD_LAST) || (nr >= SYS_WASI_FIRST && nr <= SYS_WASI_LAST)) {
        return reservedSyscall(p, nr);
      }
      return ERR_BAD_SYSCALL;
  }
}

/**
 * Copy a RecvArgs block in and check the buffers it names; on success the
 * checked values wait in the process's receive fields for beginRecv.
 */
function recvArgs(p: Process, args: u32): bool {
  if (!userRange(p, args, RECV_ARGS_SIZE) || !fetch(p, args, RECV_ARGS_SIZE)) return false;
  const bytes = field(RECV_ARGS_BYTES), cap = field(RECV_ARGS_CAP);
  const handles = field(RECV_ARGS_HANDLES), handleCap = field(RECV_ARGS_HANDLE_CAP);
  if (!userRange(p, bytes, cap) || !userRange(p, handles, <u64>handleCap * 4)) return false;
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

/** CHANNEL_CALL: copy the argument block in and check every pointer it holds. */
function sysCall(p: Process, hv: i32, args: u32): i32 {
  const h = resolve(p, hv, OBJ_CHANNEL, RIGHT_READ | RIGHT_WRITE);
  if (h === null) return lookupError;
  if (!userRange(p, args, CALL_ARGS_SIZE) || !fetch(p, args, CALL_ARGS_SIZE)) return ERR_FAULT;
  const wrBytes = field(CALL_ARGS_WR_BYTES), wrLen = field(CALL_ARGS_WR_LEN);
  const wrHandles = field(CALL_ARGS_WR_HANDLES), wrNum = field(CALL_ARGS_WR_NUM_HANDLES);
  const rdBytes = field(CALL_ARGS_RD_BYTES), rdCap = field(CALL_ARGS_RD_CAP);
  const rdHandles = field(CALL_ARGS_RD_HANDLES), rdHandleCap = field(CALL_ARGS_RD_HANDLE_CAP);
  const timeoutUs = <i32>field(CALL_ARGS_TIMEOUT_US);
  if (wrLen < 4 || wrLen > <u32>MSG_MAX_BYTES || wrNum > <u32>MSG_MAX_HANDLES) return ERR_INVALID_ARGS;
  if (!userRange(p, wrBytes, wrLen) || !userRange(p, wrHandles, <u64>wrNum * 4)) return ERR_FAULT;
  if (!userRange(p, rdBytes, rdCap) || !userRange(p, rdHandles, <u64>rdHandleCap * 4)) return ERR_FAULT;
  const moved = resolveMoved(p, wrHandles, wrNum, 4, h, []);
  if (moved === null) return lookupError;
  return channelCall(p, h, wrBytes, wrLen, moved, args, rdBytes, rdCap, rdHandles, rdHandleCap, timeoutUs);
}

/** PROCESS_SPAWN: copy the SpawnDesc in, check it whole, then create the child. */
function sysSpawn(p: Process, parentValue: i32, desc: u32, out: u32): i32 {
  const ph = resolve(p, parentValue, OBJ_PROCESS, RIGHT_SPAWN);
  if (ph === null) return lookupError;
  const parent = changetype<Process>(ph.obj);
  if (parent.state == PS_EXITED) return ERR_BAD_STATE;
  if (!userRange(p, desc, SPAWN_DESC_SIZE) || !fetch(p, desc, SPAWN_DESC_SIZE)) return ERR_FAULT;
  const image = field(SPAWN_DESC_IMAGE), quota = field(SPAWN_DESC_QUOTA_PAGES), priority = field(SPAWN_DESC_PRIORITY);
  const namePtr = field(SPAWN_DESC_NAME_PTR), nameLen = min<u32>(field(SPAWN_DESC_NAME_LEN), <u32>NAME_MAX);
  const argsPtr = field(SPAWN_DESC_ARGS_PTR), argsLen = field(SPAWN_DESC_ARGS_LEN);
  const handlesPtr = field(SPAWN_DESC_HANDLES_PTR), numHandles = field(SPAWN_DESC_NUM_HANDLES);
  const selfRights = field(SPAWN_DESC_SELF_RIGHTS);
  if (quota < 1 || quota > parent.quotaPages) return ERR_INVALID_ARGS;
  if (priority > <u32>parent.priority || priority > <u32>PRIORITY_MAX) return ERR_INVALID_ARGS;
  if (argsLen > <u32>STARTUP_MAX_ARGS || numHandles > <u32>STARTUP_MAX_HANDLES) return ERR_INVALID_ARGS;
  if ((selfRights & ~RIGHT_ALL) != 0) return ERR_INVALID_ARGS;
  if (!userRange(p, namePtr, nameLen) || !userRange(p, argsPtr, argsLen)) return ERR_FAULT;
  if (!userRange(p, handlesPtr, <u64>numHandles * STARTUP_HANDLE_SIZE)) return ERR_FAULT;
  const e = outHandles(p, out, 1);
  if (e != 0) return e;
  const tags: Array<i32> = [];
  const moved = resolveMoved(p, handlesPtr, numHandles, STARTUP_HANDLE_SIZE, ph, tags);
  if (moved === null) return lookupError;
  const name = String.UTF8.decode(copyBytes(p, namePtr, nameLen).buffer);
  const args = copyBytes(p, argsPtr, argsLen);
  const child = createProcess(p, parent, image, quota, <i32>priority, name, args, moved, tags, selfRights);
  if (child === null) return spawnError;
  putU32(p, out, <u32>newRootHandle(p, child, RIGHT_ALL));
  return 0;
}
