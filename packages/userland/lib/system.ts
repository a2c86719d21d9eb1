// liboncrix: the small system calls — the null call, the trace log, the
// clock, and this process's memory.
//
// Growing memory: call `memory.grow` as usual. The loader turns it into
// `oncrix.grow`, which charges the quota first (MEM_GROW) and returns -1 when
// the quota or the system budget says no. `memGrow` is the raw syscall.

import {
  SYS_NULL, SYS_DEBUG_LOG, SYS_SYSTEM_PANIC, SYS_CLOCK_GET, SYS_MEM_GROW, SYS_MEM_INFO, SYS_STARTUP_INFO, LOG_MAX_BYTES,
  MEM_INFO_SIZE, MEM_INFO_QUOTA_PAGES, MEM_INFO_USED_PAGES, MEM_INFO_MEMORY_PAGES, MEM_INFO_OBJECT_BYTES,
  MEM_INFO_BUDGET_PAGES, MEM_INFO_BUDGET_USED,
} from "../../abi/assembly/index";
import { syscall } from "./sys";

/** Do nothing in the kernel and return 0 (measures the bare syscall path). */
export function nullCall(): i32 {
  return syscall(SYS_NULL, 0, 0, 0, 0, 0, 0);
}

/** Put text into the kernel trace (the first LOG_MAX_BYTES bytes of its UTF-8). Returns the bytes logged. */
export function debugLog(text: string): i32 {
  const utf8 = String.UTF8.encode(text);
  const len = min(utf8.byteLength, LOG_MAX_BYTES);
  return syscall(SYS_DEBUG_LOG, <i32>changetype<usize>(utf8), len, 0, 0, 0, 0);
}

/**
 * Stop the machine with a panic carrying `text` (its first LOG_MAX_BYTES
 * bytes): init's answer to a critical program's death. `root` is init's own
 * handle with MANAGE; anyone else gets INVALID_ARGS. Returns only on error.
 */
export function systemPanic(root: i32, text: string): i32 {
  const utf8 = String.UTF8.encode(text);
  return syscall(SYS_SYSTEM_PANIC, root, <i32>changetype<usize>(utf8), min(utf8.byteLength, LOG_MAX_BYTES), 0, 0, 0);
}

const clockBlock = memory.data(8);

/** Monotonic time in nanoseconds (virtual in deterministic mode). */
export function clockNs(): f64 {
  const r = syscall(SYS_CLOCK_GET, <i32>clockBlock, 0, 0, 0, 0, 0);
  return r < 0 ? <f64>r : load<f64>(clockBlock);
}

/** Monotonic time in microseconds. */
export function clockUs(): f64 {
  return clockNs() / 1000;
}

/** Raw MEM_GROW: charge and grow by `pages`; returns the old size in pages or an error. Prefer `memory.grow`. */
export function memGrow(pages: i32): i32 {
  return syscall(SYS_MEM_GROW, pages, 0, 0, 0, 0, 0);
}

/** This process's memory accounting and the system budget. */
export class MemInfo {
  quotaPages: i32 = 0;
  usedPages: i32 = 0;
  memoryPages: i32 = 0;
  objectBytes: i32 = 0;
  budgetPages: i32 = 0;
  budgetUsed: i32 = 0;
}

const memBlock = memory.data(MEM_INFO_SIZE);

export function memInfo(out: MemInfo): i32 {
  const r = syscall(SYS_MEM_INFO, <i32>memBlock, 0, 0, 0, 0, 0);
  if (r < 0) return r;
  out.quotaPages = load<i32>(memBlock + MEM_INFO_QUOTA_PAGES);
  out.usedPages = load<i32>(memBlock + MEM_INFO_USED_PAGES);
  out.memoryPages = load<i32>(memBlock + MEM_INFO_MEMORY_PAGES);
  out.objectBytes = load<i32>(memBlock + MEM_INFO_OBJECT_BYTES);
  out.budgetPages = load<i32>(memBlock + MEM_INFO_BUDGET_PAGES);
  out.budgetUsed = load<i32>(memBlock + MEM_INFO_BUDGET_USED);
  return r;
}

/** Raw STARTUP_INFO: write the startup block if it fits cap; returns its full size. See startup.ts. */
export function startupInfo(buf: usize, cap: i32): i32 {
  return syscall(SYS_STARTUP_INFO, <i32>buf, cap, 0, 0, 0, 0);
}
