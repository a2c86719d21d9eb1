// The bytes of a file ahead of its offset, in its service's memory: read-ahead
// for a file read in order, room for a file written in order. Either way
// the service names them once and the kernel copies as the program asks.
//
// **Read-ahead.** A sequential fd_read of a file sends READ with `value` =
// READ_AHEAD_BYTES: the service may name, after the bytes the caller asked for, up
// to that many more of the file's next bytes as VfsSegment records of its
// reply. The kernel copies the caller's share as it takes the reply
// (call.ts) and keeps the rest here, on the open file. The next fd_read at
// the offset where they begin is served from them by one copy out of the
// service's memory, with no request and no wait: a program that reads a
// file in 64 KiB calls sends one READ per READ_AHEAD_BYTES.
//
// **Room.** A sequential fd_write sends WRITE with `value` = WRITE_AHEAD_BYTES: a
// service that keeps nothing it must not lose (ramfs under `oncrix run`)
// may give the file blocks for its next bytes and name them after the
// write's own. The next fd_writes at that offset are copied into them,
// answered at once, and counted as dirty; before the kernel sends that
// service anything else — any request, from anyone — it tells it which
// bytes are now the file's (WROTE, one-way), so no one can see the file
// without them. The file's close sends the last WROTE.
//
// Both are the service's promise (docs/vfs.md): the bytes stay the file's
// until the kernel sends it something that may change them. The kernel
// sees every such request, since every file operation goes through it, so it
// drops them before the service hears of it: a WRITE or SET_SIZE of the
// same inode (the one the OPEN reply named), any request that changes names
// (OPEN, MKDIR, UNLINK, RMDIR, RENAME, LINK, SYMLINK: `changing` with inode
// 0, every file of that service), the end of the service process that named
// them, and the file's close. Spans named by a reply that comes back after
// such a request was sent are not kept (the change counter moved while it
// was out). A span is checked against the service's memory again when it is
// copied. What a lying service can do with this is what it could already
// do: answer with wrong bytes, or lose them.

import {
  AHEAD_SPANS, PS_EXITED, VFS_REQUEST_SIZE, VFS_REQUEST_OP, VFS_REQUEST_FILE, VFS_REQUEST_OFFSET,
  VFS_REQUEST_COUNT, VFS_REQUEST_TIME, VFS_WROTE,
} from '../../../abi/assembly/index';
import { Endpoint, kernelSend } from '../ipc/channel';
import { Message } from '../ipc/message';
import { Process } from '../process/process';
import { copyBetween, inRange } from '../mm/user';
import { now } from '../clock';

/** Read-ahead or room of one open file: spans of the server's memory holding the file's bytes from offset `at` on. */
export class Ahead {
  server: Process | null = null;
  at: u64 = 0;
  /** (buf, len) pairs; spans first..first+count-1 are live. */
  spans: StaticArray<u32> = new StaticArray<u32>(2 * AHEAD_SPANS);
  first: i32 = 0;
  count: i32 = 0;
  listed: bool = false;
  /** Room: bytes written into it from `dirtyAt` on that the service has not been told of yet (WROTE). */
  dirtyAt: u64 = 0;
  dirty: u32 = 0;

  /** ep: the file's service endpoint; ino: its inode, as the OPEN reply named it; file: the service's open-file id. */
  constructor(public ep: Endpoint, public ino: u64, public file: u32) {}
}

/** Kernel bytes an open file of a service is charged for its read-ahead and room, beside its own (fd.ts newFile). */
export const AHEAD_BYTES: u32 = 2 * (8 * <u32>AHEAD_SPANS + 64);

/** Every Ahead holding spans (two per open file at most, which its opener paid for: AHEAD_BYTES). */
const held: Array<Ahead> = [];
/** The rooms holding bytes their services have not been told of (so that a request looks only at these). */
const dirty: Array<Ahead> = [];
/** Requests sent that may change some file's bytes, ever. */
let changes: u32 = 0;

/** The change counter: a READ or WRITE records it as it is sent, and keeps spans only if it has not moved by the reply. */
export function changeCount(): u32 {
  return changes;
}

/** Tell a's service of the bytes written into a's room since the last time. */
function wrote(a: Ahead): void {
  if (a.dirty == 0) return;
  const msg = new Message(VFS_REQUEST_SIZE, 0);
  store<u32>(msg.at + VFS_REQUEST_OP, VFS_WROTE);
  store<u32>(msg.at + VFS_REQUEST_FILE, a.file);
  store<u64>(msg.at + VFS_REQUEST_OFFSET, a.dirtyAt);
  store<u32>(msg.at + VFS_REQUEST_COUNT, a.dirty);
  store<u64>(msg.at + VFS_REQUEST_TIME, <u64>now());
  a.dirtyAt += <u64>a.dirty;
  a.dirty = 0;
  dirty.splice(dirty.indexOf(a), 1);
  kernelSend(a.ep, msg);
}

/** Before anything else goes to ep: every room there tells its service what was written into it. */
export function flush(ep: Endpoint): void {
  for (let i = dirty.length - 1; i >= 0; i--) if (dirty[i].ep === ep) wrote(dirty[i]);
}

/** Drop a's spans (a room first tells its service what was written into it). */
export function forget(a: Ahead): void {
  wrote(a);
  a.count = 0;
  a.server = null;
  if (!a.listed) return;
  a.listed = false;
  held.splice(held.indexOf(a), 1);
}

/** A request that may change file bytes goes to ep: drop the spans of inode ino there (of every file there when ino is 0). */
export function changing(ep: Endpoint, ino: u64): void {
  changes++;
  for (let i = held.length - 1; i >= 0; i--) {
    const a = held[i];
    if (a.ep === ep && (ino == 0 || a.ino == ino)) forget(a);
  }
}

/** A reply's segments past the caller's share start: they hold the file from offset `at`, in server's memory. */
export function begin(a: Ahead, server: Process, at: u64): void {
  forget(a);
  a.server = server;
  a.at = at;
  a.dirtyAt = at;
  a.first = 0;
  a.listed = true;
  held.push(a);
}

/** One more span of a (already checked against the server's memory); past AHEAD_SPANS it is not kept. */
export function add(a: Ahead, buf: u32, len: u32): void {
  if (len == 0 || a.count >= AHEAD_SPANS) return;
  a.spans[2 * a.count] = buf;
  a.spans[2 * a.count + 1] = len;
  a.count++;
}

/** Bytes a's live spans hold. */
function heldBytes(a: Ahead): u64 {
  let n: u64 = 0;
  for (let i = a.first; i < a.first + a.count; i++) n += <u64>a.spans[2 * i + 1];
  return n;
}

/**
 * Serve a read (into the caller's segments, checked (ptr, len) pairs of
 * `total` bytes) or a write (out of them) of the file at `offset` from a's
 * spans: the bytes copied, or -1 when a does not hold the bytes at offset
 * (a write: all `total` of them), which drops it; the call then goes to
 * the service.
 */
export function serve(a: Ahead, offset: u64, caller: Process, segs: Array<u32>, total: u32, write: bool): i32 {
  const server = a.server;
  if (a.count == 0 || server === null || server.state == PS_EXITED || a.at != offset || total == 0 || (write && heldBytes(a) < <u64>total)) {
    forget(a);
    return -1;
  }
  let done: u32 = 0;
  let seg = 0;
  let into: u32 = 0; // bytes of caller segment `seg` already done
  while (done < total && a.count > 0 && seg < segs.length) {
    const buf = a.spans[2 * a.first];
    const len = a.spans[2 * a.first + 1];
    const n = min(len, segs[seg + 1] - into);
    if (!inRange(server, buf, <u64>n)) break;
    const ok = write ? copyBetween(caller, segs[seg] + into, server, buf, n) : copyBetween(server, buf, caller, segs[seg] + into, n);
    if (!ok) break;
    done += n;
    into += n;
    if (into == segs[seg + 1]) {
      seg += 2;
      into = 0;
    }
    if (n == len) {
      a.first++;
      a.count--;
    } else {
      a.spans[2 * a.first] = buf + n;
      a.spans[2 * a.first + 1] = len - n;
    }
  }
  if (done == 0) {
    forget(a);
    return -1;
  }
  a.at += <u64>done;
  if (write) {
    if (a.dirty == 0) dirty.push(a);
    a.dirty += done;
  }
  if (a.count == 0) forget(a);
  return <i32>done;
}
