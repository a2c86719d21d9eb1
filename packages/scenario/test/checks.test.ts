// The exercises' checks over a made-up trace, where each outcome is known:
// who holds a channel end after a transfer and a revoke, which of two
// events came first, how many there were, and answers computed from the run
// and by formula — the right one accepted, a wrong one refused.

import { describe, expect, test } from 'vitest';
import { TRACE, type TraceEvent } from '@oncrix/abi';
import { Run, decide, drawParams, evaluate, instantiate, type Check, type Scenario } from '../src/index.js';

let seq = 0;
const ev = (kind: keyof typeof TRACE, pid: number, args: number[], name?: string): TraceEvent => ({
  seq: seq++, kind: TRACE[kind], kindName: kind, cpu: 0, time: seq * 1000, pid, args, data: new TextEncoder().encode(name ?? ''),
});

// sh (pid 2) starts a (3) and b (4); a creates a channel end (koid 40), duplicates it, moves the copy to b, revokes it.
const events: TraceEvent[] = [
  ev('SPAWN', 0, [2], 'sh'), ev('SPAWN', 2, [3], 'a'), ev('SPAWN', 2, [4], 'b'),
  ev('HANDLE_CREATE', 3, [10, 40, 2, 31]), ev('HANDLE_DUPLICATE', 3, [11, 10, 40, 23]),
  ev('HANDLE_TRANSFER', 4, [20, 3, 11, 40, 23, 2]),
  ev('MSG_SEND', 3, [40, 41, 8, 0, 1, 4, 0]), ev('MSG_SEND', 4, [41, 40, 8, 0, 1, 3, 0]),
  ev('HANDLE_CLOSE', 4, [20, 40, 1]), ev('HANDLE_REVOKE', 3, [10, 40, 1]),
  ev('EXIT', 4, [0]),
];
const run = new Run(events);
const obj = { event: { kind: 'handle_create', process: 'a' }, arg: 'koid' };

describe('checks over a trace', () => {
  test('holds and holds-none follow create, duplicate, transfer and a revoke', () => {
    expect([...run.holdersOf(40).keys()]).toEqual(['a']);
    expect(decide({ type: 'holds', text: '', object: obj, only: ['a'] }, run).passed).toBe(true);
    const wrong = decide({ type: 'holds', text: '', object: obj, only: ['b'] }, run);
    expect(wrong).toMatchObject({ passed: false, decidedBy: 10 });
    expect(wrong.why).toContain('not expected: a; missing: b');
    expect(decide({ type: 'holds-none', text: '', object: obj, processes: ['b'] }, run).passed).toBe(true);
    expect(decide({ type: 'holds-none', text: '', object: obj, processes: ['a', 'b'] }, run).why).toMatch(/a still holds object 40/);
    // Before the close, b held its copy.
    expect([...new Run(events.slice(0, 8)).holdersOf(40).keys()].sort()).toEqual(['a', 'b']);
  });

  test('before names the deciding event, and fails when the order is the other way or an event is missing', () => {
    const c = (first: string, then: string): Check => ({ type: 'before', text: '', first: { kind: 'msg_send', process: first }, then: { kind: 'msg_send', process: then } });
    expect(decide(c('a', 'b'), run)).toEqual({ passed: true, why: '#6 MSG_SEND by a came before #7 MSG_SEND by b', decidedBy: 6 });
    expect(decide(c('b', 'a'), run)).toMatchObject({ passed: false, decidedBy: 6 });
    expect(decide(c('sh', 'a'), run)).toMatchObject({ passed: false, why: 'the first MSG_SEND by sh never happened' });
  });

  test('count: exactly, at least, at most; args narrow the match', () => {
    expect(decide({ type: 'count', text: '', match: { kind: 'msg_send' }, equals: 2 }, run).passed).toBe(true);
    expect(decide({ type: 'count', text: '', match: { kind: 'msg_send' }, atMost: 1 }, run)).toMatchObject({ passed: false, decidedBy: 7 });
    expect(decide({ type: 'count', text: '', match: { kind: 'handle_close', args: { reason: 1 } }, equals: 1 }, run).passed).toBe(true);
    expect(decide({ type: 'count', text: '', match: { kind: 'handle_create', args: { type: 'memory' } }, atLeast: 1 }, run).passed).toBe(false);
  });

  test('an answer computed from the run is accepted; a wrong one fails, and no answer does not pass', () => {
    const q: Check = { type: 'answer', text: '', question: 'whose handle was closed?', choices: ['a', 'b'], expected: { processOf: { kind: 'handle_close' } } };
    expect(decide(q, run, {}, 'b')).toMatchObject({ passed: true, decidedBy: 8 });
    expect(decide(q, run, {}, 'a')).toMatchObject({ passed: false, why: '"a" is not right' });
    expect(decide(q, run, {}).passed).toBe(false);
    const n: Check = { type: 'answer', text: '', question: 'how many sends?', expected: { count: { kind: 'msg_send' } } };
    expect(decide(n, run, {}, ' 2 ').passed).toBe(true);
    expect(decide(n, run, {}, '3').passed).toBe(false);
  });

  test('variants: the seed decides the numbers, formulas compute the answer', () => {
    const v = { seed: 1, params: { N: { min: 2, max: 9 }, P: { oneOf: [3, 5] } } };
    expect(drawParams(v, 42)).toEqual(drawParams(v, 42));
    const seen = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => drawParams(v, s).N));
    expect(seen.size).toBeGreaterThan(2);
    for (const s of seen) expect(s).toBeGreaterThanOrEqual(2);
    expect(evaluate('N * 2 + max(P, 4) % 3 - (1)', { N: 5, P: 5 })).toBe(10 + 2 - 1);
    const q: Check = { type: 'answer', text: '', question: 'N + 1?', expected: { formula: 'N + 1' } };
    const s: Scenario = { format: 1, id: 'x', title: 'x', text: 'ping ${N}', script: ['ping ${N}'], variant: v, checks: [q] };
    const { scenario, params } = instantiate(s, 42);
    expect(scenario.script).toEqual([`ping ${params.N}`]);
    expect(decide(q, run, params, String(Number(params.N) + 1)).passed).toBe(true);
    expect(decide(q, run, params, String(params.N)).passed).toBe(false);
  });
});
