// The trace-to-state reducers: processes, scheduling and CPU time, handles
// and capabilities moving between processes, message pairing, memory, the
// visible-row index, and the store's stepping — fed with hand-made events
// shaped exactly as the kernel emits them (packages/kernel/src, spec.ts).

import { describe, expect, it } from 'vitest';
import { TRACE, OBJ, RIGHTS, type TraceEvent } from '@oncrix/abi';
import {
  createModel, applyEvents, trimEvents, recordCount, cpuTimeNs, holdersOf, runsBetween, partnerOf, targetOf, eventAt, eventCount, type TraceModel,
} from '../src/trace/model.js';
import { Rows, type TraceFilter } from '../src/trace/filter.js';
import { arrowOf, explainArgs, messageKind, shortLabel } from '../src/trace/describe.js';
import { argNames, rightsLetters } from '../src/trace/names.js';

let seq = 0;
/** An event as decodeTrace gives it. */
function ev(kind: number, pid: number, args: number[] = [], opts: { time?: number; data?: string; cpu?: number } = {}): TraceEvent {
  const full = [...args, ...new Array<number>(11 - args.length).fill(0)];
  const name = Object.entries(TRACE).find(([, v]) => v === kind)?.[0] ?? '?';
  return {
    seq: seq++, kind, kindName: name, cpu: opts.cpu ?? 0, time: opts.time ?? seq * 1000, pid, args: full,
    data: new TextEncoder().encode(opts.data ?? ''),
  };
}

function data(text: string): TraceEvent {
  return ev(TRACE.DATA, 0, [], { data: text });
}

/** Boot with init (pid 1) and two more processes: 2 "ping" and 3 "pong". */
function booted(): TraceModel {
  seq = 0;
  const m = createModel();
  applyEvents(m, [
    ev(TRACE.BOOT, 0, [1, 0, 4096]),
    ev(TRACE.SPAWN, 0, [1, 0, 7, 4096, 100]), data('init'),
    ev(TRACE.SPAWN, 1, [2, 11, 3, 16, 101]), data('ping'),
    ev(TRACE.SPAWN, 2, [3, 12, 3, 8, 102]), data('pong'),
  ]);
  return m;
}

describe('processes', () => {
  it('SPAWN makes a process named by its DATA, in a lane, with priority and quota', () => {
    const m = booted();
    expect(m.lanes).toEqual([1, 2, 3]);
    const pong = m.procs.get(3);
    expect(pong).toMatchObject({ name: 'pong', parent: 2, priority: 3, quotaPages: 8, koid: 102, state: 'ready' });
    expect(m.objects.get(102)).toMatchObject({ type: OBJ.PROCESS, pid: 3 });
    expect(m.budgetPages).toBe(4096);
    for (let g = m.base; g < eventCount(m); g++) expect(eventAt(m, g)?.kind).not.toBe(TRACE.DATA);
  });

  it('a name whose DATA arrives in the next batch is filled in', () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.SPAWN, 1, [4, 5, 3, 16, 103])]);
    expect(m.procs.get(4)?.name).toBe('pid 4');
    applyEvents(m, [data('spin'), ev(TRACE.SCHED_RUN, 4, [0, 0])]);
    expect(m.procs.get(4)?.name).toBe('spin');
    expect(eventAt(m, eventCount(m) - 2)?.data.length).toBe(4);
  });

  it('scheduling: run, block, wake, preempt, exit — state and CPU time', () => {
    const m = booted();
    applyEvents(m, [
      ev(TRACE.SCHED_RUN, 2, [0, 0], { time: 10_000 }),
      ev(TRACE.SYSCALL_ENTER, 2, [11], { time: 12_000 }),
      ev(TRACE.SYSCALL_BLOCK, 2, [11, 55], { time: 15_000 }),
    ]);
    const ping = m.procs.get(2);
    expect(ping).toMatchObject({ state: 'blocked', blockedNr: 11, cpu: -1, cpuNs: 5_000, syscalls: 1 });
    applyEvents(m, [ev(TRACE.SYSCALL_WAKE, 2, [11, 0], { time: 20_000 })]);
    expect(ping?.state).toBe('ready');
    applyEvents(m, [ev(TRACE.SCHED_RUN, 2, [0, 1], { time: 30_000 }), ev(TRACE.SCHED_PREEMPT, 2, [0, 3], { time: 32_000 })]);
    expect(ping).toMatchObject({ state: 'ready', cpuNs: 7_000 });
    applyEvents(m, [ev(TRACE.SCHED_RUN, 2, [0, 2], { time: 40_000 }), ev(TRACE.EXIT, 2, [0], { time: 41_000 })]);
    expect(ping).toMatchObject({ state: 'exited', exitCode: 0, cpuNs: 8_000 });
    expect(ping?.exitAt).toBe(eventCount(m) - 1);
  });

  it('CPU time counts the run in progress, and run intervals are kept', () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.SCHED_RUN, 3, [0, 0], { time: 100_000 })]);
    const start = eventCount(m) - 1;
    applyEvents(m, [ev(TRACE.SIGNAL, 0, [5, 1, 0, 1], { time: 150_000 })]);
    const pong = m.procs.get(3);
    if (pong === undefined) throw new Error('no pong');
    expect(cpuTimeNs(m, pong)).toBe(50_000);
    expect(runsBetween(m, 3, 0, 1000)).toEqual([start, -1]);
    applyEvents(m, [ev(TRACE.SYSCALL_BLOCK, 3, [39, 0], { time: 160_000 })]);
    expect(runsBetween(m, 3, 0, 1000)).toEqual([start, start + 2]);
    expect(runsBetween(m, 3, start + 3, 1000)).toEqual([]);
  });

  it('a SCHED_RUN on a busy CPU takes it from whoever was there', () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.SCHED_RUN, 2, [0, 0], { time: 1_000 }), ev(TRACE.SCHED_RUN, 3, [0, 0], { time: 3_000 })]);
    expect(m.procs.get(2)).toMatchObject({ state: 'ready', cpuNs: 2_000 });
    expect(m.procs.get(3)?.state).toBe('running');
    expect(m.cpuOwner[0]).toBe(3);
  });
});

describe('handles', () => {
  it('CHANNEL_CREATE: two endpoint handles in a row become peers', () => {
    const m = booted();
    applyEvents(m, [
      ev(TRACE.HANDLE_CREATE, 2, [0x401, 20, OBJ.CHANNEL, RIGHTS.ALL]),
      ev(TRACE.HANDLE_CREATE, 2, [0x402, 21, OBJ.CHANNEL, RIGHTS.ALL]),
    ]);
    expect(m.objects.get(20)?.peer).toBe(21);
    expect(m.objects.get(21)?.peer).toBe(20);
    expect(m.handles.get(2)?.size).toBe(2);
    expect(holdersOf(m, 21)).toEqual([2]);
  });

  it('a duplicate keeps the object type; a transfer moves the handle; a close removes it', () => {
    const m = booted();
    const rw = RIGHTS.READ | RIGHTS.WRITE;
    applyEvents(m, [
      ev(TRACE.HANDLE_CREATE, 2, [0x401, 20, OBJ.CHANNEL, RIGHTS.ALL]),
      ev(TRACE.HANDLE_DUPLICATE, 2, [0x403, 0x401, 20, rw | RIGHTS.TRANSFER]),
    ]);
    expect(m.handles.get(2)?.get(0x403)).toMatchObject({ koid: 20, type: OBJ.CHANNEL, rights: rw | RIGHTS.TRANSFER, via: 'duplicate' });
    const before = m.lastHandleChange;
    applyEvents(m, [ev(TRACE.HANDLE_TRANSFER, 3, [0x801, 2, 0x403, 20, rw | RIGHTS.TRANSFER, OBJ.CHANNEL])]);
    expect(m.handles.get(2)?.has(0x403)).toBe(false);
    expect(m.handles.get(3)?.get(0x801)).toMatchObject({ koid: 20, via: 'transfer', fromPid: 2 });
    expect(holdersOf(m, 20)).toEqual([2, 3]);
    expect(m.lastHandleChange).toBeGreaterThan(before);
    const g = eventCount(m) - 1;
    expect(targetOf(m, g)).toBe(3);
    expect(arrowOf(m, eventAt(m, g) as TraceEvent, g)).toMatchObject({ from: 2, to: 3, label: 'chan RWT' });
    applyEvents(m, [ev(TRACE.HANDLE_CLOSE, 3, [0x801, 20, 0])]);
    expect(m.handles.get(3)?.size).toBe(0);
    expect(holdersOf(m, 20)).toEqual([2]);
  });

  it('a handle closed in flight (pid 0) leaves its sender in the model', () => {
    const m = booted();
    applyEvents(m, [
      ev(TRACE.HANDLE_CREATE, 2, [0x405, 30, OBJ.NOTIFICATION, RIGHTS.ALL]),
      ev(TRACE.HANDLE_CLOSE, 0, [0x405, 30, 3]),
    ]);
    expect(m.handles.get(2)?.size ?? 0).toBe(0);
    expect(holdersOf(m, 30)).toEqual([]);
  });

  it('rights as the shell prints them', () => {
    expect(rightsLetters(RIGHTS.READ | RIGHTS.WAIT | RIGHTS.INSPECT)).toBe('R---A---I');
  });
});

describe('messages', () => {
  it('a queued message pairs with its delivery: partner, receiver, arrow across rows', () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.MSG_SEND, 2, [40, 41, 12, 0, 0, 0]), data('hello, pong!')]);
    const send = eventCount(m) - 1;
    expect(partnerOf(m, send)).toBe(-1);
    applyEvents(m, [ev(TRACE.SYSCALL_ENTER, 3, [10]), ev(TRACE.MSG_DELIVER, 3, [41, 2, 12, 0, 0])]);
    const deliver = eventCount(m) - 1;
    expect(partnerOf(m, send)).toBe(deliver);
    expect(partnerOf(m, deliver)).toBe(send);
    expect(targetOf(m, send)).toBe(3);
    expect(m.objects.get(40)?.peer).toBe(41);
    const sendEv = eventAt(m, send) as TraceEvent;
    expect(arrowOf(m, sendEv, send)).toMatchObject({ from: 2, to: 3, endAt: deliver, label: 'msg 12 B' });
    expect(arrowOf(m, eventAt(m, deliver) as TraceEvent, deliver)).toBeNull();
    expect(m.pending.size).toBe(0);
  });

  it('a reply finds its call by transaction id even behind a queued message', () => {
    const m = booted();
    const txid = 0x80000005 | 0;
    applyEvents(m, [
      ev(TRACE.MSG_SEND, 3, [41, 40, 8, 0, 0, 0]), // a one-way message queued on ping's endpoint
      ev(TRACE.MSG_SEND, 3, [41, 40, 12, 1, txid, 2]), // pong's reply to ping's call, straight through
      ev(TRACE.MSG_DELIVER, 2, [40, 3, 12, 1, txid]),
    ]);
    const [queued, reply, deliver] = [3, 2, 1].map((back) => eventCount(m) - back) as [number, number, number];
    expect(partnerOf(m, reply)).toBe(deliver);
    expect(partnerOf(m, queued)).toBe(-1);
    const replyEv = eventAt(m, reply) as TraceEvent;
    expect(messageKind(replyEv)).toBe('reply');
    expect(shortLabel(m, replyEv)).toBe('reply 12 B +1 cap');
  });

  it('a call is recognised by the high bit of its transaction id', () => {
    const call = ev(TRACE.MSG_SEND, 2, [40, 41, 12, 0, 0x80000001 | 0, 0]);
    expect(messageKind(call)).toBe('call');
  });
});

describe('memory and names', () => {
  it('PAGE_CHARGE / PAGE_RELEASE set the pages used and the system budget', () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.PAGE_CHARGE, 2, [2, 3, 10]), ev(TRACE.PAGE_RELEASE, 2, [-1, 2, 9])]);
    expect(m.procs.get(2)?.usedPages).toBe(2);
    expect(m.budgetUsed).toBe(9);
  });

  it('argument names come from spec.ts', () => {
    expect(argNames(TRACE.MSG_SEND)).toEqual(['chanKoid', 'peerKoid', 'bytes', 'handles', 'txid', 'receiverPid']);
    expect(argNames(TRACE.SPAWN)).toEqual(['childPid', 'image', 'priority', 'quotaPages', 'koid', 'generation']);
    const m = booted();
    const rows = explainArgs(m, ev(TRACE.SYSCALL_EXIT, 2, [11, -8]), () => 'x');
    expect(rows).toEqual([
      { name: 'nr', value: 11, meaning: 'CHANNEL_CALL' },
      { name: 'result', value: -8, meaning: 'PEER_CLOSED' },
    ]);
  });

  it("a syscall's arguments a0…a5 are shown with the syscall's own parameter names", () => {
    const m = booted();
    // intruder's dev_write(dev_h, reg, value): handle slot 3 generation 1, register 0, value 65.
    const rows = explainArgs(m, ev(TRACE.SYSCALL_ENTER, 2, [36, (1 << 10) | 3, 0, 65]), () => 'x');
    expect(rows.map((r) => r.name)).toEqual(['nr', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    expect(rows[0]?.meaning).toBe('DEV_WRITE');
    expect(rows[1]).toEqual({ name: 'a0', value: 1027, meaning: 'dev_h: handle 0x403 (slot 3, generation 1)' });
    expect(rows[2]?.meaning).toBe('reg: 0');
    expect(rows[3]?.meaning).toBe('value: 65');
    expect(rows[4]?.meaning).toBe('not used by dev_write');
    const write = explainArgs(m, ev(TRACE.SYSCALL_ENTER, 2, [9, 5, 70_000, 12, 0, 0, 0]), () => 'x');
    expect(write[2]?.meaning).toBe('bytes_ptr: address 0x11170');
  });
});

describe('counting', () => {
  it('counts trace records as the kernel numbers them, payload records included', () => {
    const m = booted(); // BOOT #0, then three SPAWNs (#1, #3, #5), each with its name as a DATA record (#2, #4, #6)
    expect(eventCount(m)).toBe(4);
    expect(recordCount(m)).toBe(7);
    // A send whose 128 payload bytes the decoder already folded in: #7 and three DATA records #8-#10.
    const send = ev(TRACE.MSG_SEND, 2, [10, 11, 128, 0, 0, 0]);
    send.data = new Uint8Array(128);
    seq = 11;
    applyEvents(m, [send, ev(TRACE.SCHED_RUN, 3, [0, 0])]);
    expect(eventAt(m, eventCount(m) - 1)?.seq).toBe(11);
    expect(recordCount(m)).toBe(12);
  });
});

describe('visible rows', () => {
  const filter = (hiddenKinds: number[], hiddenPids: number[] = []): TraceFilter => ({ hiddenKinds: new Set(hiddenKinds), hiddenPids: new Set(hiddenPids) });

  it('filters by kind and by process, and extends with new events only', () => {
    const m = booted();
    const f = filter([TRACE.SPAWN], [3]);
    const rows = Rows.build(m, f);
    expect(rows.length).toBe(1); // BOOT only
    applyEvents(m, [ev(TRACE.SCHED_RUN, 2, [0, 0]), ev(TRACE.SCHED_RUN, 3, [0, 0]), ev(TRACE.EXIT, 2, [1])]);
    rows.extend(m, f);
    expect(rows.length).toBe(3);
    const last = eventCount(m) - 1;
    expect(rows.at(2)).toBe(last);
    expect(rows.exactRow(last - 1)).toBe(-1); // pong's run is hidden
    expect(rows.rowOf(last - 1)).toBe(2);
  });

  it('keeps its rows when the oldest events are trimmed', () => {
    const m = booted();
    for (let i = 0; i < 100; i++) applyEvents(m, [ev(TRACE.SIGNAL, 0, [5, 1, 0, 1])]);
    const rows = Rows.build(m, filter([]));
    const count = eventCount(m) - m.base;
    trimEvents(m, 40);
    rows.dropBefore(m.base);
    expect(m.base).toBe(40);
    expect(rows.length).toBe(count - 40);
    expect(rows.at(0)).toBe(40);
    expect(eventCount(m) - m.base).toBe(count - 40);
  });

  // How fast is for `npm run bench` to say; a wall-clock limit here failed on a loaded machine.
  it('filters 100,000 events in one batch', () => {
    const m = booted();
    const batch: TraceEvent[] = [];
    for (let i = 0; i < 100_000; i++) batch.push(ev(i % 2 === 0 ? TRACE.SCHED_RUN : TRACE.SYSCALL_BLOCK, 2 + (i % 2), [0, 0]));
    applyEvents(m, batch);
    const rows = Rows.build(m, filter([TRACE.SYSCALL_BLOCK]));
    expect(rows.length).toBe(50_000 + 4); // + BOOT and three SPAWNs
  });
});
