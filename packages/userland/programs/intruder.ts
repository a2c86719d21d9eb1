// intruder: a program for teaching isolation. It was given no device handle,
// yet tries to reach the UART anyway — by guessing handle values, the way a
// process in a system with ambient authority might guess a device number.
// Every attempt is refused by the kernel's front door: a guessed value that
// names no handle of this process gets BAD_HANDLE, one that names a handle it
// does hold (its console channel, say) gets WRONG_TYPE, and the trace shows
// each refused call. It says what happened, and exits with the number of
// attempts that were *not* refused, so 0 means the capability wall held.

import { devWrite, processExit, println, errorName } from "../lib/index";

const GENERATIONS = 4;
const SLOTS = 16;

export function _start(): void {
  println("intruder: I hold no device handle; guessing " + (GENERATIONS * SLOTS).toString()
    + " handle values to write to the UART anyway");
  const codes = new Array<i32>();
  const counts = new Array<i32>();
  let reached = 0;
  // Handle values are (generation << 10) | slot: try the first generations of the first slots.
  for (let gen = 1; gen <= GENERATIONS; gen++) {
    for (let slot = 0; slot < SLOTS; slot++) {
      const r = devWrite((gen << 10) | slot, 0, 0x21);
      if (r >= 0) {
        reached++;
        continue;
      }
      const i = codes.indexOf(r);
      if (i >= 0) counts[i]++;
      else {
        codes.push(r);
        counts.push(1);
      }
    }
  }
  let refused = "";
  for (let i = 0; i < codes.length; i++) {
    refused += (i > 0 ? ", " : "") + counts[i].toString() + " " + errorName(codes[i]);
  }
  const tries = GENERATIONS * SLOTS;
  println("intruder: the kernel refused " + (tries - reached).toString() + " of " + tries.toString()
    + (refused.length > 0 ? " (" + refused + ")" : ""));
  if (reached == 0) println("intruder: no write reached a device: the capability wall held (exit 0)");
  else println("intruder: " + reached.toString() + " writes reached a device! (exit " + reached.toString() + ")");
  processExit(reached);
}
