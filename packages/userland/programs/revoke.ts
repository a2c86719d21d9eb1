// revoke: a capability handed on with fewer rights, and taken back.
//
// It creates a channel, keeps one end (A) to call on, and makes of the
// other (B) a derived handle with fewer rights (read, write, wait, transfer: no
// duplicate) which it moves to a child pong as its PEER. One call through A
// is answered by pong. Then it revokes B: the kernel closes every handle
// derived from B — pong's, in pong's own table — though pong never gave it
// up; pong's wait ends (its handle is gone) and it exits. A second call
// through A then fails: nobody holds the other end any more.

import {
  TAG_SELF, SIG_TERMINATED, MSG_MAX_BYTES, RIGHT_READ, RIGHT_WRITE, RIGHT_WAIT, RIGHT_TRANSFER,
} from "../../abi/assembly/index";
import {
  Handle, println, startup, spawnWithPeer, processKill, processExit, channelCreate,
  handleDuplicate, handleClose, handleRevoke, objectWait, Call, Bytes, errorName,
} from "../lib/index";

function fail(text: string): void {
  println("revoke: " + text);
  processExit(1);
}

function call(a: Handle, seq: u32): i32 {
  const request = new Bytes(16);
  const reply = new ArrayBuffer(MSG_MAX_BYTES);
  request.reset().u32(0).u32(seq).str("hi");
  return new Call().request(request.ptr, request.length).replyInto(changetype<usize>(reply), MSG_MAX_BYTES).invoke(a);
}

export function _start(): void {
  const self = startup().handle(TAG_SELF);
  if (self <= 0) fail("needs a SELF handle that may spawn");
  const pair = channelCreate();
  if (pair.error < 0) fail("channel: " + errorName(pair.error));
  const derived = handleDuplicate(pair.b, RIGHT_READ | RIGHT_WRITE | RIGHT_WAIT | RIGHT_TRANSFER);
  if (derived < 0) fail("duplicate: " + errorName(derived));
  println("revoke: B is handle " + pair.b.toString() + "; gave pong a copy with fewer rights (read, write, wait, transfer: no duplicate)");
  const pong = spawnWithPeer(self, "pong", derived, 8);
  if (pong < 0) fail("cannot start pong: " + errorName(pong));
  const first = call(pair.a, 1);
  println("revoke: call before the revoke: " + (first < 0 ? errorName(first) : "answered"));
  const closed = handleRevoke(pair.b);
  println("revoke: revoked B: " + (closed < 0 ? errorName(closed) : closed.toString() + " derived handle(s) closed"));
  handleClose(pair.b);
  if (objectWait(pong, SIG_TERMINATED, 1000000) < 0) processKill(pong);
  handleClose(pong);
  const second = call(pair.a, 2);
  println("revoke: call after the revoke: " + (second < 0 ? errorName(second) : "answered"));
  handleClose(pair.a);
}
