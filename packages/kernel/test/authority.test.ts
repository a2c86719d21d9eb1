// Authority that follows from other authority: a process handle with INSPECT
// yields handles to the process's descendants (PROCESS_GET_CHILD), derived
// from it so that revoking it takes them back; exit codes a program may claim;
// two boot devices sharing one interrupt line.

import { describe, expect, it } from 'vitest';
import { ERR, EXIT, OBJ, RIGHTS, SYS, TAG } from '@oncrix/abi';
import { BLOCKED, TestMachine } from './harness';

function getChild(m: TestMachine, pid: number, h: number, target: number, rights: number): number {
  const out = m.alloc(pid, 4);
  const r = m.sys(pid, SYS.PROCESS_GET_CHILD, h, target, rights, out);
  return r === 0 ? m.u32(pid, out) : r;
}

describe('PROCESS_GET_CHILD', () => {
  it('gives a handle to a descendant, with at most the rights of the handle it comes from', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const self = m.rootSelf();
    const a = m.spawn(init, self, { name: 'a', selfRights: RIGHTS.ALL });
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED); // let a run
    const aSelf = m.startup(a.pid).handles.find((h) => h.tag === TAG.SELF)?.handle ?? 0;
    const b = m.spawn(a.pid, aSelf, { name: 'b', quota: 2 }); // out of a's own quota of 8
    expect(b.result).toBe(0);
    // a reaches its own child b, but not init (not a descendant) and not an unknown pid.
    const hb = getChild(m, a.pid, aSelf, b.pid, RIGHTS.MANAGE | RIGHTS.INSPECT);
    expect(hb).toBeGreaterThan(0);
    expect(m.handleInfo(a.pid, hb)).toMatchObject({ type: OBJ.PROCESS, rights: RIGHTS.MANAGE | RIGHTS.INSPECT });
    expect(getChild(m, a.pid, aSelf, init, RIGHTS.INSPECT)).toBe(ERR.NOT_FOUND);
    expect(getChild(m, a.pid, aSelf, 999, RIGHTS.INSPECT)).toBe(ERR.NOT_FOUND);
    // Rights only shrink; INSPECT is needed on the source handle.
    const weak = m.dup(a.pid, aSelf, RIGHTS.INSPECT);
    expect(getChild(m, a.pid, weak, b.pid, RIGHTS.MANAGE)).toBe(ERR.INVALID_ARGS);
    const blind = m.dup(a.pid, aSelf, RIGHTS.MANAGE);
    expect(getChild(m, a.pid, blind, b.pid, RIGHTS.MANAGE)).toBe(ERR.ACCESS_DENIED);
    // The derived handle kills, and revoking its source takes it back.
    expect(m.sys(a.pid, SYS.PROCESS_KILL, hb)).toBe(0);
    expect(m.processInfo(a.pid, hb)).toMatchObject({ pid: b.pid, exitCode: EXIT.KILLED });
    expect(m.sys(a.pid, SYS.HANDLE_REVOKE, aSelf)).toBeGreaterThanOrEqual(1);
    expect(m.handleInfo(a.pid, hb)).toBe(ERR.BAD_HANDLE);
    m.check();
  });
});

describe('delegated spawn', () => {
  it('a process holding only SPAWN gets a child handle derived from it, and revoking the delegation takes it back', () => {
    const m = TestMachine.boot({ cpus: 3 }); // init, the delegate and its child all run at once
    const init = m.rootPid;
    // init delegates the right to start children under itself, and nothing else.
    const spawnOnly = m.dup(init, m.rootSelf(), RIGHTS.SPAWN | RIGHTS.TRANSFER);
    const a = m.spawn(init, m.rootSelf(), { name: 'delegate', handles: [{ handle: spawnOnly, tag: TAG.PEER }] });
    const delegated = m.startup(a.pid).handles.find((h) => h.tag === TAG.PEER)?.handle ?? 0;
    const c = m.spawn(a.pid, delegated, { name: 'grandchild', selfRights: RIGHTS.ALL });
    expect(c.result).toBe(0);
    // What a gets back is no more than what it was given: SPAWN (and TRANSFER), not MANAGE or INSPECT over the child.
    expect(m.handleInfo(a.pid, c.handle)).toMatchObject({ type: OBJ.PROCESS, rights: RIGHTS.SPAWN | RIGHTS.TRANSFER });
    expect(m.sys(a.pid, SYS.PROCESS_KILL, c.handle)).toBe(ERR.ACCESS_DENIED);
    // init takes the delegation back: the handle a minted through it goes too, wherever it is.
    const cSelf = m.startup(c.pid).handles.find((h) => h.tag === TAG.SELF)?.handle ?? 0;
    expect(m.handleInfo(c.pid, cSelf)).toMatchObject({ type: OBJ.PROCESS, rights: RIGHTS.SPAWN | RIGHTS.TRANSFER });
    const closed = m.sys(init, SYS.HANDLE_REVOKE, m.rootSelf());
    expect(closed).toBeGreaterThanOrEqual(3);
    expect(m.handleInfo(a.pid, delegated)).toBe(ERR.BAD_HANDLE);
    expect(m.handleInfo(a.pid, c.handle)).toBe(ERR.BAD_HANDLE);
    expect(m.handleInfo(c.pid, cSelf)).toBe(ERR.BAD_HANDLE);
    m.check();
  });
});

describe('PROCESS_EXIT codes', () => {
  it('a program may exit with 0..255 only; the kernel keeps the negative codes for itself', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const c = m.spawn(init, m.rootSelf(), { name: 'liar' });
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    expect(m.sys(c.pid, SYS.PROCESS_EXIT, EXIT.KILLED)).toBe(ERR.INVALID_ARGS);
    expect(m.sys(c.pid, SYS.PROCESS_EXIT, 256)).toBe(ERR.INVALID_ARGS);
    expect(m.sys(c.pid, SYS.PROCESS_EXIT, 255)).toBe(BLOCKED);
    expect(m.processInfo(init, c.handle)).toMatchObject({ exitCode: 255 });
    m.check();
  });
});

describe('shared interrupt lines', () => {
  it('two boot devices on one line get handles to the same IRQ object', () => {
    const m = TestMachine.boot({ devices: [{ registers: 2, irq: 5 }, { registers: 2, irq: 5 }] });
    const init = m.rootPid;
    const irqs = m.handles(init).filter((h) => h.type === OBJ.IRQ);
    expect(irqs).toHaveLength(2);
    expect(irqs[0]?.koid).toBe(irqs[1]?.koid);
    // Closing one leaves the other working.
    expect(m.sys(init, SYS.HANDLE_CLOSE, irqs[0]?.handle ?? 0)).toBe(0);
    const n = m.notification(init);
    expect(m.sys(init, SYS.IRQ_BIND, irqs[1]?.handle ?? 0, n, 3)).toBe(0);
    m.k.irq(5);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1 << 3, 0)).toBe(1 << 3);
    m.check();
  });
});
