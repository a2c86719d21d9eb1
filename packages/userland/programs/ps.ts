// ps: list every process — one aligned line each, as wide as the terminal
// (the console reports its width): in a narrow one the name column gets
// shorter, then the CPU and memory columns go, so no line wraps. GEN is the
// generation: how many times init has restarted that program (0: its first
// instance), so a restarted driver is told from the one before it.
//
// Needs the SYSTEM handle (init, INSPECT only): PROCESS_LIST on it returns
// init and all its descendants. Without it, ps lists what its own SELF handle
// can see (itself and its children).

import { TAG_SYSTEM, TAG_SELF } from "../../abi/assembly/index";
import {
  println, startup, processList, ProcessInfo, stateName, errorName, padLeft, padRight, fixed, processExit, consoleColumns,
} from "../lib/index";

/** Column widths: the name's, and whether the memory and CPU columns fit. */
let nameW = 17;
let showMem = true;
let showCpu = true;
const NAME_MIN = 6;

/** Fit the columns into `cols` characters: shorten the name, then leave out CPU, then memory. */
function fit(cols: i32): void {
  const width = (): i32 => 4 + 6 + 2 + nameW + 4 + 9 + 3 + (showMem ? 10 : 0) + (showCpu ? 12 : 0);
  while (width() > cols) {
    if (nameW > NAME_MIN) nameW--;
    else if (showCpu) showCpu = false;
    else if (showMem) showMem = false;
    else break;
  }
}

function row(pid: string, ppid: string, name: string, gen: string, state: string, pri: string, mem: string, cpu: string): string {
  const shown = name.length < nameW ? name : name.slice(0, nameW - 2) + "~";
  return padLeft(pid, 4) + padLeft(ppid, 6) + "  " + padRight(shown, nameW) + padRight(gen, 4) + padRight(state, 9) + padLeft(pri, 3) +
    (showMem ? padLeft(mem, 10) : "") + (showCpu ? padLeft(cpu, 12) : "");
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
  fit(consoleColumns());
  println(row("PID", "PPID", "NAME", "GEN", "STATE", "PRI", "MEM", "CPU µs"));
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    const mem = p.usedPages.toString() + "/" + p.quotaPages.toString();
    println(row(p.pid.toString(), p.parent.toString(), p.name, p.generation.toString(), stateName(p.state), p.priority.toString(), mem,
      fixed(p.cpuTimeUs, 0)));
  }
}
