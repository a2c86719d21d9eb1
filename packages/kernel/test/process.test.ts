// Process lifecycle: PROCESS_SPAWN (startup handles moved with their tags,
// arguments, the SELF handle, the spawner's process handle, argument checks),
// PROCESS_INFO and PROCESS_LIST, PROCESS_EXIT, PROCESS_KILL, faults reported
// by the HAL, and the reaping of exited (zombie) process records.

import { describe, expect, it } from 'vitest';
import { BLOCKED, TestMachine, decodeProcessInfo } from './harness';
import { LIMIT, CLOSE_REASON, ERR, EXIT, FAULT, OBJ, PROC_STATE, RIGHTS, SIGNAL, SYS, TAG, sizeOf } from '@oncrix/abi';

type ProcInfo = ReturnType<typeof decodeProcessInfo>;
type HInfo = Exclude<ReturnType<TestMachine['handleInfo']>, number>;

function info(m: TestMachine, pid: number, h: number): ProcInfo {
  const r = m.processInfo(pid, h);
  if (typeof r === 'number') throw new Error(`PROCESS_INFO failed: ${r}`);
  return r;
}

function hinfo(m: TestMachine, pid: number, h: number): HInfo {
  const r = m.handleInfo(pid, h);
  if (typeof r === 'number') throw new Error(`HANDLE_INFO failed: ${r}`);
  return r;
}

/** init spawns a child under itself and expects success. */
function spawnOk(m: TestMachine, opts: Parameters<TestMachine['spawn']>[2] = {}): { handle: number; pid: number } {
  const r = m.spawn(m.rootPid, m.rootSelf(), opts);
  expect(r.result).toBe(0);
  return r;
}

/** `from` yields the only CPU to `to` (both of the same priority). */
function yieldTo(m: TestMachine, from: number, to: number): void {
  expect(m.sys(from, SYS.YIELD)).toBe(BLOCKED);
  expect(m.isRunning(from)).toBe(false);
  expect(m.isRunning(to)).toBe(true);
}

/** OBJECT_WAIT on h for mask with timeout; returns [result, observed]. */
function wait(m: TestMachine, pid: number, h: number, mask: number, timeoutUs: number): [number, () => number] {
  const out = m.alloc(pid, 4);
  const r = m.sys(pid, SYS.OBJECT_WAIT, h, mask, timeoutUs, out);
  return [r, () => m.u32(pid, out)];
}

/** PROCESS_LIST of the subtree behind h, decoded. */
function list(m: TestMachine, pid: number, h: number, cap = 16): { total: number; infos: ProcInfo[] } {
  const size = sizeOf('ProcessInfo');
  const buf = m.alloc(pid, Math.max(cap * size, 4));
  const total = m.sys(pid, SYS.PROCESS_LIST, h, buf, cap);
  const infos: ProcInfo[] = [];
  for (let i = 0; i < Math.min(Math.max(total, 0), cap); i++) infos.push(decodeProcessInfo(m.readBytes(pid, buf + i * size, size)));
  return { total, infos };
}

describe('PROCESS_SPAWN', () => {
  it('moves exactly the listed handles to the child, with their tags, and passes its arguments', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const n = m.notification(init);
    const keep = m.notification(init);
    const aInfo = hinfo(m, init, a);
    const nInfo = hinfo(m, init, n);
    const countBefore = m.handles(init).length;

    const child = spawnOk(m, { name: 'worker', args: 'one\0two', handles: [{ handle: a, tag: TAG.PEER }, { handle: n, tag: 0x1234 }] });

    // Moved out of the spawner: the old values are dead there, the rest stay.
    expect(m.handleInfo(init, a)).toBe(ERR.BAD_HANDLE);
    expect(m.handleInfo(init, n)).toBe(ERR.BAD_HANDLE);
    expect(hinfo(m, init, b).type).toBe(OBJ.CHANNEL);
    expect(hinfo(m, init, keep).type).toBe(OBJ.NOTIFICATION);
    expect(m.handles(init)).toHaveLength(countBefore - 2 + 1);

    yieldTo(m, init, child.pid);
    // STARTUP_INFO always answers the full size (header, 2 handles, 7 argument bytes) and writes only if it fits.
    const small = m.alloc(child.pid, 16);
    m.setU32(child.pid, small, 0xdeadbeef);
    expect(m.sys(child.pid, SYS.STARTUP_INFO, small, 16)).toBe(8 + 2 * 8 + 7);
    expect(m.u32(child.pid, small)).toBe(0xdeadbeef);
    const su = m.startup(child.pid);
    expect(su.args).toBe('one\0two');
    expect(su.handles.map((h) => h.tag)).toEqual([TAG.PEER, 0x1234]);
    const held = m.handles(child.pid);
    expect(held).toHaveLength(2);
    expect(held.map((h) => h.handle).sort((x, y) => x - y)).toEqual(su.handles.map((h) => h.handle).sort((x, y) => x - y));
    const [peer, note] = su.handles;
    expect(hinfo(m, child.pid, peer?.handle ?? 0)).toMatchObject({ type: OBJ.CHANNEL, koid: aInfo.koid, rights: aInfo.rights });
    expect(hinfo(m, child.pid, note?.handle ?? 0)).toMatchObject({ type: OBJ.NOTIFICATION, koid: nInfo.koid, rights: nInfo.rights });

    // The moved channel end still works: the child writes, init reads on the other end.
    expect(m.write(child.pid, peer?.handle ?? 0, 'hi from child')).toBe(0);
    yieldTo(m, child.pid, init);
    expect(m.read(init, b).text).toBe('hi from child');

    // Each transfer is in the trace, from init's value to the child's.
    const transfers = m.eventsOf('HANDLE_TRANSFER').filter((e) => e.pid === child.pid);
    expect(transfers.map((e) => [e.args[1], e.args[2], e.args[3]])).toEqual([[init, a, aInfo.koid], [init, n, nInfo.koid]]);
    m.check();
  });

  it('gives the child a SELF-tagged handle to itself with exactly selfRights', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const selfRights = RIGHTS.INSPECT | RIGHTS.WAIT | RIGHTS.DUPLICATE;
    const child = spawnOk(m, { name: 'selfish', args: 'x', selfRights });
    const processKoid = hinfo(m, init, child.handle).koid;
    yieldTo(m, init, child.pid);
    const su = m.startup(child.pid);
    expect(su.handles).toHaveLength(1);
    expect(su.handles[0]?.tag).toBe(TAG.SELF);
    const self = su.handles[0]?.handle ?? 0;
    expect(hinfo(m, child.pid, self)).toMatchObject({ type: OBJ.PROCESS, rights: selfRights, koid: processKoid });
    const me = info(m, child.pid, self);
    expect(me.pid).toBe(child.pid);
    expect(me.state).toBe(PROC_STATE.RUNNING);
    // Without MANAGE in selfRights the child cannot kill itself through that handle.
    expect(m.sys(child.pid, SYS.PROCESS_KILL, self)).toBe(ERR.ACCESS_DENIED);
    m.check();
  });

  it('gives no handles at all when none are listed and selfRights is 0', () => {
    const m = TestMachine.boot();
    const child = spawnOk(m, { args: '' });
    yieldTo(m, m.rootPid, child.pid);
    expect(m.startup(child.pid)).toEqual({ handles: [], args: '' });
    expect(m.handles(child.pid)).toEqual([]);
    m.check();
  });

  it('gives the spawner a process handle with every right, and PROCESS_INFO reports the child', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [, b] = m.channel(init);
    const child = spawnOk(m, { image: 2, name: 'a-very-long-process-name', quota: 6, priority: 3, handles: [{ handle: b, tag: TAG.SERVICE }] });
    expect(hinfo(m, init, child.handle)).toMatchObject({ type: OBJ.PROCESS, rights: RIGHTS.ALL });

    const ci = info(m, init, child.handle);
    expect(ci).toMatchObject({
      pid: child.pid, parent: init, state: PROC_STATE.READY, priority: 3, exitCode: 0, quotaPages: 6,
      usedPages: 2, handles: 1, syscalls: 0, image: 2, name: 'a-very-long-proc',
    });
    const ii = info(m, init, m.rootSelf());
    // init: 2 image pages + 1 page for its record, its handles and the channel's two kernel objects.
    expect(ii).toMatchObject({ pid: init, parent: 0, state: PROC_STATE.RUNNING, priority: 4, quotaPages: 128, usedPages: 3, image: 0, name: 'init' });

    const spawn = m.eventsOf('SPAWN').find((e) => e.args[0] === child.pid);
    expect(spawn?.args.slice(0, 5)).toEqual([child.pid, 2, 3, 6, hinfo(m, init, child.handle).koid]);
    expect(new TextDecoder().decode(spawn?.data)).toBe('a-very-long-proc');

    // Once the child ran (init blocked), it is RUNNING and its syscalls are counted.
    const out = m.alloc(init, 4);
    expect(m.sys(init, SYS.OBJECT_WAIT, child.handle, SIGNAL.TERMINATED, 50, out)).toBe(BLOCKED);
    expect(m.isRunning(child.pid)).toBe(true);
    m.sys(child.pid, SYS.NULL);
    m.sys(child.pid, SYS.NULL);
    m.sys(child.pid, SYS.PROCESS_EXIT, 3);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    expect(info(m, init, child.handle)).toMatchObject({ state: PROC_STATE.EXITED, exitCode: 3, syscalls: 3, handles: 0 });
    // Deterministic mode: its CPU time is its three syscalls of 1 µs each.
    expect(info(m, init, child.handle).cpuTimeUs).toBe(3);
    m.check();
  });

  it('needs SPAWN on the parent handle, and the right type of handle', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = m.notification(init);
    const noSpawn = m.dup(init, m.rootSelf(), RIGHTS.ALL & ~RIGHTS.SPAWN);
    expect(noSpawn).toBeGreaterThan(0);
    const before = m.handles(init);
    expect(m.spawn(init, noSpawn, { handles: [{ handle: n, tag: 9 }] }).result).toBe(ERR.ACCESS_DENIED);
    expect(m.spawn(init, n, {}).result).toBe(ERR.WRONG_TYPE);
    expect(m.spawn(init, 0x7777, {}).result).toBe(ERR.BAD_HANDLE);
    expect(m.handles(init)).toEqual(before);
    expect(m.stat('PROCESSES')).toBe(1);
    expect(m.eventsOf('SPAWN')).toHaveLength(1); // init only
    m.check();
  });

  const bad: { what: string; opts: Parameters<TestMachine['spawn']>[2]; err: number }[] = [
    { what: 'quota above the parent quota', opts: { quota: 129 }, err: ERR.INVALID_ARGS },
    { what: 'quota 0', opts: { quota: 0 }, err: ERR.INVALID_ARGS },
    { what: 'priority above the parent priority', opts: { priority: 5 }, err: ERR.INVALID_ARGS },
    { what: 'priority above PRIORITY_MAX', opts: { priority: 8 }, err: ERR.INVALID_ARGS },
    { what: 'an unknown image', opts: { image: 9 }, err: ERR.NOT_FOUND },
    { what: 'an image bigger than the quota', opts: { image: 5, quota: 4 }, err: ERR.NO_MEMORY },
    { what: 'selfRights beyond ALL', opts: { selfRights: 0x200 }, err: ERR.INVALID_ARGS },
  ];
  for (const c of bad) {
    it(`refuses ${c.what} and changes nothing`, () => {
      const m = TestMachine.boot({ images: { 0: 2, 1: 1, 5: 10 } });
      const init = m.rootPid;
      const [a] = m.channel(init);
      const handlesBefore = m.handles(init);
      const budget = m.stat('BUDGET_USED');
      const objects = m.stat('OBJECTS');
      expect(m.spawn(init, m.rootSelf(), { ...c.opts, handles: [{ handle: a, tag: TAG.PEER }] }).result).toBe(c.err);
      expect(m.handles(init)).toEqual(handlesBefore); // the listed handle was not moved
      expect(m.stat('PROCESSES')).toBe(1);
      expect(m.stat('BUDGET_USED')).toBe(budget);
      expect(m.stat('OBJECTS')).toBe(objects);
      m.check();
    });
  }

  it('checks the listed handles: TRANSFER needed, no repeats, not the parent handle, at most STARTUP_MAX_HANDLES', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = m.notification(init);
    const pinned = m.dup(init, n, RIGHTS.WAIT);
    const self = m.rootSelf();
    expect(m.spawn(init, self, { handles: [{ handle: pinned, tag: 1 }] }).result).toBe(ERR.ACCESS_DENIED);
    expect(m.spawn(init, self, { handles: [{ handle: n, tag: 1 }, { handle: n, tag: 2 }] }).result).toBe(ERR.INVALID_ARGS);
    expect(m.spawn(init, self, { handles: [{ handle: self, tag: TAG.SELF }] }).result).toBe(ERR.INVALID_ARGS);
    expect(m.spawn(init, self, { handles: [{ handle: n, tag: 1 }, { handle: 0x3333, tag: 2 }] }).result).toBe(ERR.BAD_HANDLE);
    const many = Array.from({ length: 17 }, () => ({ handle: n, tag: 1 }));
    expect(m.spawn(init, self, { handles: many }).result).toBe(ERR.INVALID_ARGS);
    expect(m.spawn(init, self, { args: 'x'.repeat(1025) }).result).toBe(ERR.INVALID_ARGS);
    expect(m.handles(init).map((h) => h.handle).sort((x, y) => x - y)).toEqual([self, n, pinned].sort((x, y) => x - y));
    expect(m.stat('PROCESSES')).toBe(1);
    // The largest startup block is fine.
    const hs = [n, ...Array.from({ length: 15 }, () => m.dup(init, n, RIGHTS.WAIT | RIGHTS.TRANSFER))];
    const big = m.spawn(init, self, { args: 'y'.repeat(1024), handles: hs.map((h, i) => ({ handle: h, tag: 100 + i })) });
    expect(big.result).toBe(0);
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    const su = m.startup(big.pid);
    expect(su.handles.map((h) => h.tag)).toEqual(hs.map((_, i) => 100 + i));
    expect(su.args).toBe('y'.repeat(1024));
    m.check();
  });

  it('refuses to spawn under a process that has exited', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const a = spawnOk(m, { name: 'a' });
    expect(m.sys(init, SYS.PROCESS_KILL, a.handle)).toBe(0);
    expect(m.spawn(init, a.handle, { name: 'orphan', quota: 2 }).result).toBe(ERR.BAD_STATE);
    expect(m.stat('PROCESSES')).toBe(1);
    m.check();
  });

  it('takes the child quota out of the parent quota: at most what the parent does not hold itself', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    // init (quota 128) holds 3 pages itself: its image and one page for its record and handles.
    expect(m.spawn(init, m.rootSelf(), { quota: 126, priority: 4 }).result).toBe(ERR.NO_MEMORY);
    expect(m.eventsOf('LIMIT').at(-1)?.args.slice(0, 5)).toEqual([LIMIT.QUOTA, init, 126, 3, 128]);
    const child = spawnOk(m, { quota: 125, priority: 4 });
    expect(info(m, init, child.handle)).toMatchObject({ quotaPages: 125, priority: 4 });
    expect(m.memInfo(init)).toMatchObject({ quotaPages: 128, usedPages: 3, childPages: 125 });
    // Nothing is left for init to grow into, and nothing for another child.
    expect(m.sys(init, SYS.MEM_GROW, 1)).toBe(ERR.NO_MEMORY);
    expect(m.spawn(init, m.rootSelf(), { quota: 1 }).result).toBe(ERR.NO_MEMORY);
    m.check();
  });

  it('refuses an image that does not fit the system budget', () => {
    const m = TestMachine.boot({ budgetPages: 6, images: { 0: 2, 1: 1, 5: 5 } });
    expect(m.spawn(m.rootPid, m.rootSelf(), { image: 5, quota: 8 }).result).toBe(ERR.NO_MEMORY);
    expect(m.eventsOf('LIMIT').at(-1)?.args[0]).toBe(LIMIT.BUDGET);
    expect(m.stat('BUDGET_USED')).toBe(3);
    expect(m.spawn(m.rootPid, m.rootSelf(), { image: 1, quota: 8 }).result).toBe(0);
    expect(m.stat('BUDGET_USED')).toBe(5);
    m.check();
  });

  it('checks quota and priority against the parent named by the handle, not the caller', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const a = spawnOk(m, { name: 'a', quota: 8, priority: 3 });
    expect(m.spawn(init, a.handle, { quota: 9, priority: 3 }).result).toBe(ERR.INVALID_ARGS);
    expect(m.spawn(init, a.handle, { quota: 8, priority: 4 }).result).toBe(ERR.INVALID_ARGS);
    // a holds 2 of its 8 pages itself (its image, its record): a's quota pays for the grandchild, not init's.
    expect(m.spawn(init, a.handle, { quota: 7, priority: 3 }).result).toBe(ERR.NO_MEMORY);
    expect(m.eventsOf('LIMIT').at(-1)?.args.slice(0, 5)).toEqual([LIMIT.QUOTA, a.pid, 7, 2, 8]);
    const g = m.spawn(init, a.handle, { name: 'grandchild', quota: 6, priority: 3 });
    expect(g.result).toBe(0);
    expect(info(m, init, g.handle)).toMatchObject({ parent: a.pid, quotaPages: 6, priority: 3 });
    m.check();
  });
});

describe('PROCESS_EXIT', () => {
  it('sets the exit code and TERMINATED, closes every handle of the child and returns its memory', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const budgetBefore = m.stat('BUDGET_USED');
    const child = spawnOk(m, { handles: [{ handle: b, tag: TAG.PEER }], selfRights: RIGHTS.INSPECT });
    const budgetWithChild = m.stat('BUDGET_USED');
    expect(budgetWithChild).toBe(budgetBefore + 2); // its image and its record

    const [r, observed] = wait(m, init, child.handle, SIGNAL.TERMINATED, -1);
    expect(r).toBe(BLOCKED);
    expect(m.isRunning(child.pid)).toBe(true);
    // The child makes objects and memory of its own before it exits.
    const own = m.notification(child.pid);
    expect(own).toBeGreaterThan(0);
    expect(m.sys(child.pid, SYS.MEM_GROW, 2)).toBe(1);
    expect(m.stat('BUDGET_USED')).toBe(budgetWithChild + 2); // the notification fits the record's page
    const held = m.handles(child.pid).length;
    expect(held).toBe(3);

    expect(m.sys(child.pid, SYS.PROCESS_EXIT, 42)).toBe(BLOCKED);
    expect(m.proc(child.pid).destroyed).toBe(true);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    expect(observed() & SIGNAL.TERMINATED).toBe(SIGNAL.TERMINATED);

    // Its record stays paid for (one page of its quota, held in init's) until init lets go of it.
    expect(info(m, init, child.handle)).toMatchObject({ state: PROC_STATE.EXITED, exitCode: 42, handles: 0, usedPages: 1, quotaPages: 1 });
    expect(m.eventsOf('EXIT').find((e) => e.pid === child.pid)?.args[0]).toBe(42);
    const closes = m.eventsOf('HANDLE_CLOSE').filter((e) => e.pid === child.pid);
    expect(closes).toHaveLength(held);
    expect(closes.every((e) => e.args[2] === CLOSE_REASON.EXITED)).toBe(true);
    // The peer sees PEER_CLOSED.
    expect(wait(m, init, a, SIGNAL.PEER_CLOSED, 0)[0]).toBe(0);
    expect(m.read(init, a).result).toBe(ERR.PEER_CLOSED);
    expect(m.write(init, a, 'anyone?')).toBe(ERR.PEER_CLOSED);
    // Memory and objects went back; the record goes with init's last handle to it.
    expect(m.stat('BUDGET_USED')).toBe(budgetBefore + 1);
    expect(m.memInfo(init).childPages).toBe(1);
    expect(m.stat('PROCESSES')).toBe(1);
    // The exited process can no longer make syscalls.
    expect(m.k.syscall(child.pid, SYS.NULL, 0, 0, 0, 0, 0, 0)).toBe(ERR.BAD_STATE);
    expect(m.sys(init, SYS.HANDLE_CLOSE, child.handle)).toBe(0);
    expect(m.stat('BUDGET_USED')).toBe(budgetBefore);
    expect(m.memInfo(init).childPages).toBe(0);
    m.check();
  });

  it('a later wait on an exited process is satisfied at once', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const child = spawnOk(m);
    yieldTo(m, init, child.pid);
    expect(m.sys(child.pid, SYS.PROCESS_EXIT, 7)).toBe(BLOCKED);
    expect(m.isRunning(init)).toBe(true);
    const [r, observed] = wait(m, init, child.handle, SIGNAL.TERMINATED, 0);
    expect(r).toBe(0);
    expect(observed()).toBe(SIGNAL.TERMINATED);
    expect(info(m, init, child.handle).exitCode).toBe(7);
    m.check();
  });
});

describe('PROCESS_KILL', () => {
  it('needs MANAGE and ends the process with EXIT_KILLED', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const child = spawnOk(m, { handles: [{ handle: b, tag: TAG.PEER }] });
    const weak = m.dup(init, child.handle, RIGHTS.ALL & ~RIGHTS.MANAGE);
    expect(m.sys(init, SYS.PROCESS_KILL, weak)).toBe(ERR.ACCESS_DENIED);
    expect(info(m, init, child.handle).state).toBe(PROC_STATE.READY);
    expect(m.sys(init, SYS.PROCESS_KILL, a)).toBe(ERR.WRONG_TYPE);

    expect(m.sys(init, SYS.PROCESS_KILL, child.handle)).toBe(0);
    expect(info(m, init, weak)).toMatchObject({ state: PROC_STATE.EXITED, exitCode: EXIT.KILLED, handles: 0 });
    const kill = m.eventsOf('KILL');
    expect(kill).toHaveLength(1);
    expect(kill[0]?.pid).toBe(child.pid);
    expect(kill[0]?.args[0]).toBe(init);
    expect(m.proc(child.pid).destroyed).toBe(true);
    expect(m.read(init, a).result).toBe(ERR.PEER_CLOSED);
    // A killed (ready, never run) process leaves the ready queue.
    expect(m.stat('READY')).toBe(0);
    expect(m.sys(init, SYS.PROCESS_KILL, child.handle)).toBe(ERR.BAD_STATE);
    expect(m.sys(init, SYS.YIELD)).toBe(0);
    m.check();
  });

  it('ends a process running on another CPU and frees that CPU', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const a = spawnOk(m, { name: 'a' });
    const b = spawnOk(m, { name: 'b' });
    expect(m.isRunning(a.pid)).toBe(true);
    expect(m.isRunning(b.pid)).toBe(false);
    expect(m.sys(init, SYS.PROCESS_KILL, a.handle)).toBe(0);
    expect(m.isRunning(a.pid)).toBe(false);
    expect(m.isRunning(b.pid)).toBe(true);
    expect(m.proc(b.pid).cpu).toBe(1);
    expect(info(m, init, a.handle).exitCode).toBe(EXIT.KILLED);
    m.check();
  });

  it('ends a blocked process and undoes its wait and deadline', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = m.notification(init);
    const shared = m.dup(init, n, RIGHTS.WAIT | RIGHTS.TRANSFER);
    const sleeper = spawnOk(m, { name: 'sleeper' });
    const waiter = spawnOk(m, { name: 'waiter', handles: [{ handle: shared, tag: 60 }] });
    yieldTo(m, init, sleeper.pid);
    expect(m.sys(sleeper.pid, SYS.SLEEP, 1000)).toBe(BLOCKED);
    expect(m.isRunning(waiter.pid)).toBe(true);
    const wh = m.startup(waiter.pid).handles[0]?.handle ?? 0;
    expect(m.sys(waiter.pid, SYS.NOTIFY_WAIT, wh, 1, -1)).toBe(BLOCKED);
    expect(m.isRunning(init)).toBe(true);
    expect(m.stat('DEADLINES')).toBe(1);

    expect(m.sys(init, SYS.PROCESS_KILL, sleeper.handle)).toBe(0);
    expect(m.sys(init, SYS.PROCESS_KILL, waiter.handle)).toBe(0);
    expect(m.stat('DEADLINES')).toBe(0);
    expect(m.idle()).toBe(false);
    const wakes = m.eventsOf('SYSCALL_WAKE').length;
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 1)).toBe(0);
    expect(m.eventsOf('SYSCALL_WAKE')).toHaveLength(wakes);
    // Nobody took the bit: it is still pending for init.
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, 0)).toBe(1);
    expect(m.stat('PROCESSES')).toBe(1);
    m.check();
  });

  it('a process that kills itself does not return, and takes its subtree with it', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const child = spawnOk(m);
    expect(m.sys(init, SYS.PROCESS_KILL, m.rootSelf())).toBe(BLOCKED);
    expect(m.proc(init).destroyed).toBe(true);
    expect(m.proc(child.pid).destroyed).toBe(true);
    expect(m.stat('PROCESSES')).toBe(0);
    expect(m.eventsOf('EXIT').find((e) => e.pid === init)?.args[0]).toBe(EXIT.KILLED);
    expect(m.eventsOf('EXIT').find((e) => e.pid === child.pid)?.args[0]).toBe(EXIT.KILLED);
    m.check();
  });

  it('a process that exits leaves its children running, handed to its parent', () => {
    const m = TestMachine.boot({ cpus: 3 });
    const init = m.rootPid;
    const a = spawnOk(m, { name: 'a', quota: 8, selfRights: RIGHTS.ALL });
    const aSelf = m.startup(a.pid).handles[0]?.handle ?? 0;
    const b = m.spawn(a.pid, aSelf, { name: 'b', quota: 3 });
    expect(b.result).toBe(0);
    expect(m.memInfo(a.pid).childPages).toBe(3);
    expect(m.sys(a.pid, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    expect(m.isRunning(b.pid)).toBe(true);
    // b's quota is now held directly by init's (a's own quota shrank to its record: 1 page).
    expect(info(m, init, a.handle)).toMatchObject({ state: PROC_STATE.EXITED, quotaPages: 1 });
    expect(m.memInfo(init).childPages).toBe(4);
    const list = m.alloc(init, 4 * sizeOf('ProcessInfo'));
    expect(m.sys(init, SYS.PROCESS_LIST, m.rootSelf(), list, 4)).toBe(3);
    m.check();
  });
});

describe('faults', () => {
  it('end the faulting process with FAULT_BASE - reason and leave the others running', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const a = spawnOk(m, { name: 'a' });
    const b = spawnOk(m, { name: 'b' });
    expect(wait(m, init, a.handle, SIGNAL.TERMINATED, -1)[0]).toBe(BLOCKED);
    expect(m.isRunning(a.pid)).toBe(true);

    m.k.fault(a.pid, FAULT.TRAP);
    expect(m.proc(a.pid).destroyed).toBe(true);
    expect(m.isRunning(a.pid)).toBe(false);
    // b was ready first, so it got the CPU; init (woken by TERMINATED) is ready behind it.
    expect(m.isRunning(b.pid)).toBe(true);
    expect(m.sys(b.pid, SYS.NULL)).toBe(0);
    yieldTo(m, b.pid, init);
    expect(m.resumedWith(init)).toBe(0);
    expect(info(m, init, a.handle)).toMatchObject({ state: PROC_STATE.EXITED, exitCode: EXIT.FAULT_BASE - FAULT.TRAP });
    expect(info(m, init, b.handle)).toMatchObject({ state: PROC_STATE.READY, exitCode: 0 });
    const f = m.eventsOf('FAULT');
    expect(f).toHaveLength(1);
    expect(f[0]?.pid).toBe(a.pid);
    expect(f[0]?.args[0]).toBe(FAULT.TRAP);

    // A fault of a process that is not on a CPU leaves the running one alone.
    m.k.fault(b.pid, FAULT.STACK);
    expect(m.isRunning(init)).toBe(true);
    expect(m.sys(init, SYS.NULL)).toBe(0);
    expect(info(m, init, b.handle)).toMatchObject({ state: PROC_STATE.EXITED, exitCode: EXIT.FAULT_BASE - FAULT.STACK });
    expect(m.stat('PROCESSES')).toBe(1);
    m.check();
  });

  it('a second fault, or a fault of an unknown pid, changes nothing', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const a = spawnOk(m);
    m.k.fault(a.pid, FAULT.OOM);
    m.k.fault(a.pid, FAULT.TRAP);
    m.k.fault(99, FAULT.TRAP);
    expect(info(m, init, a.handle).exitCode).toBe(EXIT.FAULT_BASE - FAULT.OOM);
    expect(m.eventsOf('FAULT')).toHaveLength(1);
    expect(m.isRunning(init)).toBe(true);
    m.check();
  });
});

describe('PROCESS_LIST', () => {
  it('lists the process behind the handle and all its descendants', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const a = spawnOk(m, { name: 'a', quota: 16 });
    const b = spawnOk(m, { name: 'b' });
    const a1 = m.spawn(init, a.handle, { name: 'a1', quota: 4 });
    expect(a1.result).toBe(0);

    const sub = list(m, init, a.handle);
    expect(sub.total).toBe(2);
    expect(sub.infos.map((i) => [i.pid, i.parent, i.name])).toEqual([[a.pid, init, 'a'], [a1.pid, a.pid, 'a1']]);

    const all = list(m, init, m.rootSelf());
    expect(all.total).toBe(4);
    expect(all.infos.map((i) => i.pid)).toEqual([init, a.pid, b.pid, a1.pid]);

    const leaf = list(m, init, b.handle);
    expect(leaf.total).toBe(1);
    expect(leaf.infos[0]?.name).toBe('b');

    // A small buffer gets the first records and the total.
    const small = list(m, init, m.rootSelf(), 2);
    expect(small.total).toBe(4);
    expect(small.infos.map((i) => i.pid)).toEqual([init, a.pid]);

    // Children of an exited process move up to its parent.
    expect(m.sys(init, SYS.PROCESS_KILL, a.handle)).toBe(0);
    expect(info(m, init, a1.handle).parent).toBe(init);
    expect(list(m, init, a.handle).total).toBe(1);
    m.check();
  });

  it('PROCESS_INFO and PROCESS_LIST need INSPECT', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const a = spawnOk(m);
    const blind = m.dup(init, a.handle, RIGHTS.ALL & ~RIGHTS.INSPECT);
    expect(m.processInfo(init, blind)).toBe(ERR.ACCESS_DENIED);
    expect(list(m, init, blind).total).toBe(ERR.ACCESS_DENIED);
    expect(list(m, init, a.handle, 257).total).toBe(ERR.INVALID_ARGS);
    m.check();
  });
});

describe('zombies', () => {
  it('an exited process record is reaped when its last handle closes', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const child = spawnOk(m);
    const koid = hinfo(m, init, child.handle).koid;
    const second = m.dup(init, child.handle, RIGHTS.INSPECT);
    yieldTo(m, init, child.pid);
    expect(m.sys(child.pid, SYS.PROCESS_EXIT, 5)).toBe(BLOCKED);
    expect(m.stat('ZOMBIES')).toBe(1);
    expect(m.stat('PROCESSES')).toBe(1);
    const objects = m.stat('OBJECTS');

    expect(m.sys(init, SYS.HANDLE_CLOSE, child.handle)).toBe(0);
    expect(m.stat('ZOMBIES')).toBe(1);
    expect(info(m, init, second)).toMatchObject({ state: PROC_STATE.EXITED, exitCode: 5 });
    expect(m.eventsOf('OBJECT_DESTROY').some((e) => e.args[0] === koid)).toBe(false);

    expect(m.sys(init, SYS.HANDLE_CLOSE, second)).toBe(0);
    expect(m.stat('ZOMBIES')).toBe(0);
    expect(m.stat('OBJECTS')).toBe(objects - 1);
    expect(m.eventsOf('OBJECT_DESTROY').filter((e) => e.args[0] === koid).map((e) => e.args[1])).toEqual([OBJ.PROCESS]);
    expect(m.processInfo(init, second)).toBe(ERR.BAD_HANDLE);

    // Pids are not reused.
    const next = spawnOk(m);
    expect(next.pid).toBeGreaterThan(child.pid);
    m.check();
  });

  it('a process nobody holds a handle to leaves no zombie', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const child = spawnOk(m);
    expect(m.sys(init, SYS.HANDLE_CLOSE, child.handle)).toBe(0);
    expect(m.stat('PROCESSES')).toBe(2); // still alive: it holds itself
    yieldTo(m, init, child.pid);
    expect(m.sys(child.pid, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    expect(m.stat('ZOMBIES')).toBe(0);
    expect(m.stat('PROCESSES')).toBe(1);
    expect(m.isRunning(init)).toBe(true);
    m.check();
  });
});
