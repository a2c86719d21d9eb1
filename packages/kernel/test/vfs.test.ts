// The kernel vfs seen from both sides: a process making WASI calls, and a
// filesystem service (played by the test) answering the requests the kernel
// sends it on the caller's behalf. What the caller sees (errno, bytes in its
// memory, fds) and what the service sees (the request, the grant) are both
// checked; hostile arguments must be refused with the right errno before
// any request goes out.

import { describe, expect, it } from 'vitest';
import { ERR, LIMITS, SIGNAL, SYS, TAG, VFS, VFS_OP, WASI_ERRNO as E, WASI_FLAGS, WASI_FILETYPE, WASI_RIGHTS, offsetOf, sizeOf } from '@oncrix/abi';
import { BLOCKED, TestMachine } from './harness';

const enc = new TextEncoder();

/** A request as the service reads it. */
interface Req { txid: number; op: number; file: number; flags: number; offset: bigint; value: bigint; count: number; path: string; path2: string }

function parseReq(b: Uint8Array): Req {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const f = (n: Parameters<typeof offsetOf<'VfsRequest'>>[1]): number => v.getUint32(offsetOf('VfsRequest', n), true);
  const pathLen = f('pathLen');
  const at = sizeOf('VfsRequest');
  const dec = new TextDecoder();
  return {
    txid: f('txid'), op: f('op'), file: f('file'), flags: f('flags'), count: f('count'),
    offset: v.getBigUint64(offsetOf('VfsRequest', 'offset'), true), value: v.getBigUint64(offsetOf('VfsRequest', 'value'), true),
    path: dec.decode(b.slice(at, at + pathLen)), path2: dec.decode(b.slice(at + pathLen, at + pathLen + f('path2Len'))),
  };
}

/** A reply header (and what follows it). */
function reply(txid: number, errno: number, fields: { value?: number; filetype?: number; fileSize?: number; tail?: Uint8Array } = {}): Uint8Array {
  const tail = fields.tail ?? new Uint8Array(0);
  const b = new Uint8Array(sizeOf('VfsReply') + tail.length);
  const v = new DataView(b.buffer);
  v.setUint32(offsetOf('VfsReply', 'txid'), txid, true);
  v.setUint32(offsetOf('VfsReply', 'errno'), errno, true);
  v.setUint32(offsetOf('VfsReply', 'value'), fields.value ?? 0, true);
  v.setUint32(offsetOf('VfsReply', 'filetype'), fields.filetype ?? 0, true);
  v.setBigUint64(offsetOf('VfsReply', 'fileSize'), BigInt(fields.fileSize ?? 0), true);
  b.set(tail, sizeOf('VfsReply'));
  return b;
}

/** A Filestat of a file of `size` bytes and a type. */
function filestat(type: number, size: number): Uint8Array {
  const b = new Uint8Array(sizeOf('WasiFilestat'));
  const v = new DataView(b.buffer);
  v.setUint8(offsetOf('WasiFilestat', 'filetype'), type);
  v.setBigUint64(offsetOf('WasiFilestat', 'bytes'), BigInt(size), true);
  v.setBigUint64(offsetOf('WasiFilestat', 'ino'), 7n, true);
  return b;
}

/**
 * init with a filesystem service mounted at / (the test plays the service,
 * pid svc, serving on handle h) and a preopen of / as `dir`.
 */
function mounted() {
  const m = TestMachine.boot({ cpus: 3 });
  const init = m.rootPid;
  const [client, server] = m.channel(init);
  const s = m.spawn(init, m.rootSelf(), { name: 'svc', quota: 64, handles: [{ handle: server, tag: TAG.SERVICE }] });
  expect(s.result).toBe(0);
  const h = m.startup(s.pid).handles[0]?.handle ?? 0;
  const root = m.put(init, '/');
  expect(m.sys(init, SYS.FD_MOUNT, m.rootSelf(), root, 1, client)).toBe(0);
  const out = m.alloc(init, 4);
  expect(m.sys(init, SYS.FD_PREOPEN, m.rootSelf(), root, 1, out)).toBe(0);
  return { m, init, svc: s.pid, svcHandle: s.handle, h, dir: m.u32(init, out) };
}

type Fs = ReturnType<typeof mounted>;

/** The service takes the next request (it runs while the caller waits). */
function take(fs: Fs): Req {
  const r = fs.m.read(fs.svc, fs.h, 1024, 1);
  expect(r.result, 'the service has a request').toBeGreaterThan(0);
  return parseReq(r.bytes);
}

/** The service answers, then waits for its next request (which may be there already). */
function answer(fs: Fs, bytes: Uint8Array): void {
  expect(fs.m.write(fs.svc, fs.h, bytes)).toBe(0);
  fs.m.sys(fs.svc, SYS.OBJECT_WAIT, fs.h, SIGNAL.READABLE, -1, 0);
}

/** path_open as init; returns the syscall result and where the fd lands. */
function openCall(fs: Fs, path: string, oflags = 0, fdflags = 0, lookup = 1) {
  const p = fs.m.put(fs.init, path);
  const out = fs.m.alloc(fs.init, 4);
  const r = fs.m.wasi(fs.init, 'path_open', fs.dir, lookup, p, enc.encode(path).length, oflags, -1n, -1n, fdflags, out);
  return { r, out };
}

/** Open path as init against the test service, which answers with a file of the given type. */
function openFile(fs: Fs, path: string, type: number = WASI_FILETYPE.REGULAR_FILE, id = 5): number {
  const { r, out } = openCall(fs, path);
  expect(r).toBe(BLOCKED);
  const req = take(fs);
  expect(req.op).toBe(VFS_OP.OPEN);
  answer(fs, reply(req.txid, 0, { value: id, filetype: type, tail: filestat(type, 0) }));
  expect(fs.m.resumedWith(fs.init)).toBe(0);
  return fs.m.u32(fs.init, out);
}

/** VfsSegment records naming (buf, len) spans of the service's memory. */
function segments(pairs: [number, number][]): Uint8Array {
  const out = new Uint8Array(pairs.length * sizeOf('VfsSegment'));
  const v = new DataView(out.buffer);
  pairs.forEach(([buf, len], i) => {
    v.setUint32(i * sizeOf('VfsSegment') + offsetOf('VfsSegment', 'buf'), buf, true);
    v.setUint32(i * sizeOf('VfsSegment') + offsetOf('VfsSegment', 'len'), len, true);
  });
  return out;
}

/** An iovec array of (ptr, len) pairs in pid's memory. */
function iovs(m: TestMachine, pid: number, bufs: [number, number][]): number {
  return m.putU32s(pid, bufs.flat());
}

describe('paths', () => {
  it('path_open sends OPEN with the path below the mount, and the caller gets a new fd', () => {
    const fs = mounted();
    const { r, out } = openCall(fs, 'tmp/../etc/./motd', WASI_FLAGS.O_CREAT, 0, 1);
    expect(r).toBe(BLOCKED);
    const req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.OPEN, file: VFS.ROOT, path: 'etc/motd' });
    expect(req.flags & 0xff).toBe(WASI_FLAGS.O_CREAT);
    expect(req.flags & VFS.FOLLOW).toBe(VFS.FOLLOW);
    answer(fs, reply(req.txid, 0, { value: 9, filetype: WASI_FILETYPE.REGULAR_FILE, tail: filestat(WASI_FILETYPE.REGULAR_FILE, 0) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(fs.m.u32(fs.init, out)).toBe(fs.dir + 1);
    fs.m.check();
  });

  it('a path that climbs above the preopen, is absolute, holds a NUL or is too long is refused before any request', () => {
    const fs = mounted();
    const sent = fs.m.stat('MSG_SENT');
    expect(openCall(fs, '../etc').r).toBe(E.NOTCAPABLE);
    expect(openCall(fs, 'a/../../b').r).toBe(E.NOTCAPABLE);
    expect(openCall(fs, '/etc/passwd').r).toBe(E.NOTCAPABLE);
    expect(openCall(fs, 'a\0b').r).toBe(E.INVAL);
    expect(openCall(fs, 'x'.repeat(2000)).r).toBe(E.NAMETOOLONG);
    expect(openCall(fs, '').r).toBe(E.NOENT);
    const out = fs.m.alloc(fs.init, 4);
    expect(fs.m.wasi(fs.init, 'path_open', fs.dir, 0, 0xfffffff0, 100, 0, 0n, 0n, 0, out)).toBe(E.FAULT);
    expect(fs.m.wasi(fs.init, 'path_open', fs.dir, 0, fs.m.put(fs.init, 'a'), 1, 0, 0n, 0n, 0, 0xfffffffe)).toBe(E.FAULT);
    expect(fs.m.wasi(fs.init, 'path_open', 77, 0, fs.m.put(fs.init, 'a'), 1, 0, 0n, 0n, 0, out)).toBe(E.BADF);
    expect(fs.m.stat('MSG_SENT')).toBe(sent);
    fs.m.check();
  });

  it('a symbolic link the service reports is spliced in and the request sent again; a loop ends in LOOP', () => {
    const fs = mounted();
    const { r } = openCall(fs, 'a/link/f');
    expect(r).toBe(BLOCKED);
    let req = take(fs);
    expect(req.path).toBe('a/link/f');
    // "a/link" is a link to "../b": consumed 6 bytes.
    answer(fs, reply(req.txid, VFS.REDIRECT, { value: 6, tail: enc.encode('../b') }));
    expect(fs.m.isRunning(fs.init)).toBe(false);
    req = take(fs);
    expect(req.path).toBe('b/f');
    // A link that points above the preopen.
    answer(fs, reply(req.txid, VFS.REDIRECT, { value: 1, tail: enc.encode('../../x') }));
    expect(fs.m.resumedWith(fs.init)).toBe(E.NOTCAPABLE);

    expect(openCall(fs, 'loop').r).toBe(BLOCKED);
    for (let i = 0; i <= 32; i++) {
      req = take(fs);
      expect(req.path).toBe('loop');
      answer(fs, reply(req.txid, VFS.REDIRECT, { value: 4, tail: enc.encode('/loop') }));
    }
    expect(fs.m.resumedWith(fs.init)).toBe(E.LOOP);
    fs.m.check();
  });
});

describe('directory fds', () => {
  it('a directory fd is a sandbox of its own: no path through it leaves it, it holds no write or seek right, and a link may not be absolute', () => {
    const fs = mounted();
    const stat = fs.m.alloc(fs.init, sizeOf('WasiFdstat'));
    expect(fs.m.wasi(fs.init, 'fd_fdstat_get', fs.dir, stat)).toBe(0);
    const rights = fs.m.u32(fs.init, stat + offsetOf('WasiFdstat', 'rightsBase'));
    expect(rights & (WASI_RIGHTS.FD_WRITE | WASI_RIGHTS.FD_SEEK | WASI_RIGHTS.FD_TELL)).toBe(0);
    expect(fs.m.wasi(fs.init, 'fd_seek', fs.dir, 0n, WASI_FLAGS.WHENCE_CUR, fs.m.alloc(fs.init, 8))).toBe(E.NOTCAPABLE);

    // Asked with the write right, a directory is refused (EISDIR) and the service is told to forget it.
    const { r, out } = openCall(fs, 'sub', WASI_FLAGS.O_DIRECTORY);
    expect(r).toBe(BLOCKED);
    let req = take(fs);
    answer(fs, reply(req.txid, 0, { value: 11, filetype: WASI_FILETYPE.DIRECTORY, tail: filestat(WASI_FILETYPE.DIRECTORY, 0) }));
    expect(fs.m.resumedWith(fs.init)).toBe(E.ISDIR);
    expect(take(fs)).toMatchObject({ op: VFS_OP.CLOSE, file: 11 });

    // Opened for reading, it is a directory fd whose ".." goes nowhere.
    const p = fs.m.put(fs.init, 'sub');
    expect(fs.m.wasi(fs.init, 'path_open', fs.dir, 0, p, 3, WASI_FLAGS.O_DIRECTORY, BigInt(WASI_RIGHTS.FD_READDIR | WASI_RIGHTS.PATH_OPEN), -1n, 0, out)).toBe(BLOCKED);
    req = take(fs);
    answer(fs, reply(req.txid, 0, { value: 12, filetype: WASI_FILETYPE.DIRECTORY, tail: filestat(WASI_FILETYPE.DIRECTORY, 0) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    const sub = fs.m.u32(fs.init, out);
    const sent = fs.m.stat('MSG_SENT');
    const up = fs.m.put(fs.init, '../sub/f');
    expect(fs.m.wasi(fs.init, 'path_open', sub, 0, up, 8, 0, 0n, 0n, 0, out)).toBe(E.NOTCAPABLE);
    const target = fs.m.put(fs.init, '/etc');
    const name = fs.m.put(fs.init, 'l');
    expect(fs.m.wasi(fs.init, 'path_symlink', target, 4, fs.dir, name, 1)).toBe(E.PERM);
    expect(fs.m.stat('MSG_SENT')).toBe(sent);
    fs.m.check();
  });
});

describe('reading and writing files', () => {
  it('fd_read grants the caller\'s iovecs; the service copies into them and the offset moves', () => {
    const fs = mounted();
    const fd = openFile(fs, 'f');
    const a = fs.m.alloc(fs.init, 3);
    const b = fs.m.alloc(fs.init, 10);
    const nread = fs.m.alloc(fs.init, 4);
    expect(fs.m.wasi(fs.init, 'fd_read', fd, iovs(fs.m, fs.init, [[a, 3], [b, 10]]), 2, nread)).toBe(BLOCKED);
    const req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.READ, file: 5, offset: 0n, count: 13 });
    const src = fs.m.put(fs.svc, 'hello world');
    expect(fs.m.sys(fs.svc, SYS.FD_GRANT_COPY, fs.h, req.txid, 0, src, 11)).toBe(11);
    // Nothing past the grant, nothing for a txid that is not pending.
    expect(fs.m.sys(fs.svc, SYS.FD_GRANT_COPY, fs.h, req.txid, 13, src, 11)).toBe(0);
    expect(fs.m.sys(fs.svc, SYS.FD_GRANT_COPY, fs.h, req.txid + 1, 0, src, 11)).toBe(ERR.BAD_STATE);
    answer(fs, reply(req.txid, 0, { value: 11 }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(fs.m.u32(fs.init, nread)).toBe(11);
    expect(fs.m.readText(fs.init, a, 3) + fs.m.readText(fs.init, b, 8)).toBe('hello world');
    // The next read starts at 11; after the reply the grant is gone.
    expect(fs.m.sys(fs.svc, SYS.FD_GRANT_COPY, fs.h, req.txid, 0, src, 1)).toBe(ERR.BAD_STATE);
    expect(fs.m.wasi(fs.init, 'fd_read', fd, iovs(fs.m, fs.init, [[a, 3]]), 1, nread)).toBe(BLOCKED);
    expect(take(fs).offset).toBe(11n);
    fs.m.check();
  });

  it('a READ reply may name its bytes as VfsSegment records instead: the kernel copies them in order as it takes the reply', () => {
    const fs = mounted();
    const fd = openFile(fs, 'f');
    const a = fs.m.alloc(fs.init, 3);
    const b = fs.m.alloc(fs.init, 10);
    const nread = fs.m.alloc(fs.init, 4);
    const hello = fs.m.put(fs.svc, 'hello ');
    const world = fs.m.put(fs.svc, 'world');
    expect(fs.m.wasi(fs.init, 'fd_read', fd, iovs(fs.m, fs.init, [[a, 3], [b, 10]]), 2, nread)).toBe(BLOCKED);
    let req = take(fs);
    answer(fs, reply(req.txid, 0, { value: 11, tail: segments([[hello, 6], [world, 5]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(fs.m.u32(fs.init, nread)).toBe(11);
    expect(fs.m.readText(fs.init, a, 3) + fs.m.readText(fs.init, b, 8)).toBe('hello world');

    // A segment outside the service's memory, one past the grant, torn records: the read fails with IO, and
    // neither the caller's bytes past what was copied nor its offset move.
    // (Past the grant the segments are read-ahead, up to what the READ allowed: the service grows to hold more than that.)
    const allowed = 10 + LIMITS.READ_AHEAD_BYTES;
    const size = (): number => fs.m.proc(fs.svc).mem.length;
    const bad: [string, () => Uint8Array][] = [
      ['outside the service memory', () => segments([[size() - 2, 3]])],
      ['wrapping 32 bits', () => segments([[0xfffffffe, 3]])],
      ['past the read-ahead allowed', () => segments([[0, allowed + 1]])],
      ['past it in two', () => segments([[0, allowed], [hello, 1]])],
      ['torn', () => segments([[hello, 6]]).subarray(0, 5)],
    ];
    for (const [what, tailOf] of bad) {
      fs.m.writeBytes(fs.init, b, 'untouched!');
      expect(fs.m.wasi(fs.init, 'fd_read', fd, iovs(fs.m, fs.init, [[b, 10]]), 1, nread)).toBe(BLOCKED);
      req = take(fs);
      expect(req.offset, what).toBe(11n);
      expect(req.value, what).toBe(BigInt(LIMITS.READ_AHEAD_BYTES));
      if (size() <= allowed) expect(fs.m.sys(fs.svc, SYS.MEM_GROW, 20)).toBeGreaterThan(0);
      const tail = tailOf();
      answer(fs, reply(req.txid, 0, { value: 3, tail }));
      expect(fs.m.resumedWith(fs.init), what).toBe(E.IO);
      if (!what.startsWith('past')) expect(fs.m.readText(fs.init, b, 10), what).toBe('untouched!');
      fs.m.check();
    }
    fs.m.check();
  });

  it('iovecs past memory, too many iovecs or a bad result pointer are refused before the service hears of it', () => {
    const fs = mounted();
    const fd = openFile(fs, 'f');
    const sent = fs.m.stat('MSG_SENT');
    const nread = fs.m.alloc(fs.init, 4);
    const size = fs.m.proc(fs.init).mem.length;
    expect(fs.m.wasi(fs.init, 'fd_read', fd, iovs(fs.m, fs.init, [[size - 4, 8]]), 1, nread)).toBe(E.FAULT);
    expect(fs.m.wasi(fs.init, 'fd_read', fd, iovs(fs.m, fs.init, [[0xffffff00, 0x200]]), 1, nread)).toBe(E.FAULT);
    expect(fs.m.wasi(fs.init, 'fd_read', fd, size - 4, 1, nread)).toBe(E.FAULT);
    expect(fs.m.wasi(fs.init, 'fd_read', fd, 64, 0xffffffff, nread)).toBe(E.INVAL);
    expect(fs.m.wasi(fs.init, 'fd_read', fd, 64, 0x20000001, nread)).toBe(E.INVAL);
    expect(fs.m.wasi(fs.init, 'fd_write', fd, iovs(fs.m, fs.init, [[64, 4]]), 1, size)).toBe(E.FAULT);
    expect(fs.m.wasi(fs.init, 'fd_read', 99, 64, 1, nread)).toBe(E.BADF);
    expect(fs.m.wasi(fs.init, 'fd_read', 0x7fffffff, 64, 1, nread)).toBe(E.BADF);
    expect(fs.m.stat('MSG_SENT')).toBe(sent);
    fs.m.check();
  });

  it('a caller killed while its request is pending leaves nothing: the late reply and its grant are dropped', () => {
    const fs = mounted();
    const reader = fs.m.spawn(fs.init, fs.m.rootSelf(), { name: 'reader', fds: [[3, fs.dir]] });
    expect(reader.result).toBe(0);
    const buf = fs.m.alloc(reader.pid, 16);
    const out = fs.m.alloc(reader.pid, 4);
    expect(fs.m.wasi(reader.pid, 'fd_readdir', 3, buf, 16, 0n, out)).toBe(BLOCKED);
    let req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.OPEN, path: '' });
    answer(fs, reply(req.txid, 0, { value: 3, filetype: WASI_FILETYPE.DIRECTORY, tail: filestat(WASI_FILETYPE.DIRECTORY, 0) }));
    req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.READDIR, file: 3, count: 16 });
    expect(fs.m.sys(fs.init, SYS.PROCESS_KILL, reader.handle)).toBe(0);
    const src = fs.m.put(fs.svc, 'x'.repeat(16));
    expect(fs.m.sys(fs.svc, SYS.FD_GRANT_COPY, fs.h, req.txid, 0, src, 16)).toBe(ERR.BAD_STATE);
    expect(fs.m.write(fs.svc, fs.h, reply(req.txid, 0, { value: 16 }))).toBe(0);
    expect(fs.m.read(fs.svc, fs.h, 1024, 1).result).toBe(ERR.SHOULD_WAIT);
    // The reader's fd closed with it, but the open directory is shared with init's fd: it stays open (no CLOSE),
    // and init reads it on, with the id the reader's call obtained.
    const ibuf = fs.m.alloc(fs.init, 16);
    const iout = fs.m.alloc(fs.init, 4);
    expect(fs.m.wasi(fs.init, 'fd_readdir', fs.dir, ibuf, 16, 5n, iout)).toBe(BLOCKED);
    expect(take(fs)).toMatchObject({ op: VFS_OP.READDIR, file: 3, offset: 5n });
    fs.m.check();
  });
  it('a WRITE reply may name where the bytes go as VfsSegment records: the kernel copies the caller\'s bytes into them', () => {
    const fs = mounted();
    const fd = openFile(fs, 'f');
    const src = fs.m.put(fs.init, 'hello world');
    const nwritten = fs.m.alloc(fs.init, 4);
    expect(fs.m.wasi(fs.init, 'fd_write', fd, iovs(fs.m, fs.init, [[src, 6], [src + 6, 5]]), 2, nwritten)).toBe(BLOCKED);
    let req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.WRITE, count: 11 });
    const a = fs.m.alloc(fs.svc, 4);
    const b = fs.m.alloc(fs.svc, 7);
    answer(fs, reply(req.txid, 0, { value: 11, fileSize: 11, tail: segments([[a, 4], [b, 7]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(fs.m.u32(fs.init, nwritten)).toBe(11);
    expect(fs.m.readText(fs.svc, a, 4) + fs.m.readText(fs.svc, b, 7)).toBe('hello world');
    // Segments past count are room, up to what the WRITE allowed: one past that fails the write, as one outside the
    // service does (the service grows to hold more than that).
    expect(fs.m.wasi(fs.init, 'fd_write', fd, iovs(fs.m, fs.init, [[src, 11]]), 1, nwritten)).toBe(BLOCKED);
    req = take(fs);
    expect(req.value).toBe(BigInt(LIMITS.WRITE_AHEAD_BYTES));
    expect(fs.m.sys(fs.svc, SYS.MEM_GROW, 20)).toBeGreaterThan(0);
    answer(fs, reply(req.txid, 0, { value: 11, tail: segments([[a, 4], [b, 7], [0, LIMITS.WRITE_AHEAD_BYTES + 1]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(E.IO);
    for (const tail of [segments([[fs.m.proc(fs.svc).mem.length - 1, 2]])]) {
      expect(fs.m.wasi(fs.init, 'fd_write', fd, iovs(fs.m, fs.init, [[src, 11]]), 1, nwritten)).toBe(BLOCKED);
      req = take(fs);
      answer(fs, reply(req.txid, 0, { value: 11, tail }));
      expect(fs.m.resumedWith(fs.init)).toBe(E.IO);
    }
    fs.m.check();
  });
});

describe('room', () => {
  /** init's fd_write of text through fd: the result (BLOCKED while the service has it). */
  function writeCall(fs: Fs, fd: number, text: string): number {
    const src = fs.m.put(fs.init, text);
    const out = fs.m.alloc(fs.init, 4);
    return fs.m.wasi(fs.init, 'fd_write', fd, iovs(fs.m, fs.init, [[src, text.length]]), 1, out);
  }

  /** The service takes a WRITE of `text` at offset, copied into `at`, and names `room` bytes at roomAt as room. */
  function writeAnswered(fs: Fs, fd: number, text: string, offset: bigint, at: number, roomAt: number, room: number): void {
    expect(writeCall(fs, fd, text)).toBe(BLOCKED);
    const req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.WRITE, offset, count: text.length, value: BigInt(LIMITS.WRITE_AHEAD_BYTES) });
    answer(fs, reply(req.txid, 0, { value: text.length, tail: segments([[at, text.length], [roomAt, room]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(fs.m.readText(fs.svc, at, text.length)).toBe(text);
  }

  it('a WRITE\'s room takes the next writes at once; WROTE tells the service before anything else it is sent, and at the close', () => {
    const fs = mounted();
    const fd = openFile(fs, 'f');
    const first = fs.m.alloc(fs.svc, 5);
    const room = fs.m.alloc(fs.svc, 16);
    writeAnswered(fs, fd, 'hello', 0n, first, room, 16);
    const sent = fs.m.stat('MSG_SENT');
    expect(writeCall(fs, fd, ' you'), 'into the room, at once').toBe(0);
    expect(writeCall(fs, fd, ' all')).toBe(0);
    expect(fs.m.stat('MSG_SENT'), 'no request went out').toBe(sent);
    expect(fs.m.readText(fs.svc, room, 8)).toBe(' you all');
    // More than the room has left: the service is told of the 8 bytes first, then asked to write the rest.
    const second = fs.m.alloc(fs.svc, 12);
    const room2 = fs.m.alloc(fs.svc, 8);
    expect(writeCall(fs, fd, '0123456789ab')).toBe(BLOCKED);
    expect(take(fs)).toMatchObject({ op: VFS_OP.WROTE, file: 5, offset: 5n, count: 8 });
    let req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.WRITE, offset: 13n, count: 12 });
    answer(fs, reply(req.txid, 0, { value: 12, tail: segments([[second, 12], [room2, 8]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(writeCall(fs, fd, 'xy')).toBe(0);
    // Any request — here a stat of the file — first tells of what was written.
    const st = fs.m.alloc(fs.init, 64);
    expect(fs.m.wasi(fs.init, 'fd_filestat_get', fd, st)).toBe(BLOCKED);
    expect(take(fs)).toMatchObject({ op: VFS_OP.WROTE, offset: 25n, count: 2 });
    req = take(fs);
    expect(req.op).toBe(VFS_OP.FSTAT);
    answer(fs, reply(req.txid, 0, { tail: filestat(WASI_FILETYPE.REGULAR_FILE, 27) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    // The room stays; the close tells of the last bytes, then closes.
    expect(writeCall(fs, fd, 'z')).toBe(0);
    expect(fs.m.readText(fs.svc, room2, 3)).toBe('xyz');
    expect(fs.m.wasi(fs.init, 'fd_close', fd)).toBe(0);
    expect(take(fs)).toMatchObject({ op: VFS_OP.WROTE, offset: 27n, count: 1 });
    expect(take(fs).op).toBe(VFS_OP.CLOSE);
    fs.m.check();
  });

  it('a truncate of the same inode or a seek drops the room (after telling of it); an appending or positioned write never uses one', () => {
    const fs = mounted();
    const fd = openFile(fs, 'f');
    const first = fs.m.alloc(fs.svc, 5);
    const room = fs.m.alloc(fs.svc, 16);
    writeAnswered(fs, fd, 'hello', 0n, first, room, 16);
    expect(writeCall(fs, fd, '!')).toBe(0);
    expect(fs.m.wasi(fs.init, 'fd_filestat_set_size', fd, 3n)).toBe(BLOCKED);
    expect(take(fs)).toMatchObject({ op: VFS_OP.WROTE, offset: 5n, count: 1 });
    let req = take(fs);
    expect(req.op).toBe(VFS_OP.SET_SIZE);
    answer(fs, reply(req.txid, 0));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(writeCall(fs, fd, 'again'), 'the room is gone').toBe(BLOCKED);
    req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.WRITE, offset: 6n });
    const at = fs.m.alloc(fs.svc, 5);
    answer(fs, reply(req.txid, 0, { value: 5, tail: segments([[at, 5], [room, 16]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    const pos = fs.m.alloc(fs.init, 8);
    expect(fs.m.wasi(fs.init, 'fd_seek', fd, 0n, 0, pos)).toBe(0);
    expect(writeCall(fs, fd, 'x'), 'after a seek').toBe(BLOCKED);
    req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.WRITE, offset: 0n });
    answer(fs, reply(req.txid, 0, { value: 1, tail: segments([[at, 1], [room, 16]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    // A positioned write allows no room (and, as a WRITE of the inode, drops the room there was).
    const src = fs.m.put(fs.init, 'p');
    const out = fs.m.alloc(fs.init, 4);
    expect(fs.m.wasi(fs.init, 'fd_pwrite', fd, iovs(fs.m, fs.init, [[src, 1]]), 1, 100n, out)).toBe(BLOCKED);
    req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.WRITE, offset: 100n, value: 0n });
    answer(fs, reply(req.txid, 0, { value: 1 }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(writeCall(fs, fd, 'y'), 'no room left').toBe(BLOCKED);
    req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.WRITE, offset: 1n, value: BigInt(LIMITS.WRITE_AHEAD_BYTES) });
    answer(fs, reply(req.txid, 0, { value: 1, tail: segments([[at, 1]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    // An appending fd allows none either.
    const { r, out: fdOut } = openCall(fs, 'log', 0, WASI_FLAGS.FDFLAG_APPEND);
    expect(r).toBe(BLOCKED);
    const oreq = take(fs);
    answer(fs, reply(oreq.txid, 0, { value: 8, filetype: WASI_FILETYPE.REGULAR_FILE, tail: filestat(WASI_FILETYPE.REGULAR_FILE, 0) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(writeCall(fs, fs.m.u32(fs.init, fdOut), 'line')).toBe(BLOCKED);
    expect(take(fs)).toMatchObject({ op: VFS_OP.WRITE, value: 0n, flags: VFS.APPEND });
    fs.m.check();
  });
});

describe('read-ahead', () => {
  /** init's fd_read of n bytes into a fresh buffer: the result (BLOCKED while the service has it) and where the bytes land. */
  function readCall(fs: Fs, fd: number, n: number) {
    const buf = fs.m.alloc(fs.init, n);
    const out = fs.m.alloc(fs.init, 4);
    return { r: fs.m.wasi(fs.init, 'fd_read', fd, iovs(fs.m, fs.init, [[buf, n]]), 1, out), text: () => fs.m.readText(fs.init, buf, fs.m.u32(fs.init, out)) };
  }

  /** A READ of 4 bytes at offset, answered with `data` (from the service's memory at src) as segments, 5 bytes each. */
  function readAnswered(fs: Fs, fd: number, offset: bigint, src: number, data: string): string {
    const call = readCall(fs, fd, 4);
    expect(call.r).toBe(BLOCKED);
    const req = take(fs);
    expect(req).toMatchObject({ op: VFS_OP.READ, offset, count: 4, value: BigInt(LIMITS.READ_AHEAD_BYTES) });
    const spans: [number, number][] = [];
    for (let at = 0; at < data.length; at += 5) spans.push([src + at, Math.min(5, data.length - at)]);
    answer(fs, reply(req.txid, 0, { value: 4, tail: segments(spans) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    return call.text();
  }

  it('a sequential READ allows READ_AHEAD_BYTES more; those the reply names serve the next reads with no request', () => {
    const fs = mounted();
    const fd = openFile(fs, 'f');
    const src = fs.m.put(fs.svc, '0123456789abcdef');
    expect(readAnswered(fs, fd, 0n, src, '0123456789abcdef')).toBe('0123');
    const sent = fs.m.stat('MSG_SENT');
    for (const want of ['4567', '89ab', 'cdef']) {
      const next = readCall(fs, fd, 4);
      expect(next.r, 'served at once').toBe(0);
      expect(next.text()).toBe(want);
    }
    expect(fs.m.stat('MSG_SENT'), 'no request went out').toBe(sent);
    // Used up: the next read asks the service again, from where the read-ahead ended.
    expect(readCall(fs, fd, 4).r).toBe(BLOCKED);
    expect(take(fs)).toMatchObject({ op: VFS_OP.READ, offset: 16n });
    fs.m.check();
  });

  it('a seek, a write of the same inode, a name change, the service\'s end or the file\'s close drops it; a write of another inode does not', () => {
    const fs = mounted();
    const fd = openFile(fs, 'f'); // inode 7
    const src = fs.m.put(fs.svc, '0123456789abcdef');
    let offset = 0n;
    const prime = (): void => {
      expect(readAnswered(fs, fd, offset, src, '0123456789abcdef')).toBe('0123');
      offset += 4n;
    };
    const goesToService = (what: string): void => {
      const call = readCall(fs, fd, 4);
      expect(call.r, what).toBe(BLOCKED);
      const req = take(fs);
      expect(req.op, what).toBe(VFS_OP.READ);
      answer(fs, reply(req.txid, 0, { value: 0 }));
      expect(fs.m.resumedWith(fs.init), what).toBe(0);
    };
    const nwritten = fs.m.alloc(fs.init, 4);
    const data = fs.m.put(fs.init, 'x');
    /** A one-byte write through fd w, answered. */
    const writeVia = (w: number): void => {
      expect(fs.m.wasi(fs.init, 'fd_write', w, iovs(fs.m, fs.init, [[data, 1]]), 1, nwritten)).toBe(BLOCKED);
      const req = take(fs);
      expect(req.op).toBe(VFS_OP.WRITE);
      answer(fs, reply(req.txid, 0, { value: 1 }));
      expect(fs.m.resumedWith(fs.init)).toBe(0);
    };

    // A seek elsewhere.
    prime();
    const pos = fs.m.alloc(fs.init, 8);
    expect(fs.m.wasi(fs.init, 'fd_seek', fd, 0n, 0, pos)).toBe(0);
    offset = 0n;
    goesToService('after a seek');

    // A write through another open file of the same inode; then one of another inode (which keeps it).
    prime();
    const same = openFile(fs, 'g', WASI_FILETYPE.REGULAR_FILE, 6); // filestat() names inode 7 too
    const { r, out } = openCall(fs, 'h');
    expect(r).toBe(BLOCKED);
    const oreq = take(fs);
    const other = filestat(WASI_FILETYPE.REGULAR_FILE, 0);
    new DataView(other.buffer).setBigUint64(offsetOf('WasiFilestat', 'ino'), 8n, true);
    answer(fs, reply(oreq.txid, 0, { value: 9, filetype: WASI_FILETYPE.REGULAR_FILE, tail: other }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    const otherFd = fs.m.u32(fs.init, out);
    goesToService('after two opens (a name may have changed)');
    prime();
    writeVia(otherFd);
    const kept = readCall(fs, fd, 4);
    expect(kept.r, 'a write of another inode keeps it').toBe(0);
    expect(kept.text()).toBe('4567');
    offset += 4n;
    writeVia(same);
    goesToService('after a write of the same inode');

    // A name change (an unlink).
    prime();
    const name = fs.m.put(fs.init, 'zz');
    expect(fs.m.wasi(fs.init, 'path_unlink_file', fs.dir, name, 2)).toBe(BLOCKED);
    const ureq = take(fs);
    expect(ureq.op).toBe(VFS_OP.UNLINK);
    answer(fs, reply(ureq.txid, 0));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    goesToService('after an unlink');

    // The file's close (and a new open file of the same name starts without).
    prime();
    expect(fs.m.wasi(fs.init, 'fd_close', fd)).toBe(0);
    const creq = take(fs);
    expect(creq.op).toBe(VFS_OP.CLOSE);
    fs.m.sys(fs.svc, SYS.OBJECT_WAIT, fs.h, SIGNAL.READABLE, -1, 0);
    const again = openFile(fs, 'f', WASI_FILETYPE.REGULAR_FILE, 5);
    expect(readCall(fs, again, 4).r, 'a new open file').toBe(BLOCKED);
    const rreq = take(fs);
    answer(fs, reply(rreq.txid, 0, { value: 4, tail: segments([[src, 16]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);

    // The service ends: nothing is copied out of its memory any more, and the read fails as the service is gone.
    expect(fs.m.sys(fs.init, SYS.PROCESS_KILL, fs.svcHandle)).toBe(0);
    expect(readCall(fs, again, 4).r).toBe(E.IO);
    fs.m.check();
  });

  it('an open file is charged for its read-ahead and room as it opens, and gives it back as it closes', () => {
    const fs = mounted();
    const before = fs.m.memInfo(fs.init).objectBytes;
    const fd = openFile(fs, 'f');
    const charged = fs.m.memInfo(fs.init).objectBytes - before;
    expect(charged, 'the file and room for 2 x 16 spans').toBeGreaterThanOrEqual(LIMITS.OBJECT_BYTES + 2 * LIMITS.AHEAD_SPANS * sizeOf('VfsSegment'));
    const src = fs.m.put(fs.svc, '0123456789abcdef');
    expect(readAnswered(fs, fd, 0n, src, '0123456789abcdef')).toBe('0123');
    expect(fs.m.memInfo(fs.init).objectBytes - before, 'read-ahead costs nothing more').toBe(charged);
    expect(fs.m.wasi(fs.init, 'fd_close', fd)).toBe(0);
    expect(fs.m.memInfo(fs.init).objectBytes).toBe(before);
    fs.m.check();
  });

  it('a READ answered after a change to its file was sent keeps nothing for later', () => {
    const fs = mounted();
    const fd = openFile(fs, 'f'); // inode 7
    // The writer opens the file for itself: another open file (its own offset) of the same inode.
    const writer = fs.m.spawn(fs.init, fs.m.rootSelf(), { name: 'writer', fds: [[3, fs.dir]] });
    expect(writer.result).toBe(0);
    const wpath = fs.m.put(writer.pid, 'f');
    const wout = fs.m.alloc(writer.pid, 4);
    expect(fs.m.wasi(writer.pid, 'path_open', 3, 1, wpath, 1, 0, -1n, -1n, 0, wout)).toBe(BLOCKED);
    const oreq = take(fs);
    answer(fs, reply(oreq.txid, 0, { value: 6, filetype: WASI_FILETYPE.REGULAR_FILE, tail: filestat(WASI_FILETYPE.REGULAR_FILE, 0) }));
    expect(fs.m.resumedWith(writer.pid)).toBe(0);
    const wfd = fs.m.u32(writer.pid, wout);
    const src = fs.m.put(fs.svc, '0123456789abcdef');
    const call = readCall(fs, fd, 4);
    expect(call.r).toBe(BLOCKED);
    const rreq = take(fs);
    // The writer's WRITE goes out while the READ is with the service.
    const data = fs.m.put(writer.pid, 'x');
    const nw = fs.m.alloc(writer.pid, 4);
    expect(fs.m.wasi(writer.pid, 'fd_write', wfd, iovs(fs.m, writer.pid, [[data, 1]]), 1, nw)).toBe(BLOCKED);
    answer(fs, reply(rreq.txid, 0, { value: 4, tail: segments([[src, 16]]) }));
    expect(fs.m.resumedWith(fs.init)).toBe(0);
    expect(call.text()).toBe('0123');
    const wreq = take(fs);
    expect(wreq.op).toBe(VFS_OP.WRITE);
    answer(fs, reply(wreq.txid, 0, { value: 1 }));
    expect(fs.m.resumedWith(writer.pid)).toBe(0);
    expect(readCall(fs, fd, 4).r, 'the read-ahead was not kept').toBe(BLOCKED);
    expect(take(fs)).toMatchObject({ op: VFS_OP.READ, offset: 4n });
    fs.m.check();
  });
});

describe('fds', () => {
  it('a spawner wires its fds into the child; fds are per process; fd_renumber moves one', () => {
    const fs = mounted();
    const c = fs.m.spawn(fs.init, fs.m.rootSelf(), { name: 'c', fds: [[0, fs.dir], [7, fs.dir]], env: 'A=1\0B=two' });
    expect(c.result).toBe(0);
    const pre = fs.m.alloc(c.pid, 8);
    expect(fs.m.wasi(c.pid, 'fd_prestat_get', 7, pre)).toBe(0);
    expect(fs.m.u32(c.pid, pre + 4)).toBe(1);
    expect(fs.m.wasi(c.pid, 'fd_prestat_get', fs.dir, pre)).toBe(fs.dir === 0 || fs.dir === 7 ? 0 : E.BADF);
    expect(fs.m.wasi(c.pid, 'fd_renumber', 7, 0)).toBe(0);
    expect(fs.m.wasi(c.pid, 'fd_prestat_get', 7, pre)).toBe(E.BADF);
    expect(fs.m.wasi(c.pid, 'fd_close', 0)).toBe(0);
    expect(fs.m.wasi(c.pid, 'fd_close', 0)).toBe(E.BADF);
    // A spawn naming an fd the spawner does not have is refused.
    expect(fs.m.spawn(fs.init, fs.m.rootSelf(), { fds: [[0, 42]] }).result).toBe(ERR.BAD_FD);
    // The environment, as environ_get gives it.
    const sizes = fs.m.alloc(c.pid, 8);
    expect(fs.m.wasi(c.pid, 'environ_sizes_get', sizes, sizes + 4)).toBe(0);
    expect([fs.m.u32(c.pid, sizes), fs.m.u32(c.pid, sizes + 4)]).toEqual([2, 10]);
    const ptrs = fs.m.alloc(c.pid, 8);
    const text = fs.m.alloc(c.pid, 10);
    expect(fs.m.wasi(c.pid, 'environ_get', ptrs, text)).toBe(0);
    expect(fs.m.readText(c.pid, fs.m.u32(c.pid, ptrs + 4), 3)).toBe('B=t');
    expect(fs.m.readText(c.pid, text, 10)).toBe('A=1\0B=two\0');
    fs.m.check();
  });
});

describe('streams', () => {
  it('a stream fd lets its channel go with its last fd: the service sees PEER_CLOSED and no object is left', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const before = m.stat('OBJECTS');
    const [client, server] = m.channel(init);
    const c = m.spawn(init, m.rootSelf(), { name: 'c', handles: [{ handle: client, tag: TAG.SERVICE }] });
    expect(c.result).toBe(0);
    const h = m.startup(c.pid).handles[0]?.handle ?? 0;
    const out = m.alloc(c.pid, 4);
    expect(m.sys(c.pid, SYS.FD_FROM_HANDLE, h, out)).toBe(0);
    const waitOut = m.alloc(init, 4);
    expect(m.sys(init, SYS.OBJECT_WAIT, server, SIGNAL.PEER_CLOSED, 0, waitOut)).toBe(ERR.TIMED_OUT);
    // The kernel holds the endpoint only for the fd: when the process (and so the fd) ends, the channel ends.
    expect(m.sys(c.pid, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    m.settle();
    expect(m.sys(init, SYS.OBJECT_WAIT, server, SIGNAL.PEER_CLOSED, 0, waitOut)).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, server)).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, c.handle)).toBe(0);
    m.settle();
    expect(m.stat('OBJECTS')).toBe(before);
    m.check();
  });
});

describe('pipes', () => {
  it('bytes written to a pipe come out of it; EOF once the last writer closes; PIPE once no reader is left', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const out = m.alloc(init, 8);
    expect(m.sys(init, SYS.FD_PIPE, out)).toBe(0);
    const [r, w] = [m.u32(init, out), m.u32(init, out + 4)];
    const n = m.alloc(init, 4);
    const msg = m.put(init, 'through the pipe');
    expect(m.wasi(init, 'fd_write', w, iovs(m, init, [[msg, 16]]), 1, n)).toBe(0);
    expect(m.u32(init, n)).toBe(16);
    const buf = m.alloc(init, 64);
    expect(m.wasi(init, 'fd_read', r, iovs(m, init, [[buf, 7], [buf + 7, 57]]), 2, n)).toBe(0);
    expect(m.u32(init, n)).toBe(16);
    expect(m.readText(init, buf, 16)).toBe('through the pipe');
    expect(m.wasi(init, 'fd_close', w)).toBe(0);
    expect(m.wasi(init, 'fd_read', r, iovs(m, init, [[buf, 8]]), 1, n)).toBe(0);
    expect(m.u32(init, n)).toBe(0);
    expect(m.sys(init, SYS.FD_PIPE, out)).toBe(0);
    expect(m.wasi(init, 'fd_close', m.u32(init, out))).toBe(0);
    expect(m.wasi(init, 'fd_write', m.u32(init, out + 4), iovs(m, init, [[msg, 4]]), 1, n)).toBe(E.PIPE);
    m.check();
  });

  it('a reader waits for a writer in another process, and a poll waits for either', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const out = m.alloc(init, 8);
    expect(m.sys(init, SYS.FD_PIPE, out)).toBe(0);
    const [r, w] = [m.u32(init, out), m.u32(init, out + 4)];
    const c = m.spawn(init, m.rootSelf(), { name: 'writer', fds: [[1, w]] });
    expect(m.wasi(init, 'fd_close', w)).toBe(0);
    const n = m.alloc(init, 4);
    const buf = m.alloc(init, 8);
    expect(m.wasi(init, 'fd_read', r, iovs(m, init, [[buf, 8]]), 1, n)).toBe(BLOCKED);
    const msg = m.put(c.pid, 'hi');
    const cn = m.alloc(c.pid, 4);
    expect(m.wasi(c.pid, 'fd_write', 1, iovs(m, c.pid, [[msg, 2]]), 1, cn)).toBe(0);
    expect(m.resumedWith(init)).toBe(0);
    expect(m.readText(init, buf, m.u32(init, n))).toBe('hi');
    // poll: the fd is not readable; a 1 ms clock wins.
    const subs = m.alloc(init, 96);
    const sv = new DataView(m.proc(init).mem.buffer);
    sv.setBigUint64(subs, 11n, true);
    sv.setUint8(subs + 8, WASI_FLAGS.EVENT_FD_READ);
    sv.setUint32(subs + 16, r, true);
    sv.setBigUint64(subs + 48, 22n, true);
    sv.setUint8(subs + 56, WASI_FLAGS.EVENT_CLOCK);
    sv.setUint32(subs + 64, WASI_FLAGS.CLOCK_MONOTONIC, true);
    sv.setBigUint64(subs + 72, 1_000_000n, true);
    const evs = m.alloc(init, 64);
    const ne = m.alloc(init, 4);
    expect(m.wasi(init, 'poll_oneoff', subs, evs, 2, ne)).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    expect(m.u32(init, ne)).toBe(1);
    expect(new DataView(m.proc(init).mem.buffer).getBigUint64(evs, true)).toBe(22n);
    // Again, and the writer exits: the read end hangs up, which ends the poll at once.
    expect(m.wasi(init, 'poll_oneoff', subs, evs, 1, ne)).toBe(BLOCKED);
    expect(m.sys(c.pid, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    expect(m.resumedWith(init)).toBe(0);
    expect(m.u32(init, ne)).toBe(1);
    expect(new DataView(m.proc(init).mem.buffer).getUint16(evs + 24, true)).toBe(WASI_FLAGS.EVENT_FD_READWRITE_HANGUP);
    m.check();
  });
});
