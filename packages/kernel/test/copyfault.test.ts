// Every copy to or from user memory is checked: when the HAL cannot do one
// (here the test HAL refuses every copy for a process although its pointers
// are fine), the syscall that needed it answers FAULT — whatever the code
// that copied did with the failure — and the kernel stays consistent. Also
// for copies done later, for a process that is waiting: when its wait ends,
// the result is FAULT.

import { describe, expect, it } from 'vitest';
import { ERR, OBJ, RIGHTS, SYS, TAG, sizeOf } from '@oncrix/abi';
import { BLOCKED, TestMachine } from './harness';
import { ok } from './helpers';

/** A machine where init holds one of everything, and a helper running one syscall with init's copies failing. */
function setup() {
  const m = TestMachine.boot({ cpus: 2, devices: [{ registers: 4, irq: -1 }] });
  const init = m.rootPid;
  const n = ok(m.notification(init));
  const [a, b] = m.channel(init);
  const mo = ok(m.memobj(init, 4096));
  const dev = m.handles(init).find((h) => h.type === OBJ.DEVICE)?.handle ?? 0;
  const child = m.spawn(init, m.rootSelf(), { name: 'child', quota: 4 });
  const buf = m.alloc(init, 4096);
  const faulty = (nr: number, ...args: number[]): number => {
    m.failCopies.add(init);
    const r = m.sys(init, nr, ...args);
    m.failCopies.delete(init);
    return r;
  };
  return { m, init, n, a, b, mo, dev, child, buf, faulty };
}

describe('a copy the HAL cannot do is FAULT for the syscall that needed it', () => {
  it('for every syscall that reads or writes the caller memory', () => {
    const { m, init, n, a, b, mo, dev, child, buf, faulty } = setup();
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 1)).toBe(0);
    const items = m.putU32s(init, [n, 1, 0]);
    const callArgs = m.alloc(init, sizeOf('CallArgs'));
    const recvArgs = m.alloc(init, sizeOf('RecvArgs'));
    const desc = m.alloc(init, sizeOf('SpawnDesc'));
    const cases: [string, number, number[]][] = [
      ['HANDLE_DUPLICATE', SYS.HANDLE_DUPLICATE, [n, RIGHTS.WAIT, buf]],
      ['HANDLE_INFO', SYS.HANDLE_INFO, [n, buf]],
      ['HANDLE_LIST', SYS.HANDLE_LIST, [buf, 4]],
      ['OBJECT_WAIT', SYS.OBJECT_WAIT, [n, 1, 0, buf]],
      ['OBJECT_WAIT_MANY', SYS.OBJECT_WAIT_MANY, [items, 1, 0]],
      ['CHANNEL_CREATE', SYS.CHANNEL_CREATE, [buf]],
      ['CHANNEL_WRITE', SYS.CHANNEL_WRITE, [a, buf, 16, 0, 0]],
      ['CHANNEL_CALL', SYS.CHANNEL_CALL, [a, callArgs]],
      ['CHANNEL_RECV', SYS.CHANNEL_RECV, [b, recvArgs, 0]],
      ['NOTIFY_CREATE', SYS.NOTIFY_CREATE, [buf]],
      ['MEMOBJ_CREATE', SYS.MEMOBJ_CREATE, [100, buf]],
      ['MEMOBJ_READ', SYS.MEMOBJ_READ, [mo, 0, buf, 100]],
      ['MEMOBJ_WRITE', SYS.MEMOBJ_WRITE, [mo, 0, buf, 100]],
      ['TIMER_CREATE', SYS.TIMER_CREATE, [n, 3, buf]],
      ['PROCESS_SPAWN', SYS.PROCESS_SPAWN, [m.rootSelf(), desc, buf]],
      ['PROCESS_INFO', SYS.PROCESS_INFO, [child.handle, buf]],
      ['PROCESS_LIST', SYS.PROCESS_LIST, [m.rootSelf(), buf, 4]],
      ['PROCESS_GET_CHILD', SYS.PROCESS_GET_CHILD, [m.rootSelf(), child.pid, RIGHTS.INSPECT, buf]],
      ['STARTUP_INFO', SYS.STARTUP_INFO, [buf, 4096]],
      ['CLOCK_GET', SYS.CLOCK_GET, [buf]],
      ['MEM_INFO', SYS.MEM_INFO, [buf]],
      ['DEV_READ', SYS.DEV_READ, [dev, 0, buf]],
      ['DEV_READ_BLOCK', SYS.DEV_READ_BLOCK, [dev, 0, 4, buf]],
      ['DEBUG_LOG', SYS.DEBUG_LOG, [buf, 10]],
    ];
    const processes = m.stat('PROCESSES');
    const sent = m.stat('MSG_SENT');
    for (const [name, nr, args] of cases) {
      expect([name, faulty(nr, ...args)]).toEqual([name, ERR.FAULT]);
      m.check();
    }
    // Nothing was queued or started on the strength of bytes the kernel never got.
    expect(m.stat('MSG_SENT')).toBe(sent);
    expect(m.stat('PROCESSES')).toBe(processes);
  });

  it('a message whose bytes cannot be delivered stays queued for a later read', () => {
    const { m, init, a, b, faulty, buf } = setup();
    expect(m.write(init, a, 'keep me')).toBe(0);
    expect(faulty(SYS.CHANNEL_READ, b, buf, 4096, buf + 2048, 8, 0)).toBe(ERR.FAULT);
    expect(m.stat('MSG_QUEUED')).toBe(1);
    expect(m.read(init, b).text).toBe('keep me');
    m.check();
  });

  it('a caller whose reply buffer cannot be written gets FAULT, and so does the replier', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const server = m.spawn(init, m.rootSelf(), { name: 'server', handles: [{ handle: b, tag: TAG.SERVICE }] });
    const sb = m.startup(server.pid).handles[0]?.handle ?? 0;
    const call = m.call(init, a, 'XXXXask');
    expect(call.result).toBe(BLOCKED);
    const r = m.read(server.pid, sb);
    expect(r.result).toBe(7);
    const reply = m.put(server.pid, r.bytes.slice(0, 4));
    m.failCopies.add(init);
    expect(m.sys(server.pid, SYS.CHANNEL_WRITE, sb, reply, 4, 0, 0)).toBe(ERR.FAULT);
    m.failCopies.delete(init);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(ERR.FAULT);
    m.check();
  });
});

describe('a wait that ends later', () => {
  it('reports FAULT when the kernel cannot write the waiter memory at the end', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const give = ok(m.dup(init, n, RIGHTS.SIGNAL | RIGHTS.TRANSFER));
    const signaller = m.spawn(init, m.rootSelf(), { name: 'signaller', handles: [{ handle: give, tag: TAG.PEER }] });
    const sn = m.startup(signaller.pid).handles[0]?.handle ?? 0;
    const out = m.alloc(init, 4);
    expect(m.sys(init, SYS.OBJECT_WAIT, n, 1 << 4, -1, out)).toBe(BLOCKED);
    m.failCopies.add(init);
    expect(m.sys(signaller.pid, SYS.NOTIFY_SIGNAL, sn, 1 << 4)).toBe(0);
    m.failCopies.delete(init);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(ERR.FAULT);
    m.check();
  });
});
