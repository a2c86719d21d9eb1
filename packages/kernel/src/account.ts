// Accounts: every process pays, in 64 KiB pages, against its quota and
// against the system budget, for what it causes the machine to hold.
//
// A process is charged for its linear memory (pages the HAL gave it) and for
// every kernel allocation it causes: its own record and handle table
// (PROCESS_BYTES), each object it created (OBJECT_BYTES, plus the bytes of a
// memory object), each handle it holds (HANDLE_BYTES; a handle in flight is
// still its sender's), each message it queued (MESSAGE_BYTES plus the
// payload, until the message is read or dropped). Its own pages are memory
// plus those bytes rounded up; the system budget counts own pages.
//
// Quotas nest. A child's quota is taken out of its parent's at spawn
// (`childPages`), so a process, its children and theirs can never hold more
// than the quota it was given. When a process exits, its quota shrinks to
// what it still holds (objects others keep alive) and the rest goes back to
// its sponsor; as those objects die it shrinks further, down to nothing.
//
// A charge that would pass the process quota, the system budget or the
// kernel memory the HAL can give is refused before anything is allocated,
// with a LIMIT trace record naming the limit, so a process that leaks stops
// at its own limit and cannot starve the others. Nominal sizes are charged,
// not measured ones; the kernel memory limit keeps KERNEL_SLACK times the
// charged bytes, plus a reserve for cleanup, within what the HAL can give
// (the runtime's garbage collector lets freed memory linger for a while).

import {
  PAGE_SIZE, HANDLE_BYTES, TR_PAGE_CHARGE, TR_PAGE_RELEASE, TR_LIMIT, LIMIT_QUOTA, LIMIT_BUDGET, LIMIT_KERNEL_MEMORY,
} from '../../abi/assembly/index';
import { Config } from './clock';
import { emit } from './trace';
import { Actor, Handle, KObject } from './object';

/** Pages charged system-wide (own pages of every account). */
export let budgetUsed: u32 = 0;

/** Kernel bytes charged to all accounts. */
export let kernelBytes: u64 = 0;

/** How many bytes of kernel memory a charged byte may take at worst (the object, its allocator header, garbage not yet collected). */
const KERNEL_SLACK: u64 = 3;
/** Kernel memory never charged to anyone: what teardown and the trace may allocate. */
const RESERVE_PAGES: u64 = 16;

/** The most kernel bytes the accounts may be charged (set at boot from BootInfo.kernelPages). */
let kernelLimit: u64 = u64.MAX_VALUE;

/** Fix the kernel memory limit once init has built its first objects: `pages` is what the HAL can give (0: no limit known). */
export function setKernelLimit(pages: u32): void {
  if (pages == 0) return;
  const used = <u64>memory.size() + RESERVE_PAGES;
  kernelLimit = <u64>pages > used ? (<u64>pages - used) * PAGE_SIZE / KERNEL_SLACK : 0;
}

function pagesFor(memPages: u32, objectBytes: u32): u32 {
  return memPages + <u32>((<u64>objectBytes + PAGE_SIZE - 1) / PAGE_SIZE);
}

/** Record that `limit` refused `asked` more for payer (used and max in the same unit). */
export function refused(limit: i32, payer: Actor | null, asked: u64, used: u64, max: u64): void {
  emit(TR_LIMIT, payer !== null ? payer.pid : 0, payer !== null ? payer.cpu : -1, limit, payer !== null ? payer.pid : 0,
    <i32>min<u64>(asked, <u64>i32.MAX_VALUE), <i32>min<u64>(used, <u64>i32.MAX_VALUE), <i32>min<u64>(max, <u64>i32.MAX_VALUE));
}

/**
 * Would adding memPages and objectBytes to p, and holding `reserve` more
 * pages for a child, stay within its quota, the budget and kernel memory?
 * If not, a LIMIT record says which limit refused.
 */
export function canCharge(p: Actor, memPages: u32, objectBytes: u32, reserve: u32 = 0): bool {
  const newMem = <u64>p.memPages + memPages;
  const newObj = <u64>p.objectBytes + objectBytes;
  const held = <u64>p.usedPages + p.childPages;
  if (newObj > <u64>u32.MAX_VALUE || newMem > <u64>p.quotaPages) {
    refused(LIMIT_QUOTA, p, <u64>memPages + reserve, held, p.quotaPages);
    return false;
  }
  const used = pagesFor(<u32>newMem, <u32>newObj);
  if (<u64>used + p.childPages + reserve > <u64>p.quotaPages) {
    refused(LIMIT_QUOTA, p, <u64>used - p.usedPages + reserve, held, p.quotaPages);
    return false;
  }
  if (<u64>budgetUsed - p.usedPages + used > <u64>Config.budgetPages) {
    refused(LIMIT_BUDGET, p, used - p.usedPages, budgetUsed, Config.budgetPages);
    return false;
  }
  if (objectBytes > 0 && kernelBytes + objectBytes > kernelLimit) {
    refused(LIMIT_KERNEL_MEMORY, p, objectBytes, kernelBytes, kernelLimit);
    return false;
  }
  return true;
}

/** Recompute p's page count after a change and record it in the trace; an ended account gives back what it no longer holds. */
function settle(p: Actor): void {
  const used = pagesFor(p.memPages, p.objectBytes);
  if (used != p.usedPages) {
    const grew = used > p.usedPages;
    budgetUsed = budgetUsed - p.usedPages + used;
    const delta = grew ? used - p.usedPages : p.usedPages - used;
    p.usedPages = used;
    emit(grew ? TR_PAGE_CHARGE : TR_PAGE_RELEASE, p.pid, p.cpu, <i32>delta, <i32>used, <i32>budgetUsed);
  }
  if (p.ended) shrink(p);
}

/** An ended account's quota is what it still holds; the difference goes back up its chain of sponsors. */
function shrink(p: Actor): void {
  let a: Actor | null = p;
  while (a !== null && a.ended) {
    const keep = a.usedPages + a.childPages;
    if (keep >= a.quotaPages) return;
    const back = a.quotaPages - keep;
    a.quotaPages = keep;
    const s = a.sponsor;
    if (s !== null) s.childPages -= back;
    if (keep == 0) a.sponsor = null;
    a = s;
  }
}

/** Hold a child's whole quota in its parent's account (the spawn checked canCharge with that reserve). */
export function sponsorChild(parent: Actor, child: Actor): void {
  parent.childPages += child.quotaPages;
  child.sponsor = parent;
}

/** `child`'s quota moves from its sponsor (which is ending) to the sponsor's own sponsor; nothing changes above. */
export function passToGrandparent(child: Actor): void {
  const s = child.sponsor;
  if (s === null) return;
  const q = child.quotaPages;
  s.childPages -= q;
  s.quotaPages -= q;
  const up = s.sponsor;
  child.sponsor = up;
}

/** p exited: from now on its quota is only what it still holds. */
export function endAccount(p: Actor): void {
  p.ended = true;
  shrink(p);
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

/** Charge kernel bytes (objects, queued messages) to p (caller checked canCharge). */
export function chargeBytes(p: Actor, bytes: u32): void {
  p.objectBytes += bytes;
  kernelBytes += bytes;
  settle(p);
}

/** Give kernel bytes back to p. */
export function releaseBytes(p: Actor, bytes: u32): void {
  p.objectBytes -= bytes;
  kernelBytes -= bytes;
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

/** p now pays for handle h (it made it, or h entered its table; the caller checked canCharge). The old payer, if any, is refunded. */
export function payForHandle(p: Actor, h: Handle): void {
  const old = h.payer;
  if (old === p) return;
  if (old !== null) releaseBytes(old, HANDLE_BYTES);
  h.payer = p;
  chargeBytes(p, HANDLE_BYTES);
}

/** Handle h closed: refund whoever paid for it. */
export function refundHandle(h: Handle): void {
  const p = h.payer;
  if (p === null) return;
  h.payer = null;
  releaseBytes(p, HANDLE_BYTES);
}
