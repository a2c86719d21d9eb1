// liboncrix: answering the supervisor's heartbeat.
//
// A program whose manifest entry asks for a heartbeat is started with a
// channel tagged HEARTBEAT. The supervisor (init) writes a ping on it — a
// few bytes, a sequence number — and expects the same bytes back before a
// deadline; a program that does not answer in time is taken for hung and
// killed, then restarted by its policy. A program answers from its event
// loop: add heartbeatHandle() to its WaitSet for READABLE, and call
// answerHeartbeats() when it is. A hung loop answers nothing, which is the
// point: the ping waits in the same loop as the real work.

import { TAG_HEARTBEAT, ERR_SHOULD_WAIT, ERR_PEER_CLOSED } from "../../abi/assembly/index";
import { HEARTBEAT_BYTES } from "./protocol";
import { Handle } from "./handles";
import { channelRead, channelWrite } from "./channel";
import { startup } from "./startup";

const ping = memory.data(16);

/** The heartbeat channel this process was started with (0: none was asked for). */
export function heartbeatHandle(): Handle {
  const h = startup().handle(TAG_HEARTBEAT);
  return h > 0 ? h : 0;
}

/** Echo every ping waiting on h back to the supervisor. Returns false once the supervisor's end is gone. */
export function answerHeartbeats(h: Handle): bool {
  while (true) {
    const n = channelRead(h, ping, 16);
    if (n == ERR_SHOULD_WAIT) return true;
    if (n == ERR_PEER_CLOSED) return false;
    if (n < 0) return true;
    channelWrite(h, ping, min(n, HEARTBEAT_BYTES));
  }
  return true;
}
