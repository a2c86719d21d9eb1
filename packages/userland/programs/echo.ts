// echo: print the arguments, joined by spaces.
//
// Arguments arrive NUL-separated in the startup block; argument 0 is our name.

import { println, startup } from "../lib/index";

export function _start(): void {
  const args = startup().args;
  println(args.length > 1 ? args.slice(1).join(" ") : "");
}
