// spin: an endless loop that makes no syscalls.
//
// It shows that preemption is real: the loader puts a safepoint (a fuel
// counter) in every loop, so the kernel takes the CPU back from a program
// that never asks for anything. Stop it with Ctrl-C or `kill PID`.

import { println } from "../lib/index";

let turns: u64 = 0;

export function _start(): void {
  println("spin: looping forever without syscalls (Ctrl-C stops me)");
  while (true) turns++;
}
