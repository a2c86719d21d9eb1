// Handles: the capability rules a process can observe.
//
// Covers HANDLE_DUPLICATE (rights may only shrink; DUPLICATE is needed),
// HANDLE_CLOSE and generations (a closed value stays dead even when its slot
// is reused), forged values and values taken from another process, type
// checks, HANDLE_INFO / HANDLE_LIST, HANDLE_REVOKE (the whole derived subtree,
// in every process and inside queued messages; closing a middle node hands
// its children to its parent), object destruction with the last handle, and
// PEER_CLOSED when the other endpoint's last handle goes.

import { describe, expect, it } from 'vitest';
import { CLOSE_REASON, ERR, LIMITS, OBJ, RIGHTS, SIGNAL, SYS, sizeOf } from '@oncrix/abi';
import { BLOCKED, TestMachine } from './harness';
import { info, infoResult, ok, waitOn, child, eventsSince } from './helpers';

/** Rights the kernel gives each new object of a type (from the syscall that creates it). */
const NOTIFY_RIGHTS = RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER | RIGHTS.DUPLICATE | RIGHTS.WAIT | RIGHTS.SIGNAL;
const CHANNEL_RIGHTS = RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER | RIGHTS.DUPLICATE | RIGHTS.WAIT;
const MEMORY_RIGHTS = RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER | RIGHTS.DUPLICATE | RIGHTS.WAIT;
const TIMER_RIGHTS = RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER | RIGHTS.DUPLICATE | RIGHTS.WAIT;

function close(m: TestMachine, pid: number, h: number): number {
  return m.sys(pid, SYS.HANDLE_CLOSE, h);
}

function revoke(m: TestMachine, pid: number, h: number): number {
  return m.sys(pid, SYS.HANDLE_REVOKE, h);
}

describe('HANDLE_DUPLICATE', () => {
  it('makes a new handle to the same object with a subset of the rights', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    expect(info(m, init, n)).toMatchObject({ handle: n, type: OBJ.NOTIFICATION, rights: NOTIFY_RIGHTS });
    const mark = m.events().length;
    const d = ok(m.dup(init, n, RIGHTS.SIGNAL));
    expect(d).not.toBe(n);
    const di = info(m, init, d);
    expect(di).toEqual({ handle: d, type: OBJ.NOTIFICATION, rights: RIGHTS.SIGNAL, koid: info(m, init, n).koid });
    const [ev] = eventsSince(m, mark, 'HANDLE_DUPLICATE');
    expect(ev?.pid).toBe(init);
    expect(ev?.args.slice(0, 4)).toEqual([d, n, di.koid, RIGHTS.SIGNAL]);

    // The new handle can do exactly what its rights allow.
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, d, 0b100)).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_WAIT, d, 0b100, 0)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b100, 0)).toBe(0b100);
    // A handle with no rights at all is still a handle.
    const none = ok(m.dup(init, n, 0));
    expect(info(m, init, none).rights).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, none, 1)).toBe(ERR.ACCESS_DENIED);
    m.check();
  });

  it('refuses rights the source does not hold with INVALID_ARGS', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const d = ok(m.dup(init, n, RIGHTS.SIGNAL | RIGHTS.DUPLICATE));
    const before = m.handles(init).length;
    expect(m.dup(init, d, RIGHTS.SIGNAL | RIGHTS.WAIT)).toBe(ERR.INVALID_ARGS);
    expect(m.dup(init, n, RIGHTS.ALL)).toBe(ERR.INVALID_ARGS); // a notification has no SPAWN, MANAGE, INSPECT
    expect(m.dup(init, n, NOTIFY_RIGHTS | (1 << 9))).toBe(ERR.INVALID_ARGS); // a bit that is no right at all
    expect(m.handles(init).length).toBe(before);
    // Equal rights are a subset too.
    expect(info(m, init, ok(m.dup(init, d, RIGHTS.SIGNAL | RIGHTS.DUPLICATE))).rights).toBe(RIGHTS.SIGNAL | RIGHTS.DUPLICATE);
    m.check();
  });

  it('needs the DUPLICATE right (ACCESS_DENIED) and a valid out pointer', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const d = ok(m.dup(init, n, RIGHTS.SIGNAL | RIGHTS.WAIT | RIGHTS.TRANSFER));
    const before = m.handles(init).length;
    expect(m.dup(init, d, RIGHTS.SIGNAL)).toBe(ERR.ACCESS_DENIED);
    expect(m.dup(init, d, 0)).toBe(ERR.ACCESS_DENIED);
    const outside = m.proc(init).mem.length - 2;
    expect(m.sys(init, SYS.HANDLE_DUPLICATE, n, RIGHTS.SIGNAL, outside)).toBe(ERR.FAULT);
    expect(m.handles(init).length).toBe(before);
    m.check();
  });
});

describe('closing, stale and forged handle values', () => {
  it('a closed value stays dead, even after its slot holds a new handle', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const koid = info(m, init, n).koid;
    const mark = m.events().length;
    expect(close(m, init, n)).toBe(0);
    const [ev] = eventsSince(m, mark, 'HANDLE_CLOSE');
    expect(ev?.args.slice(0, 3)).toEqual([n, koid, CLOSE_REASON.CLOSED]);
    expect(infoResult(m, init, n)).toBe(ERR.BAD_HANDLE);
    expect(close(m, init, n)).toBe(ERR.BAD_HANDLE);

    // The next handle reuses the slot (LIFO free list) with a new generation.
    const n2 = ok(m.notification(init));
    expect(n2).not.toBe(n);
    expect(n2 & 0x3ff).toBe(n & 0x3ff);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 1)).toBe(ERR.BAD_HANDLE);
    expect(close(m, init, n)).toBe(ERR.BAD_HANDLE);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n2, 1)).toBe(0);
    expect(info(m, init, n2).koid).not.toBe(koid);
    m.check();
  });

  it('a slot whose generations are used up is retired: no stale value ever names a live handle again', () => {
    // A hostile program closes and re-creates one slot as fast as it can, about 2^20 times
    // (a value is generation << 10 | slot in a positive i32: a slot has GEN_LIMIT - 1 generations).
    const m = TestMachine.boot({ keepTrace: false });
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const out = m.alloc(init, 4);
    const view = new DataView(m.proc(init).mem.buffer);
    const dupOnce = (): number => {
      const r = m.k.syscall(init, SYS.HANDLE_DUPLICATE, n, RIGHTS.SIGNAL, out, 0, 0, 0);
      if (r !== 0) throw new Error(`HANDLE_DUPLICATE failed: ${r}`);
      return view.getUint32(out, true);
    };
    const first = dupOnce();
    const slot = first & 0x3ff;
    let v = first;
    let cycles = 0;
    for (; cycles < 2 ** 21 && (v & 0x3ff) === slot; cycles++) {
      const r = m.k.syscall(init, SYS.HANDLE_CLOSE, v, 0, 0, 0, 0, 0);
      if (r !== 0) throw new Error(`HANDLE_CLOSE failed: ${r}`);
      v = dupOnce();
      // Every value the slot gives out is new: the first one never comes back.
      if (v === first) throw new Error(`after ${cycles + 1} close/duplicate cycles the closed value ${first} names a live handle again`);
    }
    // The slot gave out its last generation, then was retired: the next handle went elsewhere.
    expect(cycles).toBe(2 ** 20 - 1);
    expect(v & 0x3ff).not.toBe(slot);
    expect(v).toBeGreaterThan(0);
    expect(infoResult(m, init, first)).toBe(ERR.BAD_HANDLE);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, first, 1)).toBe(ERR.BAD_HANDLE);
    expect(m.handles(init).map((h) => h.handle)).toContain(v);
    m.check();
  });

  it('forged values are BAD_HANDLE for every syscall', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const [a] = m.channel(init);
    const live = new Set(m.handles(init).map((h) => h.handle));
    const forged = [0, -1, -1024, -2147483648, 0x7fffffff, 12345678, n + 1000, n ^ (1 << 10), (n & 0x3ff) | (7 << 10), 0x3ff, (1 << 10) | 1000];
    for (const v of forged) {
      expect(live.has(v)).toBe(false);
      expect(infoResult(m, init, v)).toBe(ERR.BAD_HANDLE);
      expect(close(m, init, v)).toBe(ERR.BAD_HANDLE);
      expect(revoke(m, init, v)).toBe(ERR.BAD_HANDLE);
      expect(m.dup(init, v, 0)).toBe(ERR.BAD_HANDLE);
      expect(m.sys(init, SYS.NOTIFY_SIGNAL, v, 1)).toBe(ERR.BAD_HANDLE);
      expect(m.write(init, v, 'x')).toBe(ERR.BAD_HANDLE);
      // Moving a forged value inside a message fails too, and the message is not sent.
      expect(m.write(init, a, 'x', [v])).toBe(ERR.BAD_HANDLE);
    }
    expect(m.stat('MSG_SENT')).toBe(0);
    expect(m.handles(init).length).toBe(live.size);
    m.check();
  });

  it("another process's handle value means nothing in the caller's table", () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const ns = [ok(m.notification(init)), ok(m.notification(init)), ok(m.notification(init))];
    const [a] = m.channel(init);
    const c = child(m); // no startup handles
    expect(m.handles(c.pid)).toEqual([]);
    for (const v of [...ns, a]) {
      expect(infoResult(m, c.pid, v)).toBe(ERR.BAD_HANDLE);
      expect(m.sys(c.pid, SYS.NOTIFY_SIGNAL, v, 1)).toBe(ERR.BAD_HANDLE);
      expect(m.write(c.pid, v, 'x')).toBe(ERR.BAD_HANDLE);
    }
    // The child's first handle gets the same value as init's first one, but names the child's own object.
    const cn = ok(m.notification(c.pid));
    const self = m.rootSelf();
    expect(cn).toBe(self);
    expect(info(m, c.pid, cn).type).toBe(OBJ.NOTIFICATION);
    expect(info(m, init, self).type).toBe(OBJ.PROCESS);
    // None of init's notifications saw a signal from the child.
    for (const v of ns) expect(m.sys(init, SYS.NOTIFY_WAIT, v, 1, 0)).toBe(ERR.TIMED_OUT);
    m.check();
  });

  it('a handle of the wrong type is WRONG_TYPE, checked before rights', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const [a, b] = m.channel(init);
    const mo = ok(m.memobj(init, 64));
    const buf = m.alloc(init, 16);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, a, 1)).toBe(ERR.WRONG_TYPE);
    expect(m.write(init, n, 'x')).toBe(ERR.WRONG_TYPE);
    expect(m.read(init, mo).result).toBe(ERR.WRONG_TYPE);
    expect(m.sys(init, SYS.MEMOBJ_READ, b, 0, buf, 4)).toBe(ERR.WRONG_TYPE);
    expect(m.sys(init, SYS.MEMOBJ_SIZE, n)).toBe(ERR.WRONG_TYPE);
    expect(m.sys(init, SYS.TIMER_SET, n, 10)).toBe(ERR.WRONG_TYPE);
    expect(m.sys(init, SYS.PROCESS_KILL, a)).toBe(ERR.WRONG_TYPE);
    expect(m.sys(init, SYS.TIMER_CREATE, mo, 0, buf)).toBe(ERR.WRONG_TYPE);
    const bare = ok(m.dup(init, n, 0));
    expect(m.write(init, bare, 'x')).toBe(ERR.WRONG_TYPE);
    expect(m.stat('MSG_SENT')).toBe(0);
    m.check();
  });
});

describe('HANDLE_INFO and HANDLE_LIST', () => {
  it('HANDLE_INFO reports value, type, rights and koid of each kind of handle', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const self = m.rootSelf();
    const [a, b] = m.channel(init);
    const n = ok(m.notification(init));
    const mo = ok(m.memobj(init, 10));
    const t = ok(m.timer(init, n, 3));
    const infos = [self, a, b, n, mo, t].map((h) => info(m, init, h));
    expect(infos.map((i) => [i.handle, i.type, i.rights])).toEqual([
      [self, OBJ.PROCESS, RIGHTS.ALL],
      [a, OBJ.CHANNEL, CHANNEL_RIGHTS],
      [b, OBJ.CHANNEL, CHANNEL_RIGHTS],
      [n, OBJ.NOTIFICATION, NOTIFY_RIGHTS],
      [mo, OBJ.MEMORY, MEMORY_RIGHTS],
      [t, OBJ.TIMER, TIMER_RIGHTS],
    ]);
    // koids are unique and match the HANDLE_CREATE / OBJECT_CREATE trace of each handle.
    expect(new Set(infos.map((i) => i.koid)).size).toBe(infos.length);
    const created = new Map(m.eventsOf('HANDLE_CREATE').filter((e) => e.pid === init).map((e) => [e.args[0], e.args[1]]));
    for (const i of infos) expect(created.get(i.handle)).toBe(i.koid);
    // An out pointer outside the caller's memory is a FAULT.
    expect(m.sys(init, SYS.HANDLE_INFO, n, m.proc(init).mem.length - 8)).toBe(ERR.FAULT);
    m.check();
  });

  it('HANDLE_LIST writes up to cap records and returns the total', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const self = m.rootSelf();
    const [a, b] = m.channel(init);
    const n = ok(m.notification(init));
    const list = m.handles(init);
    expect(list.map((h) => h.handle)).toEqual([self, a, b, n]);
    expect(list.map((h) => h.type)).toEqual([OBJ.PROCESS, OBJ.CHANNEL, OBJ.CHANNEL, OBJ.NOTIFICATION]);
    expect(list[3]).toEqual(info(m, init, n));

    // cap 2: the total is still 4, and nothing is written past the second record.
    const size = sizeOf('HandleInfo');
    const buf = m.alloc(init, 4 * size);
    m.writeBytes(init, buf, new Uint8Array(4 * size).fill(0xaa));
    expect(m.sys(init, SYS.HANDLE_LIST, buf, 2)).toBe(4);
    expect(m.u32(init, buf)).toBe(self);
    expect(m.u32(init, buf + size)).toBe(a);
    expect([...m.readBytes(init, buf + 2 * size, 2 * size)].every((x) => x === 0xaa)).toBe(true);
    expect(m.sys(init, SYS.HANDLE_LIST, buf, 0)).toBe(4);
    expect(m.sys(init, SYS.HANDLE_LIST, buf, LIMITS.MAX_HANDLES + 1)).toBe(ERR.INVALID_ARGS);
    expect(m.sys(init, SYS.HANDLE_LIST, m.proc(init).mem.length - size, 2)).toBe(ERR.FAULT);

    // After a close the list shrinks; a child lists only its own handles.
    expect(close(m, init, a)).toBe(0);
    expect(m.handles(init).map((h) => h.handle)).toEqual([self, b, n]);
    const c = child(m, [b]);
    expect(m.handles(c.pid)).toEqual([{ ...list[2], handle: c.handles[0] }]);
    expect(m.handles(init).map((h) => h.handle).sort()).toEqual([self, n, c.handle].sort());
    m.check();
  });
});

describe('HANDLE_REVOKE', () => {
  it('closes the whole derived subtree in every process and keeps the revoked handle', () => {
    const m = TestMachine.boot({ cpus: 3 });
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const koid = info(m, init, n).koid;
    const d1 = ok(m.dup(init, n, RIGHTS.SIGNAL | RIGHTS.WAIT | RIGHTS.DUPLICATE | RIGHTS.TRANSFER));
    const d11 = ok(m.dup(init, d1, RIGHTS.SIGNAL | RIGHTS.TRANSFER));
    const d2 = ok(m.dup(init, n, RIGHTS.SIGNAL));
    const other = ok(m.notification(init)); // not derived from n
    const ca = child(m, [d1]);
    const cb = child(m, [d11]);
    const [a1] = ca.handles as [number];
    const [b1] = cb.handles as [number];
    const a12 = ok(m.dup(ca.pid, a1, RIGHTS.SIGNAL));
    const bOwn = ok(m.notification(cb.pid));
    // All of them reach the same object before the revoke.
    for (const [pid, h] of [[ca.pid, a1], [ca.pid, a12], [cb.pid, b1], [init, d2]] as const) {
      expect(info(m, pid, h).koid).toBe(koid);
    }

    const mark = m.events().length;
    const objects = m.stat('OBJECTS');
    const handles = m.stat('HANDLES');
    expect(revoke(m, init, n)).toBe(4);
    for (const [pid, h] of [[ca.pid, a1], [ca.pid, a12], [cb.pid, b1], [init, d2]] as const) {
      expect(infoResult(m, pid, h)).toBe(ERR.BAD_HANDLE);
      expect(m.sys(pid, SYS.NOTIFY_SIGNAL, h, 1)).toBe(ERR.BAD_HANDLE);
    }
    expect(m.handles(ca.pid)).toEqual([]);
    expect(m.handles(cb.pid).map((h) => h.handle)).toEqual([bOwn]);
    expect(m.stat('HANDLES')).toBe(handles - 4);
    expect(m.stat('OBJECTS')).toBe(objects);
    // The revoked handle itself stays, with its rights, and the object lives.
    expect(info(m, init, n)).toMatchObject({ rights: NOTIFY_RIGHTS, koid });
    expect(info(m, init, other).type).toBe(OBJ.NOTIFICATION);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 1)).toBe(0);

    const [rev] = eventsSince(m, mark, 'HANDLE_REVOKE');
    expect(rev?.pid).toBe(init);
    expect(rev?.args.slice(0, 3)).toEqual([n, koid, 4]);
    const closes = eventsSince(m, mark, 'HANDLE_CLOSE');
    expect(closes.map((e) => [e.pid, e.args[0], e.args[1], e.args[2]]).sort()).toEqual(
      [[ca.pid, a1], [ca.pid, a12], [cb.pid, b1], [init, d2]].map(([p, h]) => [p, h, koid, CLOSE_REASON.REVOKED]).sort(),
    );
    expect(eventsSince(m, mark, 'OBJECT_DESTROY')).toEqual([]);
    // Nothing is left below n.
    expect(revoke(m, init, n)).toBe(0);
    m.check();
  });

  it('reaches handles in flight: the reader gets 0 in their position', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const koid = info(m, init, n).koid;
    const keep = ok(m.notification(init));
    const keepKoid = info(m, init, keep).koid;
    const d = ok(m.dup(init, n, RIGHTS.SIGNAL | RIGHTS.TRANSFER));
    const [a, b] = m.channel(init);
    const reader = child(m, [b]);
    const [rb] = reader.handles as [number];
    expect(m.write(init, a, 'two handles', [keep, d])).toBe(0);
    expect(infoResult(m, init, d)).toBe(ERR.BAD_HANDLE); // it left init's table

    const mark = m.events().length;
    const handles = m.stat('HANDLES');
    expect(revoke(m, init, n)).toBe(1);
    expect(m.stat('HANDLES')).toBe(handles - 1);
    const [ev] = eventsSince(m, mark, 'HANDLE_CLOSE');
    expect(ev?.pid).toBe(0); // it was in no process
    expect(ev?.args.slice(0, 3)).toEqual([0, koid, CLOSE_REASON.REVOKED]);

    const r = m.read(reader.pid, rb);
    expect(r.result).toBe(11);
    expect(r.text).toBe('two handles');
    expect(r.actualHandles).toBe(2);
    const [k, revoked] = r.handles as [number, number];
    expect(revoked).toBe(0);
    expect(info(m, reader.pid, k)).toMatchObject({ type: OBJ.NOTIFICATION, koid: keepKoid });
    expect(m.handles(reader.pid).map((h) => h.handle).sort()).toEqual([rb, k].sort());
    expect(m.eventsOf('HANDLE_TRANSFER').filter((e) => e.pid === reader.pid && e.args[3] === koid)).toEqual([]);
    m.check();
  });

  it('closing a middle node keeps its children revocable by the ancestor', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const mid = ok(m.dup(init, n, NOTIFY_RIGHTS));
    const low = ok(m.dup(init, mid, RIGHTS.SIGNAL));
    const away = ok(m.dup(init, mid, RIGHTS.SIGNAL | RIGHTS.TRANSFER));
    const sibling = ok(m.dup(init, n, RIGHTS.SIGNAL));
    const c = child(m, [away]);
    const [ch] = c.handles as [number];

    expect(close(m, init, mid)).toBe(0);
    expect(revoke(m, init, mid)).toBe(ERR.BAD_HANDLE);
    // The children outlive their closed parent …
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, low, 1)).toBe(0);
    expect(m.sys(c.pid, SYS.NOTIFY_SIGNAL, ch, 2)).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 3, 0)).toBe(3);
    // … and the ancestor still reaches them.
    expect(revoke(m, init, n)).toBe(3);
    expect(infoResult(m, init, low)).toBe(ERR.BAD_HANDLE);
    expect(infoResult(m, init, sibling)).toBe(ERR.BAD_HANDLE);
    expect(infoResult(m, c.pid, ch)).toBe(ERR.BAD_HANDLE);
    m.check();
  });

  it('revoking a middle node closes only what was derived from it', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const mid = ok(m.dup(init, n, NOTIFY_RIGHTS));
    const below = [ok(m.dup(init, mid, RIGHTS.SIGNAL | RIGHTS.DUPLICATE))];
    below.push(ok(m.dup(init, below[0] ?? 0, RIGHTS.SIGNAL)));
    const sibling = ok(m.dup(init, n, RIGHTS.SIGNAL));
    expect(revoke(m, init, mid)).toBe(2);
    for (const h of below) expect(infoResult(m, init, h)).toBe(ERR.BAD_HANDLE);
    expect(infoResult(m, init, mid)).toBe(0);
    expect(infoResult(m, init, sibling)).toBe(0);
    // mid is still below n.
    expect(revoke(m, init, n)).toBe(2);
    expect(infoResult(m, init, mid)).toBe(ERR.BAD_HANDLE);
    m.check();
  });
});

describe('object lifetime', () => {
  it('an object is destroyed with its last handle and its bytes go back', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const objects = m.stat('OBJECTS');
    const bytes = m.memInfo(init).objectBytes;
    const n = ok(m.notification(init));
    const koid = info(m, init, n).koid;
    expect(m.stat('OBJECTS')).toBe(objects + 1);
    expect(m.memInfo(init).objectBytes).toBe(bytes + LIMITS.OBJECT_BYTES + LIMITS.HANDLE_BYTES);
    const d = ok(m.dup(init, n, RIGHTS.SIGNAL));
    expect(m.memInfo(init).objectBytes).toBe(bytes + LIMITS.OBJECT_BYTES + 2 * LIMITS.HANDLE_BYTES);

    const mark = m.events().length;
    expect(close(m, init, n)).toBe(0);
    expect(eventsSince(m, mark, 'OBJECT_DESTROY')).toEqual([]);
    expect(m.stat('OBJECTS')).toBe(objects + 1);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, d, 1)).toBe(0);
    expect(close(m, init, d)).toBe(0);
    const destroyed = eventsSince(m, mark, 'OBJECT_DESTROY');
    expect(destroyed.map((e) => e.args.slice(0, 2))).toEqual([[koid, OBJ.NOTIFICATION]]);
    expect(m.stat('OBJECTS')).toBe(objects);
    expect(m.memInfo(init).objectBytes).toBe(bytes);

    // A memory object gives back its size as well.
    const mo = ok(m.memobj(init, 5000));
    expect(m.memInfo(init).objectBytes).toBe(bytes + LIMITS.OBJECT_BYTES + LIMITS.HANDLE_BYTES + 5000);
    expect(close(m, init, mo)).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(bytes);
    expect(m.stat('OBJECTS')).toBe(objects);
    m.check();
  });

  it('a handle inside a queued message keeps its object alive until the message is dropped', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const objects = m.stat('OBJECTS');
    const [a, b] = m.channel(init);
    const n = ok(m.notification(init));
    const koid = info(m, init, n).koid;
    expect(m.write(init, a, 'carry', [n])).toBe(0);
    expect(m.handles(init).some((h) => h.koid === koid)).toBe(false);
    expect(m.stat('OBJECTS')).toBe(objects + 3);

    const mark = m.events().length;
    expect(close(m, init, b)).toBe(0); // b's queue dies unread
    const closes = eventsSince(m, mark, 'HANDLE_CLOSE');
    expect(closes.map((e) => [e.args[1], e.args[2]])).toContainEqual([koid, CLOSE_REASON.DROPPED]);
    expect(eventsSince(m, mark, 'OBJECT_DESTROY').map((e) => e.args[0])).toContain(koid);
    expect(m.stat('OBJECTS')).toBe(objects + 1); // only a is left
    expect(m.stat('MSG_DROPPED')).toBe(1);
    expect(close(m, init, a)).toBe(0);
    expect(m.stat('OBJECTS')).toBe(objects);
    m.check();
  });

  it("PEER_CLOSED is raised when the other endpoint's last handle closes", () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const b2 = ok(m.dup(init, b, CHANNEL_RIGHTS));
    const akoid = info(m, init, a).koid;
    const c = child(m, [a]);
    const [ca] = c.handles as [number];

    expect(waitOn(m, c.pid, ca, SIGNAL.PEER_CLOSED, 0).result).toBe(ERR.TIMED_OUT);
    const w = waitOn(m, c.pid, ca, SIGNAL.PEER_CLOSED, -1);
    expect(w.result).toBe(BLOCKED);
    expect(m.isRunning(c.pid)).toBe(false);

    expect(close(m, init, b)).toBe(0); // b2 still holds the endpoint
    expect(m.isRunning(c.pid)).toBe(false);
    const mark = m.events().length;
    expect(close(m, init, b2)).toBe(0);
    expect(m.isRunning(c.pid)).toBe(true);
    expect(m.resumedWith(c.pid)).toBe(0);
    expect(w.observed()).toBe(SIGNAL.PEER_CLOSED); // and no longer WRITABLE
    const sig = eventsSince(m, mark, 'SIGNAL').find((e) => e.args[0] === akoid);
    expect(sig?.args.slice(0, 4)).toEqual([akoid, SIGNAL.PEER_CLOSED, SIGNAL.WRITABLE, SIGNAL.PEER_CLOSED]);
    expect(m.write(c.pid, ca, 'anyone?')).toBe(ERR.PEER_CLOSED);
    expect(m.read(c.pid, ca).result).toBe(ERR.PEER_CLOSED);
    m.check();
  });
});
