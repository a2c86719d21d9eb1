// What the kernel gives a user-space supervisor, and nothing more: a caller
// whose request a dying server had taken wakes at once with PEER_CLOSED
// (while a request still queued waits for the next instance, when the
// supervisor keeps the server end), a filesystem request a dying service
// had taken goes again to the next instance (EIO when the channel died too), PROCESS_WATCH signals a notification bit once a
// process has ended and is torn down, the spawner's generation number is
// reported in ProcessInfo and the SPAWN record, and SYSTEM_PANIC lets init
// (and only init) stop the machine when a critical service dies.

import { describe, expect, it } from 'vitest';
import { ERR, RIGHTS, SIGNAL, SYS, TAG, VFS_OP, WASI_ERRNO, offsetOf, sizeOf } from '@oncrix/abi';
import { BLOCKED, KernelPanic, TestMachine } from './harness';
import { child, eventsSince, info, ok } from './helpers';

/** A duplicate of h with every right it has. */
function same(m: TestMachine, pid: number, h: number): number {
  return ok(m.dup(pid, h, info(m, pid, h).rights));
}

/** A service channel whose server end init keeps (as the supervisor does), a client and a first server instance. */
function supervised() {
  const m = TestMachine.boot({ cpus: 4 });
  const init = m.rootPid;
  const [clientEnd, serverEnd] = m.channel(init);
  const spawnServer = (): { pid: number; handle: number; h: number } => {
    const s = child(m, [same(m, init, serverEnd)]);
    return { pid: s.pid, handle: s.handle, h: s.handles[0] ?? 0 };
  };
  const client = child(m, [clientEnd]);
  return { m, init, serverEnd, spawnServer, client: { pid: client.pid, h: client.handles[0] ?? 0 } };
}

describe('calls held by a dying server', () => {
  it('a caller whose request the server took wakes at once with PEER_CLOSED, though the channel lives on', () => {
    const { m, init, spawnServer, client } = supervised();
    const first = spawnServer();
    expect(m.call(client.pid, client.h, '....read a line').result).toBe(BLOCKED);
    expect(m.read(first.pid, first.h).text).toContain('read a line');
    const mark = m.events().length;
    expect(m.sys(init, SYS.PROCESS_KILL, first.handle)).toBe(0);
    expect(m.isRunning(client.pid)).toBe(true);
    expect(m.resumedWith(client.pid)).toBe(ERR.PEER_CLOSED);
    const [wake] = eventsSince(m, mark, 'SYSCALL_WAKE');
    expect([wake?.pid, wake?.args[0], wake?.args[1]]).toEqual([client.pid, SYS.CHANNEL_CALL, ERR.PEER_CLOSED]);
    // The channel is not closed (init holds the server end): the client calls again and the next instance answers.
    const second = spawnServer();
    const call = m.call(client.pid, client.h, '....read a line');
    expect(call.result).toBe(BLOCKED);
    const req = m.read(second.pid, second.h);
    expect(m.write(second.pid, second.h, req.bytes.slice(0, 4))).toBe(0);
    expect(m.resumedWith(client.pid)).toBe(0);
    m.check();
  });

  it('a request still queued when its server dies waits for the next instance, which answers it', () => {
    const { m, init, spawnServer, client } = supervised();
    const first = spawnServer();
    expect(m.call(client.pid, client.h, '....queued').result).toBe(BLOCKED);
    expect(m.sys(init, SYS.PROCESS_KILL, first.handle)).toBe(0);
    expect(m.isRunning(client.pid)).toBe(false); // nobody took it: nobody owed it
    const second = spawnServer();
    const req = m.read(second.pid, second.h);
    expect(req.text).toContain('queued');
    expect(m.write(second.pid, second.h, req.bytes.slice(0, 4))).toBe(0);
    expect(m.resumedWith(client.pid)).toBe(0);
    m.check();
  });

  it('a server that answered owes nothing: its death later wakes no one', () => {
    const { m, init, spawnServer, client } = supervised();
    const first = spawnServer();
    expect(m.call(client.pid, client.h, '....one').result).toBe(BLOCKED);
    const req = m.read(first.pid, first.h);
    expect(m.write(first.pid, first.h, req.bytes.slice(0, 4))).toBe(0);
    expect(m.resumedWith(client.pid)).toBe(0);
    expect(m.call(client.pid, client.h, '....two').result).toBe(BLOCKED); // queued, not taken
    expect(m.sys(init, SYS.PROCESS_KILL, first.handle)).toBe(0);
    expect(m.isRunning(client.pid)).toBe(false);
    m.check();
  });

  it('a filesystem request the dying service took goes again on its channel, and the next instance answers it', () => {
    const fs = mountedService(true);
    const fdOut = fs.m.alloc(fs.reader, 4);
    expect(fs.m.wasi(fs.reader, 'path_open', 3, 1, fs.m.put(fs.reader, 'motd'), 4, 0, -1n, -1n, 0, fdOut)).toBe(BLOCKED);
    const first = fs.m.read(fs.svc.pid, fs.svc.h, 1024, 1);
    expect(new DataView(first.bytes.buffer).getUint32(offsetOf('VfsRequest', 'op'), true)).toBe(VFS_OP.OPEN);
    expect(fs.m.sys(fs.m.rootPid, SYS.PROCESS_KILL, fs.svc.handle)).toBe(0);
    expect(fs.m.isRunning(fs.reader)).toBe(false); // still waiting: for the next instance
    const next = fs.spawnService();
    const again = fs.m.read(next.pid, next.h, 1024, 1);
    const v = new DataView(again.bytes.buffer);
    expect(v.getUint32(offsetOf('VfsRequest', 'op'), true)).toBe(VFS_OP.OPEN);
    expect(new TextDecoder().decode(again.bytes.slice(sizeOf('VfsRequest')))).toBe('motd');
    const reply = new Uint8Array(sizeOf('VfsReply'));
    new DataView(reply.buffer).setUint32(offsetOf('VfsReply', 'txid'), v.getUint32(offsetOf('VfsRequest', 'txid'), true), true);
    new DataView(reply.buffer).setUint32(offsetOf('VfsReply', 'errno'), WASI_ERRNO.NOENT, true);
    expect(fs.m.write(next.pid, next.h, reply)).toBe(0);
    expect(fs.m.resumedWith(fs.reader)).toBe(WASI_ERRNO.NOENT);
    fs.m.check();
  });

  it('a filesystem request a service blocked in CHANNEL_RECV took at once goes again, with its txid, when the service dies', () => {
    const fs = mountedService(true);
    // The service waits first, as ramfs does: the request is handed to it the moment the vfs sends it.
    const args = fs.m.alloc(fs.svc.pid, sizeOf('RecvArgs'));
    const buf = fs.m.alloc(fs.svc.pid, 1024);
    fs.m.setU32(fs.svc.pid, args + offsetOf('RecvArgs', 'bytes'), buf);
    fs.m.setU32(fs.svc.pid, args + offsetOf('RecvArgs', 'cap'), 1024);
    expect(fs.m.sys(fs.svc.pid, SYS.CHANNEL_RECV, fs.svc.h, args, -1)).toBe(BLOCKED);
    const fdOut = fs.m.alloc(fs.reader, 4);
    expect(fs.m.wasi(fs.reader, 'path_open', 3, 1, fs.m.put(fs.reader, 'motd'), 4, 0, -1n, -1n, 0, fdOut)).toBe(BLOCKED);
    fs.m.settle();
    expect(fs.m.resumedWith(fs.svc.pid)).toBeGreaterThan(0); // it took the request
    const txid = fs.m.u32(fs.svc.pid, buf + offsetOf('VfsRequest', 'txid'));
    expect(fs.m.sys(fs.m.rootPid, SYS.PROCESS_KILL, fs.svc.handle)).toBe(0);
    expect(fs.m.isRunning(fs.reader)).toBe(false); // still waiting: for the next instance
    const next = fs.spawnService();
    const again = fs.m.read(next.pid, next.h, 1024, 1);
    expect(new DataView(again.bytes.buffer).getUint32(offsetOf('VfsRequest', 'txid'), true)).toBe(txid);
    const reply = new Uint8Array(sizeOf('VfsReply'));
    new DataView(reply.buffer).setUint32(offsetOf('VfsReply', 'txid'), txid, true);
    new DataView(reply.buffer).setUint32(offsetOf('VfsReply', 'errno'), WASI_ERRNO.NOENT, true);
    expect(fs.m.write(next.pid, next.h, reply)).toBe(0);
    expect(fs.m.resumedWith(fs.reader)).toBe(WASI_ERRNO.NOENT);
    fs.m.check();
  });

  it('a filesystem request the dying service took fails with EIO when its channel dies with it', () => {
    const fs = mountedService(false);
    const fdOut = fs.m.alloc(fs.reader, 4);
    expect(fs.m.wasi(fs.reader, 'path_open', 3, 1, fs.m.put(fs.reader, 'motd'), 4, 0, -1n, -1n, 0, fdOut)).toBe(BLOCKED);
    expect(fs.m.read(fs.svc.pid, fs.svc.h, 1024, 1).result).toBeGreaterThan(0);
    expect(fs.m.sys(fs.m.rootPid, SYS.PROCESS_KILL, fs.svc.handle)).toBe(0);
    fs.m.settle();
    expect(fs.m.resumedWith(fs.reader)).toBe(WASI_ERRNO.IO);
    fs.m.check();
  });
});

/** A filesystem service mounted at / (its server end kept by init when `keep`), and a reader with / as fd 3. */
function mountedService(keep: boolean) {
  const m = TestMachine.boot({ cpus: 4 });
  const init = m.rootPid;
  const [clientEnd, serverEnd] = m.channel(init);
  const spawnService = (): { pid: number; handle: number; h: number } => {
    const end = keep ? same(m, init, serverEnd) : serverEnd;
    const s = m.spawn(init, m.rootSelf(), { name: 'svc', handles: [{ handle: end, tag: TAG.SERVICE }] });
    expect(s.result).toBe(0);
    return { pid: s.pid, handle: s.handle, h: m.startup(s.pid).handles[0]?.handle ?? 0 };
  };
  const svc = spawnService();
  const root = m.put(init, '/');
  expect(m.sys(init, SYS.FD_MOUNT, m.rootSelf(), root, 1, clientEnd)).toBe(0);
  const dirOut = m.alloc(init, 4);
  expect(m.sys(init, SYS.FD_PREOPEN, m.rootSelf(), root, 1, dirOut)).toBe(0);
  const reader = m.spawn(init, m.rootSelf(), { name: 'reader', fds: [[3, m.u32(init, dirOut)]] });
  expect(reader.result).toBe(0);
  return { m, svc, spawnService, reader: reader.pid };
}

describe('PROCESS_WATCH', () => {
  it('sets the bit once the process has ended and its handles are closed', () => {
    const m = TestMachine.boot({ cpus: 3 });
    const init = m.rootPid;
    const n = m.notification(init);
    const c = child(m, [m.notification(init)]);
    expect(m.sys(init, SYS.PROCESS_WATCH, c.handle, n, 5)).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1 << 5, 0)).toBe(ERR.TIMED_OUT);
    expect(m.sys(c.pid, SYS.PROCESS_EXIT, 3)).toBe(BLOCKED);
    m.settle();
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1 << 5, 0)).toBe(1 << 5);
    m.check();
  });

  it('wakes a supervisor already waiting on the notification, and fires at once for a process already gone', () => {
    const m = TestMachine.boot({ cpus: 3 });
    const init = m.rootPid;
    const n = m.notification(init);
    const a = child(m);
    const watcher = child(m, [same(m, init, n), ok(m.dup(init, a.handle, RIGHTS.INSPECT | RIGHTS.TRANSFER))]);
    const [wn, wa] = watcher.handles as [number, number];
    expect(m.sys(watcher.pid, SYS.PROCESS_WATCH, wa, wn, 0)).toBe(0);
    expect(m.sys(watcher.pid, SYS.NOTIFY_WAIT, wn, 1, -1)).toBe(BLOCKED);
    expect(m.sys(init, SYS.PROCESS_KILL, a.handle)).toBe(0);
    m.settle();
    expect(m.resumedWith(watcher.pid)).toBe(1);
    // Already ended and torn down: the bit is set by the watch itself.
    expect(m.sys(watcher.pid, SYS.PROCESS_WATCH, wa, wn, 2)).toBe(0);
    expect(m.sys(watcher.pid, SYS.NOTIFY_WAIT, wn, 1 << 2, 0)).toBe(1 << 2);
    m.check();
  });

  it('checks its arguments: INSPECT on the process, SIGNAL on the notification, a bit below 31', () => {
    const m = TestMachine.boot({ cpus: 3 });
    const init = m.rootPid;
    const n = m.notification(init);
    const c = child(m);
    expect(m.sys(init, SYS.PROCESS_WATCH, m.dup(init, c.handle, RIGHTS.WAIT), n, 0)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.PROCESS_WATCH, c.handle, m.dup(init, n, RIGHTS.WAIT), 0)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.PROCESS_WATCH, c.handle, n, 31)).toBe(ERR.INVALID_ARGS);
    expect(m.sys(init, SYS.PROCESS_WATCH, n, c.handle, 0)).toBe(ERR.WRONG_TYPE);
    m.check();
  });
});

describe('generations', () => {
  it('the generation a spawner gives is in ProcessInfo and the SPAWN record', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const mark = m.events().length;
    const s = m.spawn(init, m.rootSelf(), { name: 'uart', generation: 7 });
    expect(s.result).toBe(0);
    const pi = m.processInfo(init, s.handle);
    expect(typeof pi === 'number' ? pi : [pi.name, pi.generation]).toEqual(['uart', 7]);
    const [spawn] = eventsSince(m, mark, 'SPAWN');
    expect(spawn?.args[5]).toBe(7);
    expect(sizeOf('ProcessInfo')).toBe(offsetOf('ProcessInfo', 'generation') + 4);
  });
});

describe('SYSTEM_PANIC', () => {
  it('init stops the machine with its message, in the trace and through the HAL', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const text = 'critical program uart faulted (trap)';
    expect(() => m.sys(init, SYS.SYSTEM_PANIC, m.rootSelf(), m.put(init, text), text.length)).toThrow(KernelPanic);
    expect(m.panicMessage).toBe(`system panic: init (pid ${init}): ${text}`);
    const [panic] = m.eventsOf('PANIC');
    expect(new TextDecoder().decode(panic?.data)).toBe(`init (pid ${init}): ${text}`);
  });

  it('anyone else is refused: a child with a handle to itself, or init without MANAGE', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const s = m.spawn(init, m.rootSelf(), { selfRights: RIGHTS.ALL });
    const self = m.startup(s.pid).handles.find((h) => h.tag === TAG.SELF)?.handle ?? 0;
    const text = m.put(s.pid, 'stop');
    expect(m.sys(s.pid, SYS.SYSTEM_PANIC, ok(self), text, 4)).toBe(ERR.INVALID_ARGS);
    const weak = m.dup(init, m.rootSelf(), RIGHTS.INSPECT | RIGHTS.DUPLICATE);
    expect(m.sys(init, SYS.SYSTEM_PANIC, weak, m.put(init, 'stop'), 4)).toBe(ERR.ACCESS_DENIED);
    expect(m.panicMessage).toBeNull();
    m.check();
  });
});

describe('waiting for a restart', () => {
  it('a client waiting for WRITABLE on a full queue is not woken by its server dying: the queue is still full', () => {
    const { m, init, spawnServer, client } = supervised();
    const first = spawnServer();
    let r = 0;
    for (let i = 0; r === 0; i++) r = m.write(client.pid, client.h, `m${i}`);
    expect(r).toBe(ERR.SHOULD_WAIT);
    expect(m.sys(init, SYS.PROCESS_KILL, first.handle)).toBe(0);
    const out = m.alloc(client.pid, 4);
    expect(m.sys(client.pid, SYS.OBJECT_WAIT, client.h, SIGNAL.WRITABLE | SIGNAL.PEER_CLOSED, 0, out)).toBe(ERR.TIMED_OUT);
    const second = spawnServer();
    expect(m.read(second.pid, second.h).text).toBe('m0');
    expect(m.sys(client.pid, SYS.OBJECT_WAIT, client.h, SIGNAL.WRITABLE, 0, out)).toBe(0);
    m.check();
  });
});
