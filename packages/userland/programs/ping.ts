// ping [N]: time N calls to a pong process over a fresh channel.
//
// Ping creates a channel, starts `pong` (found by name in the image table) as
// its own child with the other end tagged PEER, makes N CHANNEL_CALLs (10 by
// default) and prints the average round trip measured with CLOCK_GET. Closing
// its end afterwards tells pong to finish (PEER_CLOSED).

import { TAG_SELF, SIG_TERMINATED, MSG_MAX_BYTES } from "../../abi/assembly/index";
import {
  println, startup, spawnWithPeer, processKill, processExit, channelCreate, handleClose, objectWait, Call, Bytes, clockNs,
  errorName, parseDecimal, micros,
} from "../lib/index";

const DEFAULT_COUNT = 10;
const PONG_QUOTA = 8;

function fail(text: string): void {
  println("ping: " + text);
  processExit(1);
}

export function _start(): void {
  const args = startup().args;
  const count = args.length > 1 ? parseDecimal(args[1]) : DEFAULT_COUNT;
  if (count <= 0) fail("usage: ping [N], N a positive number");
  const self = startup().handle(TAG_SELF);
  if (self <= 0) fail("needs a SELF handle that may spawn");

  const pair = channelCreate();
  if (pair.error < 0) fail("channel: " + errorName(pair.error));
  const pong = spawnWithPeer(self, "pong", pair.b, PONG_QUOTA);
  if (pong < 0) fail("cannot start pong: " + errorName(pong));

  const request = new Bytes(32);
  const reply = new ArrayBuffer(MSG_MAX_BYTES);
  const call = new Call();
  // One call before the clock starts: pong's start-up is not part of a round trip.
  request.reset().u32(0).u32(0xffffffff).str("ping");
  const warm = call.request(request.ptr, request.length).replyInto(changetype<usize>(reply), MSG_MAX_BYTES).invoke(pair.a);
  if (warm < 0) fail("pong does not answer: " + errorName(warm));
  let ok = 0;
  const t0 = clockNs();
  for (let i = 0; i < count; i++) {
    request.reset().u32(0).u32(<u32>i).str("ping");
    const r = call.request(request.ptr, request.length).replyInto(changetype<usize>(reply), MSG_MAX_BYTES).invoke(pair.a);
    if (r < 0) {
      println("ping: call " + i.toString() + " failed: " + errorName(r));
      break;
    }
    // pong sends the request back: same length, same sequence number after the transaction id.
    if (call.replyBytes == request.length && load<u32>(changetype<usize>(reply) + 4) == <u32>i) ok++;
  }
  const elapsedUs = (clockNs() - t0) / 1000;

  handleClose(pair.a); // pong sees PEER_CLOSED and ends
  if (objectWait(pong, SIG_TERMINATED, 1000000) < 0) processKill(pong);
  handleClose(pong);

  if (ok == 0) fail("no replies");
  println("ping: " + ok.toString() + " replies, " + micros(elapsedUs / ok) + " avg");
  if (ok < count) processExit(1);
}
