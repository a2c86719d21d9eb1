// Trace emission: every kernel event becomes one fixed 64-byte record (layout
// TraceRecord in the ABI) handed to the HAL. Bytes that belong to an event (a
// name, a message payload, a panic text) follow it as DATA records.
//
// Records carry a gap-free sequence number, so a consumer can tell when it
// lost some, and the kernel time, so a deterministic run yields the same
// bytes every time.

import * as hal from './hal';
import { now } from './clock';
import {
  TRACE_RECORD_SIZE, TRACE_RECORD_SEQ, TRACE_RECORD_KIND, TRACE_RECORD_CPU, TRACE_RECORD_FLAGS,
  TRACE_RECORD_TIME, TRACE_RECORD_PID, TRACE_RECORD_ARGS, TRACE_ARGS, TRACE_DATA_BYTES, TR_DATA, K_CPU_NONE,
} from '../../abi/assembly/index';

// Static buffers, not managed arrays: the panic path (reached from abort) may emit records.
const BATCH: i32 = 64;
const records: usize = memory.data(TRACE_RECORD_SIZE * BATCH);
let queued: i32 = 0;
let seq: u32 = 0;

/**
 * Hand the queued records to the HAL in one call. Records are batched
 * because a call into the host costs more than writing a record; every
 * kernel entry point flushes before it returns, so the host always sees the
 * complete trace of what the kernel did.
 */
export function flushTrace(): void {
  if (queued == 0) return;
  const n = queued;
  queued = 0;
  hal.trace(records, <u32>(n * TRACE_RECORD_SIZE));
}

/** Total records emitted so far. */
export function traceCount(): u32 {
  return seq;
}

function header(kind: i32, pid: i32, cpu: i32): usize {
  if (queued == BATCH) flushTrace();
  const p = records + <usize>(queued++ * TRACE_RECORD_SIZE);
  memory.fill(p, 0, TRACE_RECORD_SIZE);
  store<u32>(p + TRACE_RECORD_SEQ, seq++);
  store<u16>(p + TRACE_RECORD_KIND, <u16>kind);
  store<u8>(p + TRACE_RECORD_CPU, <u8>(cpu < 0 ? K_CPU_NONE : cpu));
  store<f64>(p + TRACE_RECORD_TIME, now());
  store<i32>(p + TRACE_RECORD_PID, pid);
  return p;
}

/** Emit one event with up to seven arguments; the record's other argument slots (TRACE_ARGS in all) stay 0. */
export function emit(kind: i32, pid: i32, cpu: i32, a0: i32 = 0, a1: i32 = 0, a2: i32 = 0, a3: i32 = 0,
  a4: i32 = 0, a5: i32 = 0, a6: i32 = 0): void {
  const p = header(kind, pid, cpu);
  const a = p + TRACE_RECORD_ARGS;
  store<i32>(a, a0); store<i32>(a + 4, a1); store<i32>(a + 8, a2); store<i32>(a + 12, a3);
  store<i32>(a + 16, a4); store<i32>(a + 20, a5); store<i32>(a + 24, a6);
}

/** Emit DATA records carrying len bytes at kernel address src (after the event they belong to). */
export function emitData(pid: i32, src: usize, len: u32): void {
  let off: u32 = 0;
  while (off < len) {
    const n = min<u32>(len - off, <u32>TRACE_DATA_BYTES);
    const p = header(TR_DATA, pid, -1);
    store<u8>(p + TRACE_RECORD_FLAGS, <u8>n);
    memory.copy(p + TRACE_RECORD_ARGS, src + off, n);
    off += n;
  }
  assert(TRACE_ARGS * 4 == TRACE_DATA_BYTES);
}

/** Emit a string as DATA records (UTF-8). */
export function emitText(pid: i32, text: string): void {
  const bytes = String.UTF8.encode(text);
  emitData(pid, changetype<usize>(bytes), <u32>bytes.byteLength);
}
