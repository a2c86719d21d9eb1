// Kernel time and boot configuration.
//
// In real-time mode the kernel reads the HAL clock. In deterministic mode it
// keeps its own virtual clock, advanced only by what processes do (each
// safepoint and each syscall costs a fixed number of virtual nanoseconds) and
// by the HAL jumping it to the next deadline when every CPU is idle. With one
// virtual CPU that makes a run a pure function of its inputs.

import * as hal from './hal';
import { K_FLAG_DETERMINISTIC } from '../../abi/assembly/index';

/** Virtual nanoseconds charged for one syscall in deterministic mode. */
export const SYSCALL_NS: f64 = 1000;

/** Boot configuration. Static fields are plain globals (the panic path may read them). */
export class Config {
  static cpus: i32 = 1;
  static flags: u32 = 0;
  static budgetPages: u32 = 0;
  static sliceSafepoints: u32 = 100;
  static sliceNs: f64 = 10_000_000;
  static safepointNs: f64 = 1000;
  /** Wall-clock seconds since 1970 at boot (0: the HAL does not know). */
  static realtimeSec: u32 = 0;
}

let virtualNs: f64 = 0;

export function deterministic(): bool {
  return (Config.flags & K_FLAG_DETERMINISTIC) != 0;
}

/** Kernel time in nanoseconds. */
export function now(): f64 {
  return deterministic() ? virtualNs : hal.now();
}

/** Advance virtual time (deterministic mode only; a no-op otherwise). */
export function advance(ns: f64): void {
  if (deterministic()) virtualNs += ns;
}

/** Move virtual time forward to t (never backward). */
export function advanceTo(t: f64): void {
  if (deterministic() && t > virtualNs) virtualNs = t;
}
