// A scenario's recording: the raw kernel trace of one deterministic run
// (oncrix record), with the console text it printed, so that a page can open
// the scenario at any step without booting a machine.
//
// The idea: a recording says what its bytes depend on — its own format
// version, and a fingerprint of the trace record layout and the kind table
// (packages/abi) — and a reader refuses one whose format is newer than it
// knows, older than it still reads, or whose layout differs from this build's,
// with a message that says how to make a new one. The kernel build it was made
// with is kept too: a different kernel still replays (the layout is the
// same), but a live run from a step may then differ, which the page says.
// No DOM and no Node APIs beyond the web-standard streams both have.

import { decodeTrace, spec, type TraceEvent } from '@oncrix/abi';

/** The recording format this build writes. */
export const RECORDING_FORMAT = 1;
/** The oldest recording format this build still replays. */
export const RECORDING_OLDEST = 1;

/** What `recording` holds in a scenario file. */
export interface Recording {
  /** The recording format version (RECORDING_FORMAT when written by this build). */
  format: number;
  /** traceLayout() of the build that recorded it. */
  layout: string;
  /** The kernel build it ran (a digest of kernel.wasm), for telling a live run that may differ. */
  kernel: string;
  /** Raw 64-byte trace records, deflate-raw compressed, base64. */
  trace: string;
  /** Decoded events in the trace (DATA records folded in). */
  events: number;
  /** Everything the console printed. */
  console: string;
  /** The variant seed it ran with (null: the scenario has no variant); another seed's run is not this recording. */
  seed: number | null;
}

/** FNV-1a over a string's UTF-16 units: small, synchronous, the same in Node and the page. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A fingerprint of what decoding a recording depends on: the trace record's
 * size and fields and the trace kinds' names and numbers, as packages/abi
 * says them. A change to either gives another fingerprint.
 */
export function traceLayout(): string {
  const rec = spec.Layouts.TraceRecord;
  const fields = Object.entries(rec.fields).map(([name, f]) => `${name}@${f.offset}:${f.type}`);
  const kinds = Object.entries(spec.TraceKind).map(([name, k]) => `${name}=${k.value}`);
  return `t${rec.size}-${fnv1a([...fields, ...kinds, `args=${spec.TRACE_ARGS}`].join(','))}`;
}

/** The message for a recording this build cannot replay: what is wrong, and how to re-record it. */
function refusal(why: string): Error {
  return new Error(`${why}; re-record it with this build: oncrix record FILE (npm run record in apps/playground re-records the library)`);
}

/** Check a scenario's `recording` value: a Recording this build can replay, or an Error that says why not and how to re-record. */
export function checkRecording(value: unknown): Recording {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refusal('recording: not an object');
  const r = value as Record<string, unknown>;
  if (typeof r.format !== 'number' || !Number.isInteger(r.format)) throw refusal('recording.format: missing or not a whole number');
  if (r.format > RECORDING_FORMAT) throw refusal(`recording.format ${r.format} is newer than this build reads (${RECORDING_OLDEST}..${RECORDING_FORMAT})`);
  if (r.format < RECORDING_OLDEST) throw refusal(`recording.format ${r.format} is older than this build reads (${RECORDING_OLDEST}..${RECORDING_FORMAT})`);
  if (r.layout !== traceLayout()) throw refusal(`recording.layout ${String(r.layout)} differs from this build's trace layout ${traceLayout()}`);
  for (const k of ['kernel', 'trace', 'console'] as const) if (typeof r[k] !== 'string') throw refusal(`recording.${k}: missing or not a string`);
  if (r.seed !== null && (typeof r.seed !== 'number' || !Number.isInteger(r.seed))) throw refusal('recording.seed: not a whole number or null');
  if (typeof r.events !== 'number' || !Number.isInteger(r.events) || r.events < 0) throw refusal('recording.events: missing or not a count');
  return r as unknown as Recording;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function unbase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Compressed raw trace bytes in a base64 string (deflate-raw, by the caller's deflater: Node's zlib in the CLI). */
export function packTrace(deflated: Uint8Array): string {
  return base64(deflated);
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The decoded events of a checked recording; refused (with the re-record message) when its bytes do not decode to what it says. */
export async function recordedEvents(r: Recording): Promise<TraceEvent[]> {
  let raw: Uint8Array;
  try {
    raw = await inflate(unbase64(r.trace));
  } catch (e) {
    throw refusal(`recording.trace does not decompress (${(e as Error).message})`);
  }
  if (raw.byteLength % spec.Layouts.TraceRecord.size !== 0) throw refusal('recording.trace is not a whole number of trace records');
  const events = decodeTrace(raw);
  if (events.length !== r.events) throw refusal(`recording.trace holds ${events.length} events, not the ${r.events} it says`);
  return events;
}
