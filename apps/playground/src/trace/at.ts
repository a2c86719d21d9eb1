// The machine's state at a chosen event, rebuilt from the trace: the events
// up to it (and their DATA records) folded into a model of their own, so
// the inspectors show what the process table, the handle tables and memory
// were then — a process spawned later is absent, a handle transferred later
// is still with its sender — rather than the latest state with rows hidden.
//
// The idea: folding is the only way state is made (model.ts), so the state
// at event g is the fold of events 0..g. One rebuilt model is kept: stepping
// forward folds only the events since it. Stepping back folds again from the
// start, but over checkpoints — the source's events in chunks of CHECKPOINT,
// encoded as raw records once and kept — so it is a plain fold of raw bytes
// (no decoding), plus at most CHECKPOINT events decoded after the last whole
// chunk. A checkpoint holds records, not a copy of the model's maps.
// Only a model that still holds its first event can be rebuilt (model.base
// 0); a trimmed one gives its latest state.

import { encodeTrace } from '@oncrix/abi';
import { appendRecords, createModel, eventAt, eventCount, foldRecords, type TraceModel } from './model.js';

/** Events between the points a step back starts folding from. */
export const CHECKPOINT = 4096;

interface Built {
  source: TraceModel;
  model: TraceModel;
  /** The last event folded into `model`. */
  upTo: number;
}

let built: Built | null = null;
/** Raw records of events [k*CHECKPOINT, (k+1)*CHECKPOINT) of the source, encoded once. */
let chunks: { source: TraceModel; raw: Uint8Array[] } | null = null;

function chunkOf(source: TraceModel, k: number): Uint8Array {
  if (chunks?.source !== source) chunks = { source, raw: [] };
  const have = chunks.raw[k];
  if (have !== undefined && (k + 1) * CHECKPOINT <= eventCount(source)) return have;
  const events = [];
  for (let g = k * CHECKPOINT; g < Math.min((k + 1) * CHECKPOINT, eventCount(source)); g++) {
    const ev = eventAt(source, g);
    if (ev !== undefined) events.push(ev);
  }
  const raw = encodeTrace(events);
  if ((k + 1) * CHECKPOINT <= eventCount(source)) chunks.raw[k] = raw;
  return raw;
}

/** Fold the source's events from..to (inclusive) into `into`. */
function foldRange(source: TraceModel, into: TraceModel, from: number, to: number): void {
  const events = [];
  for (let g = from; g <= to; g++) {
    const ev = eventAt(source, g);
    if (ev !== undefined) events.push(ev);
  }
  appendRecords(into, encodeTrace(events));
  foldRecords(into);
}

/** The model as it was just after event g of `source` (g clamped to its events); `source` itself when it cannot be rebuilt. */
export function modelAt(source: TraceModel, g: number): TraceModel {
  const last = eventCount(source) - 1;
  if (source.base > 0 || g < 0 || last < 0) return source;
  const at = Math.min(g, last);
  if (built?.source === source && built.upTo === at) return built.model;
  if (built?.source !== source || built.upTo > at) {
    // Start again: whole checkpoint chunks first, then the rest.
    const model = createModel();
    const whole = Math.floor((at + 1) / CHECKPOINT);
    for (let k = 0; k < whole; k++) appendRecords(model, chunkOf(source, k));
    foldRecords(model);
    built = { source, model, upTo: whole * CHECKPOINT - 1 };
  }
  if (built.upTo < at) foldRange(source, built.model, built.upTo + 1, at);
  built.upTo = at;
  return built.model;
}
