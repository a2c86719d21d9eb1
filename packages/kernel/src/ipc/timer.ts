// Timers: a deadline that, when it passes, raises FIRED on the timer and sets a
// bit on a notification. A timer holds a kernel reference to its notification,
// so the notification lives at least as long as the timer.

import { OBJ_TIMER, OBJECT_BYTES, HANDLE_BYTES, SIG_FIRED, TR_TIMER_FIRE } from '../../../abi/assembly/index';
import { KObject } from '../object';
import { canCharge, chargeObject } from '../account';
import { newRootHandle, dropKernelRef } from '../cap/ops';
import { Process } from '../process/process';
import { Deadline, addDeadline, removeDeadline } from '../sched/timers';
import { updateSignals } from './wait';
import { now } from '../clock';
import { emit } from '../trace';

export class Timer extends KObject {
  notify: KObject;
  bit: u32;
  deadline: Deadline | null = null;

  constructor(notify: KObject, bit: u32) {
    super(OBJ_TIMER);
    this.notify = notify;
    this.bit = bit;
    notify.kernelRefs++;
  }

  /** The last handle closed: cancel the deadline and let go of the notification. */
  destroy(): void {
    const d = this.deadline;
    if (d !== null) removeDeadline(d);
    this.deadline = null;
    dropKernelRef(this.notify);
  }
}

/** A timer's deadline: when it passes, the timer fires. */
class TimerDeadline extends Deadline {
  timer: Timer;

  constructor(time: f64, timer: Timer) {
    super(time);
    this.timer = timer;
  }

  fire(): void {
    timerFire(this.timer);
  }
}

/** Create a timer bound to (notify, bit), charged to p; returns the handle value, or 0 when over quota. */
export function timerCreate(p: Process, notify: KObject, bit: u32, rights: u32): i32 {
  if (!canCharge(p, 0, OBJECT_BYTES + HANDLE_BYTES)) return 0;
  const t = new Timer(notify, bit);
  chargeObject(p, t, OBJECT_BYTES);
  return newRootHandle(p, t, rights);
}

/** Arm (or re-arm) for timeoutUs from now; negative cancels. */
export function timerSet(t: Timer, timeoutUs: i32): void {
  const old = t.deadline;
  if (old !== null) {
    removeDeadline(old);
    t.deadline = null;
  }
  updateSignals(t, 0, SIG_FIRED);
  if (timeoutUs < 0) return;
  const d = new TimerDeadline(now() + <f64>timeoutUs * 1000, t);
  t.deadline = d;
  addDeadline(d);
}

/** The deadline passed. */
function timerFire(t: Timer): void {
  t.deadline = null;
  emit(TR_TIMER_FIRE, 0, -1, t.koid, t.notify.koid, <i32>t.bit);
  updateSignals(t, SIG_FIRED, 0);
  updateSignals(t.notify, (<u32>1) << t.bit, 0);
}
