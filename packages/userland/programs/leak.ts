// leak: grow memory until the quota says no.
//
// Each `memory.grow(1)` becomes the loader's `oncrix.grow`, which asks the
// kernel to charge one more 64 KiB page to this process first (MEM_GROW); at
// the quota it returns -1 and nothing grows. The rest of the system never
// notices.
//
// One subtlety: a queued console message is charged to its sender until the
// driver reads it, and kernel bytes are counted in whole pages. A process that
// filled its quota with memory could not even print. So leak first creates a
// small kernel object (a notification) as a reserve: its page of kernel bytes
// is charged up front, and the short messages below fit in that same page.

import {
  println, debugLog, processExit, notifyCreate, errorName,
} from "../lib/index";

const REPORT_EVERY = 4;

export function _start(): void {
  const reserve = notifyCreate();
  if (reserve < 0) debugLog("leak: no reserve for messages: " + errorName(reserve));
  let pages = 0;
  while (memory.grow(1) >= 0) {
    pages++;
    if (pages % REPORT_EVERY == 0) {
      println("leak: grew " + pages.toString() + " pages (memory is now " + memory.size().toString() + " pages)");
    }
  }
  println("leak: stopped by the quota after " + pages.toString() + " pages");
  processExit(1);
}
