// liboncrix: waiting — object signals, several objects at once, notifications,
// timers, sleep and yield.
//
// Timeouts are microseconds: negative waits forever, 0 only polls (and gives
// TIMED_OUT at once when nothing is set). A notification keeps its bits until
// someone takes them with notifyWait; OBJECT_WAIT(_MANY) only looks.

import {
  SYS_OBJECT_WAIT, SYS_OBJECT_WAIT_MANY, SYS_NOTIFY_CREATE, SYS_NOTIFY_SIGNAL, SYS_NOTIFY_WAIT,
  SYS_TIMER_CREATE, SYS_TIMER_SET, SYS_SLEEP, SYS_YIELD, ERR_LIMIT,
  WAIT_MANY_MAX, WAIT_ITEM_SIZE, WAIT_ITEM_HANDLE, WAIT_ITEM_MASK, WAIT_ITEM_OBSERVED,
} from "../../abi/assembly/index";
import { syscall, outWord } from "./sys";
import { Handle } from "./handles";

/** Wait forever. */
export const FOREVER: i32 = -1;

/** Wait until any signal in mask is set on h; returns the signals seen, or an error (TIMED_OUT …). */
export function objectWait(h: Handle, mask: i32, timeoutUs: i32 = FOREVER): i32 {
  store<u32>(outWord, 0);
  const r = syscall(SYS_OBJECT_WAIT, h, mask, timeoutUs, <i32>outWord, 0, 0);
  return r < 0 ? r : load<i32>(outWord);
}

/** Up to WAIT_MANY_MAX (handle, mask) items waited on together with OBJECT_WAIT_MANY. */
export class WaitSet {
  private items: ArrayBuffer = new ArrayBuffer(WAIT_MANY_MAX * WAIT_ITEM_SIZE);
  count: i32 = 0;

  private at(i: i32): usize {
    return changetype<usize>(this.items) + <usize>(i * WAIT_ITEM_SIZE);
  }

  clear(): void {
    this.count = 0;
  }

  /** Add an item; returns its index, or ERR_LIMIT when the set is full. */
  add(h: Handle, mask: i32): i32 {
    if (this.count >= WAIT_MANY_MAX) return ERR_LIMIT;
    const p = this.at(this.count);
    store<i32>(p + WAIT_ITEM_HANDLE, h);
    store<i32>(p + WAIT_ITEM_MASK, mask);
    store<i32>(p + WAIT_ITEM_OBSERVED, 0);
    return this.count++;
  }

  /** Wait until an item's mask matches; returns the index of the first ready item, or an error. */
  wait(timeoutUs: i32 = FOREVER): i32 {
    for (let i = 0; i < this.count; i++) store<i32>(this.at(i) + WAIT_ITEM_OBSERVED, 0);
    return syscall(SYS_OBJECT_WAIT_MANY, <i32>changetype<usize>(this.items), this.count, timeoutUs, 0, 0, 0);
  }

  /** Signals item i had when the last wait ended. */
  observed(i: i32): i32 {
    return i >= 0 && i < this.count ? load<i32>(this.at(i) + WAIT_ITEM_OBSERVED) : 0;
  }

  /** Did item i have any of `signals` when the last wait ended? */
  saw(i: i32, signals: i32): bool {
    return (this.observed(i) & signals) != 0;
  }

  handle(i: i32): Handle {
    return i >= 0 && i < this.count ? load<i32>(this.at(i) + WAIT_ITEM_HANDLE) : 0;
  }
}

/** A new notification (31 signal bits); or an error. */
export function notifyCreate(): Handle {
  const r = syscall(SYS_NOTIFY_CREATE, <i32>outWord, 0, 0, 0, 0, 0);
  return r < 0 ? r : load<i32>(outWord);
}

export function notifySignal(h: Handle, bits: i32): i32 {
  return syscall(SYS_NOTIFY_SIGNAL, h, bits, 0, 0, 0, 0);
}

/** Wait for any bit of mask, take (clear) those bits and return them; or an error (TIMED_OUT …). */
export function notifyWait(h: Handle, mask: i32, timeoutUs: i32 = FOREVER): i32 {
  return syscall(SYS_NOTIFY_WAIT, h, mask, timeoutUs, 0, 0, 0);
}

/** A timer that sets `bit` on the notification when it fires; or an error. */
export function timerCreate(notify: Handle, bit: i32): Handle {
  const r = syscall(SYS_TIMER_CREATE, notify, bit, <i32>outWord, 0, 0, 0);
  return r < 0 ? r : load<i32>(outWord);
}

/** Arm (or re-arm) a timer; a negative timeout cancels it. */
export function timerSet(h: Handle, timeoutUs: i32): i32 {
  return syscall(SYS_TIMER_SET, h, timeoutUs, 0, 0, 0, 0);
}

/** Block for at least timeoutUs microseconds. */
export function sleep(timeoutUs: i32): i32 {
  return syscall(SYS_SLEEP, timeoutUs, 0, 0, 0, 0, 0);
}

/** Give the CPU to a ready process of the same priority. */
export function yieldCpu(): i32 {
  return syscall(SYS_YIELD, 0, 0, 0, 0, 0, 0);
}
