// A file operation in the inspector: the kernel's vfs request to ramfs is
// said as the operation it is (open, read, write, list, remove…) with the
// absolute path or the file's path from its OPEN, on behalf of which
// process; ramfs's reply says what it answered. Events are made as the
// kernel emits them: a MSG_SEND from pid 0 with a VfsRequest payload and
// the caller's pid last, and the service's MSG_SEND carrying a VfsReply.

import { describe, expect, it } from 'vitest';
import { TRACE, OBJ, RIGHTS, VFS_OP, WASI_FLAGS, WASI_ERRNO, WASI_FILETYPE, offsetOf, sizeOf, type TraceEvent } from '@oncrix/abi';
import { createModel, applyEvents, eventAt, eventCount, type TraceModel } from '../src/trace/model.js';
import { sentence } from '../src/trace/sentence.js';
import { vfsRequestOf } from '../src/trace/vfs.js';
import { shortLabel } from '../src/trace/describe.js';

let seq = 5000;
function ev(kind: number, pid: number, args: number[] = [], data: Uint8Array = new Uint8Array(0)): TraceEvent {
  const name = Object.entries(TRACE).find(([, v]) => v === kind)?.[0] ?? '?';
  return { seq: seq++, kind, kindName: name, cpu: 0, time: seq * 1000, pid, args: [...args, ...new Array<number>(11 - args.length).fill(0)], data };
}
const text = (s: string): TraceEvent => ev(TRACE.DATA, 0, [], new TextEncoder().encode(s));

const KERNEL_END = 50;
const RAMFS_END = 51;
const images = (id: number): string => ['init', 'ramfs', 'cat'][id] ?? `image ${id}`;

/** init (1), ramfs (2) holding the server end of the kernel's channel (as init does, to hand it to a restarted ramfs), cat (7). */
function booted(): TraceModel {
  seq = 5000;
  const m = createModel();
  applyEvents(m, [
    ev(TRACE.BOOT, 0, [1, 0, 4096]),
    ev(TRACE.SPAWN, 0, [1, 0, 7, 4096, 100]), text('init'),
    ev(TRACE.SPAWN, 1, [2, 1, 5, 512, 101]), text('ramfs'),
    ev(TRACE.SPAWN, 1, [7, 2, 3, 16, 102]), text('cat'),
    ev(TRACE.HANDLE_CREATE, 1, [0x409, RAMFS_END, OBJ.CHANNEL, RIGHTS.READ | RIGHTS.WRITE]),
    ev(TRACE.HANDLE_CREATE, 2, [0x401, RAMFS_END, OBJ.CHANNEL, RIGHTS.READ | RIGHTS.WRITE]),
  ]);
  return m;
}

/** The payload of a vfs request (VfsRequest header + path + path2), as the kernel writes it. */
function request(txid: number, op: number, o: { file?: number; flags?: number; offset?: number; count?: number; path?: string; path2?: string } = {}): Uint8Array {
  const p1 = new TextEncoder().encode(o.path ?? '');
  const p2 = new TextEncoder().encode(o.path2 ?? '');
  const b = new Uint8Array(sizeOf('VfsRequest') + p1.length + p2.length);
  const v = new DataView(b.buffer);
  v.setUint32(offsetOf('VfsRequest', 'txid'), txid, true);
  v.setUint32(offsetOf('VfsRequest', 'op'), op, true);
  v.setUint32(offsetOf('VfsRequest', 'file'), o.file ?? 0, true);
  v.setUint32(offsetOf('VfsRequest', 'flags'), o.flags ?? 0, true);
  v.setBigUint64(offsetOf('VfsRequest', 'offset'), BigInt(o.offset ?? 0), true);
  v.setUint32(offsetOf('VfsRequest', 'count'), o.count ?? 0, true);
  v.setUint32(offsetOf('VfsRequest', 'pathLen'), p1.length, true);
  v.setUint32(offsetOf('VfsRequest', 'path2Len'), p2.length, true);
  b.set(p1, sizeOf('VfsRequest'));
  b.set(p2, sizeOf('VfsRequest') + p1.length);
  return b;
}

function reply(txid: number, errno: number, value = 0, filetype = 0): Uint8Array {
  const b = new Uint8Array(sizeOf('VfsReply'));
  const v = new DataView(b.buffer);
  v.setUint32(offsetOf('VfsReply', 'txid'), txid, true);
  v.setUint32(offsetOf('VfsReply', 'errno'), errno, true);
  v.setUint32(offsetOf('VfsReply', 'value'), value, true);
  v.setUint32(offsetOf('VfsReply', 'filetype'), filetype, true);
  return b;
}

/** The kernel's request for pid `forPid` (the trace keeps at most 128 bytes of payload). */
function kernelSends(payload: Uint8Array, forPid: number): TraceEvent {
  const txid = new DataView(payload.buffer).getUint32(0, true);
  return ev(TRACE.MSG_SEND, 0, [KERNEL_END, RAMFS_END, payload.length, 0, txid | 0, 0, forPid], payload.subarray(0, 128));
}

function ramfsReplies(payload: Uint8Array): TraceEvent {
  const txid = new DataView(payload.buffer).getUint32(0, true);
  return ev(TRACE.MSG_SEND, 2, [RAMFS_END, KERNEL_END, payload.length, 0, txid | 0, 0], payload);
}

/** A reply header followed by n (zeroed) VfsSegment records. */
function withSegments(header: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(header.length + n * sizeOf('VfsSegment'));
  b.set(header);
  return b;
}

function say(m: TraceModel, e: TraceEvent): string {
  for (let g = m.base; g < eventCount(m); g++) if (eventAt(m, g)?.seq === e.seq) return sentence(m, eventAt(m, g) as TraceEvent, g, images);
  throw new Error(`event #${e.seq} is not in the model`);
}

const TX = 0x40000011;

describe('a file operation reads as the message to the filesystem service that it is', () => {
  it('an open names the operation, the absolute path, what the flags ask and the process it is for', () => {
    const m = booted();
    const open = kernelSends(request(TX, VFS_OP.OPEN, { path: 'tmp/notes.txt', flags: WASI_FLAGS.O_CREAT | WASI_FLAGS.O_TRUNC }), 7);
    applyEvents(m, [open]);
    expect(say(m, open)).toBe(`The kernel's vfs asks ramfs to open /tmp/notes.txt, creating it if it does not exist and emptying it on behalf of cat (pid 7) `
      + `(message OPEN, ${sizeOf('VfsRequest') + 13} bytes, on the kernel's channel to ramfs, transaction 0x40000011).`);
  });

  it("ramfs's reply says what the request was and what it answered; its delivery says ramfs took the request", () => {
    const m = booted();
    const open = kernelSends(request(TX, VFS_OP.OPEN, { path: 'tmp/a.txt' }), 7);
    const took = ev(TRACE.MSG_DELIVER, 2, [RAMFS_END, 0, open.args[2] ?? 0, 0, TX | 0]);
    const ok = ramfsReplies(reply(TX, 0, 3, WASI_FILETYPE.REGULAR_FILE));
    applyEvents(m, [open, took, ok]);
    expect(say(m, took)).toBe(`ramfs took the kernel's request to open /tmp/a.txt from its queue (sent at #${open.seq}); the caller stays blocked until ramfs replies.`);
    expect(say(m, ok)).toBe(`ramfs answers the kernel's request #${open.seq} to open /tmp/a.txt on behalf of cat (pid 7): done, open file 3 (a regular file).`);
  });

  it('a read of an open file names the file by the path its OPEN had', () => {
    const m = booted();
    const open = kernelSends(request(TX, VFS_OP.OPEN, { path: 'tmp/a.txt' }), 7);
    const read = kernelSends(request(TX + 1, VFS_OP.READ, { file: 3, offset: 0, count: 4096 }), 7);
    const got = ramfsReplies(reply(TX + 1, 0, 6));
    applyEvents(m, [open, ramfsReplies(reply(TX, 0, 3, WASI_FILETYPE.REGULAR_FILE)), read, got]);
    expect(say(m, read)).toMatch(/^The kernel's vfs asks ramfs to read up to 4096 bytes at offset 0 of \/tmp\/a\.txt \(open file 3\) on behalf of cat \(pid 7\) \(message READ/);
    expect(say(m, got)).toContain("done, 6 bytes copied straight into the caller's buffers (FD_GRANT_COPY)");
  });

  it('a read answered with VfsSegment records says the kernel copies the bytes the reply names', () => {
    const m = booted();
    const open = kernelSends(request(TX, VFS_OP.OPEN, { path: 'tmp/big' }), 7);
    const read = kernelSends(request(TX + 1, VFS_OP.READ, { file: 3, offset: 0, count: 131072 }), 7);
    const got = ramfsReplies(withSegments(reply(TX + 1, 0, 131072), 2));
    applyEvents(m, [open, ramfsReplies(reply(TX, 0, 3, WASI_FILETYPE.REGULAR_FILE)), read, got]);
    expect(say(m, got)).toContain("done, 131072 bytes named in the reply (2 segments of its memory), which the kernel copies straight into the caller's buffers as it takes the reply");
  });

  it('a write answered with VfsSegment records names its room; WROTE says the kernel wrote into that room', () => {
    const m = booted();
    const open = kernelSends(request(TX, VFS_OP.OPEN, { path: 'tmp/out' }), 7);
    const write = kernelSends(request(TX + 1, VFS_OP.WRITE, { file: 3, offset: 0, count: 65536 }), 7);
    const got = ramfsReplies(withSegments(reply(TX + 1, 0, 65536), 2));
    const wrote = kernelSends(request(0, VFS_OP.WROTE, { file: 3, offset: 65536, count: 131072 }), 0);
    applyEvents(m, [open, ramfsReplies(reply(TX, 0, 3, WASI_FILETYPE.REGULAR_FILE)), write, got, wrote]);
    expect(say(m, got)).toContain("done, 65536 bytes, which the kernel copies from the caller's buffers into the 2 segments of its memory the reply names");
    expect(say(m, got)).toContain('segments past those bytes are room');
    expect(say(m, wrote)).toMatch(/^The kernel's vfs asks ramfs to take 131072 bytes at offset 65536 of \/tmp\/out \(open file 3\) as written: the kernel copied them into the room ramfs gave the file, answering each write at once \(message WROTE/);
  });

  it('an error reply names the errno and its meaning; a file opened before the kept trace is named by its id', () => {
    const m = booted();
    const gone = kernelSends(request(TX, VFS_OP.UNLINK, { path: 'tmp/nope' }), 7);
    applyEvents(m, [gone, ramfsReplies(reply(TX, WASI_ERRNO.NOENT))]);
    expect(say(m, eventAt(m, eventCount(m) - 1) as TraceEvent)).toBe(
      `ramfs answers the kernel's request #${gone.seq} to remove /tmp/nope on behalf of cat (pid 7): refused with NOENT (no such file or directory).`);
    const write = kernelSends(request(TX + 2, VFS_OP.WRITE, { file: 9, offset: 12, count: 5 }), 7);
    applyEvents(m, [write]);
    expect(say(m, write)).toMatch(/asks ramfs to write 5 bytes at offset 12 of open file 9 on behalf of cat/);
  });

  it('a rename names both paths; a path the trace cut short ends in an ellipsis', () => {
    const m = booted();
    const mv = kernelSends(request(TX, VFS_OP.RENAME, { path: 'tmp/a', path2: 'tmp/b' }), 7);
    applyEvents(m, [mv]);
    expect(say(m, mv)).toMatch(/asks ramfs to rename \/tmp\/a to \/tmp\/b on behalf of cat \(pid 7\)/);
    const long = kernelSends(request(TX + 1, VFS_OP.MKDIR, { path: `home/${'x'.repeat(100)}` }), 7);
    applyEvents(m, [long]);
    expect(vfsRequestOf(long)?.cut).toBe(true);
    expect(say(m, long)).toMatch(/make the directory \/home\/x+… on behalf of cat/);
  });

  it("the request's arrow in the diagram is labelled with its operation and path", () => {
    const m = booted();
    const open = kernelSends(request(TX, VFS_OP.OPEN, { path: 'tmp/a.txt' }), 7);
    const read = kernelSends(request(TX + 1, VFS_OP.READ, { file: 3, count: 4096 }), 7);
    applyEvents(m, [open, read]);
    expect(shortLabel(m, open)).toBe('OPEN tmp/a.txt');
    expect(shortLabel(m, read)).toBe('READ file 3');
  });

  it('a message that is no vfs request (a channel call between programs) keeps its own sentence', () => {
    const m = booted();
    const plain = ev(TRACE.MSG_SEND, 7, [60, 61, 4, 0, 0, 0], new Uint8Array([1, 2, 3, 4]));
    applyEvents(m, [plain]);
    expect(say(m, plain)).toMatch(/^cat sent .* a 4-byte message/);
  });
});
