// crash: trap on purpose.
//
// A WebAssembly trap ends only this process: the HAL reports a fault, the
// kernel closes its handles and records exit code EXIT_FAULT_BASE - FAULT_TRAP,
// and the shell says "crash: crashed (trap)". Nothing else is disturbed.

import { println } from "../lib/index";

export function _start(): void {
  println("crash: about to trap");
  unreachable();
}
