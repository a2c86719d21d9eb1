// spin: an endless loop that makes no syscalls.
//
// It shows that preemption is real: the loader puts a safepoint (a fuel
// counter) in every loop, so the kernel takes the CPU back from a program
// that never asks for anything. Stop it with Ctrl-C in the foreground, or
// `kill PID` (the only way once it runs in the background: `spin &`).

import { TAG_SELF } from "../../abi/assembly/index";
import { println, consoleInForeground, startup, processInfo, ProcessInfo } from "../lib/index";

let turns: u64 = 0;

export function _start(): void {
  println("spin: looping forever without syscalls (" + howToStop() + " stops me)");
  while (true) turns++;
}

/** What stops spin where it runs: Ctrl-C in the foreground, kill in the background. */
function howToStop(): string {
  if (consoleInForeground()) return "Ctrl-C";
  const info = new ProcessInfo();
  const self = startup().handle(TAG_SELF);
  return self > 0 && processInfo(self, info) == 0 ? "kill " + info.pid.toString() : "kill";
}
