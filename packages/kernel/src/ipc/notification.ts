// Notifications: signal bits, the kernel's lightest way to say "something
// happened". signal() ORs bits in; a waiter names a mask and takes (clears) the
// bits of it that are pending. IRQs and timers land here, so a driver's whole
// event loop is one NOTIFY_WAIT. Bits 0..30 are usable; bit 31 is reserved so
// that NOTIFY_WAIT's result (the bits taken) can never look like an error.

import { OBJ_NOTIFICATION, OBJECT_BYTES, HANDLE_BYTES } from '../../../abi/assembly/index';
import { KObject } from '../object';
import { canCharge, chargeObject } from '../account';
import { newRootHandle } from '../cap/ops';
import { Process } from '../process/process';
import { updateSignals } from './wait';

export class Notification extends KObject {
  constructor() {
    super(OBJ_NOTIFICATION);
  }
}

/** Create a notification charged to p; returns the handle value, or 0 when over quota. */
export function notifyCreate(p: Process, rights: u32): i32 {
  if (!canCharge(p, 0, OBJECT_BYTES + HANDLE_BYTES)) return 0;
  const n = new Notification();
  chargeObject(p, n, OBJECT_BYTES);
  return newRootHandle(p, n, rights);
}

/** Set bits; waiters whose mask matches take them. */
export function notifySignal(n: KObject, bits: u32): void {
  updateSignals(n, bits, 0);
}
