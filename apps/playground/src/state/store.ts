// The playground's state, in one zustand store fed from the kernel trace.
//
// The trace model and the visible rows are mutable objects owned by the store
// (see trace/model.ts for why); the store publishes their `version` so React
// components re-render when they change, while the sequence diagram reads
// them straight from `getState()` in its own animation frame. View state —
// the selected event, following the live end, the filter, the selected
// process, playback speed — are plain immutable fields.

import { create } from 'zustand';
import type { TraceEvent } from '@oncrix/abi';
import { createModel, applyEvents, appendRecords, foldRecords, unfolded, trimEvents, eventCount, eventAt, type TraceModel } from '../trace/model.js';
import { Rows, DEFAULT_FILTER, type TraceFilter } from '../trace/filter.js';

/**
 * Events kept in memory; beyond this the oldest quarter is dropped (the model
 * keeps what they built). Kept as raw records (about 80 bytes an event with
 * its columns, more with payload records), so 1.5 million events stay
 * near 150 MB.
 */
export const MAX_EVENTS = 1_500_000;

/** 'recorded': a recorded run is shown, no machine runs (scenario recordings). */
export type MachineStatus = 'loading' | 'booting' | 'running' | 'panic' | 'stopped' | 'error' | 'recorded';

export interface MachineInfo {
  status: MachineStatus;
  message: string;
  cpus: number;
  deterministic: boolean;
  /** Milliseconds from navigation (or reset) to the first shell prompt. */
  promptMs: number | null;
  /** Trace records lost because the page fell behind. */
  lost: number;
  /** Boot generation: bumped by every (re)boot. */
  generation: number;
  /** Which machine runs (mode.ts): isolated, or solo (no SharedArrayBuffer). */
  mode: 'isolated' | 'solo';
}

/** Playback speeds: events per second while running (0: follow the live end at once). */
export const SPEEDS = [0, 200, 50, 10, 2] as const;

export interface PlaygroundState {
  model: TraceModel;
  rows: Rows;
  /** Bumped whenever the model or the rows change. */
  version: number;
  filter: TraceFilter;
  /** Selected event (global number), or -1 (always while running live, and once the selected event is trimmed). */
  cursor: number;
  /** Running: the view follows new events; paused: it stays where it is (the machine keeps running). */
  running: boolean;
  /** Events per second while running; 0 = live. */
  speed: number;
  /** Process whose capabilities the inspector shows (null: the selected event's). */
  selectedPid: number | null;
  machine: MachineInfo;

  /** Fold decoded events in at once (tests, recorded traces). */
  ingest(events: readonly TraceEvent[], lost: number): void;
  /**
   * Take raw trace records in bulk — `take` hands each run of whole records
   * to `sink` (views of the trace ring may be passed: they are copied) and
   * returns how many records were lost so far — and fold for at most
   * budgetMs; what is left is folded by the next call. Returns whether
   * everything taken so far is folded.
   */
  ingestRecords(take: (sink: (bytes: Uint8Array) => void) => number, budgetMs?: number): boolean;
  resetTrace(): void;
  setMachine(patch: Partial<MachineInfo>): void;
  select(g: number): void;
  selectPid(pid: number | null): void;
  setRunning(on: boolean): void;
  toggleRunning(): void;
  setSpeed(speed: number): void;
  /** Move the selection by `delta` visible rows (pauses). */
  step(delta: number): void;
  /** Select the event at a visible row (the scrubber; pauses). */
  seekRow(row: number): void;
  /** Select the event with kernel sequence number seq, or the nearest after it. Returns false if none. */
  jumpToSeq(seq: number): boolean;
  /** Advance the playback cursor by n rows (slow-motion run). */
  advance(n: number): void;
  setFilter(f: TraceFilter): void;
}

export const usePlayground = create<PlaygroundState>()((set, get) => {
  /** After a batch was folded in: trim the oldest events if too many are kept, extend the visible rows, publish the new version. */
  const publish = (lost: number): void => {
    const { model, rows, filter, machine, version } = get();
    if (model.version === seenModelVersion && lost === machine.lost) return;
    seenModelVersion = model.version;
    if (eventCount(model) - model.base > MAX_EVENTS) {
      trimEvents(model, Math.floor(MAX_EVENTS / 4));
      rows.dropBefore(model.base);
      seenModelVersion = model.version;
    }
    rows.extend(model, filter);
    const cursor = get().cursor;
    set({
      version: version + 1,
      // A selected event that was trimmed is gone: let the selection go rather than select whatever is oldest now.
      cursor: cursor >= 0 && cursor < model.base ? -1 : cursor,
      machine: lost !== machine.lost ? { ...machine, lost } : machine,
    });
  };
  /** The model version the rows and the store's version were last brought up to. */
  let seenModelVersion = -1;

  return {
    model: createModel(),
    rows: new Rows(),
    version: 0,
    filter: DEFAULT_FILTER,
    cursor: -1,
    running: true,
    speed: 0,
    selectedPid: null,
    machine: { status: 'loading', message: '', cpus: 1, deterministic: false, promptMs: null, lost: 0, generation: 0, mode: 'isolated' },

    ingest(events, lost) {
      applyEvents(get().model, events);
      publish(lost);
    },

    ingestRecords(take, budgetMs = Infinity) {
      const { model } = get();
      const lost = take((bytes) => appendRecords(model, bytes));
      const done = unfolded(model) === 0 || foldRecords(model, budgetMs);
      publish(lost);
      return done;
    },

    resetTrace() {
      seenModelVersion = -1;
      set({ model: createModel(), rows: new Rows(), version: get().version + 1, cursor: -1, selectedPid: null, running: true });
    },

    setMachine(patch) {
      set({ machine: { ...get().machine, ...patch } });
    },

    select(g) {
      set({ cursor: g, running: false });
    },

    selectPid(pid) {
      set({ selectedPid: pid });
    },

    setRunning(on) {
      const { rows, cursor, speed } = get();
      // Pausing with nothing selected selects the newest event, so stepping starts from there.
      if (!on && cursor < 0 && rows.length > 0) set({ running: false, cursor: rows.at(rows.length - 1) });
      // Running live follows the newest events: nothing stays selected. (Slow motion plays on from the selection.)
      else if (on && speed === 0) set({ running: true, cursor: -1 });
      else set({ running: on });
    },

    toggleRunning() {
      get().setRunning(!get().running);
    },

    setSpeed(speed) {
      // Switching a running view to live lets the slow-motion cursor go, as run does.
      if (speed === 0 && get().running) set({ speed, cursor: -1 });
      else set({ speed });
    },

    step(delta) {
      const { rows, cursor } = get();
      if (rows.length === 0) return;
      let row: number;
      if (cursor < 0) row = delta > 0 ? 0 : rows.length - 1;
      else {
        const exact = rows.exactRow(cursor);
        const at = exact >= 0 ? exact : rows.rowOf(cursor) - (delta > 0 ? 1 : 0);
        row = at + delta;
      }
      row = Math.max(0, Math.min(rows.length - 1, row));
      set({ cursor: rows.at(row), running: false });
    },

    seekRow(row) {
      const { rows } = get();
      if (rows.length === 0) return;
      set({ cursor: rows.at(Math.max(0, Math.min(rows.length - 1, Math.round(row)))), running: false });
    },

    jumpToSeq(seq) {
      const { model, rows } = get();
      // Sequence numbers grow with the global number (gaps only where records were lost): search the kept events.
      let lo = model.base;
      let hi = eventCount(model);
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((eventAt(model, mid)?.seq ?? 0) < seq) lo = mid + 1;
        else hi = mid;
      }
      if (lo >= eventCount(model)) return false;
      const row = rows.rowOf(lo);
      if (row >= rows.length) return false;
      set({ cursor: rows.at(row), running: false });
      return true;
    },

    advance(n) {
      const { rows, cursor } = get();
      if (rows.length === 0 || n <= 0) return;
      const row = cursor < 0 ? 0 : rows.rowOf(cursor) + n;
      set({ cursor: rows.at(Math.min(rows.length - 1, row)) });
    },

    setFilter(f) {
      const { model } = get();
      set({ filter: f, rows: Rows.build(model, f), version: get().version + 1 });
    },
  };
});
