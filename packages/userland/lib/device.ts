// liboncrix: devices and interrupts, for drivers.
//
// A device handle is a window of registers; an IRQ handle is the right to one
// interrupt line. Bound to a notification bit, each interrupt sets the bit and
// masks the line until the driver acknowledges it, so a driver's loop is:
// wait for the bit, drain the device, IRQ_ACK.

import {
  SYS_IRQ_BIND, SYS_IRQ_ACK, SYS_IRQ_MASK, SYS_DEV_READ, SYS_DEV_WRITE,
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

export function devWrite(dev: Handle, reg: i32, value: i32): i32 {
  return syscall(SYS_DEV_WRITE, dev, reg, value, 0, 0, 0);
}
