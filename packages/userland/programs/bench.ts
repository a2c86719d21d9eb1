// bench: measures ONCRIX from inside, for `npm run bench`.
//
//   bench null N    N null syscalls: the bare cost of entering the kernel
//   bench send N    N one-way 64-byte messages to a child that reads them
//   bench spawn N   start N trivial processes (`true`) one after another, waiting for each
//
// Each mode prints one line `bench MODE: X ns/op (N ops)`, which the host
// benchmark reads. Times come from CLOCK_GET, so they are the kernel's clock.

import { TAG_SELF, TAG_PEER, SIG_TERMINATED, SIG_WRITABLE, SIG_PEER_CLOSED, ERR_SHOULD_WAIT } from "../../abi/assembly/index";
import {
  Handle, println, startup, imageTable, spawnProgram, SpawnDesc, processExit, channelCreate, channelWrite,
  handleClose, objectWait, clockNs, errorName, parseDecimal, nullCall, fixed, processInfo, ProcessInfo,
} from "../lib/index";

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

export function _start(): void {
  const args = startup().args;
  if (args.length < 2) fail("usage: bench null|send|spawn [N]");
  const n = args.length > 2 ? parseDecimal(args[2]) : 1000;
  if (n <= 0) fail("N must be a positive number");
  const self = startup().handle(TAG_SELF);
  const mode = args[1];
  if (mode == "null") benchNull(n);
  else if (mode == "send") benchSend(self, n);
  else if (mode == "spawn") benchSpawn(self, n);
  else fail("unknown mode " + mode);
}
