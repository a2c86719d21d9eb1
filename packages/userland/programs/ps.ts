// ps: list every process — one aligned line each.
//
// Needs the SYSTEM handle (init, INSPECT only): PROCESS_LIST on it returns
// init and all its descendants. Without it, ps lists what its own SELF handle
// can see (itself and its children).

import { TAG_SYSTEM, TAG_SELF } from "../../abi/assembly/index";
import {
  println, startup, processList, ProcessInfo, stateName, errorName, padLeft, padRight, fixed, processExit,
} from "../lib/index";

function row(pid: string, ppid: string, name: string, state: string, pri: string, mem: string, cpu: string): string {
  return padLeft(pid, 4) + padLeft(ppid, 6) + "  " + padRight(name, 17) + padRight(state, 9) + padLeft(pri, 3) +
    padLeft(mem, 10) + padLeft(cpu, 12);
}

export function _start(): void {
  const s = startup();
  let h = s.handle(TAG_SYSTEM);
  if (h <= 0) h = s.handle(TAG_SELF);
  if (h <= 0) {
    println("ps: no process handle to inspect (needs SYSTEM)");
    processExit(1);
  }
  const list = new Array<ProcessInfo>();
  const n = processList(h, list);
  if (n < 0) {
    println("ps: " + errorName(n));
    processExit(1);
  }
  println(row("PID", "PPID", "NAME", "STATE", "PRI", "MEM", "CPU µs"));
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    const mem = p.usedPages.toString() + "/" + p.quotaPages.toString();
    println(row(p.pid.toString(), p.parent.toString(), p.name, stateName(p.state), p.priority.toString(), mem,
      fixed(p.cpuTimeUs, 0)));
  }
}
