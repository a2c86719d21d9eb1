// Waiting, notifications, memory objects, timers and sleep.
//
// Covers OBJECT_WAIT (satisfied at once with the observed signals written,
// blocking until a message arrives, timeout 0, a finite timeout reached by
// jumping virtual time), OBJECT_WAIT_MANY (index of the first ready item,
// observed of every item), CANCELED when the handle waited on is revoked,
// NOTIFY_SIGNAL / NOTIFY_WAIT (taking only the bits of the mask), TERMINATED on
// a child's process handle, MEMOBJ create/size/read/write (ranges, rights,
// sharing through a transferred handle), TIMER_CREATE / TIMER_SET (firing,
// re-arming, cancelling) and SLEEP.

import { describe, expect, it } from 'vitest';
import { ERR, LIMITS, OBJ, PROC_STATE, RIGHTS, SIGNAL, SYS, offsetOf, sizeOf } from '@oncrix/abi';
import { BLOCKED, TestMachine } from './harness';
import { info, ok, waitOn, child, eventsSince } from './helpers';

/** OBJECT_WAIT_MANY over (handle, mask) items; `observed()` reads every item's out field. */
function waitMany(m: TestMachine, pid: number, items: [number, number][], timeoutUs: number): { result: number; observed: () => number[] } {
  const size = sizeOf('WaitItem');
  const ptr = m.alloc(pid, Math.max(items.length, 1) * size);
  items.forEach(([h, mask], i) => {
    m.setU32(pid, ptr + i * size + offsetOf('WaitItem', 'handle'), h);
    m.setU32(pid, ptr + i * size + offsetOf('WaitItem', 'mask'), mask);
    m.setU32(pid, ptr + i * size + offsetOf('WaitItem', 'observed'), 0xdeadbeef);
  });
  const result = m.sys(pid, SYS.OBJECT_WAIT_MANY, ptr, items.length, timeoutUs);
  return { result, observed: () => items.map((_, i) => m.u32(pid, ptr + i * size + offsetOf('WaitItem', 'observed'))) };
}

function memWrite(m: TestMachine, pid: number, h: number, offset: number, bytes: Uint8Array | string): number {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return m.sys(pid, SYS.MEMOBJ_WRITE, h, offset, m.put(pid, data), data.length);
}

function memRead(m: TestMachine, pid: number, h: number, offset: number, len: number): { result: number; bytes: Uint8Array; text: string } {
  const buf = m.alloc(pid, Math.max(len, 1));
  const result = m.sys(pid, SYS.MEMOBJ_READ, h, offset, buf, len);
  const bytes = m.readBytes(pid, buf, result > 0 ? result : 0);
  return { result, bytes, text: new TextDecoder().decode(bytes) };
}

describe('OBJECT_WAIT', () => {
  it('returns at once when a signal of the mask is set and writes the observed signals', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const w1 = waitOn(m, init, a, SIGNAL.WRITABLE | SIGNAL.PEER_CLOSED, -1);
    expect(w1.result).toBe(0);
    expect(w1.observed()).toBe(SIGNAL.WRITABLE);
    expect(m.write(init, a, 'ping')).toBe(0);
    const w2 = waitOn(m, init, b, SIGNAL.READABLE, -1);
    expect(w2.result).toBe(0);
    expect(w2.observed()).toBe(SIGNAL.READABLE | SIGNAL.WRITABLE);
    // The out pointer is optional.
    expect(m.sys(init, SYS.OBJECT_WAIT, b, SIGNAL.READABLE, -1, 0)).toBe(0);
    expect(m.isRunning(init)).toBe(true);
    expect(m.eventsOf('SYSCALL_BLOCK')).toEqual([]);

    // Argument checks: an empty mask, the WAIT right, an out pointer outside memory.
    expect(waitOn(m, init, b, 0, -1).result).toBe(ERR.INVALID_ARGS);
    const nowait = ok(m.dup(init, b, RIGHTS.READ));
    expect(waitOn(m, init, nowait, SIGNAL.READABLE, -1).result).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.OBJECT_WAIT, b, SIGNAL.READABLE, -1, m.proc(init).mem.length - 2)).toBe(ERR.FAULT);
    m.check();
  });

  it('blocks, then wakes when a message arrives', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const bkoid = info(m, init, b).koid;
    const c = child(m, [b]);
    const [cb] = c.handles as [number];
    const w = waitOn(m, c.pid, cb, SIGNAL.READABLE, -1);
    expect(w.result).toBe(BLOCKED);
    expect(m.isRunning(c.pid)).toBe(false);
    const [blockEv] = m.eventsOf('SYSCALL_BLOCK').filter((e) => e.pid === c.pid);
    expect(blockEv?.args.slice(0, 2)).toEqual([SYS.OBJECT_WAIT, bkoid]);
    expect(m.stat('DEADLINES')).toBe(0);

    const mark = m.events().length;
    expect(m.write(init, a, 'wake up')).toBe(0);
    expect(m.isRunning(c.pid)).toBe(true);
    expect(m.resumedWith(c.pid)).toBe(0);
    expect(w.observed()).toBe(SIGNAL.READABLE | SIGNAL.WRITABLE);
    const [wake] = eventsSince(m, mark, 'SYSCALL_WAKE');
    expect([wake?.pid, wake?.args[0], wake?.args[1]]).toEqual([c.pid, SYS.OBJECT_WAIT, 0]);
    expect(m.read(c.pid, cb, 16, 0).text).toBe('wake up');
    m.check();
  });

  it('timeout 0 returns TIMED_OUT at once', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [, b] = m.channel(init);
    const w = waitOn(m, init, b, SIGNAL.READABLE | SIGNAL.PEER_CLOSED, 0);
    expect(w.result).toBe(ERR.TIMED_OUT);
    expect(w.observed()).toBe(0xdeadbeef); // nothing written
    expect(m.isRunning(init)).toBe(true);
    expect(m.stat('DEADLINES')).toBe(0);
    m.check();
  });

  it('a finite timeout fires at its deadline', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [, b] = m.channel(init);
    const t0 = m.k.kernel_time();
    const w = waitOn(m, init, b, SIGNAL.READABLE, 2000);
    expect(w.result).toBe(BLOCKED);
    expect(m.stat('DEADLINES')).toBe(1);
    expect(m.k.next_deadline()).toBeGreaterThanOrEqual(t0 + 2000 * 1000);
    expect(m.idle()).toBe(true);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(ERR.TIMED_OUT);
    expect(m.k.kernel_time()).toBeGreaterThanOrEqual(t0 + 2000 * 1000);
    expect(m.stat('DEADLINES')).toBe(0);
    expect(m.idle()).toBe(false);
    m.check();
  });

  it('a wait that is satisfied in time leaves no deadline behind', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const c = child(m, [b]);
    const [cb] = c.handles as [number];
    expect(waitOn(m, c.pid, cb, SIGNAL.READABLE, 50_000).result).toBe(BLOCKED);
    expect(m.stat('DEADLINES')).toBe(1);
    expect(m.write(init, a, 'in time')).toBe(0);
    expect(m.resumedWith(c.pid)).toBe(0);
    expect(m.stat('DEADLINES')).toBe(0);
    expect(m.idle()).toBe(false);
    m.check();
  });
});

describe('OBJECT_WAIT_MANY', () => {
  it('returns the index of the first ready item and writes the observed signals of all', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const n = ok(m.notification(init));
    expect(m.write(init, a, 'x')).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 0b10)).toBe(0);
    const w = waitMany(m, init, [[a, SIGNAL.READABLE], [n, 0b10], [b, SIGNAL.READABLE]], -1);
    expect(w.result).toBe(1);
    expect(w.observed()).toEqual([SIGNAL.WRITABLE, 0b10, SIGNAL.READABLE | SIGNAL.WRITABLE]);
    // A wait does not take notification bits (only NOTIFY_WAIT does).
    expect(waitMany(m, init, [[b, SIGNAL.READABLE], [n, 0b10]], 0).result).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b10, 0)).toBe(0b10);
    expect(waitMany(m, init, [[a, SIGNAL.READABLE], [n, 0b10]], 0).result).toBe(ERR.TIMED_OUT);
    m.check();
  });

  it('blocks until one item is ready and returns its index', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const n = ok(m.notification(init));
    const d = ok(m.dup(init, n, RIGHTS.WAIT | RIGHTS.TRANSFER));
    const c = child(m, [b, d]);
    const [cb, cn] = c.handles as [number, number];
    const w = waitMany(m, c.pid, [[cb, SIGNAL.READABLE], [cn, 0b1000]], -1);
    expect(w.result).toBe(BLOCKED);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 0b0100)).toBe(0); // not in the mask
    expect(m.isRunning(c.pid)).toBe(false);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 0b1000)).toBe(0);
    expect(m.isRunning(c.pid)).toBe(true);
    expect(m.resumedWith(c.pid)).toBe(1);
    expect(w.observed()).toEqual([SIGNAL.WRITABLE, 0b1100]);
    expect(m.write(init, a, 'late')).toBe(0); // the wait is over: nothing more happens to it
    expect(w.observed()).toEqual([SIGNAL.WRITABLE, 0b1100]);
    m.check();
  });

  it('checks its items: count 1..WAIT_MANY_MAX, live handles with WAIT, non-empty masks', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a] = m.channel(init);
    const nowait = ok(m.dup(init, a, RIGHTS.READ));
    expect(waitMany(m, init, [], -1).result).toBe(ERR.INVALID_ARGS);
    const many = [...Array(LIMITS.WAIT_MANY_MAX + 1).keys()].map((): [number, number] => [a, SIGNAL.WRITABLE]);
    expect(waitMany(m, init, many, -1).result).toBe(ERR.INVALID_ARGS);
    expect(waitMany(m, init, many.slice(1), -1).result).toBe(0);
    expect(waitMany(m, init, [[a, SIGNAL.WRITABLE], [a ^ (1 << 12), SIGNAL.READABLE]], -1).result).toBe(ERR.BAD_HANDLE);
    expect(waitMany(m, init, [[a, SIGNAL.WRITABLE], [nowait, SIGNAL.READABLE]], -1).result).toBe(ERR.ACCESS_DENIED);
    expect(waitMany(m, init, [[a, SIGNAL.WRITABLE], [a, 0]], -1).result).toBe(ERR.INVALID_ARGS);
    expect(m.isRunning(init)).toBe(true);
    m.check();
  });
});

describe('CANCELED', () => {
  it('revoking the handle a process waits on ends OBJECT_WAIT with CANCELED', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const d = ok(m.dup(init, n, RIGHTS.WAIT | RIGHTS.TRANSFER));
    const other = ok(m.dup(init, n, RIGHTS.WAIT));
    const c = child(m, [d]);
    const [cd] = c.handles as [number];
    expect(waitOn(m, c.pid, cd, 1, 1_000_000).result).toBe(BLOCKED);
    // Closing another handle to the same object does not disturb the wait.
    expect(m.sys(init, SYS.HANDLE_CLOSE, other)).toBe(0);
    expect(m.isRunning(c.pid)).toBe(false);

    const mark = m.events().length;
    expect(m.sys(init, SYS.HANDLE_REVOKE, n)).toBe(1);
    expect(m.isRunning(c.pid)).toBe(true);
    expect(m.resumedWith(c.pid)).toBe(ERR.CANCELED);
    const [wake] = eventsSince(m, mark, 'SYSCALL_WAKE');
    expect([wake?.pid, wake?.args[0], wake?.args[1]]).toEqual([c.pid, SYS.OBJECT_WAIT, ERR.CANCELED]);
    expect(m.stat('DEADLINES')).toBe(0);
    expect(m.sys(c.pid, SYS.OBJECT_WAIT, cd, 1, 0, 0)).toBe(ERR.BAD_HANDLE);
    // Signalling the object later reaches nobody and breaks nothing.
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 1)).toBe(0);
    m.check();
  });

  it('revoking one item of OBJECT_WAIT_MANY or the handle of NOTIFY_WAIT ends the wait with CANCELED', () => {
    const m = TestMachine.boot({ cpus: 3 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const n = ok(m.notification(init));
    const d1 = ok(m.dup(init, n, RIGHTS.WAIT | RIGHTS.TRANSFER));
    const d2 = ok(m.dup(init, n, RIGHTS.WAIT | RIGHTS.TRANSFER));
    const many = child(m, [b, d1]);
    const [mb, md] = many.handles as [number, number];
    const notify = child(m, [d2]);
    const [nd] = notify.handles as [number];
    expect(waitMany(m, many.pid, [[mb, SIGNAL.READABLE], [md, 1]], -1).result).toBe(BLOCKED);
    expect(m.sys(notify.pid, SYS.NOTIFY_WAIT, nd, 1, -1)).toBe(BLOCKED);
    expect(m.sys(init, SYS.HANDLE_REVOKE, n)).toBe(2);
    expect(m.resumedWith(many.pid)).toBe(ERR.CANCELED);
    expect(m.resumedWith(notify.pid)).toBe(ERR.CANCELED);
    expect(m.isRunning(many.pid) && m.isRunning(notify.pid)).toBe(true);
    // The channel item of the cancelled wait is still fine.
    expect(m.write(init, a, 'still here')).toBe(0);
    expect(m.read(many.pid, mb, 16, 0).text).toBe('still here');
    m.check();
  });
});

describe('notifications', () => {
  it('NOTIFY_WAIT returns and clears the pending bits of its mask and leaves the others', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 0b1011)).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 1 << 30)).toBe(0);
    // OBJECT_WAIT only looks.
    const w = waitOn(m, init, n, 0b0010, 0);
    expect(w.result).toBe(0);
    expect(w.observed()).toBe((1 << 30) | 0b1011);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b0110, 0)).toBe(0b0010);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b0110, 0)).toBe(ERR.TIMED_OUT);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0xffff, 0)).toBe(0b1001);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0x7fffffff, 0)).toBe(1 << 30);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0x7fffffff, 0)).toBe(ERR.TIMED_OUT);
    // Signalling a bit twice before the wait still yields it once.
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 0b100)).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 0b100)).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b100, 0)).toBe(0b100);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b100, 0)).toBe(ERR.TIMED_OUT);
    m.check();
  });

  it('checks rights and arguments: SIGNAL to signal, WAIT to wait, a non-empty mask', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const waitOnly = ok(m.dup(init, n, RIGHTS.WAIT));
    const signalOnly = ok(m.dup(init, n, RIGHTS.SIGNAL));
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, waitOnly, 1)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.NOTIFY_WAIT, signalOnly, 1, 0)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, signalOnly, 1)).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_WAIT, waitOnly, 0, 0)).toBe(ERR.INVALID_ARGS);
    expect(m.sys(init, SYS.NOTIFY_WAIT, waitOnly, 1, 0)).toBe(1);
    m.check();
  });

  it('a blocked NOTIFY_WAIT wakes with the bits of its mask only', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const d = ok(m.dup(init, n, RIGHTS.WAIT | RIGHTS.TRANSFER));
    const c = child(m, [d]);
    const [cd] = c.handles as [number];
    expect(m.sys(c.pid, SYS.NOTIFY_WAIT, cd, 0b110, -1)).toBe(BLOCKED);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 0b001)).toBe(0);
    expect(m.isRunning(c.pid)).toBe(false);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 0b011)).toBe(0);
    expect(m.isRunning(c.pid)).toBe(true);
    expect(m.resumedWith(c.pid)).toBe(0b010);
    // Bit 0 was not taken.
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b111, 0)).toBe(0b001);
    m.check();
  });

  it('a finite NOTIFY_WAIT times out at its deadline', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, 0)).toBe(ERR.TIMED_OUT);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, 300)).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    expect(m.resumedWith(init)).toBe(ERR.TIMED_OUT);
    m.check();
  });
});

describe('process handles', () => {
  it('waiting for TERMINATED on a child ends when it exits', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const s = m.spawn(init, m.rootSelf(), { name: 'short-lived' });
    expect(s.result).toBe(0);
    expect(m.isRunning(s.pid)).toBe(false); // one CPU: init keeps it
    expect(waitOn(m, init, s.handle, SIGNAL.TERMINATED, 0).result).toBe(ERR.TIMED_OUT);
    const w = waitOn(m, init, s.handle, SIGNAL.TERMINATED, -1);
    expect(w.result).toBe(BLOCKED);
    expect(m.isRunning(s.pid)).toBe(true);
    expect(m.sys(s.pid, SYS.PROCESS_EXIT, 7)).toBe(BLOCKED);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    expect(w.observed() & SIGNAL.TERMINATED).toBe(SIGNAL.TERMINATED);
    const pi = m.processInfo(init, s.handle);
    expect(typeof pi === 'number' ? pi : [pi.state, pi.exitCode, pi.name]).toEqual([PROC_STATE.EXITED, 7, 'short-lived']);
    expect(m.stat('ZOMBIES')).toBe(1);
    // The record goes with the last handle.
    expect(m.sys(init, SYS.HANDLE_CLOSE, s.handle)).toBe(0);
    expect(m.stat('ZOMBIES')).toBe(0);
    m.check();
  });
});

describe('memory objects', () => {
  it('create, size, write and read back', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const mo = ok(m.memobj(init, 100));
    expect(info(m, init, mo)).toMatchObject({ type: OBJ.MEMORY, rights: RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER | RIGHTS.DUPLICATE | RIGHTS.WAIT });
    expect(m.sys(init, SYS.MEMOBJ_SIZE, mo)).toBe(100);
    expect(memRead(m, init, mo, 0, 100).bytes.every((x) => x === 0)).toBe(true);
    expect(memWrite(m, init, mo, 10, 'abcdef')).toBe(6);
    expect(memRead(m, init, mo, 10, 6).text).toBe('abcdef');
    expect(memRead(m, init, mo, 8, 4).bytes).toEqual(new Uint8Array([0, 0, 0x61, 0x62]));
    expect(memWrite(m, init, mo, 12, 'XY')).toBe(2);
    expect(memRead(m, init, mo, 10, 6).text).toBe('abXYef');
    expect(memWrite(m, init, mo, 0, '')).toBe(0);
    // Zero-sized objects exist too.
    const empty = ok(m.memobj(init, 0));
    expect(m.sys(init, SYS.MEMOBJ_SIZE, empty)).toBe(0);
    expect(memRead(m, init, empty, 0, 0).result).toBe(0);
    m.check();
  });

  it('offset + length beyond the size is OUT_OF_RANGE, and nothing is copied', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const mo = ok(m.memobj(init, 100));
    expect(memWrite(m, init, mo, 96, 'fives')).toBe(ERR.OUT_OF_RANGE);
    expect(memWrite(m, init, mo, 95, 'fives')).toBe(5);
    expect(memRead(m, init, mo, 96, 5).result).toBe(ERR.OUT_OF_RANGE);
    expect(memRead(m, init, mo, 101, 0).result).toBe(ERR.OUT_OF_RANGE);
    expect(memRead(m, init, mo, 100, 0).result).toBe(0);
    expect(memRead(m, init, mo, 0xffffffff, 2).result).toBe(ERR.OUT_OF_RANGE); // no wrap-around
    expect(memWrite(m, init, mo, 0xfffffffc, 'abcdefgh')).toBe(ERR.OUT_OF_RANGE);
    expect(memRead(m, init, mo, 90, 10).bytes).toEqual(new Uint8Array([0, 0, 0, 0, 0, 0x66, 0x69, 0x76, 0x65, 0x73]));
    // A user buffer outside the caller's memory is a FAULT.
    expect(m.sys(init, SYS.MEMOBJ_READ, mo, 0, m.proc(init).mem.length - 4, 8)).toBe(ERR.FAULT);
    m.check();
  });

  it('READ and WRITE rights are enforced', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const mo = ok(m.memobj(init, 16));
    const ro = ok(m.dup(init, mo, RIGHTS.READ));
    const wo = ok(m.dup(init, mo, RIGHTS.WRITE));
    expect(memWrite(m, init, ro, 0, 'no')).toBe(ERR.ACCESS_DENIED);
    expect(memRead(m, init, wo, 0, 2).result).toBe(ERR.ACCESS_DENIED);
    expect(memWrite(m, init, wo, 0, 'ok')).toBe(2);
    expect(memRead(m, init, ro, 0, 2).text).toBe('ok');
    expect(m.sys(init, SYS.MEMOBJ_SIZE, ro)).toBe(16);
    m.check();
  });

  it('another process sees the bytes through a transferred handle', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const mo = ok(m.memobj(init, 4096));
    const charged = m.memInfo(init).objectBytes;
    expect(memWrite(m, init, mo, 0, 'shared hello')).toBe(12);
    const d = ok(m.dup(init, mo, RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER));
    const [a, b] = m.channel(init);
    const c = child(m, [b]);
    const [cb] = c.handles as [number];
    expect(m.write(init, a, 'mem', [d])).toBe(0);
    const r = m.read(c.pid, cb, 16, 1);
    const [cm] = r.handles as [number];
    const childBytes = m.memInfo(c.pid).objectBytes;
    expect(m.sys(c.pid, SYS.MEMOBJ_SIZE, cm)).toBe(4096);
    expect(memRead(m, c.pid, cm, 0, 12).text).toBe('shared hello');
    expect(memWrite(m, c.pid, cm, 4090, 'child!')).toBe(6);
    expect(memRead(m, init, mo, 4090, 6).text).toBe('child!');
    // The creator keeps paying for the object; the receiver pays only for the handle it now holds.
    expect(m.memInfo(c.pid).objectBytes).toBe(childBytes);
    // init: + the channel (two endpoints and handles), + its handle to the child in place of the end it gave it.
    expect(m.memInfo(init).objectBytes).toBe(charged + 2 * (LIMITS.OBJECT_BYTES + LIMITS.HANDLE_BYTES));
    m.check();
  });

  it('creation is charged to the caller and refused beyond its quota', () => {
    const m = TestMachine.boot({ rootQuota: 8 });
    const init = m.rootPid;
    const before = m.memInfo(init);
    // init's image: 2 pages of linear memory; its record and SELF handle: a third page, partly used.
    expect(before.usedPages).toBe(3);
    // 6 pages of bytes besides what init already holds round up to 7 more pages: 2 + 7 > 8.
    expect(m.memobj(init, 6 * LIMITS.PAGE_SIZE)).toBe(ERR.NO_MEMORY);
    const mo = ok(m.memobj(init, 5 * LIMITS.PAGE_SIZE));
    const after = m.memInfo(init);
    expect(after.objectBytes).toBe(before.objectBytes + 5 * LIMITS.PAGE_SIZE + LIMITS.OBJECT_BYTES + LIMITS.HANDLE_BYTES);
    expect(after.usedPages).toBe(before.usedPages + 5);
    expect(after.usedPages).toBeLessThanOrEqual(after.quotaPages);
    expect(m.sys(init, SYS.HANDLE_CLOSE, mo)).toBe(0);
    expect(m.memInfo(init).usedPages).toBe(before.usedPages);
    m.check();
  });
});

describe('timers', () => {
  it('TIMER_SET fires after the time passes: FIRED on the timer and the bit on the notification', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const t = ok(m.timer(init, n, 5));
    const tkoid = info(m, init, t).koid;
    const nkoid = info(m, init, n).koid;
    const t0 = m.k.kernel_time();
    expect(m.sys(init, SYS.TIMER_SET, t, 750)).toBe(0);
    expect(m.stat('DEADLINES')).toBe(1);
    expect(waitOn(m, init, t, SIGNAL.FIRED, 0).result).toBe(ERR.TIMED_OUT);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1 << 5, -1)).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(1 << 5);
    expect(m.k.kernel_time()).toBeGreaterThanOrEqual(t0 + 750 * 1000);
    const w = waitOn(m, init, t, SIGNAL.FIRED, 0);
    expect(w.result).toBe(0);
    expect(w.observed()).toBe(SIGNAL.FIRED);
    const [fire] = m.eventsOf('TIMER_FIRE');
    expect(fire?.args.slice(0, 3)).toEqual([tkoid, nkoid, 5]);
    expect(m.eventsOf('TIMER_FIRE')).toHaveLength(1); // one shot
    expect(m.stat('DEADLINES')).toBe(0);
    m.check();
  });

  it('a timer fires on its own while nobody waits, and re-arming clears FIRED', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const t = ok(m.timer(init, n, 0));
    expect(m.sys(init, SYS.TIMER_SET, t, 10)).toBe(0);
    for (let i = 0; i < 12; i++) expect(m.sys(init, SYS.NULL)).toBe(0); // 1 µs each
    expect(waitOn(m, init, t, SIGNAL.FIRED, 0).result).toBe(0);
    expect(m.sys(init, SYS.TIMER_SET, t, 100)).toBe(0);
    expect(waitOn(m, init, t, SIGNAL.FIRED, 0).result).toBe(ERR.TIMED_OUT);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, 0)).toBe(1); // the first firing's bit
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, -1)).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    expect(m.resumedWith(init)).toBe(1);
    m.check();
  });

  it('a negative timeout cancels; re-arming replaces the deadline', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const t = ok(m.timer(init, n, 1));
    expect(m.sys(init, SYS.TIMER_SET, t, 1000)).toBe(0);
    expect(m.sys(init, SYS.TIMER_SET, t, -1)).toBe(0);
    expect(m.stat('DEADLINES')).toBe(0);
    expect(m.idle()).toBe(false);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b10, 0)).toBe(ERR.TIMED_OUT);
    expect(m.eventsOf('TIMER_FIRE')).toEqual([]);

    const t0 = m.k.kernel_time();
    expect(m.sys(init, SYS.TIMER_SET, t, 1000)).toBe(0);
    expect(m.sys(init, SYS.TIMER_SET, t, 3000)).toBe(0);
    expect(m.stat('DEADLINES')).toBe(1);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b10, -1)).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    expect(m.resumedWith(init)).toBe(0b10);
    expect(m.k.kernel_time()).toBeGreaterThanOrEqual(t0 + 3000 * 1000);
    expect(m.eventsOf('TIMER_FIRE')).toHaveLength(1);
    // Closing an armed timer takes its deadline away too.
    expect(m.sys(init, SYS.TIMER_SET, t, 500)).toBe(0);
    expect(m.stat('DEADLINES')).toBe(1);
    expect(m.sys(init, SYS.HANDLE_CLOSE, t)).toBe(0);
    expect(m.stat('DEADLINES')).toBe(0);
    expect(m.idle()).toBe(false);
    m.check();
  });

  it('checks rights and arguments: SIGNAL on the notification, a bit below 31, WRITE to arm', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const nosignal = ok(m.dup(init, n, RIGHTS.WAIT));
    expect(m.timer(init, nosignal, 0)).toBe(ERR.ACCESS_DENIED);
    expect(m.timer(init, n, 31)).toBe(ERR.INVALID_ARGS);
    const t = ok(m.timer(init, n, 30));
    const ro = ok(m.dup(init, t, RIGHTS.READ | RIGHTS.WAIT));
    expect(m.sys(init, SYS.TIMER_SET, ro, 10)).toBe(ERR.ACCESS_DENIED);
    expect(m.stat('DEADLINES')).toBe(0);
    // The timer keeps its notification alive: closing the notification handle destroys nothing.
    const objects = m.stat('OBJECTS');
    expect(m.sys(init, SYS.HANDLE_CLOSE, n)).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, nosignal)).toBe(0);
    expect(m.stat('OBJECTS')).toBe(objects);
    expect(m.sys(init, SYS.TIMER_SET, t, 10)).toBe(0);
    expect(m.idle()).toBe(true);
    expect(m.eventsOf('TIMER_FIRE')).toHaveLength(1);
    // Closing the timer releases both.
    expect(m.sys(init, SYS.HANDLE_CLOSE, ro)).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, t)).toBe(0);
    expect(m.stat('OBJECTS')).toBe(objects - 2);
    m.check();
  });
});

describe('SLEEP', () => {
  it('blocks for at least the time given', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const t0 = m.k.kernel_time();
    expect(m.sys(init, SYS.SLEEP, 1500)).toBe(BLOCKED);
    expect(m.isRunning(init)).toBe(false);
    expect(m.stat('DEADLINES')).toBe(1);
    expect(m.idle()).toBe(true);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    const clock = m.alloc(init, 8);
    expect(m.sys(init, SYS.CLOCK_GET, clock)).toBe(0);
    const after = new DataView(m.proc(init).mem.buffer).getFloat64(clock, true);
    expect(after - t0).toBeGreaterThanOrEqual(1500 * 1000);
    expect(m.k.kernel_time() - t0).toBeLessThan(1600 * 1000);
    // Zero or negative: nothing to wait for.
    expect(m.sys(init, SYS.SLEEP, 0)).toBe(0);
    expect(m.sys(init, SYS.SLEEP, -5)).toBe(0);
    m.check();
  });

  it('a sleeping process gives its CPU to another', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const s = m.spawn(init, m.rootSelf());
    expect(s.result).toBe(0);
    expect(m.isRunning(s.pid)).toBe(false);
    expect(m.sys(init, SYS.SLEEP, 100)).toBe(BLOCKED);
    expect(m.isRunning(s.pid)).toBe(true);
    expect(m.sys(s.pid, SYS.SLEEP, 50)).toBe(BLOCKED);
    expect(m.idle()).toBe(true); // the child's shorter sleep ends first
    expect(m.isRunning(s.pid)).toBe(true);
    expect(m.isRunning(init)).toBe(false);
    expect(m.sys(s.pid, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    m.check();
  });
});
