// The syscall front door: every user pointer of every syscall is checked
// against the caller's memory (beyond the end, ptr+len wrapping 32 bits, a
// length running past the end) and a bad one gives FAULT with nothing changed;
// unknown syscall numbers give BAD_SYSCALL (also the unassigned numbers of the
// fd and WASI ranges, whose calls answer WASI errno values); callers not on a CPU get BAD_STATE; and the trace: one
// SYSCALL_ENTER / SYSCALL_EXIT pair per syscall, gap-free sequence numbers,
// DEBUG_LOG text.

import { describe, expect, it } from 'vitest';
import { BLOCKED, TestMachine } from './harness';
import { ERR, KERNEL, LIMITS, OBJ, RIGHTS, SIGNAL, SYS, TRACE, WASI, WASI_ERRNO, offsetOf, sizeOf } from '@oncrix/abi';

type M = TestMachine;

/** Handles and buffers a case needs, made before the bad call. */
interface Ctx {
  note: number;
  chan: [number, number];
  memobj: number;
  self: number;
  dev: number;
}

interface PtrCase {
  /** The syscall (a key of SYS) and which of its pointers the case is about. */
  sys: string;
  what: string;
  /** Bytes per unit of the length argument; 0 when the area has a fixed size. */
  unit: number;
  /** Fixed size of the area in bytes (unit 0), or the largest length the syscall accepts, in units. */
  size: number;
  call(m: M, pid: number, c: Ctx, ptr: number, n: number): number;
}

const u32 = (v: number): number => v >>> 0;

/** A syscall number by name (so a case can name a syscall this ABI version may not have). */
function nrOf(name: string): number {
  const nr = (SYS as Readonly<Record<string, number>>)[name];
  if (nr === undefined) throw new Error(`no syscall ${name}`);
  return nr;
}

/** The native syscalls that take no user pointer at all. */
const POINTER_FREE = [
  'NULL', 'HANDLE_CLOSE', 'HANDLE_REVOKE', 'NOTIFY_SIGNAL', 'NOTIFY_WAIT', 'MEMOBJ_SIZE', 'TIMER_SET', 'PROCESS_EXIT',
  'PROCESS_KILL', 'YIELD', 'SLEEP', 'MEM_GROW', 'IRQ_BIND', 'IRQ_ACK', 'IRQ_MASK', 'DEV_WRITE', 'PROCESS_WATCH',
];

/** Write a CallArgs block with valid pointers, then override some fields. */
function callArgs(m: M, pid: number, over: Partial<Record<'wrBytes' | 'wrLen' | 'wrHandles' | 'wrNumHandles' | 'rdBytes' | 'rdCap' | 'rdHandles' | 'rdHandleCap', number>>): number {
  const at = m.alloc(pid, sizeOf('CallArgs'));
  const fields = {
    wrBytes: m.put(pid, 'request!'), wrLen: 8, wrHandles: m.alloc(pid, 16), wrNumHandles: 0,
    rdBytes: m.alloc(pid, 64), rdCap: 64, rdHandles: m.alloc(pid, 16), rdHandleCap: 4, ...over,
  };
  for (const [k, v] of Object.entries(fields)) m.setU32(pid, at + offsetOf('CallArgs', k as keyof typeof fields), v);
  m.setU32(pid, at + offsetOf('CallArgs', 'timeoutUs'), u32(-1));
  return at;
}

/** Write a RecvArgs block with valid pointers, then override some fields. */
function recvArgs(m: M, pid: number, over: Partial<Record<'bytes' | 'cap' | 'handles' | 'handleCap', number>>): number {
  const at = m.alloc(pid, sizeOf('RecvArgs'));
  const fields = { bytes: m.alloc(pid, 64), cap: 64, handles: m.alloc(pid, 16), handleCap: 4, ...over };
  for (const [k, v] of Object.entries(fields)) m.setU32(pid, at + offsetOf('RecvArgs', k as keyof typeof fields), v);
  return at;
}

/** Write a SpawnDesc block with valid pointers, then override some fields. */
function spawnDesc(m: M, pid: number, over: Partial<Record<'namePtr' | 'nameLen' | 'argsPtr' | 'argsLen' | 'handlesPtr' | 'numHandles', number>>): number {
  const at = m.alloc(pid, sizeOf('SpawnDesc'));
  const fields = {
    image: 1, quotaPages: 4, priority: 4, namePtr: m.put(pid, 'kid'), nameLen: 3, argsPtr: m.put(pid, 'a'), argsLen: 1,
    handlesPtr: m.alloc(pid, 8), numHandles: 0, selfRights: 0, ...over,
  };
  for (const [k, v] of Object.entries(fields)) m.setU32(pid, at + offsetOf('SpawnDesc', k as keyof typeof fields), v);
  return at;
}

const cases: PtrCase[] = [
  { sys: 'HANDLE_DUPLICATE', what: 'out', unit: 0, size: 4, call: (m, p, c, ptr) => m.sys(p, SYS.HANDLE_DUPLICATE, c.note, RIGHTS.WAIT, ptr) },
  { sys: 'HANDLE_INFO', what: 'out', unit: 0, size: sizeOf('HandleInfo'), call: (m, p, c, ptr) => m.sys(p, SYS.HANDLE_INFO, c.note, ptr) },
  { sys: 'HANDLE_LIST', what: 'buffer', unit: sizeOf('HandleInfo'), size: LIMITS.MAX_HANDLES, call: (m, p, _c, ptr, n) => m.sys(p, SYS.HANDLE_LIST, ptr, n) },
  { sys: 'OBJECT_WAIT', what: 'observed', unit: 0, size: 4, call: (m, p, c, ptr) => m.sys(p, SYS.OBJECT_WAIT, c.chan[0], SIGNAL.WRITABLE, 0, ptr) },
  { sys: 'OBJECT_WAIT_MANY', what: 'items', unit: sizeOf('WaitItem'), size: LIMITS.WAIT_MANY_MAX, call: (m, p, _c, ptr, n) => m.sys(p, SYS.OBJECT_WAIT_MANY, ptr, n, 0) },
  { sys: 'CHANNEL_CREATE', what: 'out', unit: 0, size: 8, call: (m, p, _c, ptr) => m.sys(p, SYS.CHANNEL_CREATE, ptr) },
  { sys: 'CHANNEL_WRITE', what: 'bytes', unit: 1, size: LIMITS.MSG_MAX_BYTES, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_WRITE, c.chan[0], ptr, n, m.alloc(p, 4), 0) },
  { sys: 'CHANNEL_WRITE', what: 'handles', unit: 4, size: LIMITS.MSG_MAX_HANDLES, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_WRITE, c.chan[0], m.put(p, 'x'), 1, ptr, n) },
  { sys: 'CHANNEL_READ', what: 'bytes', unit: 1, size: 0xffffffff, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_READ, c.chan[1], ptr, n, m.alloc(p, 32), 8, m.alloc(p, 8)) },
  { sys: 'CHANNEL_READ', what: 'handles', unit: 4, size: 0x3fffffff, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_READ, c.chan[1], m.alloc(p, 64), 64, ptr, n, m.alloc(p, 8)) },
  { sys: 'CHANNEL_READ', what: 'actual', unit: 0, size: sizeOf('ReadActual'), call: (m, p, c, ptr) => m.sys(p, SYS.CHANNEL_READ, c.chan[1], m.alloc(p, 64), 64, m.alloc(p, 32), 8, ptr) },
  { sys: 'CHANNEL_CALL', what: 'args', unit: 0, size: sizeOf('CallArgs'), call: (m, p, c, ptr) => m.sys(p, SYS.CHANNEL_CALL, c.chan[0], ptr) },
  { sys: 'CHANNEL_CALL', what: 'request bytes', unit: 1, size: LIMITS.MSG_MAX_BYTES, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_CALL, c.chan[0], callArgs(m, p, { wrBytes: ptr, wrLen: Math.max(n, 4) })) },
  { sys: 'CHANNEL_CALL', what: 'request handles', unit: 4, size: LIMITS.MSG_MAX_HANDLES, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_CALL, c.chan[0], callArgs(m, p, { wrHandles: ptr, wrNumHandles: n })) },
  { sys: 'CHANNEL_CALL', what: 'reply bytes', unit: 1, size: 0xffffffff, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_CALL, c.chan[0], callArgs(m, p, { rdBytes: ptr, rdCap: n })) },
  { sys: 'CHANNEL_CALL', what: 'reply handles', unit: 4, size: 0x3fffffff, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_CALL, c.chan[0], callArgs(m, p, { rdHandles: ptr, rdHandleCap: n })) },
  { sys: 'NOTIFY_CREATE', what: 'out', unit: 0, size: 4, call: (m, p, _c, ptr) => m.sys(p, SYS.NOTIFY_CREATE, ptr) },
  { sys: 'MEMOBJ_CREATE', what: 'out', unit: 0, size: 4, call: (m, p, _c, ptr) => m.sys(p, SYS.MEMOBJ_CREATE, 4096, ptr) },
  { sys: 'MEMOBJ_READ', what: 'dst', unit: 1, size: 200_000, call: (m, p, c, ptr, n) => m.sys(p, SYS.MEMOBJ_READ, c.memobj, 0, ptr, n) },
  { sys: 'MEMOBJ_WRITE', what: 'src', unit: 1, size: 200_000, call: (m, p, c, ptr, n) => m.sys(p, SYS.MEMOBJ_WRITE, c.memobj, 0, ptr, n) },
  { sys: 'TIMER_CREATE', what: 'out', unit: 0, size: 4, call: (m, p, c, ptr) => m.sys(p, SYS.TIMER_CREATE, c.note, 1, ptr) },
  { sys: 'PROCESS_SPAWN', what: 'desc', unit: 0, size: sizeOf('SpawnDesc'), call: (m, p, c, ptr) => m.sys(p, SYS.PROCESS_SPAWN, c.self, ptr, m.alloc(p, 4)) },
  { sys: 'PROCESS_SPAWN', what: 'out', unit: 0, size: 4, call: (m, p, c, ptr) => m.sys(p, SYS.PROCESS_SPAWN, c.self, spawnDesc(m, p, {}), ptr) },
  { sys: 'PROCESS_SPAWN', what: 'name', unit: 1, size: LIMITS.NAME_MAX, call: (m, p, c, ptr, n) => m.sys(p, SYS.PROCESS_SPAWN, c.self, spawnDesc(m, p, { namePtr: ptr, nameLen: n }), m.alloc(p, 4)) },
  { sys: 'PROCESS_SPAWN', what: 'args', unit: 1, size: LIMITS.STARTUP_MAX_ARGS, call: (m, p, c, ptr, n) => m.sys(p, SYS.PROCESS_SPAWN, c.self, spawnDesc(m, p, { argsPtr: ptr, argsLen: n }), m.alloc(p, 4)) },
  { sys: 'PROCESS_SPAWN', what: 'handles', unit: sizeOf('StartupHandle'), size: LIMITS.STARTUP_MAX_HANDLES, call: (m, p, c, ptr, n) => m.sys(p, SYS.PROCESS_SPAWN, c.self, spawnDesc(m, p, { handlesPtr: ptr, numHandles: n }), m.alloc(p, 4)) },
  { sys: 'PROCESS_INFO', what: 'out', unit: 0, size: sizeOf('ProcessInfo'), call: (m, p, c, ptr) => m.sys(p, SYS.PROCESS_INFO, c.self, ptr) },
  { sys: 'PROCESS_LIST', what: 'buffer', unit: sizeOf('ProcessInfo'), size: LIMITS.MAX_PROCESSES, call: (m, p, c, ptr, n) => m.sys(p, SYS.PROCESS_LIST, c.self, ptr, n) },
  { sys: 'PROCESS_GET_CHILD', what: 'out', unit: 0, size: 4, call: (m, p, c, ptr) => m.sys(p, nrOf('PROCESS_GET_CHILD'), c.self, p, RIGHTS.INSPECT, ptr) },
  { sys: 'STARTUP_INFO', what: 'buffer', unit: 1, size: 0xffffffff, call: (m, p, _c, ptr, n) => m.sys(p, SYS.STARTUP_INFO, ptr, n) },
  { sys: 'CLOCK_GET', what: 'out', unit: 0, size: 8, call: (m, p, _c, ptr) => m.sys(p, SYS.CLOCK_GET, ptr) },
  { sys: 'MEM_INFO', what: 'out', unit: 0, size: sizeOf('MemInfo'), call: (m, p, _c, ptr) => m.sys(p, SYS.MEM_INFO, ptr) },
  { sys: 'CHANNEL_WRITE', what: 'recv args', unit: 0, size: sizeOf('RecvArgs'), call: (m, p, c, ptr) => m.sys(p, SYS.CHANNEL_WRITE, c.chan[1], m.put(p, 'x'), 1, m.alloc(p, 4), 0, ptr === 0 ? 1 : ptr) },
  { sys: 'CHANNEL_RECV', what: 'args', unit: 0, size: sizeOf('RecvArgs'), call: (m, p, c, ptr) => m.sys(p, SYS.CHANNEL_RECV, c.chan[1], ptr, 0) },
  { sys: 'CHANNEL_RECV', what: 'bytes', unit: 1, size: LIMITS.MSG_MAX_BYTES, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_RECV, c.chan[1], recvArgs(m, p, { bytes: ptr, cap: n }), 0) },
  { sys: 'CHANNEL_RECV', what: 'handles', unit: 4, size: LIMITS.MSG_MAX_HANDLES, call: (m, p, c, ptr, n) => m.sys(p, SYS.CHANNEL_RECV, c.chan[1], recvArgs(m, p, { handles: ptr, handleCap: n }), 0) },
  { sys: 'DEV_READ', what: 'out', unit: 0, size: 4, call: (m, p, c, ptr) => m.sys(p, SYS.DEV_READ, c.dev, 0, ptr) },
  { sys: 'DEV_READ_BLOCK', what: 'out', unit: 4, size: 4, call: (m, p, c, ptr, n) => m.sys(p, nrOf('DEV_READ_BLOCK'), c.dev, 0, n, ptr) },
  { sys: 'DEBUG_LOG', what: 'text', unit: 1, size: LIMITS.LOG_MAX_BYTES, call: (m, p, _c, ptr, n) => m.sys(p, SYS.DEBUG_LOG, ptr, n) },
  { sys: 'SYSTEM_PANIC', what: 'text', unit: 1, size: LIMITS.LOG_MAX_BYTES, call: (m, p, c, ptr, n) => m.sys(p, SYS.SYSTEM_PANIC, c.self, ptr, n) },
];

/** The bad (ptr, n) pairs for a case in a memory of memSize bytes. */
function badRanges(c: PtrCase, memSize: number): { what: string; ptr: number; n: number }[] {
  if (c.unit === 0) {
    return [
      { what: 'beyond memory', ptr: memSize + 64, n: 0 },
      { what: 'wrapping 32 bits', ptr: 0xfffffffc, n: 0 },
      { what: 'running past the end', ptr: memSize - Math.max(2, c.size >> 1), n: 0 },
    ];
  }
  const units = (bytes: number): number => Math.ceil(bytes / c.unit);
  const out = [
    { what: 'beyond memory', ptr: memSize + 64, n: units(16) },
    { what: 'wrapping 32 bits (0xFFFFFFF0 + 0x20)', ptr: 0xfffffff0, n: units(0x20) },
    { what: 'running past the end', ptr: memSize - 8, n: units(16) },
  ];
  if (units(memSize) <= c.size) out.push({ what: 'longer than memory', ptr: 16, n: units(memSize) });
  return out;
}

/** Everything a syscall could have changed, as far as tests can see. */
function snapshot(m: M, pid: number): unknown {
  const stats = (['OBJECTS', 'HANDLES', 'BUDGET_USED', 'PROCESSES', 'MSG_SENT', 'MSG_DELIVERED', 'MSG_DROPPED', 'MSG_QUEUED', 'DEADLINES', 'READY', 'ZOMBIES'] as const)
    .map((s) => [s, m.stat(s)]);
  return { stats, handles: m.handles(pid), mem: m.memInfo(pid), running: m.running(), size: m.proc(pid).mem.length };
}

function setup(m: M, pid: number): Ctx {
  const note = m.notification(pid);
  const chan = m.channel(pid);
  const memobj = m.memobj(pid, 200_000);
  expect(m.write(pid, chan[0], 'queued')).toBe(0);
  return { note, chan, memobj, self: m.rootSelf(), dev: m.handleOfType(pid, OBJ.DEVICE) };
}

describe('user pointers', () => {
  it('every native syscall is either pointer-free or has its pointers checked below', () => {
    const native = Object.entries(SYS).filter(([, v]) => v < SYS.FD_FIRST).map(([k]) => k);
    const withPointers = new Set(cases.map((c) => c.sys));
    expect(native.filter((k) => !withPointers.has(k) && !POINTER_FREE.includes(k))).toEqual([]);
    expect(POINTER_FREE.filter((k) => withPointers.has(k))).toEqual([]);
    expect(POINTER_FREE.every((k) => k in SYS)).toBe(true);
    TestMachine.boot().check();
  });

  for (const c of cases.filter((x) => x.sys in SYS)) {
    it(`${c.sys} ${c.what}: FAULT for a bad range, with nothing changed`, () => {
      const m = TestMachine.boot({ devices: [{ registers: 4, irq: -1 }] });
      const init = m.rootPid;
      const ctx = setup(m, init);
      const memSize = m.proc(init).mem.length;
      for (const bad of badRanges(c, memSize)) {
        const before = snapshot(m, init);
        const firstSeq = m.stat('TRACE_RECORDS');
        const r = c.call(m, init, ctx, bad.ptr, bad.n);
        expect(r, `${c.sys} ${c.what} ${bad.what}`).toBe(ERR.FAULT);
        // Only the syscall's own ENTER/EXIT records: no handle, object, message or charge.
        const added = m.events().filter((e) => e.seq >= firstSeq);
        expect(added.map((e) => e.kind), `${c.sys} ${c.what} ${bad.what}`).toEqual([TRACE.SYSCALL_ENTER, TRACE.SYSCALL_EXIT]);
        expect(added[1]?.args.slice(0, 2)).toEqual([added[0]?.args[0], ERR.FAULT]);
        expect(snapshot(m, init), `${c.sys} ${c.what} ${bad.what}`).toEqual(before);
        expect(m.isRunning(init)).toBe(true);
        m.check();
      }
      // The queued message is still there to read.
      expect(m.read(init, ctx.chan[1]).text).toBe('queued');
      m.check();
    });
  }

  it('ranges that end exactly at the end of memory are accepted', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const end = m.proc(init).mem.length;
    const [a, b] = m.channel(init);
    expect(m.sys(init, SYS.CLOCK_GET, end - 8)).toBe(0);
    expect(m.sys(init, SYS.MEM_INFO, end - sizeOf('MemInfo'))).toBe(0);
    expect(m.u32(init, end - sizeOf('MemInfo') + offsetOf('MemInfo', 'quotaPages'))).toBe(128);
    expect(m.sys(init, SYS.HANDLE_INFO, a, end - 16)).toBe(0);
    expect(m.u32(init, end - 16)).toBe(a);
    m.writeBytes(init, end - 5, 'tail!');
    expect(m.sys(init, SYS.CHANNEL_WRITE, a, end - 5, 5, 0, 0)).toBe(0);
    expect(m.sys(init, SYS.DEBUG_LOG, end - 5, 5)).toBe(5);
    expect(m.sys(init, SYS.CHANNEL_READ, b, end - 5, 5, 0, 0, 0)).toBe(5);
    expect(m.readText(init, end - 5, 5)).toBe('tail!');
    // Length 0 needs no memory at all, wherever it points.
    expect(m.sys(init, SYS.CHANNEL_WRITE, a, 0xfffffff0, 0, 0xfffffff0, 0)).toBe(0);
    expect(m.sys(init, SYS.HANDLE_LIST, 0xfffffff0, 0)).toBe(3);
    m.check();
  });
});

describe('syscall numbers', () => {
  it('unknown numbers give BAD_SYSCALL', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const firstFree = Math.max(...Object.values(SYS).filter((v) => v < SYS.FD_FIRST)) + 1;
    for (const nr of [firstFree, 50, 63, SYS.WASI_LAST + 1, 1000, 0x7fffffff, -1, KERNEL.BLOCKED, -0x80000000]) {
      const before = snapshot(m, init);
      expect(m.sys(init, nr, 1, 2, 3, 4, 5, 6), `nr ${nr}`).toBe(ERR.BAD_SYSCALL);
      expect(snapshot(m, init)).toEqual(before);
    }
    m.check();
  });

  it('numbers of the fd and WASI ranges that name no call give BAD_SYSCALL; WASI calls answer a WASI errno', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    for (const nr of [SYS.FD_FIRST, 100, SYS.FD_LAST, SYS.WASI_FIRST + Object.keys(WASI).length, SYS.WASI_LAST]) {
      expect(m.sys(init, nr), `nr ${nr}`).toBe(ERR.BAD_SYSCALL);
    }
    expect(m.sys(init, WASI.FD_CLOSE, 0)).toBe(WASI_ERRNO.BADF);
    expect(m.sys(init, WASI.PROC_RAISE, 9)).toBe(WASI_ERRNO.NOSYS);
    expect(m.isRunning(init)).toBe(true);
    m.check();
  });
});

describe('callers', () => {
  it('a pid that is not on a CPU, or does not exist, gets BAD_STATE and leaves no trace', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const r = m.spawn(init, m.rootSelf(), { name: 'ready' });
    expect(r.result).toBe(0);
    const ready = r.pid;
    const records = m.stat('TRACE_RECORDS');
    // Ready but not running, unknown pids, the kernel's pid 0.
    for (const pid of [ready, 99, 0, -1]) {
      expect(m.k.syscall(pid, SYS.NULL, 0, 0, 0, 0, 0, 0), `pid ${pid}`).toBe(ERR.BAD_STATE);
      expect(m.k.syscall(pid, SYS.NOTIFY_CREATE, 1024, 0, 0, 0, 0, 0)).toBe(ERR.BAD_STATE);
      expect(m.k.safepoint(pid)).toBe(ERR.BAD_STATE);
    }
    expect(m.stat('TRACE_RECORDS')).toBe(records);
    expect(m.stat('OBJECTS')).toBe(2);
    // Blocked: init waits, the child runs; init may not make syscalls now.
    const n = m.notification(init);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, -1)).toBe(BLOCKED);
    expect(m.k.syscall(init, SYS.NULL, 0, 0, 0, 0, 0, 0)).toBe(ERR.BAD_STATE);
    expect(m.sys(ready, SYS.NULL)).toBe(0);
    // Exited.
    expect(m.sys(ready, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    expect(m.k.syscall(ready, SYS.NULL, 0, 0, 0, 0, 0, 0)).toBe(ERR.BAD_STATE);
    expect(m.k.safepoint(ready)).toBe(ERR.BAD_STATE);
    m.check();
  });
});

describe('trace', () => {
  it('each syscall leaves SYSCALL_ENTER with its number and arguments and SYSCALL_EXIT with its result', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const out = m.alloc(init, 4);
    const calls: [number, number[]][] = [
      [SYS.NULL, [7, 8, 9, 10, 11, 12]],
      [SYS.NOTIFY_CREATE, [out, 0, 0, 0, 0, 0]],
      [1000, [1, -2, 3, -4, 5, -6]],
      [SYS.HANDLE_CLOSE, [0x4242, 0, 0, 0, 0, 0]],
      [SYS.FD_FIRST, [0, 0, 0, 0, 0, 0]],
    ];
    const results: number[] = [];
    const first = m.stat('TRACE_RECORDS');
    for (const [nr, args] of calls) results.push(m.sys(init, nr, ...args));
    expect(results).toEqual([0, 0, ERR.BAD_SYSCALL, ERR.BAD_HANDLE, ERR.BAD_SYSCALL]);
    const evs = m.events().filter((e) => e.seq >= first && (e.kind === TRACE.SYSCALL_ENTER || e.kind === TRACE.SYSCALL_EXIT));
    expect(evs).toHaveLength(2 * calls.length);
    calls.forEach(([nr, args], i) => {
      const enter = evs[2 * i];
      const exit = evs[2 * i + 1];
      expect(enter?.kind).toBe(TRACE.SYSCALL_ENTER);
      expect(enter?.pid).toBe(init);
      expect(enter?.cpu).toBe(0);
      expect(enter?.args.slice(0, 7)).toEqual([nr, ...args]);
      expect(exit?.kind).toBe(TRACE.SYSCALL_EXIT);
      expect(exit?.pid).toBe(init);
      expect(exit?.args.slice(0, 2)).toEqual([nr, results[i]]);
    });
    // Virtual time: one microsecond per syscall.
    expect((evs[2]?.time ?? 0) - (evs[0]?.time ?? 0)).toBe(1000);
    m.check();
  });

  it('a blocking syscall leaves ENTER and BLOCK, then WAKE with the result instead of EXIT', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = m.notification(init);
    const first = m.stat('TRACE_RECORDS');
    expect(m.sys(init, SYS.SLEEP, 10)).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    const kinds = m.events().filter((e) => e.seq >= first && e.pid === init).map((e) => e.kindName);
    expect(kinds).toEqual(['SYSCALL_ENTER', 'SYSCALL_BLOCK', 'SYSCALL_WAKE', 'SCHED_RUN']);
    expect(m.eventsOf('SYSCALL_WAKE').at(-1)?.args.slice(0, 2)).toEqual([SYS.SLEEP, 0]);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, 5)).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    expect(m.resumedWith(init)).toBe(ERR.TIMED_OUT);
    expect(m.eventsOf('SYSCALL_WAKE').at(-1)?.args.slice(0, 2)).toEqual([SYS.NOTIFY_WAIT, ERR.TIMED_OUT]);
    m.check();
  });

  it('sequence numbers run from 0 without gaps across every record', () => {
    const m = TestMachine.boot({ devices: [{ registers: 2, irq: 1 }] });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    expect(m.write(init, a, 'x'.repeat(300))).toBe(0);
    expect(m.read(init, b).result).toBe(300);
    expect(m.spawn(init, m.rootSelf(), { name: 'a-long-name-here' }).result).toBe(0);
    expect(m.sys(init, SYS.DEBUG_LOG, m.put(init, 'y'.repeat(200)), 200)).toBe(LIMITS.LOG_MAX_BYTES);
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    const raw = m.rawTrace();
    const size = sizeOf('TraceRecord');
    expect(raw.length % size).toBe(0);
    const count = raw.length / size;
    expect(count).toBe(m.stat('TRACE_RECORDS'));
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const seqs = Array.from({ length: count }, (_, i) => view.getUint32(i * size + offsetOf('TraceRecord', 'seq'), true));
    expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i));
    // DATA records are in the sequence too.
    const kinds = Array.from({ length: count }, (_, i) => view.getUint16(i * size + offsetOf('TraceRecord', 'kind'), true));
    expect(kinds.filter((k) => k === TRACE.DATA).length).toBeGreaterThan(5);
    const boot = m.events()[0];
    expect(boot?.kindName).toBe('BOOT');
    expect(boot?.args.slice(0, 3)).toEqual([1, KERNEL.FLAG_DETERMINISTIC, 256]);
    m.check();
  });

  it('DEBUG_LOG puts its text into the trace, at most LOG_MAX_BYTES of it', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const text = 'hello from init: ünïcödé ✓';
    const bytes = new TextEncoder().encode(text);
    expect(m.sys(init, SYS.DEBUG_LOG, m.put(init, bytes), bytes.length)).toBe(bytes.length);
    const log = m.eventsOf('LOG').at(-1);
    expect(log?.pid).toBe(init);
    expect(log?.args[0]).toBe(bytes.length);
    expect(new TextDecoder().decode(log?.data)).toBe(text);

    const long = Array.from({ length: 300 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    expect(m.sys(init, SYS.DEBUG_LOG, m.put(init, long), long.length)).toBe(LIMITS.LOG_MAX_BYTES);
    const cut = m.eventsOf('LOG').at(-1);
    expect(cut?.args[0]).toBe(LIMITS.LOG_MAX_BYTES);
    expect(new TextDecoder().decode(cut?.data)).toBe(long.slice(0, LIMITS.LOG_MAX_BYTES));

    expect(m.sys(init, SYS.DEBUG_LOG, m.put(init, 'x'), 0)).toBe(0);
    expect(m.eventsOf('LOG').at(-1)?.data).toEqual(new Uint8Array(0));
    m.check();
  });
});
