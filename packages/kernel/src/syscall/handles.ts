// Syscall handlers for handles themselves: close, duplicate, revoke, and the
// two ways a process reads its own table (HANDLE_INFO, HANDLE_LIST).
// Each is fetch, check, act, return; the table is in dispatch.ts.
//
// A revoke closes as much of the derived subtree as one kernel entry's step
// budget allows (work.ts); if more is left, the revoker blocks until the last
// derived handle is closed, and its syscall then returns how many were.

import {
  OBJ_NONE, RIGHT_DUPLICATE, CLOSE_CLOSED, CLOSE_REVOKED, ERR_INVALID_ARGS, ERR_FAULT, ERR_LIMIT, ERR_NO_MEMORY,
  MAX_HANDLES, HANDLE_INFO_SIZE, HANDLE_BYTES, K_BLOCKED, PS_BLOCKED, TR_SYSCALL_BLOCK,
} from '../../../abi/assembly/index';
import { closeHandle, duplicateHandle, canDerive, Revocation } from '../cap/ops';
import { canCharge } from '../account';
import { startWork } from '../work';
import { emit } from '../trace';
import { Process, asProcess, W_REVOKE } from '../process/process';
import { block } from '../sched/scheduler';
import { finishWait } from '../ipc/wait';
import { inRange, putU32 } from '../mm/user';
import { checkHandle, checkHandleOut } from './args';
import { writeHandleInfo } from './info';

/** HANDLE_CLOSE(h) */
export function sysHandleClose(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_NONE, 0);
  if (e != 0) return e;
  closeHandle(p.table.get(a0), CLOSE_CLOSED);
  return 0;
}

/** HANDLE_DUPLICATE(h, rights, out_handle_ptr) */
export function sysHandleDuplicate(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_NONE, RIGHT_DUPLICATE);
  if (e != 0) return e;
  const h = p.table.get(a0);
  if ((<u32>a1 & ~h.rights) != 0) return ERR_INVALID_ARGS;
  const o = checkHandleOut(p, <u32>a2, 1);
  if (o != 0) return o;
  if (!canDerive(p, h)) return ERR_LIMIT;
  if (!canCharge(p, 0, HANDLE_BYTES)) return ERR_NO_MEMORY;
  putU32(p, <u32>a2, <u32>duplicateHandle(p, h, <u32>a1));
  return 0;
}

/** A revocation a process waits for: when it is done, the revoker's syscall returns the count. */
class RevokeCall extends Revocation {
  done(): void {
    super.done();
    const p = asProcess(this.by);
    if (p.state == PS_BLOCKED && p.waitKind == W_REVOKE) finishWait(p, this.closed);
  }
}

/** HANDLE_REVOKE(h): returns how many derived handles closed. */
export function sysHandleRevoke(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_NONE, 0);
  if (e != 0) return e;
  const r = new RevokeCall(p, p.table.get(a0), CLOSE_REVOKED);
  if (startWork(r)) return r.closed;
  p.waitKind = W_REVOKE;
  emit(TR_SYSCALL_BLOCK, p.pid, p.cpu, p.waitNr, p.table.get(a0).obj.koid);
  block(p);
  return K_BLOCKED;
}

/** HANDLE_INFO(h, out_ptr) */
export function sysHandleInfo(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_NONE, 0);
  if (e != 0) return e;
  if (!inRange(p, <u32>a1, HANDLE_INFO_SIZE)) return ERR_FAULT;
  writeHandleInfo(p, <u32>a1, p.table.get(a0));
  return 0;
}

/** HANDLE_LIST(buf_ptr, cap): returns how many handles the caller holds (writes at most cap). */
export function sysHandleList(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  if (<u32>a1 > <u32>MAX_HANDLES) return ERR_INVALID_ARGS;
  if (!inRange(p, <u32>a0, <u64><u32>a1 * HANDLE_INFO_SIZE)) return ERR_FAULT;
  let n = 0;
  const slots = p.table.slots;
  for (let i = 0; i < slots.length; i++) {
    const h = slots[i];
    if (h === null) continue;
    if (<u32>n < <u32>a1) writeHandleInfo(p, <u32>a0 + <u32>(n * HANDLE_INFO_SIZE), h);
    n++;
  }
  return n;
}
