// Interrupts and devices as capabilities.
//
// An IRQ object is the right to one interrupt line. Bound to a notification
// bit, each interrupt sets that bit and masks the line at the controller until
// the driver acknowledges it — so a slow driver sees one pending interrupt,
// never a storm. A device object is a window of registers; reads and writes go
// through the HAL (port I/O on bare metal, a device model in the browser).
// Both are created once at boot from the HAL's device table and handed to
// init; user space decides which driver gets which.

import { OBJ_IRQ, OBJ_DEVICE, TR_IRQ } from '../../../abi/assembly/index';
import * as hal from '../hal';
import { KObject } from '../object';
import { dropKernelRef } from '../cap/ops';
import { updateSignals } from '../ipc/wait';
import { emit } from '../trace';

export class Device extends KObject {
  device: u32;
  registers: u32;
  constructor(device: u32, registers: u32) {
    super(OBJ_DEVICE);
    this.device = device;
    this.registers = registers;
  }
}

export class Irq extends KObject {
  line: i32;
  notify: KObject | null = null;
  bit: u32 = 0;
  constructor(line: i32) {
    super(OBJ_IRQ);
    this.line = line;
  }

  /** The last handle closed: mask the line for good and let go of the notification. */
  destroy(): void {
    hal.irq_mask(this.line, 1);
    lines.delete(this.line);
    const n = this.notify;
    this.notify = null;
    if (n !== null) dropKernelRef(n);
  }
}

/** IRQ objects by line (at most one per line). */
const lines = new Map<i32, Irq>();

/** The IRQ object of a line, if one exists (two boot devices may share a line). */
export function irqForLine(line: i32): Irq | null {
  return lines.has(line) ? lines.get(line) : null;
}

export function createIrq(line: i32): Irq {
  const irq = new Irq(line);
  lines.set(line, irq);
  hal.irq_mask(line, 1);
  return irq;
}

/** Route the line to (notify, bit) and unmask it. */
export function irqBind(irq: Irq, notify: KObject, bit: u32): void {
  const old = irq.notify;
  notify.kernelRefs++;
  irq.notify = notify;
  irq.bit = bit;
  if (old !== null) dropKernelRef(old);
  hal.irq_mask(irq.line, 0);
}

/** An interrupt arrived on line (entry point irq()). */
export function irqRaise(line: i32): void {
  if (!lines.has(line)) {
    hal.irq_mask(line, 1);
    return;
  }
  const irq = lines.get(line);
  hal.irq_mask(line, 1);
  const n = irq.notify;
  emit(TR_IRQ, 0, -1, line, n !== null ? n.koid : 0, <i32>irq.bit);
  if (n !== null) updateSignals(n, (<u32>1) << irq.bit, 0);
}

export function irqAck(irq: Irq): void {
  if (irq.notify !== null) hal.irq_mask(irq.line, 0);
}

/** Mask or unmask the line; like irqAck, an unbound line stays masked (nothing could receive it). */
export function irqMask(irq: Irq, masked: bool): void {
  hal.irq_mask(irq.line, masked || irq.notify === null ? 1 : 0);
}
