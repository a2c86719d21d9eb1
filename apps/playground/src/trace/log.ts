// The trace as the kernel wrote it: raw 64-byte records (layout TraceRecord
// in the ABI) kept in fixed-size chunks, and the per-event columns the model
// adds beside them.
//
// The idea: a busy machine writes hundreds of thousands of records a second,
// and the page draws a few dozen of them. So records leave the trace ring as
// bytes, in bulk (one copy per ring piece, no object per record), and stay
// bytes: the model reads the few fields it folds straight from them, and a
// view decodes an event into a TraceEvent only when it shows it. A million
// records take 64 MB of chunks and nothing on the JavaScript heap beyond
// them. Record numbers are absolute (from the first record this log saw),
// so dropping the oldest chunks never renumbers anything.

import { TRACE_RECORD_BYTES, decodeRecord, offsetOf, type TraceEvent } from '@oncrix/abi';

/** Records per chunk (a power of two): 16,384 records, 1 MiB. */
const CHUNK_SHIFT = 14;
export const CHUNK_RECORDS = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_RECORDS - 1;
const WORDS = TRACE_RECORD_BYTES / 4;

/** Where each field sits in a record, in the unit of the view that reads it (layout TraceRecord). */
const SEQ_WORD = offsetOf('TraceRecord', 'seq') / 4;
const KIND_BYTE = offsetOf('TraceRecord', 'kind');
const CPU_BYTE = offsetOf('TraceRecord', 'cpu');
const FLAGS_BYTE = offsetOf('TraceRecord', 'flags');
const TIME_FLOAT = offsetOf('TraceRecord', 'time') / 8;
const PID_WORD = offsetOf('TraceRecord', 'pid') / 4;
const ARGS_WORD = offsetOf('TraceRecord', 'args') / 4;
export const ARGS_BYTE = offsetOf('TraceRecord', 'args');

interface Chunk {
  bytes: Uint8Array;
  words: Int32Array;
  floats: Float64Array;
  view: DataView;
}

function newChunk(): Chunk {
  const buffer = new ArrayBuffer(CHUNK_RECORDS * TRACE_RECORD_BYTES);
  return { bytes: new Uint8Array(buffer), words: new Int32Array(buffer), floats: new Float64Array(buffer), view: new DataView(buffer) };
}

/** Raw trace records, appended in bulk, read field by field. */
export class TraceLog {
  private chunks: Chunk[] = [];
  /** Absolute number of the first record kept (a multiple of CHUNK_RECORDS). */
  private first = 0;
  /** One past the newest record. */
  end = 0;

  /** Append whole records (a multiple of 64 bytes; the source may be a view of shared memory, which is copied). */
  append(src: Uint8Array): void {
    let at = 0;
    while (at < src.length) {
      const i = (this.end >>> CHUNK_SHIFT) - (this.first >>> CHUNK_SHIFT);
      const chunk = this.chunks[i] ?? newChunk();
      this.chunks[i] = chunk;
      const offset = (this.end & CHUNK_MASK) * TRACE_RECORD_BYTES;
      const n = Math.min(src.length - at, chunk.bytes.length - offset);
      chunk.bytes.set(src.subarray(at, at + n), offset);
      at += n;
      this.end += n / TRACE_RECORD_BYTES;
    }
  }

  /** The oldest record kept. */
  get start(): number {
    return this.first;
  }

  /** Forget whole chunks of records below r. */
  dropBefore(r: number): void {
    const k = (r >>> CHUNK_SHIFT) - (this.first >>> CHUNK_SHIFT);
    if (k <= 0) return;
    this.chunks.splice(0, k);
    this.first += k * CHUNK_RECORDS;
  }

  /** Bytes held by the chunks. */
  get heldBytes(): number {
    return this.chunks.length * CHUNK_RECORDS * TRACE_RECORD_BYTES;
  }

  private chunk(r: number): Chunk {
    const c = this.chunks[(r >>> CHUNK_SHIFT) - (this.first >>> CHUNK_SHIFT)];
    if (c === undefined || r >= this.end) throw new RangeError(`trace record ${r} is not kept`);
    return c;
  }

  kind(r: number): number {
    const b = this.chunk(r).bytes;
    const at = (r & CHUNK_MASK) * TRACE_RECORD_BYTES + KIND_BYTE;
    return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
  }

  /** DATA records: how many payload bytes the record carries. */
  flags(r: number): number {
    return this.chunk(r).bytes[(r & CHUNK_MASK) * TRACE_RECORD_BYTES + FLAGS_BYTE] ?? 0;
  }

  pid(r: number): number {
    return this.chunk(r).words[(r & CHUNK_MASK) * WORDS + PID_WORD] ?? 0;
  }

  arg(r: number, i: number): number {
    return this.chunk(r).words[(r & CHUNK_MASK) * WORDS + ARGS_WORD + i] ?? 0;
  }

  /**
   * Fill ev with record r's fields, its arguments into ev.args (the fold's one
   * reused event: a field at a time, from one look-up of the record's chunk).
   */
  fill(r: number, ev: TraceEvent): void {
    const c = this.chunk(r);
    const i = r & CHUNK_MASK;
    const w = i * WORDS;
    const b = i * TRACE_RECORD_BYTES;
    ev.seq = c.words[w + SEQ_WORD] ?? 0;
    ev.kind = (c.bytes[b + KIND_BYTE] ?? 0) | ((c.bytes[b + KIND_BYTE + 1] ?? 0) << 8);
    ev.cpu = c.bytes[b + CPU_BYTE] ?? 0;
    ev.time = c.floats[i * (WORDS / 2) + TIME_FLOAT] ?? 0;
    ev.pid = c.words[w + PID_WORD] ?? 0;
    const out = ev.args;
    for (let k = 0; k < out.length; k++) out[k] = c.words[w + ARGS_WORD + k] ?? 0;
  }

  /** Record r as a TraceEvent (a DATA record with its payload; an event's DATA records are the caller's to join). */
  decode(r: number): TraceEvent {
    return decodeRecord(this.chunk(r).view, (r & CHUNK_MASK) * TRACE_RECORD_BYTES);
  }

  /** The payload of DATA record r, copied out (n bytes from its argument area). */
  payload(r: number, n: number): Uint8Array {
    const at = (r & CHUNK_MASK) * TRACE_RECORD_BYTES + ARGS_BYTE;
    return this.chunk(r).bytes.slice(at, at + n);
  }
}

/** A growable column of 32-bit integers, one per event, whose front can be dropped. */
export class IntColumn {
  private buf = new Int32Array(1024);
  private head = 0;
  length = 0;

  push(v: number): void {
    if (this.head + this.length === this.buf.length) {
      // Reclaim the dropped front first; grow only when the column is more than half full.
      const bigger = this.length * 2 > this.buf.length ? new Int32Array(this.buf.length * 2) : this.buf;
      bigger.set(this.buf.subarray(this.head, this.head + this.length));
      this.buf = bigger;
      this.head = 0;
    }
    this.buf[this.head + this.length++] = v;
  }

  get(i: number): number {
    return i >= 0 && i < this.length ? (this.buf[this.head + i] ?? -1) : -1;
  }

  set(i: number, v: number): void {
    if (i >= 0 && i < this.length) this.buf[this.head + i] = v;
  }

  dropFront(n: number): void {
    const k = Math.min(n, this.length);
    this.head += k;
    this.length -= k;
  }

  /** Bytes held. */
  get heldBytes(): number {
    return this.buf.byteLength;
  }
}
