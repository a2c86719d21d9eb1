// bench: measures ONCRIX from inside, for `npm run bench`.
//
//   bench null N    N null syscalls: the bare cost of entering the kernel
//   bench send N    N one-way 64-byte messages to a child that reads them
//   bench spawn N   start N trivial processes (`true`) one after another, waiting for each
//   bench pipe N    N MiB through a kernel pipe to a child (this program again) that reads it to EOF
//   bench file N    write an N MiB file through ramfs (the preopen of / at fd 3), then read it back
//
// Each mode prints one line, `bench MODE: X ns/op (N ops)` or, for the byte
// streams, `bench MODE: X MiB/s (N MiB)`, which the host benchmark reads.
// Times come from CLOCK_GET, so they are the kernel's clock. Bytes move in
// 64 KiB writes and reads, as cat and cp do.

import {
  TAG_SELF, TAG_PEER, SIG_TERMINATED, SIG_WRITABLE, SIG_PEER_CLOSED, ERR_SHOULD_WAIT, WASI_O_CREAT, WASI_O_TRUNC,
  WASI_PATH_UNLINK_FILE,
} from "../../abi/assembly/index";
import {
  Handle, println, startup, imageTable, spawnProgram, SpawnDesc, processExit, channelCreate, channelWrite,
  handleClose, objectWait, clockNs, errorName, parseDecimal, nullCall, fixed, processInfo, ProcessInfo,
  fdPipe, fdRead, fdWrite, fdClose, pathOpen, wasi, wasiErrorText,
} from "../lib/index";

const CHUNK = 65536;
const MIB: f64 = 1048576;
const chunk = new ArrayBuffer(CHUNK);
const chunkAt = changetype<usize>(chunk);
/** The preopen of / that the shell gives its children. */
const ROOT_FD = 3;

function report(mode: string, ns: f64, n: i32): void {
  println("bench " + mode + ": " + fixed(ns, 1) + " ns/op (" + n.toString() + " ops)");
}

function fail(text: string): void {
  println("bench: " + text);
  processExit(1);
}

/** Start program `name` as our child with `give` (if > 0) as its PEER; returns its process handle. */
function start(self: Handle, name: string, give: Handle): Handle {
  const me = new ProcessInfo();
  processInfo(self, me);
  const d = new SpawnDesc();
  d.setArgs([name]);
  d.priority = me.priority;
  d.quotaPages = 4;
  if (give > 0) d.give(give, TAG_PEER);
  return spawnProgram(self, imageTable(), name, d);
}

function benchNull(n: i32): void {
  const t0 = clockNs();
  for (let i = 0; i < n; i++) nullCall();
  report("null", (clockNs() - t0) / <f64>n, n);
}

function benchSend(self: Handle, n: i32): void {
  const pair = channelCreate();
  if (pair.error < 0) fail("channel: " + errorName(pair.error));
  const sink = start(self, "sink", pair.b);
  if (sink < 0) fail("cannot start sink: " + errorName(sink));
  const msg = new ArrayBuffer(64);
  const p = changetype<usize>(msg);
  store<u32>(p, 0); // no transaction id: a one-way message
  const t0 = clockNs();
  for (let i = 0; i < n; i++) {
    let r = channelWrite(pair.a, p, 64);
    while (r == ERR_SHOULD_WAIT) {
      objectWait(pair.a, SIG_WRITABLE | SIG_PEER_CLOSED);
      r = channelWrite(pair.a, p, 64);
    }
    if (r < 0) fail("write: " + errorName(r));
  }
  // The sink has read everything once our end reads as fully drained: close and wait for it to finish.
  handleClose(pair.a);
  objectWait(sink, SIG_TERMINATED);
  report("send", (clockNs() - t0) / <f64>n, n);
}

function benchSpawn(self: Handle, n: i32): void {
  const t0 = clockNs();
  for (let i = 0; i < n; i++) {
    const h = start(self, "true", 0);
    if (h < 0) fail("spawn: " + errorName(h));
    objectWait(h, SIG_TERMINATED);
    handleClose(h);
  }
  report("spawn", (clockNs() - t0) / <f64>n, n);
}

function reportRate(mode: string, mib: f64, ns: f64): void {
  println("bench " + mode + ": " + fixed(mib / (ns / 1e9), 1) + " MiB/s (" + fixed(mib, 0) + " MiB)");
}

/** Write n MiB to fd in CHUNK writes (the process ends, saying why, on an error). */
function writeMiB(fd: i32, n: i32): void {
  for (let i = 0; i < n * 16; i++) {
    for (let done = 0; done < CHUNK;) {
      const w = fdWrite(fd, chunkAt + done, CHUNK - done);
      if (w <= 0) fail("write: " + wasiErrorText(-w));
      done += w;
    }
  }
}

/** Read fd to its end in CHUNK reads; the bytes read. */
function readAll(fd: i32): i64 {
  let total: i64 = 0;
  let r = fdRead(fd, chunkAt, CHUNK);
  while (r > 0) {
    total += r;
    r = fdRead(fd, chunkAt, CHUNK);
  }
  if (r < 0) fail("read: " + wasiErrorText(-r));
  return total;
}

function benchPipe(self: Handle, n: i32): void {
  const p = fdPipe();
  if (p === null) fail("cannot make a pipe");
  const d = new SpawnDesc();
  d.setArgs(["bench", "pipe-sink"]);
  d.quotaPages = 4;
  d.giveFd(0, p![0]);
  const sink = spawnProgram(self, imageTable(), "bench", d);
  if (sink < 0) fail("cannot start the reader: " + errorName(sink));
  fdClose(p![0]);
  const t0 = clockNs();
  writeMiB(p![1], n);
  fdClose(p![1]); // EOF for the reader
  objectWait(sink, SIG_TERMINATED);
  reportRate("pipe", <f64>n, clockNs() - t0);
}

/** The reading end of `bench pipe`: read fd 0 to its end, exit 0 if it was all there. */
function pipeSink(): void {
  processExit(readAll(0) > 0 ? 0 : 1);
}

function benchFile(n: i32): void {
  const name = "bench-file.tmp";
  const t0 = clockNs();
  const w = pathOpen(ROOT_FD, name, WASI_O_CREAT | WASI_O_TRUNC, 0);
  if (w < 0) fail(name + ": " + wasiErrorText(-w));
  writeMiB(w, n);
  fdClose(w);
  const t1 = clockNs();
  const r = pathOpen(ROOT_FD, name, 0, 0);
  if (r < 0) fail(name + ": " + wasiErrorText(-r));
  const got = readAll(r);
  fdClose(r);
  const t2 = clockNs();
  if (got != <i64>n * 1048576) fail("read back " + got.toString() + " bytes");
  const p = String.UTF8.encode(name);
  wasi(WASI_PATH_UNLINK_FILE, ROOT_FD, changetype<usize>(p), p.byteLength);
  reportRate("file write", <f64>n, t1 - t0);
  reportRate("file read", <f64>n, t2 - t1);
  reportRate("file write+read", <f64>(2 * n), t2 - t0);
}

export function _start(): void {
  const args = startup().args;
  if (args.length == 2 && args[1] == "pipe-sink") {
    pipeSink();
    return;
  }
  if (args.length < 2) fail("usage: bench null|send|spawn|pipe|file [N]");
  const n = args.length > 2 ? parseDecimal(args[2]) : 1000;
  if (n <= 0) fail("N must be a positive number");
  const self = startup().handle(TAG_SELF);
  const mode = args[1];
  if (mode == "null") benchNull(n);
  else if (mode == "send") benchSend(self, n);
  else if (mode == "spawn") benchSpawn(self, n);
  else if (mode == "pipe") benchPipe(self, n);
  else if (mode == "file") benchFile(n);
  else fail("unknown mode " + mode);
}
