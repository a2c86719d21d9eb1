// The program the editor starts with: small, but it shows the three things
// the playground is about — a message, a capability moving inside it, and
// output on the console. It uses liboncrix exactly as the built-in programs
// do (packages/userland/programs).

export const TEMPLATE = `// My program. Press Run: it is compiled in your browser and started as
// \`prog\` from the shell. Then step through its IPC in the trace.
//
// It makes a channel (two endpoints), sends itself a message that carries
// a read-only copy of one endpoint, reads it back, and prints what arrived.

import { RIGHT_READ, RIGHT_WAIT, RIGHT_TRANSFER } from "../../abi/assembly/index";
import {
  println, channelCreate, channelWrite, channelRead, handleDuplicate, handleClose,
  Bytes, Received, errorName,
} from "../lib/index";

export function _start(): void {
  println("hello from my program!");

  const pair = channelCreate();
  if (pair.error < 0) {
    println("channel: " + errorName(pair.error));
    return;
  }

  // A copy of endpoint b with fewer rights. It travels inside the message,
  // so it needs TRANSFER (try without it: the write is refused).
  const gift = handleDuplicate(pair.b, RIGHT_READ | RIGHT_WAIT | RIGHT_TRANSFER);
  const message = new Bytes(64).u32(0).str("here is a handle");
  const moved = new StaticArray<i32>(1);
  moved[0] = gift;
  const w = channelWrite(pair.a, message.ptr, message.length, changetype<usize>(moved), 1);
  println("write: " + (w < 0 ? errorName(w) : "ok"));

  const buffer = new ArrayBuffer(64);
  const got = new StaticArray<i32>(1);
  const info = new Received();
  const n = channelRead(pair.b, changetype<usize>(buffer), 64, changetype<usize>(got), 1, info);
  if (n < 0) {
    println("read: " + errorName(n));
    return;
  }
  println("read " + n.toString() + " bytes and " + info.handles.toString() + " handle: " + got[0].toString());

  handleClose(got[0]);
  handleClose(pair.a);
  handleClose(pair.b);
}
`;
