// sink: reads and discards every message on its PEER channel until the other
// end closes — the receiving half of `bench send`.

import { TAG_PEER, MSG_MAX_BYTES, ERR_PEER_CLOSED } from "../../abi/assembly/index";
import { startup, channelRecv, processExit } from "../lib/index";

export function _start(): void {
  const peer = startup().handle(TAG_PEER);
  if (peer <= 0) processExit(1);
  const buf = new ArrayBuffer(MSG_MAX_BYTES);
  while (true) {
    const n = channelRecv(peer, changetype<usize>(buf), MSG_MAX_BYTES);
    if (n == ERR_PEER_CLOSED) return;
    if (n < 0) processExit(1);
  }
}
