// The front door: the one place every syscall enters.
//
// `syscalls` maps each number to one small handler (xv6's syscalls[] table);
// the handlers live in handles.ts, ipc.ts, process.ts and system.ts, and
// each reads "fetch, check, act, return": it checks every argument before
// any subsystem runs — handles (live in the caller's table, current
// generation, the right type, the rights the operation needs; args.ts),
// sizes against the ABI limits, and every user pointer and length against
// the caller's memory (mm/user.ts) — and returns its error. Only trusted
// values (Handle objects, checked ranges) are passed on; nothing below this
// folder ever sees a bad argument.
//
// One rule is enforced here for all of them: if a copy to or from the
// caller's memory failed during the syscall, the caller gets ERR_FAULT,
// whatever the handler made of it.

import {
  SYS_FD_FIRST, SYS_FD_LAST, SYS_WASI_FIRST, SYS_WASI_LAST, ERR_BAD_SYSCALL, ERR_FAULT, K_BLOCKED,
} from '../../../abi/assembly/index';
import { Process } from '../process/process';
import { takeFault } from '../mm/user';
import { sysHandleClose, sysHandleDuplicate, sysHandleRevoke, sysHandleInfo, sysHandleList } from './handles';
import {
  sysObjectWait, sysObjectWaitMany, sysChannelCreate, sysChannelWrite, sysChannelRead, sysChannelCall, sysChannelRecv,
  sysNotifyCreate, sysNotifySignal, sysNotifyWait, sysMemobjCreate, sysMemobjRead, sysMemobjWrite, sysMemobjSize,
  sysTimerCreate, sysTimerSet,
} from './ipc';
import {
  sysProcessSpawn, sysProcessExit, sysProcessKill, sysProcessInfo, sysProcessList, sysProcessGetChild, sysStartupInfo,
  sysYield, sysSleep, sysMemGrow, sysMemInfo, sysProcessWatch,
} from './process';
import {
  sysNull, sysClockGet, sysIrqBind, sysIrqAck, sysIrqMask, sysDevRead, sysDevReadBlock, sysDevWrite, sysDebugLog, sysSystemPanic,
} from './system';
import { fdSyscall } from './fd';
import { wasiEntry } from './wasi';

/** A syscall handler: the caller and its six argument registers in, the result (>= 0) or an ERR_* out. */
type Handler = (p: Process, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32) => i32;

/**
 * The native syscalls, by number: entry n handles syscall n (the comment on
 * each line names n as the ABI does; test/structure.test.ts checks them
 * against the ABI). Numbers past the end, up to FD_FIRST, answer BAD_SYSCALL;
 * FD_FIRST..FD_LAST are the fd layer's (fd.ts), WASI_FIRST..WASI_LAST the
 * WASI calls (wasi.ts), which answer WASI errno values.
 */
const syscalls: StaticArray<Handler> = [
  /*  0 NULL */ sysNull,
  /*  1 HANDLE_CLOSE */ sysHandleClose,
  /*  2 HANDLE_DUPLICATE */ sysHandleDuplicate,
  /*  3 HANDLE_REVOKE */ sysHandleRevoke,
  /*  4 HANDLE_INFO */ sysHandleInfo,
  /*  5 HANDLE_LIST */ sysHandleList,
  /*  6 OBJECT_WAIT */ sysObjectWait,
  /*  7 OBJECT_WAIT_MANY */ sysObjectWaitMany,
  /*  8 CHANNEL_CREATE */ sysChannelCreate,
  /*  9 CHANNEL_WRITE */ sysChannelWrite,
  /* 10 CHANNEL_READ */ sysChannelRead,
  /* 11 CHANNEL_CALL */ sysChannelCall,
  /* 12 NOTIFY_CREATE */ sysNotifyCreate,
  /* 13 NOTIFY_SIGNAL */ sysNotifySignal,
  /* 14 NOTIFY_WAIT */ sysNotifyWait,
  /* 15 MEMOBJ_CREATE */ sysMemobjCreate,
  /* 16 MEMOBJ_READ */ sysMemobjRead,
  /* 17 MEMOBJ_WRITE */ sysMemobjWrite,
  /* 18 MEMOBJ_SIZE */ sysMemobjSize,
  /* 19 TIMER_CREATE */ sysTimerCreate,
  /* 20 TIMER_SET */ sysTimerSet,
  /* 21 PROCESS_SPAWN */ sysProcessSpawn,
  /* 22 PROCESS_EXIT */ sysProcessExit,
  /* 23 PROCESS_KILL */ sysProcessKill,
  /* 24 PROCESS_INFO */ sysProcessInfo,
  /* 25 PROCESS_LIST */ sysProcessList,
  /* 26 STARTUP_INFO */ sysStartupInfo,
  /* 27 YIELD */ sysYield,
  /* 28 SLEEP */ sysSleep,
  /* 29 CLOCK_GET */ sysClockGet,
  /* 30 MEM_GROW */ sysMemGrow,
  /* 31 MEM_INFO */ sysMemInfo,
  /* 32 IRQ_BIND */ sysIrqBind,
  /* 33 IRQ_ACK */ sysIrqAck,
  /* 34 IRQ_MASK */ sysIrqMask,
  /* 35 DEV_READ */ sysDevRead,
  /* 36 DEV_WRITE */ sysDevWrite,
  /* 37 DEBUG_LOG */ sysDebugLog,
  /* 38 PROCESS_GET_CHILD */ sysProcessGetChild,
  /* 39 CHANNEL_RECV */ sysChannelRecv,
  /* 40 PROCESS_WATCH */ sysProcessWatch,
  /* 41 SYSTEM_PANIC */ sysSystemPanic,
  /* 42 DEV_READ_BLOCK */ sysDevReadBlock,
];

/** Run syscall nr for p (which is on a CPU). Returns the result or K_BLOCKED. */
export function dispatch(p: Process, nr: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32 {
  p.waitNr = nr;
  p.userFault = false;
  let r: i32;
  if (<u32>nr < <u32>syscalls.length) r = unchecked(syscalls[nr])(p, a0, a1, a2, a3, a4, a5);
  else if (nr >= SYS_FD_FIRST && nr <= SYS_FD_LAST) r = fdSyscall(p, nr, a0, a1, a2, a3, a4, a5);
  else if (nr >= SYS_WASI_FIRST && nr <= SYS_WASI_LAST) return wasiEntry(p, nr, a0, a1, a2, a3, a4, a5);
  else r = ERR_BAD_SYSCALL;
  // A blocked caller keeps the mark: the end of its wait turns the result into FAULT (ipc/wait.ts).
  if (r != K_BLOCKED && takeFault(p)) r = ERR_FAULT;
  return r;
}
