// intruder: a program for teaching isolation. It was given no capabilities,
// yet tries to reach the UART anyway — by guessing handle values, the way a
// process in a system with ambient authority might guess a device number.
// Every attempt is refused by the kernel's front door (BAD_HANDLE), and the
// trace shows each refused call. It exits with the number of attempts that
// were *not* refused, so 0 means the capability wall held.

import { devWrite, processExit } from "../lib/index";

export function _start(): void {
  let reached = 0;
  // Handle values are (generation << 10) | slot: try the first generations of the first slots.
  for (let gen = 1; gen <= 4; gen++) {
    for (let slot = 0; slot < 16; slot++) {
      if (devWrite((gen << 10) | slot, 0, 0x21) >= 0) reached++;
    }
  }
  processExit(reached);
}
