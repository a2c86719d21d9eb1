// liboncrix: channels — create, write, read, and call/reply.
//
// A channel is two endpoints; a message is up to MSG_MAX_BYTES bytes plus up
// to MSG_MAX_HANDLES handles, which are moved (they leave the writer). A call
// writes a request and blocks until the reply carrying the same transaction
// id: the kernel stamps the id into the request's first four bytes, and the
// server answers by writing a message that starts with that id. `Call`
// builds the CallArgs block; `Received` reports what a read or call got.

import {
  SYS_CHANNEL_CREATE, SYS_CHANNEL_WRITE, SYS_CHANNEL_READ, SYS_CHANNEL_CALL,
  READ_ACTUAL_SIZE, READ_ACTUAL_BYTES, READ_ACTUAL_HANDLES,
  CALL_ARGS_SIZE, CALL_ARGS_WR_BYTES, CALL_ARGS_WR_LEN, CALL_ARGS_WR_HANDLES, CALL_ARGS_WR_NUM_HANDLES,
  CALL_ARGS_RD_BYTES, CALL_ARGS_RD_CAP, CALL_ARGS_RD_HANDLES, CALL_ARGS_RD_HANDLE_CAP, CALL_ARGS_TIMEOUT_US,
  CALL_ARGS_ACTUAL_BYTES, CALL_ARGS_ACTUAL_HANDLES, SYS_CHANNEL_RECV,
  RECV_ARGS_SIZE, RECV_ARGS_BYTES, RECV_ARGS_CAP, RECV_ARGS_HANDLES, RECV_ARGS_HANDLE_CAP, RECV_ARGS_ACTUAL_BYTES,
  RECV_ARGS_ACTUAL_HANDLES,
} from "../../abi/assembly/index";
import { syscall } from "./sys";
import { Handle } from "./handles";
import { FOREVER } from "./wait";

/** The two endpoints of a new channel, or an error. */
export class ChannelPair {
  error: i32 = 0;
  a: Handle = 0;
  b: Handle = 0;
}

const pairBlock = memory.data(8);

export function channelCreate(): ChannelPair {
  const pair = new ChannelPair();
  const r = syscall(SYS_CHANNEL_CREATE, <i32>pairBlock, 0, 0, 0, 0, 0);
  if (r < 0) {
    pair.error = r;
  } else {
    pair.a = load<i32>(pairBlock);
    pair.b = load<i32>(pairBlock + 4);
  }
  return pair;
}

/** Queue a message (moving numHandles handles from the u32 array at `handles`). SHOULD_WAIT when the peer's queue is full. */
export function channelWrite(h: Handle, bytes: usize, len: i32, handles: usize = 0, numHandles: i32 = 0): i32 {
  return syscall(SYS_CHANNEL_WRITE, h, <i32>bytes, len, <i32>handles, numHandles, 0);
}

/** Sizes of the message a read or call received (also when it did not fit). */
export class Received {
  bytes: i32 = 0;
  handles: i32 = 0;
}

const actualBlock = memory.data(READ_ACTUAL_SIZE);

/**
 * Take the next message without blocking: bytes into `bytes` (cap), handles
 * into the u32 array `handles` (handleCap). Returns the byte count, or
 * SHOULD_WAIT (empty), PEER_CLOSED (empty and the peer is gone),
 * BUFFER_TOO_SMALL (it stays queued; `got` says how big it is).
 */
export function channelRead(h: Handle, bytes: usize, cap: i32, handles: usize = 0, handleCap: i32 = 0,
  got: Received | null = null): i32 {
  store<u64>(actualBlock, 0);
  const r = syscall(SYS_CHANNEL_READ, h, <i32>bytes, cap, <i32>handles, handleCap, <i32>actualBlock);
  if (got !== null) {
    got.bytes = load<i32>(actualBlock + READ_ACTUAL_BYTES);
    got.handles = load<i32>(actualBlock + READ_ACTUAL_HANDLES);
  }
  return r;
}

const recvBlock = memory.data(RECV_ARGS_SIZE);

/**
 * Wait for the next message and take it (CHANNEL_RECV): like channelRead, but
 * blocks while the queue is empty — a server's whole loop is recv, answer,
 * recv. Returns the byte count, PEER_CLOSED once the queue is empty and the
 * peer is gone, TIMED_OUT, or BUFFER_TOO_SMALL (the message stays queued).
 */
export function channelRecv(h: Handle, bytes: usize, cap: i32, handles: usize = 0, handleCap: i32 = 0,
  got: Received | null = null, timeoutUs: i32 = -1): i32 {
  store<u32>(recvBlock + RECV_ARGS_BYTES, <u32>bytes);
  store<u32>(recvBlock + RECV_ARGS_CAP, <u32>cap);
  store<u32>(recvBlock + RECV_ARGS_HANDLES, <u32>handles);
  store<u32>(recvBlock + RECV_ARGS_HANDLE_CAP, <u32>handleCap);
  store<u64>(recvBlock + RECV_ARGS_ACTUAL_BYTES, 0);
  const r = syscall(SYS_CHANNEL_RECV, h, <i32>recvBlock, timeoutUs, 0, 0, 0);
  if (got !== null) {
    got.bytes = load<i32>(recvBlock + RECV_ARGS_ACTUAL_BYTES);
    got.handles = load<i32>(recvBlock + RECV_ARGS_ACTUAL_HANDLES);
  }
  return r;
}

/**
 * A server's reply-and-wait in one syscall: write `len` bytes at `reply` on h
 * (a reply to a call when they start with its transaction id), then wait for
 * the next message and take it into `bytes` (as channelRecv). Returns the new
 * message's byte count, or an error of the write or of the receive.
 */
export function channelReplyRecv(h: Handle, reply: usize, len: i32, bytes: usize, cap: i32, handles: usize = 0,
  handleCap: i32 = 0, got: Received | null = null): i32 {
  store<u32>(recvBlock + RECV_ARGS_BYTES, <u32>bytes);
  store<u32>(recvBlock + RECV_ARGS_CAP, <u32>cap);
  store<u32>(recvBlock + RECV_ARGS_HANDLES, <u32>handles);
  store<u32>(recvBlock + RECV_ARGS_HANDLE_CAP, <u32>handleCap);
  store<u64>(recvBlock + RECV_ARGS_ACTUAL_BYTES, 0);
  const r = syscall(SYS_CHANNEL_WRITE, h, <i32>reply, len, 0, 0, <i32>recvBlock);
  if (got !== null) {
    got.bytes = load<i32>(recvBlock + RECV_ARGS_ACTUAL_BYTES);
    got.handles = load<i32>(recvBlock + RECV_ARGS_ACTUAL_HANDLES);
  }
  return r;
}

/** CHANNEL_CALL with a ready-made CallArgs block (see `Call` for the friendly form). */
export function channelCallRaw(h: Handle, callArgs: usize): i32 {
  return syscall(SYS_CHANNEL_CALL, h, <i32>callArgs, 0, 0, 0, 0);
}

/**
 * One call: set the request and the reply buffers, then `invoke`. The request
 * must be at least 4 bytes (its first word becomes the transaction id).
 *
 *   const c = new Call().request(msg.ptr, msg.length).replyInto(buf, 64);
 *   if (c.invoke(h) == 0) use(c.replyBytes);
 */
export class Call {
  private block: ArrayBuffer = new ArrayBuffer(CALL_ARGS_SIZE);

  constructor() {
    this.set(CALL_ARGS_TIMEOUT_US, FOREVER);
  }

  private set(field: i32, v: i32): void {
    store<i32>(changetype<usize>(this.block) + <usize>field, v);
  }

  private get(field: i32): i32 {
    return load<i32>(changetype<usize>(this.block) + <usize>field);
  }

  request(bytes: usize, len: i32): Call {
    this.set(CALL_ARGS_WR_BYTES, <i32>bytes);
    this.set(CALL_ARGS_WR_LEN, len);
    return this;
  }

  /** Handles (a u32 array) moved with the request. */
  moving(handles: usize, count: i32): Call {
    this.set(CALL_ARGS_WR_HANDLES, <i32>handles);
    this.set(CALL_ARGS_WR_NUM_HANDLES, count);
    return this;
  }

  replyInto(bytes: usize, cap: i32): Call {
    this.set(CALL_ARGS_RD_BYTES, <i32>bytes);
    this.set(CALL_ARGS_RD_CAP, cap);
    return this;
  }

  /** Where handles moved with the reply land (a u32 array of cap entries). */
  replyHandlesInto(handles: usize, cap: i32): Call {
    this.set(CALL_ARGS_RD_HANDLES, <i32>handles);
    this.set(CALL_ARGS_RD_HANDLE_CAP, cap);
    return this;
  }

  /** Give up after timeoutUs microseconds (negative: never). */
  timeout(timeoutUs: i32): Call {
    this.set(CALL_ARGS_TIMEOUT_US, timeoutUs);
    return this;
  }

  /** Make the call on channel h; 0 when the reply arrived, else an error. */
  invoke(h: Handle): i32 {
    this.set(CALL_ARGS_ACTUAL_BYTES, 0);
    this.set(CALL_ARGS_ACTUAL_HANDLES, 0);
    return channelCallRaw(h, changetype<usize>(this.block));
  }

  /** Length of the reply (also set when BUFFER_TOO_SMALL). */
  get replyBytes(): i32 {
    return this.get(CALL_ARGS_ACTUAL_BYTES);
  }

  get replyHandles(): i32 {
    return this.get(CALL_ARGS_ACTUAL_HANDLES);
  }
}

/** The transaction id of a received message (0 for a one-way write). */
export function txidOf(message: usize, len: i32): u32 {
  return len >= 4 ? load<u32>(message) : 0;
}
