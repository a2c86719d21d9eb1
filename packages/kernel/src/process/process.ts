// The process object: one address space (a Wasm memory the HAL owns) plus one
// thread, a handle table, a memory quota and a priority.
//
// The kernel keeps here only what scheduling, accounting and waiting need;
// the part the object and capability layers see (pid, CPU, handle table,
// account) is its base class, Actor, in object.ts.
// A process that has exited stays as a record (state EXITED, exit code kept)
// while handles to it remain, so a parent can read how its child ended.

import { PS_READY } from '../../../abi/assembly/index';
import { Actor, Handle, KObject } from '../object';
import { Deadline } from '../sched/timers';

/** What a blocked process waits for. */
export const W_NONE: i32 = 0;
export const W_SIGNALS: i32 = 1;
export const W_MANY: i32 = 2;
export const W_NOTIFY: i32 = 3;
export const W_CALL: i32 = 4;
export const W_SLEEP: i32 = 5;
/** Parked by the scheduler (preempted or yielded), not waiting for anything. */
export const W_PARKED: i32 = 6;
/** CHANNEL_RECV: waiting for a message to read into the buffers in the call* fields. */
export const W_RECV: i32 = 7;
/** HANDLE_REVOKE: waiting for a revocation to close its last handle. */
export const W_REVOKE: i32 = 8;
/** A WASI file operation: waiting for a filesystem service's reply, a pipe or poll_oneoff (vfs/op.ts). */
export const W_VFS: i32 = 9;

/** A process; its pid, CPU, handle table and account are the Actor part (object.ts). */
export class Process extends Actor {
  parent: Process | null;
  name: string;
  image: u32;
  priority: i32;
  state: i32 = PS_READY;
  exitCode: i32 = 0;
  /** Startup block: handles (value, tag) installed at spawn, and argument bytes. */
  startupHandles: Array<i32> = [];
  startupTags: Array<i32> = [];
  args: Uint8Array = new Uint8Array(0);
  /** Environment from the spawner: NAME=VALUE strings, NUL-separated (WASI environ_get). */
  env: Uint8Array = new Uint8Array(0);
  started: bool = false;
  /** Exited, and its handles are still being closed (process/lifecycle.ts). */
  tearingDown: bool = false;
  /** Which instance of its program this is, as its spawner counts (SpawnDesc.generation); the kernel only reports it. */
  generation: u32 = 0;
  /** PROCESS_WATCH: the notification (a kernel reference) and bit signalled once this process has ended and is torn down. */
  watch: KObject | null = null;
  watchBit: u32 = 0;

  // scheduling (cpu is in Actor)
  pendingResult: i32 = 0;
  preemptRequested: bool = false;
  sliceStart: f64 = 0;
  sliceSafepoints: u32 = 0;
  cpuNs: f64 = 0;
  syscalls: u32 = 0;

  // waiting
  waitKind: i32 = W_NONE;
  waitNr: i32 = 0;
  waitHandles: Array<Handle> = [];
  waitMasks: Array<u32> = [];
  /** User pointer for the wait's out-parameters (observed, items, call args). */
  waitOut: u32 = 0;
  /** CHANNEL_CALL: the transaction id of the awaited reply. */
  waitTxid: u32 = 0;
  /** CHANNEL_CALL: the pid of the process that took the request off its queue and owes the reply (0: nobody yet). */
  callServer: i32 = 0;
  /** Reply buffers of a CHANNEL_CALL, or receive buffers of a CHANNEL_RECV. */
  callRdBytes: u32 = 0;
  callRdCap: u32 = 0;
  callRdHandles: u32 = 0;
  callRdHandleCap: u32 = 0;
  deadline: Deadline | null = null;
  /** A copy to or from this process's memory failed during its current syscall (mm/user.ts): it ends with FAULT. */
  userFault: bool = false;

  /** Wait on one handle for `mask` (reuses the wait arrays: no allocation on the IPC fast path). */
  waitOn(h: Handle, mask: u32): void {
    this.waitHandles.length = 0;
    this.waitMasks.length = 0;
    this.waitHandles.push(h);
    this.waitMasks.push(mask);
  }

  constructor(pid: i32, parent: Process | null, name: string, image: u32, priority: i32, quotaPages: u32) {
    super(pid, quotaPages);
    this.parent = parent;
    this.name = name;
    this.image = image;
    this.priority = priority;
  }

  /** The last handle to an exited process closed: forget its record. */
  destroy(): void {
    processes.delete(this.pid);
  }
}

/** The process an Actor is: every Actor is a Process (the lower layers name processes only as Actors). */
export function asProcess(a: Actor): Process {
  return changetype<Process>(a);
}

/** Live and zombie processes by pid. */
export const processes = new Map<i32, Process>();
let nextPid: i32 = 1;

export function allocPid(): i32 {
  return nextPid++;
}

export function findProcess(pid: i32): Process | null {
  return processes.has(pid) ? processes.get(pid) : null;
}
