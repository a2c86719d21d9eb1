// Writers of the information records the ABI defines (HandleInfo,
// ProcessInfo, MemInfo, the startup block). Every destination was checked by
// the front door; these lay the bytes out in a kernel block and copy it out
// in one go (mm/user.ts: a failed copy fails the syscall).

import {
  HANDLE_INFO_SIZE, HANDLE_INFO_HANDLE, HANDLE_INFO_TYPE, HANDLE_INFO_RIGHTS, HANDLE_INFO_KOID,
  PROCESS_INFO_SIZE, PROCESS_INFO_PID, PROCESS_INFO_PARENT, PROCESS_INFO_STATE, PROCESS_INFO_PRIORITY,
  PROCESS_INFO_EXIT_CODE, PROCESS_INFO_QUOTA_PAGES, PROCESS_INFO_USED_PAGES, PROCESS_INFO_HANDLES,
  PROCESS_INFO_CPU_TIME_US, PROCESS_INFO_SYSCALLS, PROCESS_INFO_IMAGE, PROCESS_INFO_NAME, PROCESS_INFO_GENERATION, NAME_MAX,
  MEM_INFO_SIZE, MEM_INFO_QUOTA_PAGES, MEM_INFO_USED_PAGES, MEM_INFO_MEMORY_PAGES, MEM_INFO_OBJECT_BYTES,
  MEM_INFO_BUDGET_PAGES, MEM_INFO_BUDGET_USED, MEM_INFO_CHILD_PAGES, STARTUP_HEADER_SIZE, STARTUP_HEADER_NUM_HANDLES,
  STARTUP_HEADER_ARGS_LEN, STARTUP_HANDLE_SIZE, STARTUP_HANDLE_HANDLE, STARTUP_HANDLE_TAG, PS_RUNNING,
} from '../../../abi/assembly/index';
import { Config, now } from '../clock';
import { budgetUsed } from '../account';
import { Handle } from '../object';
import { Process, processes } from '../process/process';
import { copyOut, putU32 } from '../mm/user';
import { descends } from '../process/lifecycle';

const block = new Uint8Array(PROCESS_INFO_SIZE);

export function writeHandleInfo(p: Process, out: u32, h: Handle): void {
  const b = block.dataStart;
  store<u32>(b + HANDLE_INFO_HANDLE, <u32>h.value);
  store<u32>(b + HANDLE_INFO_TYPE, <u32>h.obj.type);
  store<u32>(b + HANDLE_INFO_RIGHTS, h.rights);
  store<u32>(b + HANDLE_INFO_KOID, <u32>h.obj.koid);
  copyOut(p, b, out, HANDLE_INFO_SIZE);
}

export function writeProcessInfo(p: Process, out: u32, q: Process): void {
  const b = block.dataStart;
  memory.fill(b, 0, PROCESS_INFO_SIZE);
  const parent = q.parent;
  store<u32>(b + PROCESS_INFO_PID, <u32>q.pid);
  store<u32>(b + PROCESS_INFO_PARENT, parent !== null ? <u32>parent.pid : 0);
  store<u32>(b + PROCESS_INFO_STATE, <u32>q.state);
  store<u32>(b + PROCESS_INFO_PRIORITY, <u32>q.priority);
  store<i32>(b + PROCESS_INFO_EXIT_CODE, q.exitCode);
  store<u32>(b + PROCESS_INFO_QUOTA_PAGES, q.quotaPages);
  store<u32>(b + PROCESS_INFO_USED_PAGES, q.usedPages);
  store<u32>(b + PROCESS_INFO_HANDLES, <u32>q.table.count);
  const running = q.state == PS_RUNNING ? now() - q.sliceStart : 0;
  store<f64>(b + PROCESS_INFO_CPU_TIME_US, Math.floor((q.cpuNs + running) / 1000));
  store<u32>(b + PROCESS_INFO_SYSCALLS, q.syscalls);
  store<u32>(b + PROCESS_INFO_IMAGE, q.image);
  store<u32>(b + PROCESS_INFO_GENERATION, q.generation);
  const name = String.UTF8.encode(q.name);
  memory.copy(b + PROCESS_INFO_NAME, changetype<usize>(name), min<u32>(<u32>name.byteLength, <u32>NAME_MAX));
  copyOut(p, b, out, PROCESS_INFO_SIZE);
}

/** ProcessInfo of root and its descendants, in pid order; returns how many exist (writes at most cap). */
export function listProcesses(p: Process, root: Process, out: u32, cap: u32): i32 {
  let n: u32 = 0;
  const all = processes.values();
  for (let i = 0; i < all.length; i++) {
    const q = all[i];
    if (!descends(q, root)) continue;
    if (n < cap) writeProcessInfo(p, out + n * PROCESS_INFO_SIZE, q);
    n++;
  }
  return <i32>n;
}

export function writeMemInfo(p: Process, out: u32): void {
  const b = block.dataStart;
  store<u32>(b + MEM_INFO_QUOTA_PAGES, p.quotaPages);
  store<u32>(b + MEM_INFO_USED_PAGES, p.usedPages);
  store<u32>(b + MEM_INFO_MEMORY_PAGES, p.memPages);
  store<u32>(b + MEM_INFO_OBJECT_BYTES, p.objectBytes);
  store<u32>(b + MEM_INFO_BUDGET_PAGES, Config.budgetPages);
  store<u32>(b + MEM_INFO_BUDGET_USED, budgetUsed);
  store<u32>(b + MEM_INFO_CHILD_PAGES, p.childPages);
  copyOut(p, b, out, MEM_INFO_SIZE);
}

/** The startup block (header, tagged handles, argument bytes). Returns its size; writes it only if it fits cap. */
export function writeStartupInfo(p: Process, out: u32, cap: u32): i32 {
  const n = p.startupHandles.length;
  const argsLen = <u32>p.args.length;
  const total = <u32>STARTUP_HEADER_SIZE + <u32>n * STARTUP_HANDLE_SIZE + argsLen;
  if (total > cap) return <i32>total;
  putU32(p, out + STARTUP_HEADER_NUM_HANDLES, <u32>n);
  putU32(p, out + STARTUP_HEADER_ARGS_LEN, argsLen);
  let at = out + STARTUP_HEADER_SIZE;
  for (let i = 0; i < n; i++) {
    putU32(p, at + STARTUP_HANDLE_HANDLE, <u32>p.startupHandles[i]);
    putU32(p, at + STARTUP_HANDLE_TAG, <u32>p.startupTags[i]);
    at += STARTUP_HANDLE_SIZE;
  }
  copyOut(p, p.args.dataStart, at, argsLen);
  return <i32>total;
}
