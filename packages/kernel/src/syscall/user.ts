// User memory, treated as an allegation until checked.
//
// A pointer from a process is just a number. Before the kernel acts on it,
// `userRange` checks that ptr..ptr+len lies inside that process's memory
// (computed in 64 bits, so ptr + len cannot wrap). Only then do the copy
// helpers ask the HAL to move bytes. WebAssembly memories never shrink, so a
// range checked at the start of a syscall (or a wait) stays valid.

import * as hal from '../hal';
import { Process } from '../process/process';

/** Kernel staging area for argument blocks and small copies. */
export const scratch = new Uint8Array(4096);
const word = new Uint8Array(8);

/** Does ptr..ptr+len lie inside p's memory? (len 0 is always fine) */
export function userRange(p: Process, ptr: u32, len: u64): bool {
  if (len == 0) return true;
  return <u64>ptr + len <= <u64>hal.mem_size(p.pid);
}

/** Read a u32 from a checked user address (0 if the HAL copy fails). */
export function getU32(p: Process, ptr: u32): u32 {
  store<u32>(word.dataStart, 0);
  hal.copy_from_user(p.pid, ptr, word.dataStart, 4);
  return load<u32>(word.dataStart);
}

/** Write a u32 to a checked user address. */
export function putU32(p: Process, ptr: u32, v: u32): void {
  store<u32>(word.dataStart, v);
  hal.copy_to_user(p.pid, word.dataStart, ptr, 4);
}

/** Write an f64 to a checked user address. */
export function putF64(p: Process, ptr: u32, v: f64): void {
  store<f64>(word.dataStart, v);
  hal.copy_to_user(p.pid, word.dataStart, ptr, 8);
}

/** Copy len (<= scratch size) checked bytes into scratch; false if the HAL copy fails. */
export function fetch(p: Process, ptr: u32, len: u32): bool {
  assert(len <= <u32>scratch.length);
  return hal.copy_from_user(p.pid, ptr, scratch.dataStart, len) == 0;
}

/** A u32 field of the block last fetched into scratch. */
export function field(offset: i32): u32 {
  return load<u32>(scratch.dataStart + offset);
}

/** Copy len checked bytes of user memory into a new kernel array. */
export function copyBytes(p: Process, ptr: u32, len: u32): Uint8Array {
  const out = new Uint8Array(<i32>len);
  if (len > 0) hal.copy_from_user(p.pid, ptr, out.dataStart, len);
  return out;
}
