// A scenario's annotations pinned to events by kind, process and occurrence
// (src/embed/annotation.ts): the annotation shown is the last step's whose
// event is at or before the selection, so it stays up while the reader steps
// through what follows, and none shows before the first step's event.

import { describe, expect, it } from 'vitest';
import { TRACE, type TraceEvent } from '@oncrix/abi';
import { createModel, applyEvents, type TraceModel } from '../src/trace/model.js';
import { annotationAt, findMatch } from '../src/embed/annotation.js';

let seq = 0;
function ev(kind: number, pid: number, args: number[] = [], data = ''): TraceEvent {
  const name = Object.entries(TRACE).find(([, v]) => v === kind)?.[0] ?? '?';
  return { seq: seq++, kind, kindName: name, cpu: 0, time: seq * 1000, pid, args: [...args, ...new Array<number>(11 - args.length).fill(0)], data: new TextEncoder().encode(data) };
}

/** init (1), ping (2), pong (3); then ping sends twice and pong once: global numbers 7, 8, 9. */
function model(): TraceModel {
  seq = 0;
  const m = createModel();
  applyEvents(m, [
    ev(TRACE.BOOT, 0, [1, 0, 4096]),
    ev(TRACE.SPAWN, 0, [1, 0, 7, 4096, 100]), ev(TRACE.DATA, 0, [], 'init'),
    ev(TRACE.SPAWN, 1, [2, 11, 3, 16, 101]), ev(TRACE.DATA, 0, [], 'ping'),
    ev(TRACE.SPAWN, 2, [3, 12, 3, 8, 102]), ev(TRACE.DATA, 0, [], 'pong'),
    ev(TRACE.MSG_SEND, 2, [40, 41, 12, 0, 1]),
    ev(TRACE.MSG_SEND, 2, [40, 41, 12, 0, 2]),
    ev(TRACE.MSG_SEND, 3, [41, 40, 12, 0, 3]),
  ]);
  return m;
}

const steps = [
  { at: { kind: 'msg_send', process: 'ping' }, text: 'ping sends' },
  { at: { kind: 'MSG_SEND', process: 'ping', nth: 2 }, text: 'ping sends again' },
  { at: { kind: 'msg_send', process: 'pong' }, text: 'pong answers' },
];

describe('annotations pinned to events', () => {
  it('a match names the nth event of its kind by its process, in any case of the kind name', () => {
    const m = model();
    const sends = [findMatch(m, steps[0]!.at, 99), findMatch(m, steps[1]!.at, 99), findMatch(m, steps[2]!.at, 99)];
    expect(sends[0]).toBeGreaterThan(0);
    expect(sends[1]).toBe(sends[0]! + 1);
    expect(sends[2]).toBe(sends[0]! + 2);
    expect(findMatch(m, { kind: 'msg_send', process: 'ping', nth: 3 }, 99), 'ping sent only twice').toBe(-1);
    expect(findMatch(m, steps[1]!.at, sends[0]!), 'not found among the events up to the first send').toBe(-1);
  });

  it('the annotation shown is the last step at or before the selection', () => {
    const m = model();
    const first = findMatch(m, steps[0]!.at, 99);
    expect(annotationAt(m, steps, first - 1), 'before the first step').toBeNull();
    expect(annotationAt(m, steps, first)).toEqual({ index: 0, text: 'ping sends' });
    expect(annotationAt(m, steps, first + 1)).toEqual({ index: 1, text: 'ping sends again' });
    expect(annotationAt(m, steps, first + 2)).toEqual({ index: 2, text: 'pong answers' });
    expect(annotationAt(m, steps, first + 50), 'stays up after the last step').toEqual({ index: 2, text: 'pong answers' });
  });
});
