// liboncrix: memory objects — bytes shared between processes through handles.
//
// A memory object is charged to its creator. Reading and writing copy between
// it and this program's memory; offsets and lengths must stay inside it.

import { SYS_MEMOBJ_CREATE, SYS_MEMOBJ_READ, SYS_MEMOBJ_WRITE, SYS_MEMOBJ_SIZE } from "../../abi/assembly/index";
import { syscall, outWord } from "./sys";
import { Handle } from "./handles";

/** A new memory object of `size` bytes (zeroed); or an error. */
export function memobjCreate(size: i32): Handle {
  const r = syscall(SYS_MEMOBJ_CREATE, size, <i32>outWord, 0, 0, 0, 0);
  return r < 0 ? r : load<i32>(outWord);
}

/** Copy len bytes at offset out of the object into dst. */
export function memobjRead(h: Handle, offset: i32, dst: usize, len: i32): i32 {
  return syscall(SYS_MEMOBJ_READ, h, offset, <i32>dst, len, 0, 0);
}

/** Copy len bytes from src into the object at offset. */
export function memobjWrite(h: Handle, offset: i32, src: usize, len: i32): i32 {
  return syscall(SYS_MEMOBJ_WRITE, h, offset, <i32>src, len, 0, 0);
}

/** Size of the object in bytes; or an error. */
export function memobjSize(h: Handle): i32 {
  return syscall(SYS_MEMOBJ_SIZE, h, 0, 0, 0, 0, 0);
}
