// kernel.wasm: the entry points the HAL calls (exports). With hal.ts (the
// imports) this is the whole HAL contract.
//
// The kernel is passive: it runs only inside one of these calls, never
// blocks, and returns quickly. A blocking syscall returns K_BLOCKED; the HAL
// parks that process until the kernel calls hal.run for it with the real
// result. Any kernel entry may call hal.run / hal.preempt for other processes.
//
// Boot: the HAL writes a BootInfo (and its BootDevice records) at
// boot_info_area(), then calls init(), which creates the device and IRQ
// objects and the root task with handles to all of them.

import {
  BOOT_INFO_SIZE, BOOT_INFO_CPUS, BOOT_INFO_FLAGS, BOOT_INFO_BUDGET_PAGES, BOOT_INFO_SLICE_SAFEPOINTS,
  BOOT_INFO_SLICE_US, BOOT_INFO_ROOT_IMAGE, BOOT_INFO_ROOT_QUOTA, BOOT_INFO_ROOT_PRIORITY, BOOT_INFO_NUM_DEVICES,
  BOOT_INFO_SAFEPOINT_NS, BOOT_INFO_KERNEL_PAGES, BOOT_INFO_REALTIME_SEC, BOOT_DEVICE_SIZE, BOOT_DEVICE_DEVICE,
  BOOT_DEVICE_REGISTERS, BOOT_DEVICE_IRQ, MAX_CPUS, MAX_DEVICES, PRIORITY_MAX, ERR_INVALID_ARGS, ERR_BAD_STATE,
  ERR_BAD_SYSCALL, SYS_WASI_FIRST, SYS_WASI_LAST, K_BLOCKED, PS_RUNNING, TR_BOOT,
  TR_SYSCALL_ENTER, TR_SYSCALL_EXIT, RIGHT_ALL, RIGHT_READ, RIGHT_WRITE, RIGHT_TRANSFER, RIGHT_DUPLICATE,
  RIGHT_MANAGE, TAG_DEVICE_BASE, TAG_IRQ_BASE,
} from '../../abi/assembly/index';
import { Config, now, advance, advanceTo, deterministic, SYSCALL_NS } from './clock';
import { emit, flushTrace } from './trace';
import { Handle, KObject } from './object';
import { setKernelLimit } from './account';
import { beginEntry, runWork, pendingWork } from './work';
import { findProcess } from './process/process';
import { createProcess, faultProcess } from './process/lifecycle';
import { initScheduler, preemptionPoint, checkSlices } from './sched/scheduler';
import { nextDeadline, takeDue } from './sched/timers';
import { Device, createIrq, irqForLine, irqRaise } from './dev/irq';
import { dispatch } from './syscall/dispatch';
import { wideArgs, setWide } from './syscall/wasi';
import { checkInvariants, invariantName, stat } from './debug';
// The panic module also provides the abort handler named in asconfig.json (--use abort=...).
import { kernelPanic } from './panic';


const bootArea = new Uint8Array(BOOT_INFO_SIZE + MAX_DEVICES * BOOT_DEVICE_SIZE);
let booted = false;

/** Where the HAL writes the BootInfo before init(). */
export function boot_info_area(): usize {
  return bootArea.dataStart;
}

/** Build the root task from the BootInfo. Returns its pid, or a negative error. */
export function init(): i32 {
  if (booted) return ERR_BAD_STATE;
  const b = bootArea.dataStart;
  const cpus = load<u32>(b + BOOT_INFO_CPUS);
  const numDevices = load<u32>(b + BOOT_INFO_NUM_DEVICES);
  const rootPriority = load<u32>(b + BOOT_INFO_ROOT_PRIORITY);
  if (cpus < 1 || cpus > <u32>MAX_CPUS || numDevices > <u32>MAX_DEVICES || rootPriority > <u32>PRIORITY_MAX) {
    return ERR_INVALID_ARGS;
  }
  booted = true;
  Config.cpus = <i32>cpus;
  Config.flags = load<u32>(b + BOOT_INFO_FLAGS);
  Config.budgetPages = load<u32>(b + BOOT_INFO_BUDGET_PAGES);
  Config.sliceSafepoints = max<u32>(1, load<u32>(b + BOOT_INFO_SLICE_SAFEPOINTS));
  Config.sliceNs = <f64>max<u32>(1, load<u32>(b + BOOT_INFO_SLICE_US)) * 1000;
  Config.safepointNs = <f64>load<u32>(b + BOOT_INFO_SAFEPOINT_NS);
  Config.realtimeSec = load<u32>(b + BOOT_INFO_REALTIME_SEC);
  initScheduler(Config.cpus);
  emit(TR_BOOT, 0, -1, Config.cpus, <i32>Config.flags, <i32>Config.budgetPages);

  // Devices and their interrupts become objects; init gets a handle to each.
  const moved: Array<Handle> = [];
  const tags: Array<i32> = [];
  for (let i: u32 = 0; i < numDevices; i++) {
    const d = b + BOOT_INFO_SIZE + i * BOOT_DEVICE_SIZE;
    const dev = new Device(load<u32>(d + BOOT_DEVICE_DEVICE), load<u32>(d + BOOT_DEVICE_REGISTERS));
    moved.push(bootHandle(dev, RIGHT_READ | RIGHT_WRITE | RIGHT_TRANSFER | RIGHT_DUPLICATE));
    tags.push(TAG_DEVICE_BASE + <i32>i);
    const line = load<i32>(d + BOOT_DEVICE_IRQ);
    if (line >= 0) {
      const shared = irqForLine(line);
      moved.push(bootHandle(shared !== null ? shared : createIrq(line), RIGHT_MANAGE | RIGHT_TRANSFER | RIGHT_DUPLICATE));
      tags.push(TAG_IRQ_BASE + <i32>i);
    }
  }
  const root = createProcess(null, null, null, load<u32>(b + BOOT_INFO_ROOT_IMAGE), load<u32>(b + BOOT_INFO_ROOT_QUOTA),
    <i32>rootPriority, 'init', new Uint8Array(0), moved, tags, RIGHT_ALL);
  setKernelLimit(load<u32>(b + BOOT_INFO_KERNEL_PAGES));
  flushTrace();
  return root;
}

/** A handle made by the kernel at boot, not yet in any table (moved into init's, which pays for it). */
function bootHandle(obj: KObject, rights: u32): Handle {
  return new Handle(obj, rights);
}

/** The end of every entry: teardown steps left in this entry's budget, then the trace. */
function leave(): void {
  runWork();
  flushTrace();
}

/** Fire every deadline that is due at the current kernel time. */
function fireDue(): void {
  const t = now();
  for (let d = takeDue(t); d !== null; d = takeDue(t)) d.fire();
}

/** A process makes syscall nr. Returns the result, or K_BLOCKED (wait for hal.run). */
export function syscall(pid: i32, nr: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const p = findProcess(pid);
  if (p === null || p.state != PS_RUNNING) return ERR_BAD_STATE;
  beginEntry();
  p.syscalls++;
  advance(SYSCALL_NS);
  emit(TR_SYSCALL_ENTER, pid, p.cpu, nr, a0, a1, a2, a3, a4, a5);
  const cpu = p.cpu;
  let result = dispatch(p, nr, a0, a1, a2, a3, a4, a5);
  if (result != K_BLOCKED) {
    emit(TR_SYSCALL_EXIT, pid, cpu, nr, result);
    if (preemptionPoint(p, result)) result = K_BLOCKED;
  }
  if (deterministic()) fireDue();
  leave();
  return result;
}

/** Where the HAL writes a WASI call's WIDE_ARGS u64 arguments before syscall_wide. */
export function wide_args_area(): usize {
  return changetype<usize>(wideArgs);
}

/** A WASI call whose arguments the HAL put in wide_args_area(): its errno, or K_BLOCKED. */
export function syscall_wide(pid: i32, nr: i32): i32 {
  const a = wideArgs;
  if (nr < SYS_WASI_FIRST || nr > SYS_WASI_LAST) return ERR_BAD_SYSCALL;
  setWide(true);
  const r = syscall(pid, nr, <i32>a[0], <i32>a[1], <i32>a[2], <i32>a[3], <i32>a[4], <i32>a[5]);
  setWide(false);
  return r;
}

/** A running process reached a safepoint. Returns 0 (carry on) or K_BLOCKED (parked: wait for hal.run). */
export function safepoint(pid: i32): i32 {
  const p = findProcess(pid);
  if (p === null || p.state != PS_RUNNING) return ERR_BAD_STATE;
  beginEntry();
  p.sliceSafepoints++;
  advance(Config.safepointNs);
  if (deterministic()) fireDue();
  runWork();
  const result = p.state != PS_RUNNING || preemptionPoint(p, 0) ? K_BLOCKED : 0;
  flushTrace();
  return result;
}

/** Interrupt line `line` fired. */
export function irq(line: i32): void {
  beginEntry();
  irqRaise(line);
  leave();
}

/**
 * Timer tick. Real-time mode: fire due deadlines and end expired slices.
 * Deterministic mode: the HAL calls this when every CPU is idle, with
 * t = next_deadline(), to jump virtual time there.
 */
export function tick(t: f64): void {
  beginEntry();
  advanceTo(t);
  fireDue();
  if (!deterministic()) checkSlices();
  leave();
}

/** The HAL saw process pid trap or fail to load (reason: FAULT_*). */
export function fault(pid: i32, reason: i32): void {
  beginEntry();
  const p = findProcess(pid);
  if (p !== null) faultProcess(p, reason);
  leave();
}

/** Earliest pending deadline in kernel time (ns), or -1 when none; now while teardown work is pending (enter again soon). */
export function next_deadline(): f64 {
  if (pendingWork() > 0) return now();
  return nextDeadline();
}

/** Kernel time in nanoseconds. */
export function kernel_time(): f64 {
  return now();
}

/** Walk every kernel structure and check its invariants: 0 when sound, else the number of the broken one. */
export function debug_check(): i32 {
  return checkInvariants();
}

/** Check every invariant and panic, naming the first broken one (a HAL may call this after each entry when debugging). */
export function assert_sound(): void {
  const broken = checkInvariants();
  if (broken != 0) kernelPanic('invariant ' + broken.toString() + ': ' + invariantName(broken));
}

/** Kernel statistics for tests and the playground (STAT_* in debug.ts). */
export function debug_stat(which: i32): i32 {
  return stat(which);
}

