// The file-descriptor layer and the WASI preview 1 front door.
//
// Syscalls FD_FIRST..FD_LAST are where the kernel vfs will turn operations on
// descriptors into IPC messages to filesystem services (ramfs first) and to
// the console driver; WASI_FIRST..WASI_LAST are where the process shim's
// `wasi_snapshot_preview1` imports land. Both ranges are reserved in the ABI
// and routed here by the front door, so serving them changes neither the
// numbering nor the dispatcher. Today every call in them answers
// NOT_SUPPORTED — a defined result, never a trap.

import { ERR_NOT_SUPPORTED } from '../../../abi/assembly/index';
import { Process } from '../process/process';

export function reservedSyscall(p: Process, nr: i32): i32 {
  return ERR_NOT_SUPPORTED;
}
