// Decoding of kernel trace records (layout TraceRecord in spec.ts).
//
// The kernel emits fixed 64-byte records. A record may be followed by DATA
// records carrying bytes that belong to it (a process name, a message payload,
// a panic message); `decodeTrace` folds those into the record before them, so
// a consumer sees one event per kernel action.

import { Layouts, TraceKind, TRACE_ARGS, TRACE_DATA_BYTES } from './spec.js';
import { nameOf } from './tables.js';

export const TRACE_RECORD_BYTES = Layouts.TraceRecord.size;

/** One decoded kernel event. */
export interface TraceEvent {
  seq: number;
  kind: number;
  /** TraceKind name, e.g. "MSG_SEND". */
  kindName: string;
  /** CPU the event happened on, or 255 for none. */
  cpu: number;
  /** Kernel time in nanoseconds. */
  time: number;
  pid: number;
  args: number[];
  /** Bytes attached by following DATA records (empty when none). */
  data: Uint8Array;
}

/** Decode one raw record at `offset` of `view`. DATA records keep their bytes in `data`. */
export function decodeRecord(view: DataView, offset: number): TraceEvent {
  const kind = view.getUint16(offset + 4, true);
  const flags = view.getUint8(offset + 7);
  const args: number[] = [];
  for (let i = 0; i < TRACE_ARGS; i++) args.push(view.getInt32(offset + 20 + 4 * i, true));
  let data: Uint8Array = new Uint8Array(0);
  if (kind === TraceKind.DATA.value) {
    const n = Math.min(flags, TRACE_DATA_BYTES);
    // Copied out, so the event never aliases a (possibly shared) ring buffer.
    data = new Uint8Array(n);
    data.set(new Uint8Array(view.buffer, view.byteOffset + offset + 20, n));
  }
  return {
    seq: view.getUint32(offset, true),
    kind,
    kindName: nameOf(TraceKind, kind) ?? `KIND_${kind}`,
    cpu: view.getUint8(offset + 6),
    time: view.getFloat64(offset + 8, true),
    pid: view.getInt32(offset + 16, true),
    args,
    data,
  };
}

/** Decode a run of raw records, folding DATA records into the event before them. */
export function decodeTrace(bytes: Uint8Array): TraceEvent[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: TraceEvent[] = [];
  for (let off = 0; off + TRACE_RECORD_BYTES <= bytes.byteLength; off += TRACE_RECORD_BYTES) {
    const ev = decodeRecord(view, off);
    const last = events[events.length - 1];
    if (ev.kind === TraceKind.DATA.value && last !== undefined) {
      const joined = new Uint8Array(last.data.length + ev.data.length);
      joined.set(last.data);
      joined.set(ev.data, last.data.length);
      last.data = joined;
    } else {
      events.push(ev);
    }
  }
  return events;
}

/**
 * Encode events as the kernel writes them, the inverse of decodeTrace: one
 * record per event, then DATA records carrying its data bytes (numbered after
 * it), and a DATA event as one DATA record. For tests and recorded traces.
 */
export function encodeTrace(events: readonly TraceEvent[]): Uint8Array {
  const f = Layouts.TraceRecord.fields;
  let records = 0;
  for (const e of events) records += e.kind === TraceKind.DATA.value ? 1 : 1 + Math.ceil(e.data.length / TRACE_DATA_BYTES);
  const bytes = new Uint8Array(records * TRACE_RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const header = (seq: number, kind: number, cpu: number, time: number, pid: number): number => {
    const r = at;
    at += TRACE_RECORD_BYTES;
    view.setUint32(r + f.seq.offset, seq >>> 0, true);
    view.setUint16(r + f.kind.offset, kind, true);
    view.setUint8(r + f.cpu.offset, cpu);
    view.setFloat64(r + f.time.offset, time, true);
    view.setInt32(r + f.pid.offset, pid, true);
    return r;
  };
  const payload = (r: number, chunk: Uint8Array): void => {
    view.setUint8(r + f.flags.offset, chunk.length);
    bytes.set(chunk, r + f.args.offset);
  };
  for (const e of events) {
    const r = header(e.seq, e.kind, e.cpu, e.time, e.pid);
    if (e.kind === TraceKind.DATA.value) {
      payload(r, e.data.subarray(0, TRACE_DATA_BYTES));
      continue;
    }
    e.args.slice(0, TRACE_ARGS).forEach((a, i) => view.setInt32(r + f.args.offset + 4 * i, a, true));
    for (let off = 0, n = 1; off < e.data.length; off += TRACE_DATA_BYTES, n++) {
      payload(header(e.seq + n, TraceKind.DATA.value, e.cpu, e.time, e.pid), e.data.subarray(off, off + TRACE_DATA_BYTES));
    }
  }
  return bytes;
}
