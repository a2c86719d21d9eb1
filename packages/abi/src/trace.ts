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
