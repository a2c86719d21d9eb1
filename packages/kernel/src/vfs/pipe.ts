// Pipes: a PIPE_BYTES ring in the kernel, a read end and a write end.
//
// The kernel copies straight between the ring and the caller's iovecs. A
// read takes what is there (at most what was asked), or gives end of file
// (0 bytes) once no write end is left, or waits; a write puts in what fits,
// or fails with PIPE once no read end is left, or waits. A read or write
// that had to wait is an Op in the pipe's `waiters`, retried whenever the
// pipe changes (bytes, room, an end closing) — poll_oneoff waits here the
// same way. The ring is charged to the process that made the pipe; the pipe
// lives while either end is open (each end holds a kernel reference).

import { OBJ_PIPE, PIPE_BYTES, K_BLOCKED, WASI_EPIPE } from '../../../abi/assembly/index';
import { KObject } from '../object';
import { dropKernelRef } from '../cap/ops';
import { copyIn, copyOut } from '../mm/user';
import { Op, live, finish } from './call';

export class Pipe extends KObject {
  /** The bytes: count of them from head, wrapping; and how many open files name each end. */
  ring: Uint8Array = new Uint8Array(PIPE_BYTES);
  head: u32 = 0; count: u32 = 0;
  readers: i32 = 0; writers: i32 = 0;
  /** Reads, writes and polls waiting for this pipe to change. */
  ops: Array<Op> = [];

  constructor() {
    super(OBJ_PIPE);
  }
}

/** Copy n bytes between the ring (from ring position at, wrapping) and op's segments: out = ring to caller. */
function transfer(pipe: Pipe, op: Op, at: u32, n: u32, out: bool): void {
  let done: u32 = 0;
  for (let i = 0; i < op.segs.length && done < n; i += 2) {
    let ptr = op.segs[i];
    let len = min(op.segs[i + 1], n - done);
    while (len > 0) {
      const pos = (at + done) % <u32>PIPE_BYTES;
      const chunk = min(len, <u32>PIPE_BYTES - pos);
      const k = pipe.ring.dataStart + <usize>pos;
      if (out) copyOut(op.p, k, ptr, chunk);
      else copyIn(op.p, ptr, k, chunk);
      ptr += chunk;
      len -= chunk;
      done += chunk;
    }
  }
}

/** Read into op's segments: bytes read (0: end of file), or K_BLOCKED when it must wait. */
export function pipeRead(pipe: Pipe, op: Op): i32 {
  if (op.total == 0) return 0;
  if (pipe.count == 0) return pipe.writers == 0 ? 0 : K_BLOCKED;
  const n = min(op.total, pipe.count);
  transfer(pipe, op, pipe.head, n, true);
  pipe.head = (pipe.head + n) % <u32>PIPE_BYTES;
  pipe.count -= n;
  changed(pipe);
  return <i32>n;
}

/** Write op's segments: bytes written, -WASI_EPIPE when no reader is left, or K_BLOCKED when it must wait. */
export function pipeWrite(pipe: Pipe, op: Op): i32 {
  if (pipe.readers == 0) return -WASI_EPIPE;
  if (op.total == 0) return 0;
  const room = <u32>PIPE_BYTES - pipe.count;
  if (room == 0) return K_BLOCKED;
  const n = min(op.total, room);
  transfer(pipe, op, pipe.head + pipe.count, n, false);
  pipe.count += n;
  changed(pipe);
  return <i32>n;
}

/** Bytes a reader would get now (or room a writer has), for poll_oneoff. */
export function pipeReady(pipe: Pipe, write: bool): u32 { return write ? <u32>PIPE_BYTES - pipe.count : pipe.count; }

/** Something about the pipe changed: retry everything waiting on it. */
export function changed(pipe: Pipe): void {
  if (pipe.ops.length == 0) return;
  const ops = pipe.ops;
  pipe.ops = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (!live(op)) continue;
    const r = op.retry(op);
    if (r != K_BLOCKED) finish(op, r);
    else if (pipe.ops.indexOf(op) < 0) pipe.ops.push(op);
  }
}

/** An end opens (a new open file names it). */
export function pipeOpenEnd(pipe: Pipe, write: bool): void {
  if (write) pipe.writers++; else pipe.readers++;
  pipe.kernelRefs++;
}

/** An end's last open file closed: readers see end of file, writers PIPE; the pipe dies with its last end. */
export function pipeCloseEnd(pipe: Pipe, write: bool): void {
  if (write) pipe.writers--; else pipe.readers--;
  changed(pipe);
  dropKernelRef(pipe);
}
