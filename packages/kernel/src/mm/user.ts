// User memory, treated as an allegation until checked — and the one module
// that moves bytes between the kernel and a process (the HAL's copy_from_user,
// copy_to_user and copy_between are called here and nowhere else).
//
// A pointer from a process is just a number. Before the kernel acts on it,
// `inRange` checks that ptr..ptr+len lies inside that process's memory
// (computed in 64 bits, so ptr + len cannot wrap); the front door does this
// for every pointer before any subsystem runs. WebAssembly memories never
// shrink, so a range checked at the start of a syscall (or a wait) stays
// valid, and a copy should not fail afterwards — but if the HAL cannot do it,
// that is never ignored:
// - every failed copy marks the process's current syscall (Process.userFault),
//   and the front door, or the end of the wait the process is in, returns
//   ERR_FAULT instead of the result — whether or not the code that copied
//   looked at the outcome;
// - reads also say so at once (`fetch` and `copyBytes` return null, `copyIn`
//   false), so the code stops before it acts on bytes it did not get.
// Growing a process's memory (MEM_GROW) is here too: it is charged to the
// process's account before the HAL grows it.

import * as hal from '../hal';
import { ERR_NO_MEMORY } from '../../../abi/assembly/index';
import { canCharge, chargeMemory } from '../account';
import { Process } from '../process/process';

/** Kernel staging area for argument blocks and small copies. */
const scratch = new Uint8Array(4096);
const word = new Uint8Array(8);

/** Largest block `fetch` copies in one go. */
export const FETCH_MAX: u32 = 4096;

/** Does ptr..ptr+len lie inside p's memory? (len 0 is always fine) */
export function inRange(p: Process, ptr: u32, len: u64): bool {
  if (len == 0) return true;
  return <u64>ptr + len <= <u64>hal.mem_size(p.pid);
}

/** A block of user memory copied into the kernel by `fetch`; valid until the next fetch. */
export class Block {
  /** Kernel address of the copy (for passing its bytes on, e.g. into the trace). */
  get at(): usize {
    return scratch.dataStart;
  }

  /** The u32 at a byte offset of the block. */
  u32(offset: u32): u32 {
    return load<u32>(scratch.dataStart + offset);
  }
}

const fetched = new Block();

/**
 * Check and copy len (<= FETCH_MAX) bytes of p's memory at ptr into the
 * kernel; null if they are not p's to give. The HAL is asked even for 0
 * bytes, and refuses a pointer outside the memory then too.
 */
export function fetch(p: Process, ptr: u32, len: u32): Block | null {
  assert(len <= FETCH_MAX);
  if (!inRange(p, ptr, len)) return null;
  if (hal.copy_from_user(p.pid, ptr, scratch.dataStart, len) != 0) {
    p.userFault = true;
    return null;
  }
  return fetched;
}

/** Copy len checked bytes of p's memory at ptr to kernel address dst; false if the copy failed. */
export function copyIn(p: Process, ptr: u32, dst: usize, len: u32): bool {
  if (len == 0 || hal.copy_from_user(p.pid, ptr, dst, len) == 0) return true;
  p.userFault = true;
  return false;
}

/** Copy len checked bytes of p's memory into a new kernel array; null if the copy failed. */
export function copyBytes(p: Process, ptr: u32, len: u32): Uint8Array | null {
  const out = new Uint8Array(<i32>len);
  return copyIn(p, ptr, out.dataStart, len) ? out : null;
}

/** Copy len bytes at kernel address src to p's memory at a checked ptr; false if the copy failed. */
export function copyOut(p: Process, src: usize, ptr: u32, len: u32): bool {
  if (len == 0 || hal.copy_to_user(p.pid, src, ptr, len) == 0) return true;
  p.userFault = true;
  return false;
}

/** Write a u32 to a checked address of p (a failure ends p's syscall with FAULT). */
export function putU32(p: Process, ptr: u32, v: u32): void {
  store<u32>(word.dataStart, v);
  copyOut(p, word.dataStart, ptr, 4);
}

/** Write a u64 to a checked address of p. */
export function putU64(p: Process, ptr: u32, v: u64): void {
  store<u64>(word.dataStart, v);
  copyOut(p, word.dataStart, ptr, 8);
}

/** Write an f64 to a checked address of p. */
export function putF64(p: Process, ptr: u32, v: f64): void {
  store<f64>(word.dataStart, v);
  copyOut(p, word.dataStart, ptr, 8);
}

/**
 * Copy len checked bytes straight from one process's memory to another's
 * (the reply fast path); `from` is the process whose syscall this is, and its
 * syscall fails if the copy does. False if the copy failed.
 */
export function copyBetween(from: Process, src: u32, to: Process, dst: u32, len: u32): bool {
  if (len == 0 || hal.copy_between(from.pid, src, to.pid, dst, len) == 0) return true;
  from.userFault = true;
  return false;
}

/** Did a copy for p's current syscall fail? Clears the mark (the caller turns the result into ERR_FAULT). */
export function takeFault(p: Process): bool {
  const f = p.userFault;
  p.userFault = false;
  return f;
}

/** MEM_GROW: charge pages to p, then have the HAL grow its memory. The old size in pages, or ERR_NO_MEMORY. */
export function growMemory(p: Process, pages: u32): i32 {
  if (!canCharge(p, pages, 0)) return ERR_NO_MEMORY;
  const old = hal.mem_grow(p.pid, pages);
  if (old < 0) return ERR_NO_MEMORY;
  chargeMemory(p, pages);
  return old;
}
