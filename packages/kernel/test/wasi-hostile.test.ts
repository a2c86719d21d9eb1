// Hostile arguments to the WASI front door that vfs.test.ts does not try:
// counts and lengths near 2^32 in every call that takes one, fds that belong
// to another process, and an fd closed (or its pipe's writers gone, or its
// reader killed) while another process is blocked reading it. Each is
// refused with the errno WASI gives, the kernel never traps (the harness
// fails on a trap), and its invariants hold after each (m.check()).

import { describe, expect, it } from 'vitest';
import { SYS, WASI_ERRNO as E, WASI_FLAGS } from '@oncrix/abi';
import { BLOCKED, TestMachine } from './harness';

/** An iovec array of (ptr, len) pairs in pid's memory. */
function iovs(m: TestMachine, pid: number, bufs: [number, number][]): number {
  return m.putU32s(pid, bufs.flat());
}

/** A pipe of pid: [read fd, write fd]. */
function pipe(m: TestMachine, pid: number): [number, number] {
  const out = m.alloc(pid, 8);
  expect(m.sys(pid, SYS.FD_PIPE, out)).toBe(0);
  return [m.u32(pid, out), m.u32(pid, out + 4)];
}

/** Write text into pid's pipe at w and read it back from r: what arrives. */
function throughPipe(m: TestMachine, pid: number, w: number, r: number, text: string): string {
  const n = m.alloc(pid, 4);
  expect(m.wasi(pid, 'fd_write', w, iovs(m, pid, [[m.put(pid, text), text.length]]), 1, n)).toBe(0);
  const back = m.alloc(pid, text.length + 8);
  expect(m.wasi(pid, 'fd_read', r, iovs(m, pid, [[back, text.length + 8]]), 1, n)).toBe(0);
  return m.readText(pid, back, m.u32(pid, n));
}

describe('counts and lengths near 2^32', () => {
  it('iovec counts, iovec lengths, path lengths, buffer sizes and subscription counts at the top of u32 are refused', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [r, w] = pipe(m, init);
    const n = m.alloc(init, 8);
    const buf = m.alloc(init, 16);
    for (const count of [0xffffffff, 0xfffffffe, 0x80000000, 0x10000000]) {
      expect(m.wasi(init, 'fd_write', w, buf, count, n), `fd_write with ${count} iovecs`).toBe(E.INVAL);
      expect(m.wasi(init, 'fd_read', r, buf, count, n), `fd_read with ${count} iovecs`).toBe(E.INVAL);
    }
    // Two iovecs whose lengths add up past 2^32 (each inside the memory's top, neither inside the memory).
    expect(m.wasi(init, 'fd_write', w, iovs(m, init, [[buf, 0x80000000], [buf, 0x80000010]]), 2, n)).toBe(E.FAULT);
    expect(m.wasi(init, 'fd_write', w, iovs(m, init, [[0xfffffff0, 0x20]]), 1, n)).toBe(E.FAULT);
    // The iovec array itself ends past the memory: its count times 8 wraps a u32 on the way.
    expect(m.wasi(init, 'fd_write', w, 0xfffffff8, 2, n)).toBe(E.FAULT);
    expect(m.wasi(init, 'poll_oneoff', buf, buf, 0xffffffff, n)).toBe(E.INVAL);
    expect(m.wasi(init, 'random_get', buf, 0xffffffff)).toBe(E.FAULT);
    expect(m.wasi(init, 'environ_sizes_get', 0xffffffff, n)).toBe(E.FAULT);
    expect(m.wasi(init, 'fd_prestat_dir_name', r, buf, 0xffffffff)).toBe(E.BADF); // not a preopen: nothing to copy
    expect(m.wasi(init, 'path_open', 3, 0, buf, 0xffffffff, 0, 0n, 0n, 0, n)).toBe(E.BADF); // no fd 3: refused first
    // Nothing was read or written: the pipe is as empty as it was.
    expect(m.wasi(init, 'fd_write', w, iovs(m, init, [[buf, 1]]), 1, n)).toBe(0);
    expect(m.wasi(init, 'fd_read', r, iovs(m, init, [[buf, 16]]), 1, n)).toBe(0);
    expect(m.u32(init, n)).toBe(1);
    m.check();
  });
});

describe('fds of other processes', () => {
  it('a process cannot read, write, stat, close or renumber another process\'s fds: its own table has no such number', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [r, w] = pipe(m, init);
    const other = m.spawn(init, m.rootSelf(), { name: 'other' });
    expect(other.result).toBe(0);
    const o = other.pid;
    const n = m.alloc(o, 8);
    const buf = m.alloc(o, 64);
    for (const fd of [r, w]) {
      expect(m.wasi(o, 'fd_read', fd, iovs(m, o, [[buf, 8]]), 1, n)).toBe(E.BADF);
      expect(m.wasi(o, 'fd_write', fd, iovs(m, o, [[buf, 8]]), 1, n)).toBe(E.BADF);
      expect(m.wasi(o, 'fd_fdstat_get', fd, buf)).toBe(E.BADF);
      expect(m.wasi(o, 'fd_close', fd)).toBe(E.BADF);
      expect(m.wasi(o, 'fd_renumber', fd, 9)).toBe(E.BADF);
    }
    // Its own pipe may get the same numbers; what it writes there stays there.
    const [or, ow] = pipe(m, o);
    expect([or, ow]).toEqual([r, w]);
    const theirs = m.put(o, 'theirs');
    expect(m.wasi(o, 'fd_write', ow, iovs(m, o, [[theirs, 6]]), 1, n)).toBe(0);
    // init's pipe still works, untouched.
    expect(throughPipe(m, init, w, r, 'mine')).toBe('mine');
    m.check();
  });
});

describe('closing while another process blocks reading', () => {
  /** init with a pipe whose read end is also the reader child's fd 0; the child is blocked reading it. */
  function blockedReader() {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [r, w] = pipe(m, init);
    const child = m.spawn(init, m.rootSelf(), { name: 'reader', fds: [[0, r]] });
    expect(child.result).toBe(0);
    const c = child.pid;
    const buf = m.alloc(c, 16);
    const n = m.alloc(c, 4);
    expect(m.wasi(c, 'fd_read', 0, iovs(m, c, [[buf, 16]]), 1, n)).toBe(BLOCKED);
    return { m, init, r, w, c, buf, n, child: child.handle };
  }

  it('closing the other process\'s own fd to the same pipe leaves the reader waiting; a write then reaches it', () => {
    const { m, init, r, w, c, buf, n } = blockedReader();
    expect(m.wasi(init, 'fd_close', r)).toBe(0);
    expect(m.isRunning(c)).toBe(false);
    const msg = m.put(init, 'late');
    expect(m.wasi(init, 'fd_write', w, iovs(m, init, [[msg, 4]]), 1, m.alloc(init, 4))).toBe(0);
    expect(m.resumedWith(c)).toBe(0);
    expect(m.readText(c, buf, m.u32(c, n))).toBe('late');
    m.check();
  });

  it('closing the last write end wakes the reader with end of file (0 bytes), not an error', () => {
    const { m, init, w, c, n } = blockedReader();
    expect(m.wasi(init, 'fd_close', w)).toBe(0);
    expect(m.resumedWith(c)).toBe(0);
    expect(m.u32(c, n)).toBe(0);
    m.check();
  });

  it('killing the blocked reader drops its wait; the pipe stays whole for the fds left', () => {
    const { m, init, r, w, child } = blockedReader();
    expect(m.sys(init, SYS.PROCESS_KILL, child)).toBe(0);
    m.settle();
    expect(throughPipe(m, init, w, r, 'still here')).toBe('still here');
    m.check();
  });

  it('a poll on the pipe wakes with HANGUP when the writers go', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [r, w] = pipe(m, init);
    const child = m.spawn(init, m.rootSelf(), { name: 'poller', fds: [[0, r]] });
    const c = child.pid;
    const subs = m.alloc(c, 48);
    const sv = new DataView(m.proc(c).mem.buffer);
    sv.setBigUint64(subs, 5n, true);
    sv.setUint8(subs + 8, WASI_FLAGS.EVENT_FD_READ);
    sv.setUint32(subs + 16, 0, true);
    const evs = m.alloc(c, 32);
    const ne = m.alloc(c, 4);
    expect(m.wasi(c, 'poll_oneoff', subs, evs, 1, ne)).toBe(BLOCKED);
    expect(m.wasi(init, 'fd_close', w)).toBe(0);
    expect(m.resumedWith(c)).toBe(0);
    expect(m.u32(c, ne)).toBe(1);
    const ev = new DataView(m.proc(c).mem.buffer);
    expect(ev.getBigUint64(evs, true)).toBe(5n);
    expect(ev.getUint16(evs + 24, true) & WASI_FLAGS.EVENT_FD_READWRITE_HANGUP).toBe(WASI_FLAGS.EVENT_FD_READWRITE_HANGUP);
    m.check();
  });
});
