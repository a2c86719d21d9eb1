// Process lifecycle: boot of the root task, spawn, exit, kill and fault.
//
// A child's quota comes out of its parent's (account.ts), and the child pays
// for itself out of it: its memory, its record (PROCESS_BYTES) and the
// handles it starts with. So a process and its descendants together never
// hold more than the quota it was given, and a fork bomb stops at its own.
//
// Exit is the one road out, whatever the cause: the process leaves the
// scheduler and any wait at once, its memory goes back to the budget, and
// its children are handed to its parent. Closing its handles (which may end
// channels and wake peers) is a Work item, a bounded number of handles per
// kernel entry; when the last is closed, its TERMINATED signal wakes whoever
// waits for it. The record stays while handles to the process remain, so its
// exit code can be read. Killing a process (PROCESS_KILL) ends its whole
// subtree: authority over a process is authority over what it started.
//
// What a dying server owed is settled at once: every caller whose request
// it had taken off its queue (and so owed the reply) wakes with PEER_CLOSED,
// whether or not the channel itself lives on (a supervisor may keep the
// server end for the next instance), so no client hangs on a dead server.
// A watcher (PROCESS_WATCH) learns of the end through a notification bit
// once the teardown is done — how a supervisor hears of deaths without
// waiting on each child.

import {
  PS_EXITED, ERR_LIMIT, ERR_NO_MEMORY, ERR_PEER_CLOSED, RIGHT_ALL, SIG_TERMINATED, TR_SPAWN, TR_EXIT, TR_FAULT, TR_KILL,
  TR_HANDLE_TRANSFER, CLOSE_EXITED, MAX_PROCESSES, EXIT_FAULT_BASE, EXIT_KILLED, TAG_SELF, PROCESS_BYTES, HANDLE_BYTES,
  LIMIT_PROCESSES,
} from '../../../abi/assembly/index';
import * as hal from '../hal';
import { emit, emitText } from '../trace';
import {
  canCharge, chargeMemory, chargeObject, releaseMemory, sponsorChild, passToGrandparent, endAccount, payForHandle,
  refused,
} from '../account';
import { Handle, KObject, registry } from '../object';
import { Work, deferWork } from '../work';
import { closeHandle, newRootHandle, derivedHandle, dropKernelRef } from '../cap/ops';
import { Process, processes, allocPid, W_CALL } from './process';
import { abandonWait, finishWait, updateSignals } from '../ipc/wait';
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

/** Is q the process `root` or one of its descendants? */
export function descends(q: Process, root: Process): bool {
  let c: Process | null = q;
  while (c !== null) {
    if (c === root) return true;
    c = c.parent;
  }
  return false;
}

/**
 * Create a process from a program image, under `parent` (null at boot),
 * whose quota holds the child's. Handles in `moved` leave `from`'s table for
 * the child's (tagged with `tags`). `via` is the handle to the parent that
 * `from` spawned through (null at boot): the child's handle to itself
 * derives from it, so revoking the authority to spawn takes back what it
 * minted. `generation` is the spawner's count of instances, only reported
 * (ProcessInfo, the SPAWN record). The caller checked that the parent can hold the quota. Returns the
 * child's pid, or an ERR_* code (LIMIT: the process table is full;
 * NO_MEMORY: the child cannot pay for itself; what the HAL said).
 */
export function createProcess(from: Process | null, parent: Process | null, via: Handle | null, image: u32, quota: u32,
  priority: i32, name: string, args: Uint8Array, moved: Array<Handle>, tags: Array<i32>, selfRights: u32, generation: u32 = 0): i32 {
  const live = liveProcessCount();
  if (live >= MAX_PROCESSES) {
    refused(LIMIT_PROCESSES, from, 1, live, MAX_PROCESSES);
    return ERR_LIMIT;
  }
  const pid = allocPid();
  const pages = hal.process_create(pid, image, quota);
  if (pages < 0) return pages;
  const child = new Process(pid, parent, name, image, priority, quota);
  const handles = moved.length + (selfRights != 0 ? 1 : 0);
  if (!canCharge(child, <u32>pages, PROCESS_BYTES + <u32>handles * HANDLE_BYTES)) {
    hal.process_destroy(pid);
    child.destroyed = true;
    registry.leave(child);
    return ERR_NO_MEMORY;
  }
  child.kernelRefs = 1;
  child.args = args;
  child.generation = generation;
  processes.set(pid, child);
  if (parent !== null) sponsorChild(parent, child);
  emit(TR_SPAWN, from !== null ? from.pid : 0, from !== null ? from.cpu : -1, pid, <i32>image, priority, <i32>quota, child.koid,
    <i32>generation);
  emitText(pid, name);
  chargeMemory(child, <u32>pages);
  chargeObject(child, child, PROCESS_BYTES);
  for (let i = 0; i < moved.length; i++) {
    const h = moved[i];
    const fromValue = h.value;
    if (from !== null) from.table.remove(h);
    payForHandle(child, h);
    const v = child.table.install(h, child);
    emit(TR_HANDLE_TRANSFER, pid, -1, v, from !== null ? from.pid : 0, fromValue, h.obj.koid, <i32>h.rights, h.obj.type);
    child.startupHandles.push(v);
    child.startupTags.push(tags[i]);
  }
  if (selfRights != 0) {
    const rights = selfRights & RIGHT_ALL;
    child.startupHandles.push(via !== null ? derivedHandle(child, via, child, rights) : newRootHandle(child, child, rights));
    child.startupTags.push(TAG_SELF);
  }
  makeReady(child, 0);
  return pid;
}

/** Closing an exited process's handles, one per step; then its TERMINATED signal. */
class Teardown extends Work {
  p: Process;
  slot: i32 = 0;

  constructor(p: Process) {
    super();
    this.p = p;
  }

  step(): bool {
    const slots = this.p.table.slots;
    while (this.slot < slots.length) {
      const h = slots[this.slot++];
      if (h !== null) {
        closeHandle(h, CLOSE_EXITED);
        break;
      }
    }
    return this.slot >= slots.length;
  }

  done(): void {
    const p = this.p;
    p.tearingDown = false;
    updateSignals(p, SIG_TERMINATED, 0);
    fireWatch(p);
    dropKernelRef(p);
  }
}

/** Signal p's watcher, if any, and let go of its notification. */
function fireWatch(p: Process): void {
  const n = p.watch;
  if (n === null) return;
  p.watch = null;
  updateSignals(n, (<u32>1) << p.watchBit, 0);
  dropKernelRef(n);
}

/** PROCESS_WATCH: set `bit` on notify once p has ended and is torn down (now, if it already is); replaces an earlier watch. */
export function watchProcess(p: Process, notify: KObject, bit: u32): void {
  const old = p.watch;
  notify.kernelRefs++;
  p.watch = notify;
  p.watchBit = bit;
  if (old !== null) dropKernelRef(old);
  if (p.state == PS_EXITED && !p.tearingDown) fireWatch(p);
}

/** p ended: every call whose request it had taken (and so owed the reply) ends with PEER_CLOSED. */
function failCallsHeldBy(p: Process): void {
  const all = processes.values();
  for (let i = 0; i < all.length; i++) {
    const q = all[i];
    if (q.waitKind == W_CALL && q.callServer == p.pid) finishWait(q, ERR_PEER_CLOSED);
  }
}

/** End p with `code`. Safe to call from any context; a second call does nothing. */
export function exitProcess(p: Process, code: i32): void {
  if (p.state == PS_EXITED) return;
  abandonWait(p);
  unschedule(p);
  p.state = PS_EXITED;
  p.exitCode = code;
  emit(TR_EXIT, p.pid, -1, code);
  exitHook(p); // the vfs closes p's fds, forgets its pending file operations and fails the ones p had taken
  failCallsHeldBy(p);
  hal.process_destroy(p.pid);
  releaseMemory(p);
  adoptOrphans(p);
  endAccount(p);
  p.tearingDown = true;
  deferWork(new Teardown(p));
}

/** Children of an exiting process become children of its parent (and their quotas pass to its sponsor), so listings keep them. */
function adoptOrphans(p: Process): void {
  const all = processes.values();
  for (let i = 0; i < all.length; i++) {
    const q = all[i];
    if (q.parent !== p) continue;
    q.parent = p.parent;
    if (q.sponsor === p) passToGrandparent(q);
  }
}

/** PROCESS_KILL: end target and every process under it on behalf of killer. */
export function killProcess(killer: Process, target: Process): void {
  const doomed: Array<Process> = [];
  const all = processes.values();
  for (let i = 0; i < all.length; i++) {
    const q = all[i];
    if (q.state != PS_EXITED && descends(q, target)) doomed.push(q);
  }
  for (let i = 0; i < doomed.length; i++) {
    const q = doomed[i];
    emit(TR_KILL, q.pid, -1, killer.pid);
    exitProcess(q, EXIT_KILLED);
  }
}

/** The HAL saw p trap (or fail to load): end it with a fault code. */
export function faultProcess(p: Process, reason: i32): void {
  if (p.state == PS_EXITED) return;
  emit(TR_FAULT, p.pid, p.cpu, reason);
  exitProcess(p, EXIT_FAULT_BASE - reason);
}
