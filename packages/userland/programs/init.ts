// init: the root task — reads the boot manifest, starts the system and
// supervises it.
//
// The kernel starts init with a handle to itself (every right, tag SELF) and
// one handle per boot device and interrupt line. Init grants exactly what the
// boot ROM (the encoded manifest, device DEVICE_BASE + 1) lists, nothing more:
//
//   1. read the ROM word by word and decode all of it first (init/rom.ts); a
//      bad magic, version or a truncated ROM is logged and init exits 1
//   2. create one channel per service (server end, client end), and mount
//      the filesystem services the manifest names (FD_MOUNT: the kernel's vfs
//      gets a client end); copy the image list into a read-only memory object
//      (the image table), and the start-up script, when the ROM ends with
//      one, into another (init/grant.ts)
//   3. spawn every program in order as a child of itself, with duplicates of
//      the handles its capabilities name, each with its tag (docs/userland.md)
//   4. supervise them (init/supervisor.ts): when one ends, log it and hold it,
//      or restart it with the same capabilities, or — for a critical one —
//      stop the machine; when the last session program (one granted
//      {"spawn": true}: the shell) ends for good, init ends with its code and
//      the HAL stops the machine
//
// Init keeps the original of every handle it grants (devices, interrupt
// lines, both ends of every service), so a service outlives its server and
// its clients, and a restarted program gets exactly what its first instance
// had.

import { TAG_SELF } from "../../abi/assembly/index";
import { startup, debugLog, processExit } from "../lib/index";
import { readRom, decode } from "./init/rom";
import { Grants } from "./init/grant";
import { Supervisor } from "./init/supervisor";

export function _start(): void {
  const self = startup().handle(TAG_SELF);
  if (self <= 0) {
    debugLog("init: no SELF handle");
    processExit(1);
  }
  const words = readRom();
  if (words === null) {
    processExit(1);
    return;
  }
  const m = decode(words);
  if (m === null) {
    processExit(1);
    return;
  }
  const grants = new Grants(self, m);
  if (!grants.createObjects()) processExit(1);
  new Supervisor(grants).run();
}
