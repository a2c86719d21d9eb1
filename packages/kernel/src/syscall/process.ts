// Syscall handlers for processes and their memory: spawn, exit, kill, the
// information calls, the startup block, yield and sleep, MEM_GROW and
// MEM_INFO. Each is fetch, check, act, return; the table is in dispatch.ts.

import {
  OBJ_PROCESS, RIGHT_SPAWN, RIGHT_MANAGE, RIGHT_INSPECT, RIGHT_ALL, PS_EXITED, K_BLOCKED, ERR_INVALID_ARGS,
  ERR_FAULT, ERR_BAD_STATE, ERR_NOT_FOUND, ERR_LIMIT, ERR_NO_MEMORY, HANDLE_BYTES, MAX_PROCESSES, NAME_MAX, PRIORITY_MAX, STARTUP_MAX_ARGS,
  STARTUP_MAX_HANDLES, STARTUP_HANDLE_SIZE, PROCESS_INFO_SIZE, MEM_INFO_SIZE, SPAWN_DESC_SIZE, SPAWN_DESC_IMAGE,
  SPAWN_DESC_QUOTA_PAGES, SPAWN_DESC_PRIORITY, SPAWN_DESC_NAME_PTR, SPAWN_DESC_NAME_LEN, SPAWN_DESC_ARGS_PTR,
  SPAWN_DESC_ARGS_LEN, SPAWN_DESC_HANDLES_PTR, SPAWN_DESC_NUM_HANDLES, SPAWN_DESC_SELF_RIGHTS, SPAWN_DESC_FDS_PTR,
  SPAWN_DESC_NUM_FDS, SPAWN_DESC_ENV_PTR, SPAWN_DESC_ENV_LEN, SPAWN_MAX_FDS, SPAWN_FD_SIZE, STARTUP_MAX_ENV,
  SPAWN_DESC_GENERATION,
} from '../../../abi/assembly/index';
import { Handle } from '../object';
import { derivedHandle, canDerive } from '../cap/ops';
import { canCharge } from '../account';
import { Process, findProcess } from '../process/process';
import { createProcess, exitProcess, killProcess, descends, watchProcess } from '../process/lifecycle';
import { yieldCpu } from '../sched/scheduler';
import { sleep } from '../ipc/wait';
import { copyBytes, fetch, growMemory, inRange, putU32 } from '../mm/user';
import { checkHandle, checkSignalTarget, objectOf, checkHandleOut, collectMoved } from './args';
import { spawnFds } from './fd';
import { writeProcessInfo, writeMemInfo, listProcesses, writeStartupInfo } from './info';

/** PROCESS_SPAWN(parent_h, spawn_desc_ptr, out_handle_ptr): copy the SpawnDesc in, check it whole, then create the child. */
export function sysProcessSpawn(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_PROCESS, RIGHT_SPAWN);
  if (e != 0) return e;
  const ph = p.table.get(a0);
  const parent = changetype<Process>(ph.obj);
  if (parent.state == PS_EXITED) return ERR_BAD_STATE;
  const d = fetch(p, <u32>a1, SPAWN_DESC_SIZE);
  if (d === null) return ERR_FAULT;
  const image = d.u32(SPAWN_DESC_IMAGE), quota = d.u32(SPAWN_DESC_QUOTA_PAGES), priority = d.u32(SPAWN_DESC_PRIORITY);
  const namePtr = d.u32(SPAWN_DESC_NAME_PTR), nameLen = min<u32>(d.u32(SPAWN_DESC_NAME_LEN), <u32>NAME_MAX);
  const argsPtr = d.u32(SPAWN_DESC_ARGS_PTR), argsLen = d.u32(SPAWN_DESC_ARGS_LEN);
  const handlesPtr = d.u32(SPAWN_DESC_HANDLES_PTR), numHandles = d.u32(SPAWN_DESC_NUM_HANDLES);
  const selfRights = d.u32(SPAWN_DESC_SELF_RIGHTS);
  const fdsPtr = d.u32(SPAWN_DESC_FDS_PTR), numFds = d.u32(SPAWN_DESC_NUM_FDS);
  const envPtr = d.u32(SPAWN_DESC_ENV_PTR), envLen = d.u32(SPAWN_DESC_ENV_LEN);
  const generation = d.u32(SPAWN_DESC_GENERATION);
  if (numFds > <u32>SPAWN_MAX_FDS || envLen > <u32>STARTUP_MAX_ENV) return ERR_INVALID_ARGS;
  if (!inRange(p, fdsPtr, numFds * SPAWN_FD_SIZE) || !inRange(p, envPtr, envLen)) return ERR_FAULT;
  if (quota < 1 || quota > parent.quotaPages) return ERR_INVALID_ARGS;
  if (!canDerive(p, ph)) return ERR_LIMIT;
  if (priority > <u32>parent.priority || priority > <u32>PRIORITY_MAX) return ERR_INVALID_ARGS;
  if (argsLen > <u32>STARTUP_MAX_ARGS || numHandles > <u32>STARTUP_MAX_HANDLES) return ERR_INVALID_ARGS;
  if ((selfRights & ~RIGHT_ALL) != 0) return ERR_INVALID_ARGS;
  if (!inRange(p, namePtr, nameLen) || !inRange(p, argsPtr, argsLen)) return ERR_FAULT;
  if (!inRange(p, handlesPtr, <u64>numHandles * STARTUP_HANDLE_SIZE)) return ERR_FAULT;
  const o = checkHandleOut(p, <u32>a2, 1);
  if (o != 0) return o;
  const moved: Array<Handle> = [];
  const tags: Array<i32> = [];
  const m = collectMoved(p, handlesPtr, numHandles, STARTUP_HANDLE_SIZE, ph, moved, tags);
  if (m != 0) return m;
  // The parent holds the child's whole quota; the spawner pays for its handle to the child.
  if (parent === p) {
    if (!canCharge(p, 0, HANDLE_BYTES, quota)) return ERR_NO_MEMORY;
  } else if (!canCharge(parent, 0, 0, quota) || !canCharge(p, 0, HANDLE_BYTES)) {
    return ERR_NO_MEMORY;
  }
  const name = copyBytes(p, namePtr, nameLen);
  const args = copyBytes(p, argsPtr, argsLen);
  const fds = copyBytes(p, fdsPtr, numFds * SPAWN_FD_SIZE);
  const env = copyBytes(p, envPtr, envLen);
  if (name === null || args === null || fds === null || env === null) return ERR_FAULT;
  const f = spawnFds(p, null, fds);
  if (f != 0) return f;
  const pid = createProcess(p, parent, ph, image, quota, <i32>priority, String.UTF8.decode(name.buffer), args, moved, tags, selfRights,
    generation);
  if (pid < 0) return pid;
  const child = findProcess(pid)!;
  child.env = env;
  spawnFds(p, child, fds);
  // Minted through ph: a subset of its rights, below it in the derivation tree (revoking ph takes it back).
  putU32(p, <u32>a2, <u32>derivedHandle(p, ph, child, RIGHT_ALL));
  return 0;
}

/** PROCESS_EXIT(code): does not return. */
export function sysProcessExit(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  // 0..255 only: negative codes are the kernel's own (killed, faults) and cannot be claimed.
  if (<u32>a0 > 255) return ERR_INVALID_ARGS;
  exitProcess(p, a0);
  return K_BLOCKED;
}

/** PROCESS_KILL(h) */
export function sysProcessKill(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_PROCESS, RIGHT_MANAGE);
  if (e != 0) return e;
  const target = objectOf<Process>(p, a0);
  if (target.state == PS_EXITED) return ERR_BAD_STATE;
  killProcess(p, target);
  return p.state == PS_EXITED ? K_BLOCKED : 0; // killing an ancestor ends the killer too
}

/** PROCESS_INFO(h, out_ptr) */
export function sysProcessInfo(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_PROCESS, RIGHT_INSPECT);
  if (e != 0) return e;
  if (!inRange(p, <u32>a1, PROCESS_INFO_SIZE)) return ERR_FAULT;
  writeProcessInfo(p, <u32>a1, objectOf<Process>(p, a0));
  return 0;
}

/** PROCESS_LIST(h, buf_ptr, cap): how many processes the subtree holds (writes at most cap). */
export function sysProcessList(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_PROCESS, RIGHT_INSPECT);
  if (e != 0) return e;
  if (<u32>a2 > <u32>MAX_PROCESSES) return ERR_INVALID_ARGS;
  if (!inRange(p, <u32>a1, <u64><u32>a2 * PROCESS_INFO_SIZE)) return ERR_FAULT;
  return listProcesses(p, objectOf<Process>(p, a0), <u32>a1, <u32>a2);
}

/** PROCESS_GET_CHILD(h, pid, rights, out_handle_ptr): a handle to a descendant, derived from h. */
export function sysProcessGetChild(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_PROCESS, RIGHT_INSPECT);
  if (e != 0) return e;
  const h = p.table.get(a0);
  if ((<u32>a2 & ~h.rights) != 0) return ERR_INVALID_ARGS;
  const target = findProcess(a1);
  if (target === null || !descends(target, changetype<Process>(h.obj))) return ERR_NOT_FOUND;
  const o = checkHandleOut(p, <u32>a3, 1);
  if (o != 0) return o;
  if (!canDerive(p, h)) return ERR_LIMIT;
  if (!canCharge(p, 0, HANDLE_BYTES)) return ERR_NO_MEMORY;
  putU32(p, <u32>a3, <u32>derivedHandle(p, h, target, <u32>a2));
  return 0;
}

/** PROCESS_WATCH(h, notify_h, bit): signal bit on the notification once the process has ended and is torn down. */
export function sysProcessWatch(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  const e = checkHandle(p, a0, OBJ_PROCESS, RIGHT_INSPECT);
  if (e != 0) return e;
  const n = checkSignalTarget(p, a1, a2);
  if (n != 0) return n;
  watchProcess(objectOf<Process>(p, a0), p.table.get(a1).obj, <u32>a2);
  return 0;
}

/** STARTUP_INFO(buf_ptr, cap): the startup block's full size (written only if it fits). */
export function sysStartupInfo(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  if (!inRange(p, <u32>a0, <u32>a1)) return ERR_FAULT;
  return writeStartupInfo(p, <u32>a0, <u32>a1);
}

/** YIELD() */
export function sysYield(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  return yieldCpu(p) ? K_BLOCKED : 0;
}

/** SLEEP(timeout_us) */
export function sysSleep(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  return sleep(p, a0);
}

/** MEM_GROW(pages): the old size in pages. */
export function sysMemGrow(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  if (a0 < 0) return ERR_INVALID_ARGS;
  return growMemory(p, <u32>a0);
}

/** MEM_INFO(out_ptr) */
export function sysMemInfo(p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  if (!inRange(p, <u32>a0, MEM_INFO_SIZE)) return ERR_FAULT;
  writeMemInfo(p, <u32>a0);
  return 0;
}
