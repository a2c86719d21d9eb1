// caps: list this process's own handles — its capabilities.
//
// One line per handle: value, object type, rights as letters (R read,
// W write, T transfer, D duplicate, A wait, S signal, M manage, P spawn,
// I inspect; "-" where absent) and the startup tag it came with. Run from the
// shell it shows exactly what the shell chose to give a child, nothing more.

import {
  println, handleList, HandleInfo, typeName, rightsLetters, startup, tagName, errorName, padLeft, padRight,
  processExit,
} from "../lib/index";

export function _start(): void {
  const list = new Array<HandleInfo>();
  const n = handleList(list);
  if (n < 0) {
    println("caps: " + errorName(n));
    processExit(1);
  }
  const s = startup();
  println(padLeft("HANDLE", 8) + "  " + padRight("TYPE", 13) + padRight("RIGHTS", 11) + "TAG");
  for (let i = 0; i < list.length; i++) {
    const h = list[i];
    println(padLeft(h.handle.toString(), 8) + "  " + padRight(typeName(h.type), 13) +
      padRight(rightsLetters(h.rights), 11) + tagName(s.tagOf(h.handle)));
  }
}
