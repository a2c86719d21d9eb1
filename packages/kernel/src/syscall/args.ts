// Fetching and checking syscall arguments: what every handler of the front
// door uses before it acts (xv6's argint/argaddr/argfd).
//
// A handler never trusts a number from a process. A handle value is checked
// against the caller's own table, the object's type and the rights the
// operation needs (`checkHandle` says why not, as the error the syscall
// returns); a list of handles to move is copied in once and checked whole;
// pointers are checked with mm/user.ts's inRange. Each check returns its
// error, so a handler reads "check, return the error if any, act".

import {
  OBJ_NONE, OBJ_PROCESS, OBJ_NOTIFICATION, RIGHT_SIGNAL, NOTIFY_BITS, RIGHT_MANAGE, RIGHT_TRANSFER, ERR_BAD_HANDLE, ERR_WRONG_TYPE, ERR_ACCESS_DENIED, ERR_INVALID_ARGS, ERR_FAULT,
  ERR_LIMIT,
} from '../../../abi/assembly/index';
import { Handle } from '../object';
import { tableHasRoom } from '../cap/ops';
import { Process } from '../process/process';
import { fetch, inRange } from '../mm/user';

/** 0 if `value` names a live handle of p to an object of `type` (OBJ_NONE: any) holding every right in `rights`; else why not. */
export function checkHandle(p: Process, value: i32, type: i32, rights: u32): i32 {
  const h = p.table.lookup(value);
  if (h === null) return ERR_BAD_HANDLE;
  if (type != OBJ_NONE && h.obj.type != type) return ERR_WRONG_TYPE;
  if ((h.rights & rights) != rights) return ERR_ACCESS_DENIED;
  return 0;
}

/** 0 if `value` is a handle of p to a notification it may SIGNAL and `bit` one of its bits: where an event is to signal. */
export function checkSignalTarget(p: Process, value: i32, bit: i32): i32 {
  const e = checkHandle(p, value, OBJ_NOTIFICATION, RIGHT_SIGNAL);
  if (e != 0) return e;
  return <u32>bit < <u32>NOTIFY_BITS ? 0 : ERR_INVALID_ARGS;
}

/** 0 if value is a handle of p to the root task (init) with MANAGE: authority over the whole machine (its namespace, a panic). */
export function checkRoot(p: Process, value: i32): i32 {
  const e = checkHandle(p, value, OBJ_PROCESS, RIGHT_MANAGE);
  if (e != 0) return e;
  return changetype<Process>(p.table.get(value).obj).parent === null ? 0 : ERR_INVALID_ARGS;
}

/**
 * Copy in `count` handle values (stride bytes apart; with stride 8 a tag
 * follows each) from p's memory at ptr and check each: p's own, movable
 * (TRANSFER), not `except` (the handle the operation itself uses) and not
 * listed twice. Fills `moved` (and `tags` when stride is 8). Returns 0 or the
 * error.
 */
export function collectMoved(p: Process, ptr: u32, count: u32, stride: u32, except: Handle | null,
  moved: Array<Handle>, tags: Array<i32>): i32 {
  if (count == 0) return 0;
  const list = fetch(p, ptr, count * stride);
  if (list === null) return ERR_FAULT;
  for (let i: u32 = 0; i < count; i++) {
    const value = <i32>list.u32(i * stride);
    const e = checkHandle(p, value, OBJ_NONE, RIGHT_TRANSFER);
    if (e != 0) return e;
    const h = p.table.get(value);
    if (h === except || moved.indexOf(h) >= 0) return ERR_INVALID_ARGS;
    moved.push(h);
    if (stride == 8) tags.push(<i32>list.u32(i * stride + 4));
  }
  return 0;
}

/**
 * 0 if p can receive `n` more handles and `out` holds n u32s for their
 * values; else why not. (What the new handles cost is checked with the rest
 * of the operation's charge.)
 */
export function checkHandleOut(p: Process, out: u32, n: i32): i32 {
  if (!inRange(p, out, <u64>n * 4)) return ERR_FAULT;
  if (!tableHasRoom(p, n)) return ERR_LIMIT;
  return 0;
}

/** The object behind a handle value that checkHandle accepted for T's object type. */
export function objectOf<T>(p: Process, value: i32): T {
  return changetype<T>(p.table.get(value).obj);
}
