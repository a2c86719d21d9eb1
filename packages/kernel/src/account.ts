// Accounts: every process pays, in 64 KiB pages, against its quota and
// against the system budget, for what it causes the machine to hold.
//
// A process is charged for its linear memory (pages the HAL gave it) and for
// the kernel objects it created (their bytes, rounded up to whole pages). A
// charge that would push a process over its quota, or the system over its
// budget, is refused before anything is allocated, so a process that leaks
// stops at its own limit and cannot starve the others. An object remembers
// who paid for it, and the capability layer refunds that account when the
// object dies.

import { PAGE_SIZE, TR_PAGE_CHARGE, TR_PAGE_RELEASE } from '../../abi/assembly/index';
import { Config } from './clock';
import { emit } from './trace';
import { Actor, KObject } from './object';

/** Pages charged system-wide. */
export let budgetUsed: u32 = 0;

function pagesFor(memPages: u32, objectBytes: u32): u32 {
  return memPages + <u32>((<u64>objectBytes + PAGE_SIZE - 1) / PAGE_SIZE);
}

/** Would adding memPages and objectBytes to p stay within its quota and the budget? */
export function canCharge(p: Actor, memPages: u32, objectBytes: u32): bool {
  const newMem = <u64>p.memPages + memPages;
  const newObj = <u64>p.objectBytes + objectBytes;
  if (newObj > <u64>u32.MAX_VALUE || newMem > <u64>p.quotaPages) return false;
  const used = pagesFor(<u32>newMem, <u32>newObj);
  if (used > p.quotaPages) return false;
  return <u64>budgetUsed - p.usedPages + used <= <u64>Config.budgetPages;
}

/** Recompute p's page count after a change and record it in the trace. */
function settle(p: Actor): void {
  const used = pagesFor(p.memPages, p.objectBytes);
  if (used == p.usedPages) return;
  const grew = used > p.usedPages;
  budgetUsed = budgetUsed - p.usedPages + used;
  const delta = grew ? used - p.usedPages : p.usedPages - used;
  p.usedPages = used;
  emit(grew ? TR_PAGE_CHARGE : TR_PAGE_RELEASE, p.pid, p.cpu, <i32>delta, <i32>used, <i32>budgetUsed);
}

/** Charge linear-memory pages (caller checked canCharge). */
export function chargeMemory(p: Actor, pages: u32): void {
  p.memPages += pages;
  settle(p);
}

/** Release all of p's linear memory (it exited). */
export function releaseMemory(p: Actor): void {
  p.memPages = 0;
  settle(p);
}

/** Charge kernel bytes (objects, queued payloads) to p (caller checked canCharge). */
export function chargeBytes(p: Actor, bytes: u32): void {
  p.objectBytes += bytes;
  settle(p);
}

/** Give kernel bytes back to p. */
export function releaseBytes(p: Actor, bytes: u32): void {
  p.objectBytes -= bytes;
  settle(p);
}

/** Charge an object's bytes to its creator (caller checked canCharge). */
export function chargeObject(p: Actor, obj: KObject, bytes: u32): void {
  obj.payer = p;
  obj.chargedBytes = bytes;
  chargeBytes(p, bytes);
}

/** Give an object's bytes back to whoever paid for it (the object died). */
export function refundObject(obj: KObject): void {
  const p = obj.payer;
  if (p === null) return;
  const bytes = obj.chargedBytes;
  obj.payer = null;
  obj.chargedBytes = 0;
  releaseBytes(p, bytes);
}
