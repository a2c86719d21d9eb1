// hostrun: the session of `oncrix run PROG.wasm` (packages/cli). The CLI
// boots a machine whose manifest starts this driver with the host device
// (devices/host.ts in the web HAL), a preopen per --dir (fds 3, 4, …, each
// the root of its own ramfs mount, or / itself) and the program as the
// image "guest". hostrun then:
//
//   1. copies each host directory into its preopen (archive.ts: unpack)
//   2. starts the program as its child with the host's arguments and
//      environment, pipes as fds 0, 1 and 2, and the preopens at the same
//      numbers, so the program sees exactly its --dir trees
//   3. pumps: stdin from the host device into the program's fd 0, its fds 1
//      and 2 out to the host's stdout and stderr, until both reach EOF
//   4. waits for the program to end, copies each preopen's tree back to its
//      host directory (archive.ts: pack), and exits with the program's exit
//      code, which init passes on to the machine and the CLI to its shell.
//
// A program that traps exits 134, one killed 137 (as a shell reports a
// process ended by SIGABRT or SIGKILL); hostrun says why on stderr.

import {
  TAG_DEVICE_BASE, TAG_SELF, SIG_TERMINATED, HOST_READ, HOST_ARGS, HOST_ENV, HOST_DIRS, WASI_POLL_ONEOFF,
  WASI_FD_FDSTAT_SET_FLAGS, WASI_FDFLAG_NONBLOCK, WASI_EAGAIN, WASI_EVENT_FD_READ, WASI_EVENT_CLOCK,
  WASI_SUBSCRIPTION_SIZE, WASI_SUBSCRIPTION_USERDATA, WASI_SUBSCRIPTION_TAG, WASI_SUBSCRIPTION_CLOCK_ID,
  WASI_SUBSCRIPTION_TIMEOUT, WASI_EVENT_SIZE, WASI_EVENT_USERDATA, WASI_CLOCK_MONOTONIC, EXIT_KILLED,
  STARTUP_MAX_ARGS, STARTUP_MAX_ENV,
} from "../../abi/assembly/index";
import {
  startup, processExit, processInfo, ProcessInfo, SpawnDesc, spawnProgram, imageTable, objectWait, handleClose,
  fdPipe, fdRead, fdWrite, fdClose, wasi, errorName, exitStatus, isFaultExit, debugLog,
} from "../lib/index";
import { setHostDevice, host, hostWriteAll, hostSay } from "./hostrun/host";
import { unpack, pack } from "./hostrun/archive";

/** The host device is the fourth boot device (uart, rom, entropy, host). */
const HOST_DEVICE = 3;
const FIRST_PREOPEN = 3;
const CHUNK = 65536;
/** How often the pump looks for stdin while the program may still read it (µs). */
const STDIN_POLL_NS: u64 = 5_000_000;

const data = new ArrayBuffer(CHUNK);
const dataAt = changetype<usize>(data);
const stdinBuf = new ArrayBuffer(CHUNK);
const stdinAt = changetype<usize>(stdinBuf);
const subs = memory.data(WASI_SUBSCRIPTION_SIZE * 3);
const events = memory.data(WASI_EVENT_SIZE * 3);
const count = memory.data(8);

function fail(text: string): void {
  hostSay(text);
  debugLog("hostrun: " + text);
  processExit(1);
}

/** NUL-terminated strings from the host (ARGS or ENV) as NUL-separated bytes for a spawn; null if more than max. */
function fromHost(op: i32, max: i32): Uint8Array | null {
  const size = host(op, 0, 0, 0);
  if (size < 0 || size > max + 1) return null;
  const b = new Uint8Array(size);
  host(op, 0, b.dataStart, size);
  return b.subarray(0, max0(size - 1)); // the last NUL goes: the kernel takes separators
}

function max0(n: i32): i32 {
  return n < 0 ? 0 : n;
}

/** A clock subscription (relative, monotonic) at slot i of subs. */
function clockSub(i: i32, ns: u64): void {
  const s = subs + <usize>(i * WASI_SUBSCRIPTION_SIZE);
  memory.fill(s, 0, WASI_SUBSCRIPTION_SIZE);
  store<u64>(s + WASI_SUBSCRIPTION_USERDATA, 0xffff);
  store<u8>(s + WASI_SUBSCRIPTION_TAG, <u8>WASI_EVENT_CLOCK);
  store<u32>(s + WASI_SUBSCRIPTION_CLOCK_ID, WASI_CLOCK_MONOTONIC);
  store<u64>(s + WASI_SUBSCRIPTION_TIMEOUT, ns);
}

/** An fd-readable subscription at slot i, with the fd as its userdata. */
function readSub(i: i32, fd: i32): void {
  const s = subs + <usize>(i * WASI_SUBSCRIPTION_SIZE);
  memory.fill(s, 0, WASI_SUBSCRIPTION_SIZE);
  store<u64>(s + WASI_SUBSCRIPTION_USERDATA, <u64>fd);
  store<u8>(s + WASI_SUBSCRIPTION_TAG, <u8>WASI_EVENT_FD_READ);
  store<u32>(s + WASI_SUBSCRIPTION_CLOCK_ID, fd); // the fd of an fd subscription
}

/** Move what fd has to the host stream; false once fd is at its end (or broken). */
function drain(fd: i32, stream: i32): bool {
  const n = fdRead(fd, dataAt, CHUNK);
  if (n <= 0) return false;
  hostWriteAll(stream, dataAt, n);
  return true;
}

/** The pump: program output out, host input in, until fds 1 and 2 of the program are closed. */
function pump(outFd: i32, errFd: i32, inFd: i32): void {
  let out = outFd, err = errFd, input = inFd;
  let pending = 0, pendingAt = 0;
  while (out >= 0 || err >= 0) {
    let n = 0;
    if (out >= 0) readSub(n++, out);
    if (err >= 0) readSub(n++, err);
    if (input >= 0) clockSub(n++, STDIN_POLL_NS);
    const e = wasi(WASI_POLL_ONEOFF, subs, events, n, count);
    if (e != 0) fail("poll_oneoff: errno " + e.toString());
    const seen = load<u32>(count);
    for (let i: u32 = 0; i < seen; i++) {
      const fd = <i32>load<u64>(events + <usize>(i * WASI_EVENT_SIZE) + WASI_EVENT_USERDATA);
      if (fd == out && !drain(out, 1)) {
        fdClose(out);
        out = -1;
      } else if (fd == err && !drain(err, 2)) {
        fdClose(err);
        err = -1;
      }
    }
    if (input < 0) continue;
    if (pending == 0) {
      const r = host(HOST_READ, 0, stdinAt, CHUNK);
      if (r > 0) {
        pending = r;
        pendingAt = 0;
      } else if (r != -WASI_EAGAIN) { // the host's stdin has ended: so does the program's
        fdClose(input);
        input = -1;
        continue;
      }
    }
    if (pending > 0) {
      const w = fdWrite(input, stdinAt + pendingAt, pending);
      if (w > 0) {
        pending -= w;
        pendingAt += w;
      } else if (w != -WASI_EAGAIN) { // the program closed its stdin: the rest has nowhere to go
        fdClose(input);
        input = -1;
      }
    }
  }
  if (input >= 0) fdClose(input);
}

export function _start(): void {
  const s = startup();
  const dev = s.handle(TAG_DEVICE_BASE + HOST_DEVICE);
  if (dev <= 0) {
    debugLog("hostrun: no host device (it exists only under `oncrix run`)");
    processExit(1);
  }
  setHostDevice(dev);
  const self = s.handle(TAG_SELF);
  const guest = s.arg(1);
  const name = s.arg(2);
  const dirs = host(HOST_DIRS, 0, 0, 0);
  if (self <= 0 || guest.length == 0 || dirs < 0) fail("started without its SELF handle, image or host device");

  for (let i = 0; i < dirs; i++) {
    const e = unpack(i, FIRST_PREOPEN + i);
    if (e.length > 0) fail("--dir " + (i + 1).toString() + ": cannot copy it in: " + e);
  }

  const d = new SpawnDesc();
  const args = fromHost(HOST_ARGS, STARTUP_MAX_ARGS);
  const env = fromHost(HOST_ENV, STARTUP_MAX_ENV);
  if (args === null) fail("the arguments are longer than a program can be given (" + STARTUP_MAX_ARGS.toString() + " bytes)");
  if (env === null) fail("the environment is larger than a program can be given (" + STARTUP_MAX_ENV.toString() + " bytes)");
  d.args.reset().raw(args!.dataStart, args!.length);
  d.env.reset().raw(env!.dataStart, env!.length);
  d.name = name.length > 0 ? name : guest;
  const quota = s.arg(3);
  d.quotaPages = quota.length > 0 ? I32.parseInt(quota) : 4096;
  d.priority = 3;
  const outP = fdPipe();
  const errP = fdPipe();
  const inP = fdPipe();
  if (outP === null || errP === null || inP === null) fail("cannot make the program's pipes");
  d.giveFd(0, inP![0]);
  d.giveFd(1, outP![1]);
  d.giveFd(2, errP![1]);
  for (let i = 0; i < dirs; i++) d.giveFd(FIRST_PREOPEN + i, FIRST_PREOPEN + i);
  const child = spawnProgram(self, imageTable(), guest, d);
  if (child < 0) fail("cannot start the program: " + errorName(child));
  fdClose(inP![0]);
  fdClose(outP![1]);
  fdClose(errP![1]);
  wasi(WASI_FD_FDSTAT_SET_FLAGS, <u32>inP![1], WASI_FDFLAG_NONBLOCK); // the pump never waits on a full stdin

  pump(outP![0], errP![0], inP![1]);
  objectWait(child, SIG_TERMINATED);
  const info = new ProcessInfo();
  const r = processInfo(child, info);
  handleClose(child);
  let code = r == 0 ? info.exitCode : 1;
  if (code < 0) {
    hostSay(d.name + ": " + exitStatus(code));
    code = code == EXIT_KILLED ? 137 : isFaultExit(code) ? 134 : 1;
  }

  for (let i = 0; i < dirs; i++) {
    const e = pack(i, FIRST_PREOPEN + i);
    if (e.length > 0) {
      hostSay("--dir " + (i + 1).toString() + ": cannot copy it back: " + e);
      if (code == 0) code = 1;
    }
  }
  processExit(code);
}
