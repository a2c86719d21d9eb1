// The scheduler: which processes hold the N virtual CPUs.
//
// A process is RUNNING (on a CPU), READY (in the queue of its priority),
// BLOCKED (waiting in a syscall) or EXITED. Eight FIFO queues, one per
// priority, give round-robin within a priority; the highest non-empty queue
// always goes first. Whenever a CPU frees up it is filled at once.
//
// Preemption is cooperative at the machine level and real at the program
// level: the loader puts safepoints in every loop and function entry of every
// program, and the kernel can ask the HAL to make a process stop at its next
// one (preempt). A process is preempted when a higher-priority process is
// ready, or when its time slice is used up and another process of its own
// priority is waiting. The slice is wall time in real-time mode and a count of
// safepoints in deterministic mode.

import {
  PS_READY, PS_RUNNING, PS_BLOCKED, PRIORITY_MAX, TR_SCHED_RUN, TR_SCHED_PREEMPT, TR_SCHED_IDLE,
  RUN_START, RUN_WAKE, RUN_RESUME,
} from '../../../abi/assembly/index';
import * as hal from '../hal';
import { Config, deterministic, now } from '../clock';
import { emit } from '../trace';
import { Process, W_NONE, W_PARKED } from '../process/process';

const cpus: Array<Process | null> = [];
const ready: Array<Array<Process>> = [];
/** Processes in all the ready queues: most kernel entries find none, and then ask no queue. */
let readyTotal: i32 = 0;

function enqueue(p: Process): void {
  ready[p.priority].push(p);
  readyTotal++;
}

export function initScheduler(n: i32): void {
  for (let i = 0; i < n; i++) cpus.push(null);
  for (let i = 0; i <= PRIORITY_MAX; i++) ready.push([]);
}

export function cpuCount(): i32 {
  return cpus.length;
}

export function onCpu(cpu: i32): Process | null {
  return cpus[cpu];
}

/** Make p runnable; `result` is what its parked syscall will return when it runs. */
export function makeReady(p: Process, result: i32): void {
  p.state = PS_READY;
  p.pendingResult = result;
  enqueue(p);
  fillCpus();
  // Only if it is still waiting: a process that found an idle CPU displaces nobody.
  if (p.state == PS_READY) requestPreemptionFor(p.priority, p.pid);
}

/** Take p off its CPU (it blocked or exited); the CPU is refilled at once. */
export function leaveCpu(p: Process): void {
  if (p.cpu < 0) return;
  p.cpuNs += now() - p.sliceStart;
  const cpu = p.cpu;
  cpus[cpu] = null;
  p.cpu = -1;
  p.preemptRequested = false;
  fillCpus();
  if (cpus[cpu] === null) emit(TR_SCHED_IDLE, 0, cpu, cpu);
}

/** Forget p entirely (it exited). */
export function unschedule(p: Process): void {
  if (p.state == PS_READY) {
    const q = ready[p.priority];
    const i = q.indexOf(p);
    if (i >= 0) {
      q.splice(i, 1);
      readyTotal--;
    }
  }
  leaveCpu(p);
}

/** Block p in the syscall it is making. */
export function block(p: Process): void {
  p.state = PS_BLOCKED;
  leaveCpu(p);
}

function highestReady(): i32 {
  if (readyTotal == 0) return -1;
  for (let pr = PRIORITY_MAX; pr >= 0; pr--) if (ready[pr].length > 0) return pr;
  return -1;
}

/** Is some ready process waiting at priority >= pr? */
export function readyAtOrAbove(pr: i32): bool {
  return highestReady() >= pr;
}

function fillCpus(): void {
  for (let cpu = 0; cpu < cpus.length; cpu++) {
    if (cpus[cpu] !== null) continue;
    const pr = highestReady();
    if (pr < 0) return;
    readyTotal--;
    dispatch(ready[pr].shift(), cpu);
  }
}

function dispatch(p: Process, cpu: i32): void {
  const reason = !p.started ? RUN_START : p.waitKind == W_PARKED ? RUN_RESUME : RUN_WAKE;
  cpus[cpu] = p;
  p.cpu = cpu;
  p.state = PS_RUNNING;
  p.waitKind = W_NONE;
  p.preemptRequested = false;
  p.sliceStart = now();
  p.sliceSafepoints = 0;
  p.started = true;
  emit(TR_SCHED_RUN, p.pid, cpu, cpu, reason);
  hal.run(p.pid, cpu, p.pendingResult);
}

/** Process `by` of priority pr became ready: if every CPU is busy, ask the lowest-priority lower one to yield. */
function requestPreemptionFor(pr: i32, by: i32): void {
  let victim: Process | null = null;
  for (let cpu = 0; cpu < cpus.length; cpu++) {
    const q = cpus[cpu];
    if (q === null) return;
    if (q.priority < pr && (victim === null || q.priority < victim.priority)) victim = q;
  }
  if (victim !== null) requestPreemption(victim, by);
}

function requestPreemption(p: Process, by: i32): void {
  if (p.preemptRequested) return;
  p.preemptRequested = true;
  emit(TR_SCHED_PREEMPT, p.pid, p.cpu, p.cpu, by);
  hal.preempt(p.pid);
}

/** Has p used up its slice while someone of its priority (or higher) waits? */
function sliceOver(p: Process): bool {
  if (!readyAtOrAbove(p.priority)) return false;
  if (deterministic()) return p.sliceSafepoints >= Config.sliceSafepoints;
  return now() - p.sliceStart >= Config.sliceNs;
}

/**
 * Called when p (running) reaches a preemption point — a safepoint, or the end
 * of a syscall returning `result`. Returns true if p was parked instead (the
 * HAL then gets BLOCKED and p resumes with `result` when next dispatched).
 */
export function preemptionPoint(p: Process, result: i32): bool {
  if (p.state != PS_RUNNING) return false;
  if (!(p.preemptRequested && readyAtOrAbove(p.priority)) && !sliceOver(p)) {
    if (p.preemptRequested && !readyAtOrAbove(p.priority)) p.preemptRequested = false;
    return false;
  }
  park(p, result);
  return true;
}

/** Voluntary yield: park p behind the ready processes of its priority, if there are any. */
export function yieldCpu(p: Process): bool {
  if (!readyAtOrAbove(p.priority)) return false;
  park(p, 0);
  return true;
}

function park(p: Process, result: i32): void {
  leaveCpu(p);
  p.waitKind = W_PARKED;
  p.state = PS_READY;
  p.pendingResult = result;
  enqueue(p);
  fillCpus();
}

/** Real-time mode: at a timer tick, ask processes whose slice is over to yield. */
export function checkSlices(): void {
  for (let cpu = 0; cpu < cpus.length; cpu++) {
    const p = cpus[cpu];
    if (p !== null && sliceOver(p)) requestPreemption(p, 0);
  }
}

export function readyCount(): i32 {
  return readyTotal;
}
