// The inspector's sentence: one plain sentence per event that a student
// understands — who sent whom what, and where it was taken; why a process
// blocked and what woke it; why the kernel refused a call, in the error's
// own words — fed with hand-made events shaped as the kernel emits them.
// Also the filter's one-click presets and "only this kind".

import { describe, expect, it } from 'vitest';
import { TRACE, OBJ, RIGHTS, SYS, ERR, type TraceEvent } from '@oncrix/abi';
import { createModel, applyEvents, eventAt, eventCount, type TraceModel } from '../src/trace/model.js';
import { sentence, mentionsKoid } from '../src/trace/sentence.js';
import { Rows, DEFAULT_FILTER, onlyKinds, presetOf, ALL_KINDS, PRESETS } from '../src/trace/filter.js';
import { argNames } from '../src/trace/names.js';

let seq = 1000;
function ev(kind: number, pid: number, args: number[] = [], data = ''): TraceEvent {
  const name = Object.entries(TRACE).find(([, v]) => v === kind)?.[0] ?? '?';
  return { seq: seq++, kind, kindName: name, cpu: 0, time: seq * 1000, pid, args: [...args, ...new Array<number>(11 - args.length).fill(0)], data: new TextEncoder().encode(data) };
}
const data = (text: string): TraceEvent => ev(TRACE.DATA, 0, [], text);
const images = (id: number): string => ['init', 'ping', 'pong'][id] ?? `image ${id}`;

/** init (1), ping (2) and pong (3); ping holds channel end 40, pong end 41. */
function booted(): TraceModel {
  seq = 1000;
  const m = createModel();
  applyEvents(m, [
    ev(TRACE.BOOT, 0, [1, 0, 4096]),
    ev(TRACE.SPAWN, 0, [1, 0, 7, 4096, 100]), data('init'),
    ev(TRACE.SPAWN, 1, [2, 1, 3, 16, 101]), data('ping'),
    ev(TRACE.SPAWN, 1, [3, 2, 3, 8, 102]), data('pong'),
    ev(TRACE.HANDLE_CREATE, 2, [0x401, 40, OBJ.CHANNEL, RIGHTS.READ | RIGHTS.WRITE]),
    ev(TRACE.HANDLE_CREATE, 3, [0x801, 41, OBJ.CHANNEL, RIGHTS.READ | RIGHTS.WRITE]),
  ]);
  return m;
}

/** The sentence of the newest event. */
/** The events the model keeps, decoded, oldest first (index k is event m.base + k). */
function events(m: TraceModel): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let g = m.base; g < eventCount(m); g++) {
    const e = eventAt(m, g);
    if (e !== undefined) out.push(e);
  }
  return out;
}

function last(m: TraceModel): string {
  const g = m.base + events(m).length - 1;
  return sentence(m, events(m)[g - m.base] as TraceEvent, g, images);
}
function of(m: TraceModel, seqNo: number): string {
  const i = events(m).findIndex((e) => e.seq === seqNo);
  return sentence(m, events(m)[i] as TraceEvent, m.base + i, images);
}

describe('one sentence per event', () => {
  it('a call: who sent whom how many bytes and handles, and where it was taken', () => {
    const m = booted();
    const call = ev(TRACE.MSG_SEND, 2, [40, 41, 12, 1, 0x80000001 | 0, 0]);
    applyEvents(m, [call, ev(TRACE.MSG_DELIVER, 3, [41, 2, 12, 1, 0x80000001 | 0])]);
    const took = events(m)[events(m).length - 1] as TraceEvent;
    expect(of(m, call.seq)).toBe(`ping sent pong a 12-byte call carrying 1 handle; pong took it at #${took.seq}.`);
    expect(last(m)).toBe(`pong took a 12-byte call carrying 1 handle from ping, sent at #${call.seq}; the kernel moved the 1 handle into pong's handle table.`);
  });

  it('a message nobody has taken yet says where it waits', () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.MSG_SEND, 2, [40, 41, 8, 0, 0, 0])]);
    expect(last(m)).toBe('ping sent pong an 8-byte message; it waits in the queue of channel 41 (held by pong) until someone reads it.');
  });

  it('blocking says what the process waits for; waking says what woke it', () => {
    const m = booted();
    const txid = 0x80000007 | 0;
    applyEvents(m, [
      ev(TRACE.SYSCALL_ENTER, 2, [SYS.CHANNEL_CALL, 0x401]),
      ev(TRACE.MSG_SEND, 2, [40, 41, 4, 0, txid, 0]),
      ev(TRACE.SYSCALL_BLOCK, 2, [SYS.CHANNEL_CALL, 40]),
    ]);
    expect(last(m)).toBe('ping blocked in channel_call: it waits for pong to reply to its call (the kernel parks a caller until the reply '
      + 'with its transaction id arrives). It uses no CPU meanwhile.');
    applyEvents(m, [ev(TRACE.MSG_DELIVER, 3, [41, 2, 4, 0, txid])]);
    const reply = ev(TRACE.MSG_SEND, 3, [41, 40, 6, 0, txid, 2]);
    const back = ev(TRACE.MSG_DELIVER, 2, [40, 3, 6, 0, txid]);
    applyEvents(m, [reply, back, ev(TRACE.SYSCALL_WAKE, 2, [SYS.CHANNEL_CALL, 0])]);
    expect(last(m)).toBe(`ping was woken: its channel_call completed with 0 because pong replied at #${reply.seq}.`);
    expect(of(m, reply.seq)).toBe(`pong replied to ping with a 6-byte reply; ping took it at #${back.seq}.`);
  });

  it('a wait that timed out, and a receive on an empty queue', () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.SYSCALL_BLOCK, 3, [SYS.CHANNEL_RECV, 41])]);
    expect(last(m)).toBe('pong blocked in channel_recv: nothing is queued on channel 41 (held by pong), so it waits for a message to arrive. It uses no CPU meanwhile.');
    applyEvents(m, [ev(TRACE.SYSCALL_WAKE, 3, [SYS.CHANNEL_RECV, ERR.TIMED_OUT])]);
    expect(last(m)).toBe('pong was woken: its channel_recv completed with TIMED_OUT because its deadline passed first.');
  });

  it("a refusal spells out the kernel's reason from the ABI", () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.SYSCALL_ENTER, 2, [SYS.DEV_WRITE, 0x1234, 1, 65]), ev(TRACE.SYSCALL_EXIT, 2, [SYS.DEV_WRITE, ERR.BAD_HANDLE])]);
    expect(last(m)).toBe("The kernel refused ping's dev_write with BAD_HANDLE: not a live handle of the caller (closed, stale generation or forged). Nothing was changed.");
    expect(of(m, seq - 2)).toMatch(/^ping asked the kernel to write a device register \(dev_write\); the kernel refused it with BAD_HANDLE \(not a live handle/);
  });

  it('scheduling, spawning, handles and memory read as sentences too', () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.SCHED_RUN, 2, [0, 0])]);
    expect(last(m)).toBe('The scheduler put ping on CPU 0: its first run since it was started (start).');
    applyEvents(m, [ev(TRACE.SCHED_PREEMPT, 2, [0, 0])]);
    expect(last(m)).toBe('The kernel took CPU 0 from ping: its time slice was used up; ping stays ready and runs again later.');
    expect(of(m, 1003)).toBe('init started ping (pid 2) from the image ping, at priority 3 with a quota of 16 pages; the kernel knows the new process as object 101 (its koid).');
    applyEvents(m, [ev(TRACE.HANDLE_TRANSFER, 3, [0x805, 2, 0x401, 40, RIGHTS.READ | RIGHTS.TRANSFER, OBJ.CHANNEL])]);
    expect(last(m)).toBe('pong received handle 0x805 to a channel (koid 40, rights READ TRANSFER) from ping, moved in a message: ping no longer holds it.');
    applyEvents(m, [ev(TRACE.PAGE_CHARGE, 3, [2, 5, 40])]);
    expect(last(m)).toBe('pong was charged 2 pages of 64 KiB: it now uses 5 of its quota of 8, and the system 40 of its budget of 4096.');
  });

  it('every kind of event gets a sentence of its own (never the raw field list)', () => {
    const m = booted();
    for (const kind of ALL_KINDS) {
      applyEvents(m, [ev(kind, 2, [1, 2, 3, 4, 5, 6])]);
      const s = last(m);
      expect(s, `kind ${kind}`).toMatch(/^[A-Za-z].*[.]$/);
      // Raw field names are camelCase ("chanKoid", "receiverPid"): none may show through.
      for (const field of argNames(kind)) if (/[A-Z]/.test(field)) expect(s, `kind ${kind} names no raw field`).not.toContain(field);
    }
  });

  it('the inspector explains "koid" wherever a field names one', () => {
    expect(mentionsKoid(argNames(TRACE.MSG_SEND))).toBe(true);
    expect(mentionsKoid(argNames(TRACE.SYSCALL_EXIT))).toBe(false);
  });
});

describe('filter presets and "only this kind"', () => {
  it('one click shows only messages (IPC), handles (capabilities) or the scheduler, and "all" brings everything back', () => {
    const m = booted();
    applyEvents(m, [ev(TRACE.MSG_SEND, 2, [40, 41, 8, 0, 0, 0]), ev(TRACE.SCHED_RUN, 3, [0, 1]), ev(TRACE.SYSCALL_BLOCK, 3, [SYS.CHANNEL_RECV, 41])]);
    const ipc = PRESETS.find((p) => p.id === 'ipc');
    const sched = PRESETS.find((p) => p.id === 'sched');
    const all = PRESETS.find((p) => p.id === 'all');
    if (ipc === undefined || sched === undefined || all === undefined) throw new Error('presets missing');
    const kindsShown = (f: ReturnType<typeof onlyKinds>): Set<number> => {
      const rows = Rows.build(m, f);
      return new Set(Array.from({ length: rows.length }, (_, r) => events(m)[rows.at(r) - m.base]?.kind ?? -1));
    };
    expect(kindsShown(onlyKinds(DEFAULT_FILTER, ipc.kinds))).toEqual(new Set([TRACE.MSG_SEND]));
    expect(kindsShown(onlyKinds(DEFAULT_FILTER, sched.kinds))).toEqual(new Set([TRACE.SCHED_RUN, TRACE.SYSCALL_BLOCK]));
    expect(presetOf(onlyKinds(DEFAULT_FILTER, ipc.kinds))).toBe('ipc');
    expect(presetOf(DEFAULT_FILTER)).toBe('all');
    expect(Rows.build(m, onlyKinds(DEFAULT_FILTER, all.kinds)).length).toBe(events(m).length);
  });

  it('"only this kind" keeps the lanes as they were and names no preset', () => {
    const f = onlyKinds({ ...DEFAULT_FILTER, hiddenPids: new Set([3]) }, [TRACE.HANDLE_TRANSFER]);
    expect([...f.hiddenPids]).toEqual([3]);
    expect(ALL_KINDS.filter((k) => !f.hiddenKinds.has(k))).toEqual([TRACE.HANDLE_TRANSFER]);
    expect(presetOf(f)).toBeNull();
  });
});
