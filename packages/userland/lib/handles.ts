// liboncrix: handles — close, duplicate, revoke, inspect.
//
// A handle is a positive i32 naming an entry of this process's handle table;
// 0 means "none", and a negative value returned where a handle was expected
// is an ERR_* code. Rights only shrink: a duplicate gets a subset.

import {
  SYS_HANDLE_CLOSE, SYS_HANDLE_DUPLICATE, SYS_HANDLE_REVOKE, SYS_HANDLE_INFO, SYS_HANDLE_LIST,
  MAX_HANDLES, HANDLE_INFO_SIZE, HANDLE_INFO_HANDLE, HANDLE_INFO_TYPE, HANDLE_INFO_RIGHTS, HANDLE_INFO_KOID,
  OBJ_PROCESS, OBJ_CHANNEL, OBJ_NOTIFICATION, OBJ_IRQ, OBJ_DEVICE, OBJ_MEMORY, OBJ_TIMER,
  RIGHT_READ, RIGHT_WRITE, RIGHT_TRANSFER, RIGHT_DUPLICATE, RIGHT_WAIT, RIGHT_SIGNAL, RIGHT_MANAGE,
  RIGHT_SPAWN, RIGHT_INSPECT,
} from "../../abi/assembly/index";
import { syscall, outWord } from "./sys";

/** A handle value (> 0), 0 for none; where returned, negative is an ERR_* code. */
export type Handle = i32;

export function handleClose(h: Handle): i32 {
  return syscall(SYS_HANDLE_CLOSE, h, 0, 0, 0, 0, 0);
}

/** A new handle to the same object with `rights` (a subset of h's); or an error. */
export function handleDuplicate(h: Handle, rights: i32): Handle {
  const r = syscall(SYS_HANDLE_DUPLICATE, h, rights, <i32>outWord, 0, 0, 0);
  return r < 0 ? r : load<i32>(outWord);
}

/** Close every handle derived from h, everywhere; returns how many. */
export function handleRevoke(h: Handle): i32 {
  return syscall(SYS_HANDLE_REVOKE, h, 0, 0, 0, 0, 0);
}

/** One handle as the kernel reports it. */
export class HandleInfo {
  handle: Handle = 0;
  type: i32 = 0;
  rights: i32 = 0;
  koid: i32 = 0;

  /** Fill from a HandleInfo record at p. */
  readFrom(p: usize): HandleInfo {
    this.handle = load<i32>(p + HANDLE_INFO_HANDLE);
    this.type = load<i32>(p + HANDLE_INFO_TYPE);
    this.rights = load<i32>(p + HANDLE_INFO_RIGHTS);
    this.koid = load<i32>(p + HANDLE_INFO_KOID);
    return this;
  }
}

const infoBlock = memory.data(HANDLE_INFO_SIZE);

export function handleInfo(h: Handle, out: HandleInfo): i32 {
  const r = syscall(SYS_HANDLE_INFO, h, <i32>infoBlock, 0, 0, 0, 0);
  if (r >= 0) out.readFrom(infoBlock);
  return r;
}

/** Every handle of this process, into `out` (cleared first). Returns the count or an error. */
export function handleList(out: Array<HandleInfo>): i32 {
  out.length = 0;
  let total = syscall(SYS_HANDLE_LIST, 0, 0, 0, 0, 0, 0);
  while (total >= 0) {
    // Room for a few more, in case the table grows meanwhile (the kernel takes at most MAX_HANDLES).
    const cap = min(total + 4, MAX_HANDLES);
    const buf = new ArrayBuffer(cap * HANDLE_INFO_SIZE);
    const p = changetype<usize>(buf);
    const n = syscall(SYS_HANDLE_LIST, <i32>p, cap, 0, 0, 0, 0);
    if (n < 0) return n;
    if (n <= cap || cap == MAX_HANDLES) {
      for (let i = 0; i < min(n, cap); i++) out.push(new HandleInfo().readFrom(p + <usize>(i * HANDLE_INFO_SIZE)));
      return n;
    }
    total = n;
  }
  return total;
}

/** The name of an object type (OBJ_*). */
export function typeName(type: i32): string {
  switch (type) {
    case OBJ_PROCESS: return "process";
    case OBJ_CHANNEL: return "channel";
    case OBJ_NOTIFICATION: return "notification";
    case OBJ_IRQ: return "irq";
    case OBJ_DEVICE: return "device";
    case OBJ_MEMORY: return "memory";
    case OBJ_TIMER: return "timer";
    default: return "type " + type.toString();
  }
}

const RIGHT_BITS: StaticArray<i32> = [
  RIGHT_READ, RIGHT_WRITE, RIGHT_TRANSFER, RIGHT_DUPLICATE, RIGHT_WAIT, RIGHT_SIGNAL, RIGHT_MANAGE, RIGHT_SPAWN,
  RIGHT_INSPECT,
];
/** One letter per right, in RIGHT_BITS order: Read Write Transfer Duplicate wAit Signal Manage sPawn Inspect. */
const RIGHT_LETTERS = "RWTDASMPI";

/** Rights as fixed-position letters, "-" where a right is missing: "RWTDA----". */
export function rightsLetters(rights: i32): string {
  let s = "";
  for (let i = 0; i < RIGHT_BITS.length; i++) {
    s += (rights & RIGHT_BITS[i]) != 0 ? RIGHT_LETTERS.charAt(i) : "-";
  }
  return s;
}
