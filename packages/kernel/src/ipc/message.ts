// A message in flight: a kernel copy of the payload bytes plus the handles it
// moves. While queued, the handles belong to the message (no table; carrier =
// the message), and the payload bytes are charged to the sender, so queued
// data counts against the sender's quota until someone reads it.

import { Carrier } from '../object';
import { Process } from '../process/process';

export class Message extends Carrier {
  /** The payload, in a buffer of its own (one allocation: a queue full of messages is few objects for the collector). */
  data: ArrayBuffer;
  txid: u32 = 0;
  senderPid: i32;
  /** Whose quota pays for the payload while it is queued. */
  payer: Process | null = null;

  constructor(len: i32, senderPid: i32) {
    super();
    this.data = new ArrayBuffer(len);
    this.senderPid = senderPid;
  }

  /** Kernel address of the payload. */
  get at(): usize {
    return changetype<usize>(this.data);
  }

  /** Payload bytes. */
  get length(): i32 {
    return this.data.byteLength;
  }
}

/** Message counters for statistics and the no-loss invariant. */
export class MessageStats {
  sent: u32 = 0;
  delivered: u32 = 0;
  dropped: u32 = 0;
}

export const messageStats = new MessageStats();
