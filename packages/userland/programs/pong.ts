// pong: answer every call on its channel with the same bytes.
//
// The channel is the PEER end ping gives it, or a SERVICE end when a boot
// manifest starts pong as a service ({"serve": "pong"}). A call's first four
// bytes hold its transaction id, and a reply is a write that starts with
// that id — so writing the request straight back is the reply. One-way
// messages (id 0) are ignored. Pong ends when the other end closes
// (PEER_CLOSED).

import {
  TAG_PEER, TAG_SERVICE, MSG_MAX_BYTES, MSG_MAX_HANDLES, ERR_PEER_CLOSED,
} from "../../abi/assembly/index";
import {
  startup, println, channelRecv, channelReplyRecv, handleClose, Received, txidOf, errorName, processExit,
} from "../lib/index";

export function _start(): void {
  let peer = startup().handle(TAG_PEER);
  if (peer <= 0) peer = startup().handle(TAG_SERVICE);
  if (peer <= 0) {
    println("pong: no PEER or SERVICE channel");
    processExit(1);
  }
  const buf = new ArrayBuffer(MSG_MAX_BYTES);
  const m = changetype<usize>(buf);
  const handles = new StaticArray<u32>(MSG_MAX_HANDLES);
  const got = new Received();
  // One syscall per request: the reply and the wait for the next request go together (reply-and-wait).
  let n = channelRecv(peer, m, MSG_MAX_BYTES, changetype<usize>(handles), MSG_MAX_HANDLES, got);
  while (true) {
    if (n == ERR_PEER_CLOSED) return;
    if (n < 0) {
      println("pong: recv: " + errorName(n));
      processExit(1);
    }
    for (let i = 0; i < got.handles; i++) handleClose(<i32>handles[i]); // pong keeps no handles
    n = txidOf(m, n) != 0
      ? channelReplyRecv(peer, m, n, m, MSG_MAX_BYTES, changetype<usize>(handles), MSG_MAX_HANDLES, got)
      : channelRecv(peer, m, MSG_MAX_BYTES, changetype<usize>(handles), MSG_MAX_HANDLES, got);
  }
}
