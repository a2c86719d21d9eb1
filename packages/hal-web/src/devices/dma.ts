// The request block the host, files and loader devices take (HostRequest in
// packages/abi/src/hostio.ts): one register, written with the address of the
// block in the memory of the process writing it. The device reads the block
// and its buffer straight from that memory, checking each range against the
// memory's size as the kernel's copies do, and writes the result back.

import { WASI_ERRNO, offsetOf, sizeOf } from '@oncrix/abi';

const REQ = sizeOf('HostRequest');
const F = {
  op: offsetOf('HostRequest', 'op'),
  arg: offsetOf('HostRequest', 'arg'),
  buf: offsetOf('HostRequest', 'buf'),
  len: offsetOf('HostRequest', 'len'),
  offset: offsetOf('HostRequest', 'offset'),
  result: offsetOf('HostRequest', 'result'),
};

/** One request as the device sees it: its fields, its buffer, and a way to write fields back. */
export interface DmaRequest {
  op: number;
  arg: number;
  buf: Uint8Array;
  offset: number;
  /** Write the block's arg or offset field (a device that answers in more than the result). */
  setArg(v: number): void;
  setOffset(v: number): void;
}

/** A device's answer, or -EIO if the device model itself failed (it must never take the kernel host down). */
function guarded(serve: () => number): number {
  try {
    return serve();
  } catch {
    return -WASI_ERRNO.IO;
  }
}

/**
 * Serve a write of `value` (the block's address) to register `reg` of a DMA
 * device: a request outside the memory is ignored (no block to answer in),
 * a buffer outside it answers -FAULT.
 */
export function serveDma(mem: Uint8Array | undefined, reg: number, value: number, serve: (r: DmaRequest) => number): void {
  const at = value >>> 0;
  if (reg !== 0 || mem === undefined || at + REQ > mem.length) return;
  const v = new DataView(mem.buffer, mem.byteOffset + at, REQ);
  const buf = v.getUint32(F.buf, true);
  const len = v.getUint32(F.len, true);
  let result: number;
  if (buf + len > mem.length) {
    result = -WASI_ERRNO.FAULT;
  } else {
    result = guarded(() => serve({
      op: v.getUint32(F.op, true),
      arg: v.getUint32(F.arg, true),
      buf: mem.subarray(buf, buf + len),
      offset: Number(v.getBigUint64(F.offset, true)),
      setArg: (x) => v.setUint32(F.arg, x, true),
      setOffset: (x) => v.setBigUint64(F.offset, BigInt(x), true),
    }));
  }
  v.setInt32(F.result, result, true);
}
