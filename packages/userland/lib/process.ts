// liboncrix: processes — spawn, exit, kill, inspect, find a descendant.
//
// Authority over processes is a process handle's rights: SPAWN starts
// children under it, INSPECT reads its record and lists its descendants,
// MANAGE kills it, WAIT waits for its TERMINATED signal. A spawn moves the
// handles listed in its SpawnDesc into the child, each with a tag saying what
// it is for (see startup.ts for the child's side).

import {
  SYS_PROCESS_SPAWN, SYS_PROCESS_EXIT, SYS_PROCESS_KILL, SYS_PROCESS_INFO, SYS_PROCESS_LIST,
  SYS_PROCESS_GET_CHILD, SPAWN_DESC_SIZE, SPAWN_DESC_IMAGE, SPAWN_DESC_QUOTA_PAGES, SPAWN_DESC_PRIORITY,
  SPAWN_DESC_NAME_PTR, SPAWN_DESC_NAME_LEN, SPAWN_DESC_ARGS_PTR, SPAWN_DESC_ARGS_LEN, SPAWN_DESC_HANDLES_PTR,
  SPAWN_DESC_NUM_HANDLES, SPAWN_DESC_SELF_RIGHTS, SPAWN_DESC_FDS_PTR, SPAWN_DESC_NUM_FDS, SPAWN_DESC_ENV_PTR,
  SPAWN_DESC_ENV_LEN, SPAWN_DESC_GENERATION, SYS_PROCESS_WATCH, PROCESS_INFO_GENERATION, SPAWN_MAX_FDS, STARTUP_HANDLE_SIZE, STARTUP_HANDLE_HANDLE, STARTUP_HANDLE_TAG,
  STARTUP_MAX_HANDLES, ERR_LIMIT, MAX_PROCESSES,
  PROCESS_INFO_SIZE, PROCESS_INFO_PID, PROCESS_INFO_PARENT, PROCESS_INFO_STATE, PROCESS_INFO_PRIORITY,
  PROCESS_INFO_EXIT_CODE, PROCESS_INFO_QUOTA_PAGES, PROCESS_INFO_USED_PAGES, PROCESS_INFO_HANDLES,
  PROCESS_INFO_CPU_TIME_US, PROCESS_INFO_SYSCALLS, PROCESS_INFO_IMAGE, PROCESS_INFO_NAME, NAME_MAX,
  PS_READY, PS_RUNNING, PS_BLOCKED, PS_EXITED,
} from "../../abi/assembly/index";
import { syscall, outWord } from "./sys";
import { Handle, handleClose } from "./handles";
import { Bytes } from "./bytes";

/** Everything a new process starts with. Fill it, then processSpawn. */
export class SpawnDesc {
  image: i32 = 0;
  quotaPages: i32 = 16;
  priority: i32 = 0;
  name: string = "";
  /** Argument bytes, NUL-separated by convention; the first is the program's name. */
  args: Bytes = new Bytes(64);
  /** StartupHandle records: (handle, tag) pairs moved into the child. */
  handles: Bytes = new Bytes(STARTUP_MAX_HANDLES * STARTUP_HANDLE_SIZE);
  numHandles: i32 = 0;
  /** If not 0, the child also gets a handle to itself with these rights (tag SELF). */
  selfRights: i32 = 0;
  /** SpawnFd records: (child fd, our fd) pairs the child shares; and its environment, NAME=VALUE NUL-separated. */
  fds: Bytes = new Bytes(SPAWN_MAX_FDS * 8);
  numFds: i32 = 0;
  env: Bytes = new Bytes(64);
  /** Which instance of its program this is (a supervisor's restart count); shown by ps and in the trace. */
  generation: i32 = 0;

  /** The child gets our fd `ours` as its fd `theirs` (the same open file). ERR_LIMIT past SPAWN_MAX_FDS. */
  giveFd(theirs: i32, ours: i32): i32 {
    if (this.numFds >= SPAWN_MAX_FDS) return ERR_LIMIT;
    this.fds.u32(<u32>theirs).u32(<u32>ours);
    this.numFds++;
    return 0;
  }

  /** Add NAME=VALUE to the child's environment. */
  setEnv(name: string, value: string): SpawnDesc {
    if (this.env.length > 0) this.env.byte(0);
    this.env.str(name + "=" + value);
    return this;
  }

  /** Set the arguments to these strings joined by NUL. */
  setArgs(words: Array<string>): SpawnDesc {
    this.args.reset();
    for (let i = 0; i < words.length; i++) {
      if (i > 0) this.args.byte(0);
      this.args.str(words[i]);
    }
    return this;
  }

  /** Move handle h into the child with this tag; ERR_LIMIT past STARTUP_MAX_HANDLES. */
  give(h: Handle, tag: i32): i32 {
    if (this.numHandles >= STARTUP_MAX_HANDLES) return ERR_LIMIT;
    this.handles.u32(<u32>h).u32(<u32>tag);
    this.numHandles++;
    return 0;
  }

  /** The handle of entry i. */
  handleAt(i: i32): Handle {
    return <i32>this.handles.u32At(i * STARTUP_HANDLE_SIZE + STARTUP_HANDLE_HANDLE);
  }

  tagAt(i: i32): i32 {
    return <i32>this.handles.u32At(i * STARTUP_HANDLE_SIZE + STARTUP_HANDLE_TAG);
  }

  /** Close the handles still listed (after a failed spawn they stay with the caller). */
  closeHandles(): void {
    for (let i = 0; i < this.numHandles; i++) handleClose(this.handleAt(i));
    this.handles.reset();
    this.numHandles = 0;
  }
}

const spawnBlock = memory.data(SPAWN_DESC_SIZE);

/**
 * Start a child of the process behind `parent` (needs SPAWN). Returns a
 * handle to the child with every right, or an error; on an error the listed
 * handles stay with the caller.
 */
export function processSpawn(parent: Handle, d: SpawnDesc): Handle {
  const name = String.UTF8.encode(d.name);
  const b = spawnBlock;
  store<i32>(b + SPAWN_DESC_IMAGE, d.image);
  store<i32>(b + SPAWN_DESC_QUOTA_PAGES, d.quotaPages);
  store<i32>(b + SPAWN_DESC_PRIORITY, d.priority);
  store<i32>(b + SPAWN_DESC_NAME_PTR, <i32>changetype<usize>(name));
  store<i32>(b + SPAWN_DESC_NAME_LEN, min(name.byteLength, NAME_MAX));
  store<i32>(b + SPAWN_DESC_ARGS_PTR, <i32>d.args.ptr);
  store<i32>(b + SPAWN_DESC_ARGS_LEN, d.args.length);
  store<i32>(b + SPAWN_DESC_HANDLES_PTR, <i32>d.handles.ptr);
  store<i32>(b + SPAWN_DESC_NUM_HANDLES, d.numHandles);
  store<i32>(b + SPAWN_DESC_SELF_RIGHTS, d.selfRights);
  store<i32>(b + SPAWN_DESC_FDS_PTR, <i32>d.fds.ptr);
  store<i32>(b + SPAWN_DESC_NUM_FDS, d.numFds);
  store<i32>(b + SPAWN_DESC_ENV_PTR, <i32>d.env.ptr);
  store<i32>(b + SPAWN_DESC_ENV_LEN, d.env.length);
  store<i32>(b + SPAWN_DESC_GENERATION, d.generation);
  const r = syscall(SYS_PROCESS_SPAWN, parent, <i32>b, <i32>outWord, 0, 0, 0);
  return r < 0 ? r : load<i32>(outWord);
}

/**
 * End this process with `code`. Does not return. The kernel takes codes
 * 0..255 only (negative ones are its own: killed, faults), so like POSIX
 * exit() only the low 8 bits are kept.
 */
export function processExit(code: i32): void {
  syscall(SYS_PROCESS_EXIT, code & 0xff, 0, 0, 0, 0, 0);
  unreachable(); // the kernel never resumes an exited process
}

/** End the process behind h with EXIT_KILLED (needs MANAGE). */
export function processKill(h: Handle): i32 {
  return syscall(SYS_PROCESS_KILL, h, 0, 0, 0, 0, 0);
}

/**
 * Have `bit` set on the notification once the process behind h (INSPECT)
 * has ended and its handles are closed — at once if that happened already.
 * One watch per process; a new one replaces it.
 */
export function processWatch(h: Handle, notify: Handle, bit: i32): i32 {
  return syscall(SYS_PROCESS_WATCH, h, notify, bit, 0, 0, 0);
}

/** A handle (derived from h) to process `pid`, which must be h's process or a descendant; needs INSPECT. */
export function processGetChild(h: Handle, pid: i32, rights: i32): Handle {
  const r = syscall(SYS_PROCESS_GET_CHILD, h, pid, rights, <i32>outWord, 0, 0);
  return r < 0 ? r : load<i32>(outWord);
}

/** One process as the kernel reports it. */
export class ProcessInfo {
  pid: i32 = 0;
  parent: i32 = 0;
  state: i32 = 0;
  priority: i32 = 0;
  exitCode: i32 = 0;
  quotaPages: i32 = 0;
  usedPages: i32 = 0;
  handles: i32 = 0;
  cpuTimeUs: f64 = 0;
  syscalls: i32 = 0;
  image: i32 = 0;
  name: string = "";
  /** Which instance of its program (0: the first; n: after n restarts). */
  generation: i32 = 0;

  /** Fill from a ProcessInfo record at p. */
  readFrom(p: usize): ProcessInfo {
    this.pid = load<i32>(p + PROCESS_INFO_PID);
    this.parent = load<i32>(p + PROCESS_INFO_PARENT);
    this.state = load<i32>(p + PROCESS_INFO_STATE);
    this.priority = load<i32>(p + PROCESS_INFO_PRIORITY);
    this.exitCode = load<i32>(p + PROCESS_INFO_EXIT_CODE);
    this.quotaPages = load<i32>(p + PROCESS_INFO_QUOTA_PAGES);
    this.usedPages = load<i32>(p + PROCESS_INFO_USED_PAGES);
    this.handles = load<i32>(p + PROCESS_INFO_HANDLES);
    this.cpuTimeUs = load<f64>(p + PROCESS_INFO_CPU_TIME_US);
    this.syscalls = load<i32>(p + PROCESS_INFO_SYSCALLS);
    this.image = load<i32>(p + PROCESS_INFO_IMAGE);
    this.generation = load<i32>(p + PROCESS_INFO_GENERATION);
    let len = 0;
    while (len < NAME_MAX && load<u8>(p + PROCESS_INFO_NAME + len) != 0) len++;
    this.name = String.UTF8.decodeUnsafe(p + PROCESS_INFO_NAME, len);
    return this;
  }
}

const infoBlock = memory.data(PROCESS_INFO_SIZE);

/** Read the record of the process behind h (needs INSPECT). */
export function processInfo(h: Handle, out: ProcessInfo): i32 {
  const r = syscall(SYS_PROCESS_INFO, h, <i32>infoBlock, 0, 0, 0, 0);
  if (r >= 0) out.readFrom(infoBlock);
  return r;
}

/** Records of h's process and all its descendants, in pid order, into `out`. Returns the count or an error. */
export function processList(h: Handle, out: Array<ProcessInfo>): i32 {
  out.length = 0;
  let total = syscall(SYS_PROCESS_LIST, h, 0, 0, 0, 0, 0);
  while (total >= 0) {
    // Room for a few more, in case processes start meanwhile (the kernel takes at most MAX_PROCESSES).
    const cap = min(total + 4, MAX_PROCESSES);
    const buf = new ArrayBuffer(cap * PROCESS_INFO_SIZE);
    const p = changetype<usize>(buf);
    const n = syscall(SYS_PROCESS_LIST, h, <i32>p, cap, 0, 0, 0);
    if (n < 0) return n;
    if (n <= cap || cap == MAX_PROCESSES) {
      for (let i = 0; i < min(n, cap); i++) out.push(new ProcessInfo().readFrom(p + <usize>(i * PROCESS_INFO_SIZE)));
      return n;
    }
    total = n;
  }
  return total;
}

/** A process state (PS_*) in words. */
export function stateName(state: i32): string {
  switch (state) {
    case PS_READY: return "ready";
    case PS_RUNNING: return "running";
    case PS_BLOCKED: return "blocked";
    case PS_EXITED: return "exited";
    default: return "?";
  }
}
