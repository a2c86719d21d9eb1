// A supervisor's restart as the playground tells it: the restart's SPAWN is
// one event whose sentence says who restarted what, as which generation,
// after the old instance ended how (killed by fault injection, trapped,
// killed by init for missing its heartbeat), and the sequence diagram labels
// it "restart NAME · gen N" — fed with events shaped as the kernel and init
// emit them (FAULT, EXIT, init's LOG, SPAWN with the generation).

import { describe, expect, it } from 'vitest';
import { TRACE, spec, type TraceEvent } from '@oncrix/abi';
import { createModel, applyEvents, eventAt, eventCount, type TraceModel } from '../src/trace/model.js';
import { sentence } from '../src/trace/sentence.js';
import { arrowOf, shortLabel } from '../src/trace/describe.js';
import { endWords, newestInstance, nextInstance, previousInstance, restartOf, spanWords } from '../src/trace/restarts.js';

let seq = 500;
/** An event at `ms` milliseconds of trace time. */
function ev(kind: number, pid: number, args: number[], ms: number, data = ''): TraceEvent {
  const name = Object.entries(TRACE).find(([, v]) => v === kind)?.[0] ?? '?';
  return { seq: seq++, kind, kindName: name, cpu: 0, time: ms * 1e6, pid, args: [...args, ...new Array<number>(11 - args.length).fill(0)], data: new TextEncoder().encode(data) };
}
const data = (text: string, ms: number): TraceEvent => ev(TRACE.DATA, 0, [], ms, text);
/** A LOG record of pid, its text in as many DATA records as it takes. */
const log = (pid: number, text: string, ms: number): TraceEvent[] => [ev(TRACE.LOG, pid, [new TextEncoder().encode(text).length], ms, text)];
const images = (id: number): string => ['init', 'uart'][id] ?? `image ${id}`;
const INJECTED = spec.Fault.INJECTED.value;
const TRAP = spec.Fault.TRAP.value;
const KILLED = spec.Exit.KILLED.value;
const FAULT_BASE = spec.Exit.FAULT_BASE.value;

/** init (pid 1) starts uart (pid 2, generation 0) and sh (pid 3). */
function booted(): TraceModel {
  seq = 500;
  const m = createModel();
  applyEvents(m, [
    ev(TRACE.BOOT, 0, [1, 0, 4096], 0),
    ev(TRACE.SPAWN, 0, [1, 0, 7, 4096, 100, 0], 1), data('init', 1),
    ev(TRACE.SPAWN, 1, [2, 1, 6, 8, 101, 0], 2), data('uart', 2),
    ev(TRACE.SPAWN, 1, [3, 2, 4, 128, 102, 0], 3), data('sh', 3),
  ]);
  return m;
}

/** The global number of the last event of this kind. */
function lastOf(m: TraceModel, kind: number): number {
  for (let g = eventCount(m) - 1; g >= m.base; g--) if (eventAt(m, g)?.kind === kind) return g;
  throw new Error(`no event of kind ${kind}`);
}

function sentenceAt(m: TraceModel, g: number): string {
  return sentence(m, eventAt(m, g) as TraceEvent, g, images);
}

describe('a restart is one event with its reason', () => {
  it('uart killed by fault injection: init restarts it as generation 1, and the sentence says why and how soon', () => {
    const m = booted();
    applyEvents(m, [
      ev(TRACE.FAULT, 2, [INJECTED], 10),
      ev(TRACE.EXIT, 2, [FAULT_BASE - INJECTED], 10),
      ...log(1, 'init: uart (pid 2, generation 0) crashed (injected fault); restarting it as generation 1 in 0 ms', 10.2),
      ev(TRACE.SPAWN, 1, [4, 1, 6, 8, 103, 1], 10.4), data('uart', 10.4),
    ]);
    expect(sentenceAt(m, lastOf(m, TRACE.FAULT))).toBe('uart faulted (injected: the host ended the process on purpose (fault injection: oncrix --inject, '
      + 'the playground break-it panel)). The kernel stops only this process; the others go on.');
    const g = lastOf(m, TRACE.SPAWN);
    const exitSeq = eventAt(m, lastOf(m, TRACE.EXIT))?.seq;
    expect(sentenceAt(m, g)).toBe(`init restarts uart (generation 1, pid 4) after generation 0 (pid 2) was killed by fault injection at #${exitSeq}, 0.4 ms before. `
      + 'The new instance gets the same capabilities from the manifest, and the services it serves keep their channels, so their clients go on.');
    const e = eventAt(m, g) as TraceEvent;
    expect(shortLabel(m, e)).toBe('restart uart · gen 1');
    expect(arrowOf(m, e, g)).toMatchObject({ from: 1, to: 4, label: 'restart uart · gen 1' });
    expect(m.procs.get(4)?.generation).toBe(1);
  });

  it('a trap, then a second restart: each SPAWN names the instance before it', () => {
    const m = booted();
    applyEvents(m, [
      ev(TRACE.FAULT, 2, [INJECTED], 10), ev(TRACE.EXIT, 2, [FAULT_BASE - INJECTED], 10),
      ev(TRACE.SPAWN, 1, [4, 1, 6, 8, 103, 1], 11), data('uart', 11),
      ev(TRACE.FAULT, 4, [TRAP], 20), ev(TRACE.EXIT, 4, [FAULT_BASE - TRAP], 20),
      ev(TRACE.SPAWN, 1, [5, 1, 6, 8, 104, 2], 32), data('uart', 32),
    ]);
    expect(sentenceAt(m, lastOf(m, TRACE.SPAWN))).toMatch(/^init restarts uart \(generation 2, pid 5\) after generation 1 \(pid 4\) trapped at #\d+, 12 ms before\./);
    const gen1 = m.procs.get(4);
    if (gen1 === undefined) throw new Error('no pid 4');
    expect(previousInstance(m, gen1)?.pid).toBe(2);
    expect(nextInstance(m, gen1)?.pid).toBe(5);
    expect(newestInstance(m, 'uart')?.pid).toBe(5);
  });

  it('a hung driver killed by init for its missed heartbeat is told from a plain kill', () => {
    const m = booted();
    applyEvents(m, [
      ...log(1, 'init: uart (pid 2, generation 0) did not answer its heartbeat within 500 ms: hung; killing it', 1500),
      ev(TRACE.KILL, 2, [1], 1500), ev(TRACE.EXIT, 2, [KILLED], 1500),
      ev(TRACE.SPAWN, 1, [4, 1, 6, 8, 103, 1], 1501), data('uart', 1501),
      ev(TRACE.KILL, 4, [3], 2000), ev(TRACE.EXIT, 4, [KILLED], 2000),
    ]);
    const restart = restartOf(m, m.procs.get(4) as NonNullable<ReturnType<typeof m.procs.get>>);
    expect(restart?.how).toBe('was killed by init: it missed its heartbeat (hung)');
    expect(restart?.gapMs).toBeCloseTo(1, 6);
    // The second instance was killed by sh (`kill 4`), with no heartbeat in sight.
    expect(endWords(m, m.procs.get(4) as NonNullable<ReturnType<typeof m.procs.get>>)).toBe('was killed by sh');
  });

  it('a first start and a program started again by hand are not restarts', () => {
    const m = booted();
    expect(sentenceAt(m, lastOf(m, TRACE.SPAWN))).toMatch(/^init started sh \(pid 3\)/);
    const uart = m.procs.get(2);
    if (uart === undefined) throw new Error('no uart');
    expect(restartOf(m, uart)).toBeNull();
    expect(endWords(m, uart)).toBeNull();
  });

  it('spans read as people say them', () => {
    expect([spanWords(0.44), spanWords(12.4), spanWords(1530)]).toEqual(['0.4 ms', '12 ms', '1.5 s']);
  });
});
