// echo: print the arguments, joined by spaces.
//
// Arguments arrive NUL-separated in the startup block; argument 0 is our name.
// The line goes to fd 1 when the shell gave one (so `echo hi > f` and
// `echo hi | wc` work), to the console otherwise.

import { println, startup, fdIsOpen, fdPrint } from "../lib/index";

export function _start(): void {
  const args = startup().args;
  const line = args.length > 1 ? args.slice(1).join(" ") : "";
  if (!fdIsOpen(1) || !fdPrint(1, line + "\n")) println(line);
}
