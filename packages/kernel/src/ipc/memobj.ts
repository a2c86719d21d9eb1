// Memory objects: bytes that several processes share through handles. A
// WebAssembly memory cannot map another's pages, so sharing is by copy: READ
// and WRITE move bytes between the object and the caller's memory. The bytes
// live in the kernel and are charged to the creator's quota.

import { OBJ_MEMORY, OBJECT_BYTES, HANDLE_BYTES, ERR_FAULT } from '../../../abi/assembly/index';
import { KObject } from '../object';
import { canCharge, chargeObject } from '../account';
import { newRootHandle } from '../cap/ops';
import { Process } from '../process/process';
import { copyIn, copyOut } from '../mm/user';

export class MemoryObject extends KObject {
  bytes: Uint8Array;
  constructor(size: u32) {
    super(OBJ_MEMORY);
    this.bytes = new Uint8Array(<i32>size);
  }
}

/** Create a memory object of size bytes charged to p; returns the handle value, or 0 when over quota. */
export function memobjCreate(p: Process, size: u32, rights: u32): i32 {
  const cost = OBJECT_BYTES + size;
  if (!canCharge(p, 0, cost + HANDLE_BYTES)) return 0;
  const m = new MemoryObject(size);
  chargeObject(p, m, cost);
  return newRootHandle(p, m, rights);
}

/** Copy len bytes at offset out to the caller (range checked by the front door). */
export function memobjRead(p: Process, m: MemoryObject, offset: u32, dst: u32, len: u32): i32 {
  return copyOut(p, m.bytes.dataStart + offset, dst, len) ? <i32>len : ERR_FAULT;
}

/** Copy len bytes from the caller into the object at offset. */
export function memobjWrite(p: Process, m: MemoryObject, offset: u32, src: u32, len: u32): i32 {
  return copyIn(p, src, m.bytes.dataStart + offset, len) ? <i32>len : ERR_FAULT;
}
