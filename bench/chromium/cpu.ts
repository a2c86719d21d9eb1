// CPU time of processes, read from Linux's /proc: how much of a core a
// process tree (a browser with its renderer, GPU and utility processes, or
// the `oncrix` CLI with its Worker threads) uses while it should be doing
// nothing. /proc/PID/stat counts every thread of a process, so Workers are
// included.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU counters. */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Fields of /proc/PID/stat after the command name (which may hold spaces): state is [0], ppid [1], utime [11], stime [12]. */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // the process has ended
  }
}

/** CPU seconds (user + system, all threads) a process has used so far; 0 once it has ended. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f === null ? 0 : (Number(f[11]) + Number(f[12])) / TICKS;
}

/** pid and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f === null) continue;
    const ppid = Number(f[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const walk = (pid: number): void => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** The command line of a process (arguments joined by spaces), or ''. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * Percent of one core the processes use over `ms` (the processes are
 * re-listed at the end, so one started meanwhile is counted from its start).
 */
export async function corePercent(pids: () => number[], ms: number): Promise<number> {
  const before = new Map(pids().map((p) => [p, cpuSeconds(p)]));
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const seconds = (performance.now() - t0) / 1000;
  let used = 0;
  for (const p of pids()) used += cpuSeconds(p) - (before.get(p) ?? 0);
  return (100 * used) / seconds;
}

/** CPU seconds so far of every thread of the processes, keyed "process-type/thread-name/tid". */
export function threadSeconds(pids: number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of pids) {
    const type = /--type=(\S+)/.exec(commandLine(pid))?.[1] ?? 'browser';
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const t = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = t.slice(t.indexOf('(') + 1, t.lastIndexOf(')'));
        const f = t.slice(t.lastIndexOf(')') + 2).split(' ');
        out.set(`${type}/${name}/${tid}`, (Number(f[11]) + Number(f[12])) / TICKS);
      } catch {
        // the thread has ended
      }
    }
  }
  return out;
}
