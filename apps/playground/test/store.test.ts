// The store's view state over the trace: pause/run, stepping by visible row,
// jumping by sequence number, slow-motion advance, and filtering.

import { beforeEach, describe, expect, it } from 'vitest';
import { TRACE, encodeTrace, type TraceEvent } from '@oncrix/abi';
import { usePlayground, MAX_EVENTS } from '../src/state/store.js';

function ev(seq: number, kind: number, pid: number): TraceEvent {
  return { seq, kind, kindName: String(kind), cpu: 0, time: seq * 1000, pid, args: new Array<number>(11).fill(0), data: new Uint8Array(0) };
}

describe('store', () => {
  beforeEach(() => {
    usePlayground.getState().resetTrace();
    usePlayground.getState().setFilter({ hiddenKinds: new Set(), hiddenPids: new Set() });
    usePlayground.getState().setSpeed(0);
    const events: TraceEvent[] = [];
    for (let i = 0; i < 10; i++) events.push(ev(100 + i, i % 2 === 0 ? TRACE.SYSCALL_ENTER : TRACE.MSG_SEND, 1));
    usePlayground.getState().ingest(events, 0);
  });

  it('pausing with nothing selected selects the newest event; stepping moves by one row', () => {
    const s = usePlayground.getState();
    expect(s.running).toBe(true);
    s.setRunning(false);
    expect(usePlayground.getState().cursor).toBe(9);
    usePlayground.getState().step(-1);
    expect(usePlayground.getState().cursor).toBe(8);
    usePlayground.getState().step(5);
    expect(usePlayground.getState().cursor).toBe(9);
  });

  it('steps over filtered events, and jumps by sequence number', () => {
    usePlayground.getState().setFilter({ hiddenKinds: new Set([TRACE.SYSCALL_ENTER]), hiddenPids: new Set() });
    expect(usePlayground.getState().jumpToSeq(103)).toBe(true);
    expect(usePlayground.getState().cursor).toBe(3);
    usePlayground.getState().step(1);
    expect(usePlayground.getState().cursor).toBe(5);
    expect(usePlayground.getState().jumpToSeq(104)).toBe(true); // filtered out: the next shown
    expect(usePlayground.getState().cursor).toBe(5);
    expect(usePlayground.getState().jumpToSeq(500)).toBe(false);
    expect(usePlayground.getState().running).toBe(false);
  });

  it('slow-motion playback advances the cursor without passing the end', () => {
    usePlayground.getState().setSpeed(10);
    usePlayground.getState().seekRow(2);
    usePlayground.getState().setRunning(true);
    usePlayground.getState().advance(3);
    expect(usePlayground.getState().cursor).toBe(5);
    usePlayground.getState().advance(100);
    expect(usePlayground.getState().cursor).toBe(9);
  });

  it('run after selecting an event follows the live end: the selection is let go', () => {
    usePlayground.getState().select(4);
    expect(usePlayground.getState().running).toBe(false);
    usePlayground.getState().setRunning(true);
    expect(usePlayground.getState().cursor).toBe(-1);
    expect(usePlayground.getState().running).toBe(true);
  });

  it('a selected event trimmed from the log is let go, not replaced by an unrelated one', () => {
    usePlayground.getState().select(4);
    // As the trace ring hands them over: raw records in bulk, folded within a budget over several calls.
    const one = encodeTrace([ev(200, TRACE.SIGNAL, 1)]);
    const bytes = new Uint8Array(one.length * MAX_EVENTS);
    for (let i = 0; i < MAX_EVENTS; i++) bytes.set(one, i * one.length);
    let calls = 1;
    let done = usePlayground.getState().ingestRecords((sink) => {
      sink(bytes);
      return 0;
    }, 50);
    for (; !done; calls++) done = usePlayground.getState().ingestRecords(() => 0, 50);
    const { model, cursor } = usePlayground.getState();
    expect(calls).toBeGreaterThan(1);
    expect(model.base).toBeGreaterThan(4);
    expect(cursor).toBe(-1);
  });
});
