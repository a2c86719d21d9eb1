// liboncrix: devices and interrupts, for drivers.
//
// A device handle is a window of registers; an IRQ handle is the right to one
// interrupt line. Bound to a notification bit, each interrupt sets the bit and
// masks the line until the driver acknowledges it, so a driver's loop is:
// wait for the bit, drain the device, IRQ_ACK.

import {
  SYS_IRQ_BIND, SYS_IRQ_ACK, SYS_IRQ_MASK, SYS_DEV_READ, SYS_DEV_READ_BLOCK, SYS_DEV_WRITE,
  HOST_REQUEST_OP, HOST_REQUEST_ARG, HOST_REQUEST_BUF, HOST_REQUEST_LEN, HOST_REQUEST_OFFSET, HOST_REQUEST_RESULT,
} from "../../abi/assembly/index";
import { syscall, outWord } from "./sys";
import { Handle } from "./handles";

/** Deliver the interrupt as `bit` on the notification (needs MANAGE on irq, SIGNAL on notify); unmasks the line. */
export function irqBind(irq: Handle, notify: Handle, bit: i32): i32 {
  return syscall(SYS_IRQ_BIND, irq, notify, bit, 0, 0, 0);
}

/** Acknowledge: unmask the line again. */
export function irqAck(irq: Handle): i32 {
  return syscall(SYS_IRQ_ACK, irq, 0, 0, 0, 0, 0);
}

export function irqMask(irq: Handle, masked: bool): i32 {
  return syscall(SYS_IRQ_MASK, irq, masked ? 1 : 0, 0, 0, 0, 0);
}

/**
 * Read register `reg`: its u32 value (0..0xffffffff), or a negative ERR_*
 * code. The kernel passes the value through memory, so any 32-bit register
 * value stays distinct from an error; the result is an i64 to carry both.
 */
export function devRead(dev: Handle, reg: i32): i64 {
  const r = syscall(SYS_DEV_READ, dev, reg, <i32>outWord, 0, 0, 0);
  return r < 0 ? <i64>r : <i64>load<u32>(outWord);
}

/**
 * Read `count` (at most DEV_BLOCK_MAX) consecutive registers from `reg` into
 * memory at `out`, in one syscall; returns count or a negative ERR_*.
 */
export function devReadBlock(dev: Handle, reg: i32, count: i32, out: usize): i32 {
  return syscall(SYS_DEV_READ_BLOCK, dev, reg, count, <i32>out, 0, 0);
}

export function devWrite(dev: Handle, reg: i32, value: i32): i32 {
  return syscall(SYS_DEV_WRITE, dev, reg, value, 0, 0, 0);
}

/**
 * One request to a request-block device (the web HAL's host, files and
 * loader devices, packages/hal-web/src/devices/dma.ts): fill the
 * HOST_REQUEST block at `block` in this process's memory, write its address
 * to register 0, and the device does the job at once and writes its result
 * into the block. Returns that result (>= 0, or -errno); when the kernel
 * refuses the register write (no usable device), `refused` if it is given,
 * else the kernel's negative ERR_*.
 */
export function dmaRequest(dev: Handle, block: usize, op: i32, arg: i32, buf: usize, len: i32, offset: u64 = 0, refused: i32 = 0): i32 {
  store<u32>(block + HOST_REQUEST_OP, op);
  store<u32>(block + HOST_REQUEST_ARG, arg);
  store<u32>(block + HOST_REQUEST_BUF, <u32>buf);
  store<u32>(block + HOST_REQUEST_LEN, len);
  store<u64>(block + HOST_REQUEST_OFFSET, offset);
  store<i32>(block + HOST_REQUEST_RESULT, -1);
  const r = devWrite(dev, 0, <i32>block);
  if (r < 0) return refused != 0 ? refused : r;
  return load<i32>(block + HOST_REQUEST_RESULT);
}
