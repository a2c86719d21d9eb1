// hello: the smallest useful program — print a greeting with our pid.
//
// The pid comes from our own process record (PROCESS_INFO on the SELF
// handle, which the shell gives every child with INSPECT).

import { TAG_SELF } from "../../abi/assembly/index";
import { println, startup, processInfo, ProcessInfo } from "../lib/index";

export function _start(): void {
  const info = new ProcessInfo();
  const self = startup().handle(TAG_SELF);
  const pid = self > 0 && processInfo(self, info) == 0 ? info.pid.toString() : "?";
  println("hello from pid " + pid);
}
