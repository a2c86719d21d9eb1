// Process lifecycle: boot of the root task, spawn, exit, kill and fault.
//
// Exit is the one road out, whatever the cause: the process leaves the
// scheduler and any wait, every handle it holds is closed (which may end
// channels and wake peers), its memory goes back to the budget, and its
// TERMINATED signal wakes whoever waits for it. The record stays while handles
// to the process remain, so its exit code can be read.

import {
  PS_EXITED, ERR_LIMIT, ERR_NO_MEMORY, RIGHT_ALL, SIG_TERMINATED, TR_SPAWN, TR_EXIT, TR_FAULT, TR_KILL,
  TR_HANDLE_TRANSFER, CLOSE_EXITED, MAX_PROCESSES, EXIT_FAULT_BASE, EXIT_KILLED, TAG_SELF,
} from '../../../abi/assembly/index';
import * as hal from '../hal';
import { Config } from '../clock';
import { emit, emitText } from '../trace';
import { budgetUsed, chargeMemory, releaseMemory } from '../account';
import { Handle } from '../object';
import { closeHandle, newRootHandle, dropKernelRef } from '../cap/ops';
import { Process, processes, allocPid } from './process';
import { abandonWait, updateSignals } from '../ipc/wait';
import { collectInFlightCycles } from '../ipc/channel';
import { makeReady, unschedule } from '../sched/scheduler';

/** What else must end with a process (set by the vfs: its fds close, its pending file operation is dropped). */
let exitHook: (p: Process) => void = (p: Process): void => {};

/** Install what a process's exit does beyond its handles (the vfs closes its fds). */
export function onProcessExit(fn: (p: Process) => void): void {
  exitHook = fn;
}

/** Processes not yet exited. */
export function liveProcessCount(): i32 {
  let n = 0;
  const all = processes.values();
  for (let i = 0; i < all.length; i++) if (all[i].state != PS_EXITED) n++;
  return n;
}

/**
 * Create a process from a program image. Handles in `moved` leave `from`'s
 * table for the child's (tagged with `tags`). Returns the child's pid, or an
 * ERR_* code (LIMIT: the process table is full; NO_MEMORY; what the HAL said).
 */
export function createProcess(from: Process | null, parent: Process | null, image: u32, quota: u32, priority: i32,
  name: string, args: Uint8Array, moved: Array<Handle>, tags: Array<i32>, selfRights: u32): i32 {
  if (liveProcessCount() >= MAX_PROCESSES) return ERR_LIMIT;
  const pid = allocPid();
  const pages = hal.process_create(pid, image, quota);
  if (pages < 0) return pages;
  if (<u32>pages > quota || <u64>budgetUsed + <u64>pages > <u64>Config.budgetPages) {
    hal.process_destroy(pid);
    return ERR_NO_MEMORY;
  }
  const child = new Process(pid, parent, name, image, priority, quota);
  child.kernelRefs = 1;
  child.args = args;
  processes.set(pid, child);
  emit(TR_SPAWN, from !== null ? from.pid : 0, from !== null ? from.cpu : -1, pid, <i32>image, priority, <i32>quota, child.koid);
  emitText(pid, name);
  chargeMemory(child, <u32>pages);
  for (let i = 0; i < moved.length; i++) {
    const h = moved[i];
    const fromValue = h.value;
    if (from !== null) from.table.remove(h);
    const v = child.table.install(h, child);
    emit(TR_HANDLE_TRANSFER, pid, -1, v, from !== null ? from.pid : 0, fromValue, h.obj.koid, <i32>h.rights, h.obj.type);
    child.startupHandles.push(v);
    child.startupTags.push(tags[i]);
  }
  if (selfRights != 0) {
    child.startupHandles.push(newRootHandle(child, child, selfRights & RIGHT_ALL));
    child.startupTags.push(TAG_SELF);
  }
  makeReady(child, 0);
  return pid;
}


/** End p with `code`. Safe to call from any context; a second call does nothing. */
export function exitProcess(p: Process, code: i32): void {
  if (p.state == PS_EXITED) return;
  abandonWait(p);
  unschedule(p);
  p.state = PS_EXITED;
  p.exitCode = code;
  emit(TR_EXIT, p.pid, -1, code);
  const slots = p.table.slots;
  for (let i = 0; i < slots.length; i++) {
    const h = slots[i];
    if (h !== null) closeHandle(h, CLOSE_EXITED);
  }
  exitHook(p);
  hal.process_destroy(p.pid);
  releaseMemory(p);
  adoptOrphans(p);
  updateSignals(p, SIG_TERMINATED, 0);
  dropKernelRef(p);
  collectInFlightCycles();
}

/** Children of an exiting process become children of its parent, so listings keep them. */
function adoptOrphans(p: Process): void {
  const all = processes.values();
  for (let i = 0; i < all.length; i++) if (all[i].parent === p) all[i].parent = p.parent;
}

/** PROCESS_KILL: end target on behalf of killer. */
export function killProcess(killer: Process, target: Process): void {
  emit(TR_KILL, target.pid, -1, killer.pid);
  exitProcess(target, EXIT_KILLED);
}

/** The HAL saw p trap (or fail to load): end it with a fault code. */
export function faultProcess(p: Process, reason: i32): void {
  if (p.state == PS_EXITED) return;
  emit(TR_FAULT, p.pid, p.cpu, reason);
  exitProcess(p, EXIT_FAULT_BASE - reason);
}
