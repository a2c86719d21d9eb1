// Waiting: how a process blocks until an object's signals say "go", a
// deadline passes, or the handle it waits on disappears.
//
// A blocked process records what it waits for (process.ts, the wait* fields)
// and is listed in the `waiters` of every object involved. Whenever an
// object's signals change, each waiter is re-checked; the first condition that
// holds ends the wait with a result, out-parameters are written to the
// waiter's memory (pointers were validated when the wait began), and the
// process becomes ready again. One function, finishWait, undoes every trace of
// a wait, so no path can leave a stale waiter or deadline behind.
//
// A CHANNEL_CALL caller is listed in the waiters of its own endpoint too, but
// no signal ends its wait: the reply does (ipc/channel.ts). A CHANNEL_RECV
// wait ends by reading the message, which ipc/channel.ts does through the
// function it installs with onReceive, since channels sit above this module.

import {
  OBJ_NOTIFICATION, ERR_TIMED_OUT, ERR_CANCELED, ERR_FAULT, K_BLOCKED, TR_SIGNAL, TR_SYSCALL_WAKE,
  TR_SYSCALL_BLOCK, WAIT_ITEM_SIZE, WAIT_ITEM_OBSERVED,
} from '../../../abi/assembly/index';
import { KObject } from '../object';
import { Handle } from '../object';
import { onHandleClosing } from '../cap/ops';
import { Process, asProcess, W_NONE, W_SIGNALS, W_MANY, W_NOTIFY, W_CALL, W_SLEEP, W_RECV } from '../process/process';
import { Deadline, addDeadline, removeDeadline } from '../sched/timers';
import { block, makeReady } from '../sched/scheduler';
import { putU32, takeFault } from '../mm/user';
import { now } from '../clock';
import { emit } from '../trace';

/** A wait's deadline: when it passes, the wait times out (a sleep simply ends). */
class WaitDeadline extends Deadline {
  p: Process;

  constructor(time: f64, p: Process) {
    super(time);
    this.p = p;
  }

  fire(): void {
    this.p.deadline = null;
    waitTimedOut(this.p);
  }
}

/** Reads the message a CHANNEL_RECV waiter is owed (installed by ipc/channel.ts): its result, or K_BLOCKED. */
let receive: (p: Process) => i32 = (p: Process): i32 => K_BLOCKED;

/** Install how a CHANNEL_RECV wait is satisfied. */
export function onReceive(fn: (p: Process) => i32): void {
  receive = fn;
}

/** Set and clear signal bits on obj, then re-check everyone waiting on it. */
export function updateSignals(obj: KObject, set: u32, clear: u32): void {
  const before = obj.signals;
  obj.signals = (obj.signals & ~clear) | set;
  if (obj.signals == before) return;
  emit(TR_SIGNAL, 0, -1, obj.koid, <i32>set, <i32>clear, <i32>obj.signals);
  recheckWaiters(obj);
}

/** Re-evaluate every process waiting on obj. */
export function recheckWaiters(obj: KObject): void {
  const n = obj.waiters.length;
  if (n == 0) return;
  if (n == 1) {
    tryComplete(asProcess(obj.waiters[0])); // the common case, without copying the list
    return;
  }
  const snapshot = obj.waiters.slice(0);
  for (let i = 0; i < snapshot.length; i++) tryComplete(asProcess(snapshot[i]));
}

/**
 * Begin a wait for p: it leaves its CPU, is listed as a waiter on each object
 * in waitHandles, and gets a deadline unless timeoutUs < 0. Returns
 * K_BLOCKED, or the result at once if the condition already holds.
 */
export function beginWait(p: Process, timeoutUs: i32): i32 {
  const immediate = evaluate(p);
  if (immediate != K_BLOCKED) {
    p.waitKind = W_NONE;
    clearWaitFields(p);
    return immediate;
  }
  if (timeoutUs == 0 && p.waitKind != W_CALL) {
    p.waitKind = W_NONE;
    clearWaitFields(p);
    return ERR_TIMED_OUT;
  }
  for (let i = 0; i < p.waitHandles.length; i++) {
    const o = p.waitHandles[i].obj;
    if (o.waiters.indexOf(p) < 0) o.waiters.push(p);
  }
  armTimeout(p, timeoutUs);
  emit(TR_SYSCALL_BLOCK, p.pid, p.cpu, p.waitNr, p.waitHandles.length > 0 ? p.waitHandles[0].obj.koid : 0);
  block(p);
  return K_BLOCKED;
}

/** Give p's current wait a deadline timeoutUs from now (none when negative). */
export function armTimeout(p: Process, timeoutUs: i32): void {
  if (timeoutUs < 0) return;
  const d = new WaitDeadline(now() + <f64>timeoutUs * 1000, p);
  p.deadline = d;
  addDeadline(d);
}

/** Does p's wait condition hold? Returns the syscall result, or K_BLOCKED. Writes out-parameters. */
function evaluate(p: Process): i32 {
  if (p.waitKind == W_SIGNALS) {
    const o = p.waitHandles[0].obj;
    if ((o.signals & p.waitMasks[0]) == 0) return K_BLOCKED;
    if (p.waitOut != 0) putU32(p, p.waitOut, o.signals);
    return 0;
  }
  if (p.waitKind == W_MANY) {
    let first = -1;
    for (let i = 0; i < p.waitHandles.length; i++) {
      if ((p.waitHandles[i].obj.signals & p.waitMasks[i]) != 0) { first = i; break; }
    }
    if (first < 0) return K_BLOCKED;
    for (let i = 0; i < p.waitHandles.length; i++) {
      putU32(p, p.waitOut + <u32>(i * WAIT_ITEM_SIZE + WAIT_ITEM_OBSERVED), p.waitHandles[i].obj.signals);
    }
    return first;
  }
  if (p.waitKind == W_RECV) return receive(p);
  if (p.waitKind == W_NOTIFY) {
    const o = p.waitHandles[0].obj;
    assert(o.type == OBJ_NOTIFICATION);
    const bits = o.signals & p.waitMasks[0];
    if (bits == 0) return K_BLOCKED;
    o.signals &= ~bits;
    emit(TR_SIGNAL, 0, -1, o.koid, 0, <i32>bits, <i32>o.signals);
    return <i32>bits;
  }
  return K_BLOCKED;
}

function tryComplete(p: Process): void {
  const r = evaluate(p);
  if (r != K_BLOCKED) finishWait(p, r);
}

function clearWaitFields(p: Process): void {
  p.waitHandles.length = 0;
  p.waitMasks.length = 0;
  p.waitOut = 0;
  p.waitTxid = 0;
  p.callServer = 0;
}

/** Undo every part of p's wait (without waking it). */
export function abandonWait(p: Process): void {
  for (let i = 0; i < p.waitHandles.length; i++) {
    const ws = p.waitHandles[i].obj.waiters;
    const j = ws.indexOf(p);
    if (j >= 0) ws.splice(j, 1);
  }
  const d = p.deadline;
  if (d !== null) {
    removeDeadline(d);
    p.deadline = null;
  }
  p.waitKind = W_NONE;
  clearWaitFields(p);
}

/** End p's wait with `result` (ERR_FAULT if writing its out-parameters failed) and make it ready to run. */
export function finishWait(p: Process, result: i32): void {
  const nr = p.waitNr;
  abandonWait(p);
  if (takeFault(p)) result = ERR_FAULT;
  emit(TR_SYSCALL_WAKE, p.pid, -1, nr, result);
  makeReady(p, result);
}

/** A deadline fired for p: its wait times out (a sleep simply ends). */
export function waitTimedOut(p: Process): void {
  p.deadline = null;
  finishWait(p, p.waitKind == W_SLEEP ? 0 : ERR_TIMED_OUT);
}

/** Handle h is going away: a wait that names it ends with CANCELED. */
function cancelWaitsOn(h: Handle): void {
  const a = h.owner;
  if (a === null) return;
  const p = asProcess(a);
  if (p.waitKind == W_NONE) return;
  if (p.waitHandles.indexOf(h) >= 0) finishWait(p, ERR_CANCELED);
}

onHandleClosing(cancelWaitsOn);

/** Block p for timeoutUs microseconds. */
export function sleep(p: Process, timeoutUs: i32): i32 {
  if (timeoutUs <= 0) return 0;
  p.waitKind = W_SLEEP;
  armTimeout(p, timeoutUs);
  emit(TR_SYSCALL_BLOCK, p.pid, p.cpu, p.waitNr, 0);
  block(p);
  return K_BLOCKED;
}
