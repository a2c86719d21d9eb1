// Channels: what the two ends of a channel observe.
//
// Covers CHANNEL_WRITE / CHANNEL_READ (bytes in order, handles moved from the
// writer's table to the reader's with a HANDLE_TRANSFER trace, the checks on
// moved handles, the queue limit and WRITABLE, BUFFER_TOO_SMALL, SHOULD_WAIT,
// PEER_CLOSED after the queue drains, the size limits), memory accounting of
// queued messages, and CHANNEL_CALL (transaction ids, replies delivered into
// the caller's buffers, replies too big, time-outs, and the server going away
// by closing its endpoint or being killed).

import { describe, expect, it } from 'vitest';
import { CLOSE_REASON, ERR, EXIT, LIMITS, OBJ, PROC_STATE, RIGHTS, SIGNAL, SYS, TAG, offsetOf, sizeOf } from '@oncrix/abi';
import { BLOCKED, TestMachine } from './harness';
import { info, infoResult, ok, child, eventsSince } from './helpers';

const CHANNEL_RIGHTS = RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER | RIGHTS.DUPLICATE | RIGHTS.WAIT;

/** OBJECT_WAIT with timeout 0: the signals of h now, or TIMED_OUT-as-0 when none in mask is set. */
function signalsNow(m: TestMachine, pid: number, h: number, mask: number): number {
  const out = m.alloc(pid, 4);
  const r = m.sys(pid, SYS.OBJECT_WAIT, h, mask, 0, out);
  if (r === ERR.TIMED_OUT) return 0;
  expect(r).toBe(0);
  return m.u32(pid, out) & mask;
}

/** A message starting with a u32 (little-endian) followed by text. */
function withWord(word: number, text: string): Uint8Array {
  const t = new TextEncoder().encode(text);
  const out = new Uint8Array(4 + t.length);
  new DataView(out.buffer).setUint32(0, word >>> 0, true);
  out.set(t, 4);
  return out;
}

function wordOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
}

/** Two CPUs: init holds endpoint `a`, a running server child holds the other end as `sb`. */
function callPair(cpus = 2): { m: TestMachine; init: number; a: number; server: number; serverHandle: number; sb: number } {
  const m = TestMachine.boot({ cpus });
  const init = m.rootPid;
  const [a, b] = m.channel(init);
  const s = child(m, [b]);
  return { m, init, a, server: s.pid, serverHandle: s.handle, sb: s.handles[0] ?? 0 };
}

describe('CHANNEL_WRITE and CHANNEL_READ', () => {
  it('bytes written on one end are read in order on the other', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const akoid = info(m, init, a).koid;
    const bkoid = info(m, init, b).koid;
    expect(signalsNow(m, init, b, SIGNAL.READABLE)).toBe(0);
    const mark = m.events().length;
    expect(m.write(init, a, 'hello')).toBe(0);
    expect(m.write(init, a, 'world!')).toBe(0);
    expect(m.write(init, a, new Uint8Array(0))).toBe(0);
    expect(m.stat('MSG_QUEUED')).toBe(3);
    expect(signalsNow(m, init, b, SIGNAL.READABLE)).toBe(SIGNAL.READABLE);
    expect(signalsNow(m, init, a, SIGNAL.READABLE)).toBe(0);

    const r1 = m.read(init, b);
    expect([r1.result, r1.text, r1.actualBytes, r1.actualHandles]).toEqual([5, 'hello', 5, 0]);
    const r2 = m.read(init, b);
    expect([r2.result, r2.text, r2.actualBytes]).toEqual([6, 'world!', 6]);
    const r3 = m.read(init, b);
    expect([r3.result, r3.actualBytes]).toEqual([0, 0]);
    expect(signalsNow(m, init, b, SIGNAL.READABLE)).toBe(0);
    // The other direction works the same.
    expect(m.write(init, b, 'back')).toBe(0);
    expect(m.read(init, a).text).toBe('back');
    expect(m.stat('MSG_SENT')).toBe(4);
    expect(m.stat('MSG_DELIVERED')).toBe(4);
    expect(m.stat('MSG_QUEUED')).toBe(0);

    const [send] = eventsSince(m, mark, 'MSG_SEND');
    expect(send?.pid).toBe(init);
    expect([send?.args[0], send?.args[1], send?.args[2], send?.args[3]]).toEqual([akoid, bkoid, 5, 0]);
    expect(new TextDecoder().decode(send?.data)).toBe('hello');
    const [deliver] = eventsSince(m, mark, 'MSG_DELIVER');
    expect(deliver?.args.slice(0, 4)).toEqual([bkoid, init, 5, 0]);
    m.check();
  });

  it('moved handles leave the writer and arrive in the reader', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const reader = child(m, [b]);
    const [rb] = reader.handles as [number];
    const n = ok(m.notification(init));
    const mo = ok(m.dup(init, ok(m.memobj(init, 32)), RIGHTS.READ | RIGHTS.TRANSFER));
    const sent = [info(m, init, n), info(m, init, mo)];
    const handles = m.stat('HANDLES');

    expect(m.write(init, a, 'take these', [n, mo])).toBe(0);
    expect(infoResult(m, init, n)).toBe(ERR.BAD_HANDLE);
    expect(infoResult(m, init, mo)).toBe(ERR.BAD_HANDLE);
    expect(m.handles(init).some((h) => h.handle === n || h.handle === mo)).toBe(false);
    expect(m.stat('HANDLES')).toBe(handles); // in flight, still alive

    const mark = m.events().length;
    const r = m.read(reader.pid, rb);
    expect([r.result, r.text, r.actualHandles]).toEqual([10, 'take these', 2]);
    expect(r.handles).toHaveLength(2);
    r.handles.forEach((h, i) => {
      expect(info(m, reader.pid, h)).toEqual({ ...sent[i], handle: h });
    });
    const transfers = eventsSince(m, mark, 'HANDLE_TRANSFER');
    expect(transfers.map((e) => [e.pid, ...e.args.slice(0, 6)])).toEqual(
      sent.map((s, i) => [reader.pid, r.handles[i], init, s.handle, s.koid, s.rights, s.type]),
    );
    // The reader can use them.
    expect(m.sys(reader.pid, SYS.NOTIFY_SIGNAL, r.handles[0] ?? 0, 1)).toBe(0);
    expect(m.sys(init, SYS.MEMOBJ_SIZE, r.handles[1] ?? 0)).toBe(ERR.BAD_HANDLE);
    expect(m.sys(reader.pid, SYS.MEMOBJ_SIZE, r.handles[1] ?? 0)).toBe(32);
    m.check();
  });

  it('moving a handle without TRANSFER is ACCESS_DENIED, and nothing moves', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const n = ok(m.notification(init));
    const d = ok(m.dup(init, n, RIGHTS.SIGNAL | RIGHTS.WAIT));
    expect(m.write(init, a, 'x', [d])).toBe(ERR.ACCESS_DENIED);
    expect(m.write(init, a, 'x', [n, d])).toBe(ERR.ACCESS_DENIED);
    expect(infoResult(m, init, n)).toBe(0);
    expect(infoResult(m, init, d)).toBe(0);
    expect(m.stat('MSG_SENT')).toBe(0);
    expect(m.read(init, b).result).toBe(ERR.SHOULD_WAIT);
    // A channel without WRITE cannot send at all.
    const ro = ok(m.dup(init, a, RIGHTS.READ));
    expect(m.write(init, ro, 'x')).toBe(ERR.ACCESS_DENIED);
    m.check();
  });

  it('an endpoint cannot move through itself, nor one handle twice (INVALID_ARGS)', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const n = ok(m.notification(init));
    expect(m.write(init, a, 'x', [a])).toBe(ERR.INVALID_ARGS);
    expect(m.write(init, a, 'x', [n, a])).toBe(ERR.INVALID_ARGS);
    expect(m.write(init, a, 'x', [n, n])).toBe(ERR.INVALID_ARGS);
    for (const h of [a, n]) expect(infoResult(m, init, h)).toBe(0);
    expect(m.stat('MSG_SENT')).toBe(0);
    expect(m.read(init, b).result).toBe(ERR.SHOULD_WAIT);
    m.check();
  });

  it('a full queue refuses writes with SHOULD_WAIT and clears WRITABLE until a read', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const reader = child(m, [b]);
    const [rb] = reader.handles as [number];
    expect(signalsNow(m, init, a, SIGNAL.WRITABLE)).toBe(SIGNAL.WRITABLE);
    for (let i = 0; i < LIMITS.QUEUE_DEPTH; i++) expect(m.write(init, a, `m${i}`)).toBe(0);
    expect(m.write(init, a, 'one too many')).toBe(ERR.SHOULD_WAIT);
    expect(m.stat('MSG_QUEUED')).toBe(LIMITS.QUEUE_DEPTH);
    expect(signalsNow(m, init, a, SIGNAL.WRITABLE)).toBe(0);

    // A writer waiting for WRITABLE wakes when the reader takes one message.
    const out = m.alloc(init, 4);
    expect(m.sys(init, SYS.OBJECT_WAIT, a, SIGNAL.WRITABLE, -1, out)).toBe(BLOCKED);
    expect(m.read(reader.pid, rb, 16, 0).text).toBe('m0');
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    expect(m.u32(init, out) & SIGNAL.WRITABLE).toBe(SIGNAL.WRITABLE);
    expect(m.write(init, a, 'fits again')).toBe(0);
    expect(m.write(init, a, 'full again')).toBe(ERR.SHOULD_WAIT);
    for (let i = 1; i < LIMITS.QUEUE_DEPTH; i++) expect(m.read(reader.pid, rb, 16, 0).text).toBe(`m${i}`);
    expect(m.read(reader.pid, rb, 16, 0).text).toBe('fits again');
    expect(m.read(reader.pid, rb, 16, 0).result).toBe(ERR.SHOULD_WAIT);
    m.check();
  });

  it('BUFFER_TOO_SMALL reports the real sizes and keeps the message queued', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const n = ok(m.notification(init));
    const koid = info(m, init, n).koid;
    expect(m.write(init, a, 'twelve bytes', [n])).toBe(0);
    const small = m.read(init, b, 4, 8);
    expect([small.result, small.actualBytes, small.actualHandles]).toEqual([ERR.BUFFER_TOO_SMALL, 12, 1]);
    const noHandles = m.read(init, b, 64, 0);
    expect([noHandles.result, noHandles.actualBytes, noHandles.actualHandles]).toEqual([ERR.BUFFER_TOO_SMALL, 12, 1]);
    expect(m.stat('MSG_QUEUED')).toBe(1);
    expect(signalsNow(m, init, b, SIGNAL.READABLE)).toBe(SIGNAL.READABLE);
    expect(m.eventsOf('HANDLE_TRANSFER')).toEqual([]);
    const r = m.read(init, b, 12, 1);
    expect([r.result, r.text]).toEqual([12, 'twelve bytes']);
    expect(info(m, init, r.handles[0] ?? 0).koid).toBe(koid);
    m.check();
  });

  it('reading an empty queue is SHOULD_WAIT', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const r = m.read(init, b);
    expect(r.result).toBe(ERR.SHOULD_WAIT);
    expect(m.read(init, a).result).toBe(ERR.SHOULD_WAIT);
    expect(m.write(init, b, 'to a')).toBe(0);
    expect(m.read(init, b).result).toBe(ERR.SHOULD_WAIT); // a write on b queues on a
    expect(m.read(init, a).text).toBe('to a');
    expect(m.read(init, a).result).toBe(ERR.SHOULD_WAIT);
    m.check();
  });

  it('after the peer closed, queued messages are read first, then PEER_CLOSED', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    expect(m.write(init, a, 'first')).toBe(0);
    expect(m.write(init, a, 'last words')).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, a)).toBe(0);
    expect(signalsNow(m, init, b, SIGNAL.PEER_CLOSED | SIGNAL.READABLE)).toBe(SIGNAL.PEER_CLOSED | SIGNAL.READABLE);
    expect(m.write(init, b, 'reply')).toBe(ERR.PEER_CLOSED);
    expect(m.read(init, b).text).toBe('first');
    expect(m.read(init, b).text).toBe('last words');
    expect(m.read(init, b).result).toBe(ERR.PEER_CLOSED);
    expect(m.stat('MSG_DROPPED')).toBe(0);
    m.check();
  });

  it('more than MSG_MAX_BYTES or MSG_MAX_HANDLES is INVALID_ARGS', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    expect(m.write(init, a, new Uint8Array(LIMITS.MSG_MAX_BYTES + 1))).toBe(ERR.INVALID_ARGS);
    expect(m.write(init, a, new Uint8Array(LIMITS.MSG_MAX_BYTES).fill(7))).toBe(0);
    const big = m.read(init, b, LIMITS.MSG_MAX_BYTES);
    expect(big.result).toBe(LIMITS.MSG_MAX_BYTES);
    expect(big.bytes.every((x) => x === 7)).toBe(true);

    const hs = [...Array(LIMITS.MSG_MAX_HANDLES + 1).keys()].map(() => ok(m.notification(init)));
    expect(m.write(init, a, 'too many', hs)).toBe(ERR.INVALID_ARGS);
    for (const h of hs) expect(infoResult(m, init, h)).toBe(0);
    expect(m.write(init, a, 'just right', hs.slice(0, LIMITS.MSG_MAX_HANDLES))).toBe(0);
    const r = m.read(init, b);
    expect(r.actualHandles).toBe(LIMITS.MSG_MAX_HANDLES);
    expect(r.handles.every((h) => h > 0)).toBe(true);
    expect(m.stat('MSG_SENT')).toBe(2);
    m.check();
  });

  it('queued messages are charged to the sender until they are read or dropped', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const sender = child(m, [b]);
    const [sb] = sender.handles as [number];
    const senderBytes = m.memInfo(sender.pid).objectBytes;
    const initBytes = m.memInfo(init).objectBytes;

    const msg = LIMITS.MESSAGE_BYTES;
    expect(m.write(sender.pid, sb, new Uint8Array(1000))).toBe(0);
    expect(m.write(sender.pid, sb, new Uint8Array(300))).toBe(0);
    expect(m.memInfo(sender.pid).objectBytes).toBe(senderBytes + 2 * msg + 1300);
    expect(m.memInfo(init).objectBytes).toBe(initBytes);
    expect(m.read(init, a).result).toBe(1000);
    expect(m.memInfo(sender.pid).objectBytes).toBe(senderBytes + msg + 300);
    expect(m.memInfo(init).objectBytes).toBe(initBytes);
    // Dropping the queue unread gives the bytes back as well.
    expect(m.sys(init, SYS.HANDLE_CLOSE, a)).toBe(0);
    expect(m.memInfo(sender.pid).objectBytes).toBe(senderBytes);
    expect(m.stat('MSG_DROPPED')).toBe(1);
    m.check();
  });
});

describe('CHANNEL_CALL', () => {
  it('the server reads a request stamped with a txid; its reply wakes the caller', () => {
    const { m, init, a, server, sb } = callPair();
    const n = ok(m.notification(init));
    const nkoid = info(m, init, n).koid;
    const call = m.call(init, a, 'XXXXping', { handles: [n] });
    expect(call.result).toBe(BLOCKED);
    expect(m.isRunning(init)).toBe(false);
    expect(infoResult(m, server, n)).toBe(ERR.BAD_HANDLE); // sanity: values are per process

    const req = m.read(server, sb);
    expect(req.result).toBe(8);
    const txid = wordOf(req.bytes);
    expect(txid & 0x80000000).not.toBe(0);
    expect(new TextDecoder().decode(req.bytes.slice(4))).toBe('ping');
    expect(info(m, server, req.handles[0] ?? 0).koid).toBe(nkoid);

    const sn = ok(m.notification(server));
    const skoid = info(m, server, sn).koid;
    const mark = m.events().length;
    expect(m.write(server, sb, withWord(txid, 'pong!'), [sn])).toBe(0);
    expect(infoResult(m, server, sn)).toBe(ERR.BAD_HANDLE);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    const reply = call.reply();
    expect(reply.len).toBe(9);
    expect(wordOf(reply.bytes)).toBe(txid);
    expect(new TextDecoder().decode(reply.bytes.slice(4))).toBe('pong!');
    expect(reply.handles).toHaveLength(1);
    expect(info(m, init, reply.handles[0] ?? 0)).toMatchObject({ type: OBJ.NOTIFICATION, koid: skoid });
    // The reply went straight to the caller: nothing queued on a.
    expect(m.read(init, a).result).toBe(ERR.SHOULD_WAIT);

    const [send] = eventsSince(m, mark, 'MSG_SEND');
    expect((send?.args[4] ?? 0) >>> 0).toBe(txid);
    expect(send?.args[5]).toBe(init);
    const [deliver] = eventsSince(m, mark, 'MSG_DELIVER');
    expect(deliver?.pid).toBe(init);
    expect(deliver?.args.slice(1, 4)).toEqual([server, 9, 1]);
    const [wake] = eventsSince(m, mark, 'SYSCALL_WAKE');
    expect(wake?.pid).toBe(init);
    expect(wake?.args.slice(0, 2)).toEqual([SYS.CHANNEL_CALL, 0]);

    // A second call gets another transaction id.
    expect(m.call(init, a, 'next').result).toBe(BLOCKED);
    const second = wordOf(m.read(server, sb).bytes);
    expect(second & 0x80000000).not.toBe(0);
    expect(second).not.toBe(txid);
    expect(m.write(server, sb, withWord(second, ''))).toBe(0);
    expect(m.resumedWith(init)).toBe(0);
    m.check();
  });

  it('a reply that does not fit the caller buffers ends the call with BUFFER_TOO_SMALL', () => {
    const { m, init, a, server, sb } = callPair();
    const call = m.call(init, a, 'req?', { rdCap: 4 });
    expect(call.result).toBe(BLOCKED);
    const txid = wordOf(m.read(server, sb).bytes);
    expect(m.write(server, sb, withWord(txid, 'too long'))).toBe(0);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(ERR.BUFFER_TOO_SMALL);
    expect(call.reply().len).toBe(12);

    // Too many handles for rdHandleCap: the caller is told; the handle is dropped with the reply.
    const call2 = m.call(init, a, 'req2', { rdHandleCap: 0 });
    expect(call2.result).toBe(BLOCKED);
    const tx2 = wordOf(m.read(server, sb).bytes);
    const sn = ok(m.notification(server));
    const skoid = info(m, server, sn).koid;
    const mark = m.events().length;
    expect(m.write(server, sb, withWord(tx2, ''), [sn])).toBe(0);
    expect(m.resumedWith(init)).toBe(ERR.BUFFER_TOO_SMALL);
    expect(call2.reply().handles).toHaveLength(1); // actualHandles says 1
    expect(infoResult(m, server, sn)).toBe(ERR.BAD_HANDLE);
    expect(eventsSince(m, mark, 'HANDLE_CLOSE').map((e) => [e.args[1], e.args[2]])).toEqual([[skoid, CLOSE_REASON.DROPPED]]);
    expect(m.handles(init).some((h) => h.koid === skoid)).toBe(false);
    m.check();
  });

  it('a call without a reply times out with TIMED_OUT', () => {
    const { m, init, a, server, sb } = callPair();
    const t0 = m.k.kernel_time();
    const call = m.call(init, a, 'anyone there?', { timeoutUs: 5000 });
    expect(call.result).toBe(BLOCKED);
    expect(m.stat('DEADLINES')).toBe(1);
    const txid = wordOf(m.read(server, sb).bytes);
    expect(m.isRunning(init)).toBe(false);
    expect(m.idle()).toBe(true);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(ERR.TIMED_OUT);
    expect(m.k.kernel_time() - t0).toBeGreaterThanOrEqual(5000 * 1000);
    expect(m.stat('DEADLINES')).toBe(0);
    // A late reply is no longer a reply: it queues on the caller's endpoint as an ordinary message.
    expect(m.write(server, sb, withWord(txid, 'sorry'))).toBe(0);
    const late = m.read(init, a);
    expect(late.result).toBe(9);
    expect(wordOf(late.bytes)).toBe(txid);
    m.check();
  });

  it('the server closing its endpoint wakes the caller with PEER_CLOSED', () => {
    const { m, init, a, server, sb } = callPair();
    const bytes = m.memInfo(init).objectBytes; // both endpoints, created by init
    const serverBytes = m.memInfo(server).objectBytes;
    expect(m.call(init, a, 'hello?').result).toBe(BLOCKED);
    expect(m.memInfo(server).objectBytes).toBe(serverBytes); // the request is not charged to its receiver
    expect(m.sys(server, SYS.HANDLE_CLOSE, sb)).toBe(0);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(ERR.PEER_CLOSED);
    // The unread request was dropped: init pays for neither it nor the destroyed endpoint any more.
    expect(m.stat('MSG_DROPPED')).toBe(1);
    expect(m.memInfo(init).objectBytes).toBe(bytes - LIMITS.OBJECT_BYTES);
    expect(m.call(init, a, 'again?').result).toBe(ERR.PEER_CLOSED);
    m.check();
  });

  it('killing the server mid-call wakes the caller with PEER_CLOSED', () => {
    const m = TestMachine.boot({ cpus: 3 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const client = child(m, [a]);
    const server = child(m, [b]);
    const [ca] = client.handles as [number];
    const bytes = m.memInfo(client.pid).objectBytes;
    expect(m.call(client.pid, ca, 'work for me', { timeoutUs: 1_000_000 }).result).toBe(BLOCKED);
    expect(m.stat('MSG_QUEUED')).toBe(1);
    expect(m.stat('DEADLINES')).toBe(1);

    const mark = m.events().length;
    expect(m.sys(init, SYS.PROCESS_KILL, server.handle)).toBe(0);
    expect(m.isRunning(server.pid)).toBe(false);
    expect(m.isRunning(client.pid)).toBe(true);
    expect(m.resumedWith(client.pid)).toBe(ERR.PEER_CLOSED);
    expect(m.stat('DEADLINES')).toBe(0);
    expect(m.stat('MSG_QUEUED')).toBe(0);
    expect(m.memInfo(client.pid).objectBytes).toBe(bytes); // the dropped request's charge went back
    const [kill] = eventsSince(m, mark, 'KILL');
    expect([kill?.pid, kill?.args[0]]).toEqual([server.pid, init]);
    const [exit] = eventsSince(m, mark, 'EXIT');
    expect([exit?.pid, exit?.args[0]]).toEqual([server.pid, EXIT.KILLED]);
    const pi = m.processInfo(init, server.handle);
    expect(typeof pi === 'number' ? pi : [pi.state, pi.exitCode]).toEqual([PROC_STATE.EXITED, EXIT.KILLED]);
    expect(m.sys(init, SYS.PROCESS_KILL, server.handle)).toBe(ERR.BAD_STATE);
    m.check();
  });

  it('checks its arguments: READ and WRITE rights, a request of at least 4 bytes', () => {
    const { m, init, a } = callPair();
    expect(m.call(init, a, 'abc').result).toBe(ERR.INVALID_ARGS);
    expect(m.call(init, a, new Uint8Array(LIMITS.MSG_MAX_BYTES + 1)).result).toBe(ERR.INVALID_ARGS);
    const wo = ok(m.dup(init, a, RIGHTS.WRITE));
    expect(m.call(init, wo, 'abcd').result).toBe(ERR.ACCESS_DENIED);
    const args = m.alloc(init, sizeOf('CallArgs'));
    m.setU32(init, args + offsetOf('CallArgs', 'wrBytes'), m.proc(init).mem.length - 2);
    m.setU32(init, args + offsetOf('CallArgs', 'wrLen'), 8);
    expect(m.sys(init, SYS.CHANNEL_CALL, a, args)).toBe(ERR.FAULT);
    expect(info(m, init, a).rights).toBe(CHANNEL_RIGHTS);
    expect(m.stat('MSG_SENT')).toBe(0);
    expect(m.isRunning(init)).toBe(true);
    m.check();
  });
});

describe('CHANNEL_RECV', () => {
  function recv(m: TestMachine, pid: number, h: number, timeoutUs = -1, cap = 256) {
    const args = m.alloc(pid, sizeOf('RecvArgs'));
    const buf = m.alloc(pid, Math.max(cap, 1));
    const hbuf = m.alloc(pid, 32);
    const set = (f: 'bytes' | 'cap' | 'handles' | 'handleCap', v: number): void => m.setU32(pid, args + offsetOf('RecvArgs', f), v);
    set('bytes', buf);
    set('cap', cap);
    set('handles', hbuf);
    set('handleCap', 8);
    const result = m.sys(pid, SYS.CHANNEL_RECV, h, args, timeoutUs);
    const text = (): string => m.readText(pid, buf, m.u32(pid, args + offsetOf('RecvArgs', 'actualBytes')));
    const handles = (): number[] => [...Array(m.u32(pid, args + offsetOf('RecvArgs', 'actualHandles'))).keys()].map((i) => m.u32(pid, hbuf + 4 * i));
    return { result, text, handles };
  }

  it('takes a queued message at once, like a read', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    expect(m.write(init, a, 'ready')).toBe(0);
    const r = recv(m, init, b);
    expect(r.result).toBe(5);
    expect(r.text()).toBe('ready');
    m.check();
  });

  it('waits for a message, then delivers it into the waiting buffers with its handles', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const server = m.spawn(init, m.rootSelf(), { name: 'server', handles: [{ handle: b, tag: TAG.SERVICE }] });
    expect(m.isRunning(server.pid)).toBe(true);
    const sb = m.startup(server.pid).handles[0]?.handle ?? 0;
    const r = recv(m, server.pid, sb);
    expect(r.result).toBe(BLOCKED);
    const n = m.notification(init);
    expect(m.write(init, a, 'wake up', [n])).toBe(0);
    expect(m.resumedWith(server.pid)).toBe(7);
    expect(r.text()).toBe('wake up');
    expect(m.handleInfo(server.pid, r.handles()[0] ?? 0)).toMatchObject({ type: OBJ.NOTIFICATION });
    m.check();
  });

  it('PEER_CLOSED once the queue is empty and the peer is gone; TIMED_OUT at its deadline; needs READ and WAIT', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    expect(recv(m, init, b, 0).result).toBe(ERR.TIMED_OUT);
    expect(recv(m, init, b, 50).result).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    expect(m.resumedWith(init)).toBe(ERR.TIMED_OUT);
    const noWait = m.dup(init, b, RIGHTS.READ);
    expect(recv(m, init, noWait).result).toBe(ERR.ACCESS_DENIED);
    expect(m.write(init, a, 'last')).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, a)).toBe(0);
    expect(recv(m, init, b).text()).toBe('last');
    expect(recv(m, init, b).result).toBe(ERR.PEER_CLOSED);
    m.check();
  });

  it('a message too big for the buffer stays queued and the sizes are reported', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    expect(m.write(init, a, 'x'.repeat(100))).toBe(0);
    expect(recv(m, init, b, -1, 10).result).toBe(ERR.BUFFER_TOO_SMALL);
    expect(m.read(init, b).result).toBe(100);
    m.check();
  });
});

describe('CHANNEL_WRITE with a RecvArgs block (reply and wait)', () => {
  it('writes the reply, then waits for and takes the next request in the same call', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const server = m.spawn(init, m.rootSelf(), { name: 'server', handles: [{ handle: b, tag: TAG.SERVICE }] });
    const sb = m.startup(server.pid).handles[0]?.handle ?? 0;
    const args = m.alloc(server.pid, sizeOf('RecvArgs'));
    const buf = m.alloc(server.pid, 64);
    m.setU32(server.pid, args + offsetOf('RecvArgs', 'bytes'), buf);
    m.setU32(server.pid, args + offsetOf('RecvArgs', 'cap'), 64);
    // The client calls; the server takes the request, then answers it and waits for the next one at once.
    const call = m.call(init, a, 'req1');
    expect(call.result).toBe(BLOCKED);
    const req = m.read(server.pid, sb);
    expect(req.result).toBe(4);
    const reply = m.put(server.pid, req.bytes);
    expect(m.sys(server.pid, SYS.CHANNEL_WRITE, sb, reply, 4, 0, 0, args)).toBe(BLOCKED);
    expect(m.resumedWith(init)).toBe(0);
    expect(call.reply().len).toBe(4);
    expect(m.isRunning(server.pid)).toBe(false);
    expect(m.write(init, a, 'next')).toBe(0);
    expect(m.resumedWith(server.pid)).toBe(4);
    expect(m.readText(server.pid, buf, 4)).toBe('next');
    // Without READ and WAIT the combined form is refused before anything is written.
    const writeOnly = m.dup(init, a, RIGHTS.WRITE);
    const args2 = m.alloc(init, sizeOf('RecvArgs'));
    expect(m.sys(init, SYS.CHANNEL_WRITE, writeOnly, m.put(init, 'x'), 1, 0, 0, args2)).toBe(ERR.ACCESS_DENIED);
    expect(m.read(server.pid, sb).result).toBe(ERR.SHOULD_WAIT);
    m.check();
  });
});
