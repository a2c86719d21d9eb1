// Syscall handlers for the machine: the null syscall, the clock, interrupts,
// device registers and the debug log. Each is fetch, check, act, return; the
// table is in dispatch.ts.

import {
  OBJ_IRQ, OBJ_DEVICE, RIGHT_READ, RIGHT_WRITE, RIGHT_MANAGE, ERR_FAULT, ERR_OUT_OF_RANGE, ERR_INVALID_ARGS, LOG_MAX_BYTES, DEV_BLOCK_MAX, TR_LOG,
} from '../../../abi/assembly/index';
import * as hal from '../hal';
import { now } from '../clock';
import { emit, emitData } from '../trace';
import { Process } from '../process/process';
import { Irq, Device, irqBind, irqAck, irqMask } from '../dev/irq';
import { fetch, inRange, putU32, putF64, copyOut } from '../mm/user';
import { checkHandle, checkRoot, checkSignalTarget, objectOf } from './args';
import { userPanic } from '../panic';

/** NULL(): nothing, the bare cost of a syscall. */
export function sysNull(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  return 0;
}

/** CLOCK_GET(out_ptr) */
export function sysClockGet(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  if (!inRange(p, <u32>a0, 8)) return ERR_FAULT;
  putF64(p, <u32>a0, now());
  return 0;
}

/** IRQ_BIND(irq_h, notify_h, bit) */
export function sysIrqBind(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_IRQ, RIGHT_MANAGE);
  if (e != 0) return e;
  const n = checkSignalTarget(p, a1, a2);
  if (n != 0) return n;
  irqBind(objectOf<Irq>(p, a0), p.table.get(a1).obj, <u32>a2);
  return 0;
}

/** IRQ_ACK(irq_h) */
export function sysIrqAck(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_IRQ, RIGHT_MANAGE);
  if (e != 0) return e;
  irqAck(objectOf<Irq>(p, a0));
  return 0;
}

/** IRQ_MASK(irq_h, masked) */
export function sysIrqMask(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_IRQ, RIGHT_MANAGE);
  if (e != 0) return e;
  irqMask(objectOf<Irq>(p, a0), a1 != 0);
  return 0;
}

/** 0 if a0 is a device handle of p with `rights` and register `reg` exists in its window; else why not. */
function checkDevice(p: Process, a0: i32, rights: u32, reg: u32): i32 {
  const e = checkHandle(p, a0, OBJ_DEVICE, rights);
  if (e != 0) return e;
  return reg >= objectOf<Device>(p, a0).registers ? ERR_OUT_OF_RANGE : 0;
}

/** DEV_READ(dev_h, reg, out_value_ptr) */
export function sysDevRead(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkDevice(p, a0, RIGHT_READ, <u32>a1);
  if (e != 0) return e;
  // The value goes through memory: a register may hold any 32 bits, which a result could confuse with an error.
  if (!inRange(p, <u32>a2, 4)) return ERR_FAULT;
  putU32(p, <u32>a2, <u32>hal.dev_read(objectOf<Device>(p, a0).device, <u32>a1));
  return 0;
}

/** Where DEV_READ_BLOCK gathers the registers before the one copy out. */
const block = new StaticArray<u32>(DEV_BLOCK_MAX);

/**
 * DEV_READ_BLOCK(dev_h, reg, count, out_ptr): registers reg .. reg+count-1 in
 * one entry — a ROM or a FIFO read in bulk (MINIX's vectored device I/O)
 * rather than one kernel round trip per word. The entry stays bounded: at
 * most DEV_BLOCK_MAX reads of the HAL.
 */
export function sysDevReadBlock(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const count = <u32>a2;
  if (count > <u32>DEV_BLOCK_MAX) return ERR_INVALID_ARGS;
  const e = checkDevice(p, a0, RIGHT_READ, <u32>a1);
  if (e != 0) return e;
  if (!inRange(p, <u32>a3, <u64>count * 4)) return ERR_FAULT;
  const dev = objectOf<Device>(p, a0);
  if (count > dev.registers - <u32>a1) return ERR_OUT_OF_RANGE;
  for (let i: u32 = 0; i < count; i++) unchecked(block[i] = <u32>hal.dev_read(dev.device, <u32>a1 + i));
  copyOut(p, changetype<usize>(block), <u32>a3, count * 4);
  return <i32>count;
}

/** DEV_WRITE(dev_h, reg, value) */
export function sysDevWrite(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkDevice(p, a0, RIGHT_WRITE, <u32>a1);
  if (e != 0) return e;
  hal.dev_write(objectOf<Device>(p, a0).device, <u32>a1, a2);
  return 0;
}

/** DEBUG_LOG(ptr, len): up to LOG_MAX_BYTES of text into the trace; returns how many. */
export function sysDebugLog(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const len = min<u32>(<u32>a1, <u32>LOG_MAX_BYTES);
  const text = fetch(p, <u32>a0, len);
  if (text === null) return ERR_FAULT;
  emit(TR_LOG, p.pid, p.cpu, <i32>len);
  emitData(p.pid, text.at, len);
  return <i32>len;
}

/** SYSTEM_PANIC(root_h, ptr, len): init stops the machine with a panic (a critical service died). Does not return. */
export function sysSystemPanic(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkRoot(p, a0);
  if (e != 0) return e;
  const len = min<u32>(<u32>a2, <u32>LOG_MAX_BYTES);
  const text = fetch(p, <u32>a1, len);
  if (text === null) return ERR_FAULT;
  userPanic(p.name + ' (pid ' + p.pid.toString() + '): ' + String.UTF8.decodeUnsafe(text.at, len));
  return 0;
}
