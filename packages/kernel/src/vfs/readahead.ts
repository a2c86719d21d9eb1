// Read-ahead: the next bytes of a file that is read in order, named by its
// filesystem service once, copied by the kernel as the reader asks for them.
//
// A sequential fd_read of a file sends READ with `value` = READ_AHEAD: the
// service may name, after the bytes the caller asked for, up to that many
// more of the file's next bytes as VfsSegment records of its reply. The
// kernel copies the caller's share as it takes the reply (call.ts) and keeps
// the rest here, on the open file, as spans of the service's memory. The
// reader's next fd_read at the offset where those spans begin is then served
// from them, by one copy from the service's memory, with no request and no
// wait: a program that reads a file in 64 KiB calls makes one request per
// READ_AHEAD bytes instead of one per call.
//
// The spans are the service's promise (docs/vfs.md): they stay the file's
// bytes until the kernel sends it something that may change them. The
// kernel sees every such request, since every file operation goes through
// it, so it drops the spans before the service hears of the change:
// a WRITE or SET_SIZE of the same inode (the one the OPEN reply named), any
// request that changes names (OPEN, MKDIR, UNLINK, RMDIR, RENAME, LINK,
// SYMLINK: `changing` with inode 0, every file of that service), the end of
// the service process that named them, and the close of the file. A READ
// whose reply comes back after such a request was sent keeps no spans (the
// change counter moved while it was out). A span is checked against the
// service's memory again when it is copied. What the service could already
// do — answer with wrong bytes — is all a lying service can do with this.

import { VFS_READ_AHEAD_SPANS, PS_EXITED } from '../../../abi/assembly/index';
import { Endpoint } from '../ipc/channel';
import { Process } from '../process/process';
import { copyBetween, inRange } from '../mm/user';

/** The read-ahead of one open file: spans of the server's memory holding the file's bytes from offset `at` on. */
export class Ahead {
  server: Process | null = null;
  at: u64 = 0;
  /** (buf, len) pairs; spans first..first+count-1 are live. */
  spans: StaticArray<u32> = new StaticArray<u32>(2 * VFS_READ_AHEAD_SPANS);
  first: i32 = 0;
  count: i32 = 0;
  listed: bool = false;

  /** ep: the file's service endpoint; ino: its inode, as the OPEN reply named it. */
  constructor(public ep: Endpoint, public ino: u64) {}
}

/** Every Ahead holding spans (one per open file at most: bounded by the open files, which their owners pay for). */
const held: Array<Ahead> = [];
/** Requests sent that may change some file's bytes, ever. */
let changes: u32 = 0;

/** The change counter: a READ records it as it is sent, and keeps read-ahead only if it has not moved by the reply. */
export function changeCount(): u32 {
  return changes;
}

/** Drop a's spans. */
export function forget(a: Ahead): void {
  a.count = 0;
  a.server = null;
  if (!a.listed) return;
  a.listed = false;
  held.splice(held.indexOf(a), 1);
}

/** A request that may change file bytes goes to ep: drop the read-ahead of inode ino there (of every file there when ino is 0). */
export function changing(ep: Endpoint, ino: u64): void {
  changes++;
  for (let i = held.length - 1; i >= 0; i--) {
    const a = held[i];
    if (a.ep === ep && (ino == 0 || a.ino == ino)) forget(a);
  }
}

/** A READ reply's segments past the caller's share start: they hold the file from offset `at`, in server's memory. */
export function begin(a: Ahead, server: Process, at: u64): void {
  forget(a);
  a.server = server;
  a.at = at;
  a.first = 0;
  a.listed = true;
  held.push(a);
}

/** One more span of a's read-ahead (already checked against the server's memory); past VFS_READ_AHEAD_SPANS it is not kept. */
export function add(a: Ahead, buf: u32, len: u32): void {
  if (len == 0 || a.count >= VFS_READ_AHEAD_SPANS) return;
  a.spans[2 * a.count] = buf;
  a.spans[2 * a.count + 1] = len;
  a.count++;
}

/**
 * Serve a read of the file at `offset` into the caller's segments (checked
 * (ptr, len) pairs, `total` bytes) from a's spans: the bytes copied, or -1
 * when the read-ahead does not hold the bytes at offset (it is then dropped,
 * and the read goes to the service).
 */
export function serve(a: Ahead, offset: u64, caller: Process, segs: Array<u32>, total: u32): i32 {
  const server = a.server;
  if (a.count == 0 || server === null || server.state == PS_EXITED || a.at != offset || total == 0) {
    forget(a);
    return -1;
  }
  let done: u32 = 0;
  let seg = 0;
  let into: u32 = 0; // bytes of caller segment `seg` already filled
  while (done < total && a.count > 0 && seg < segs.length) {
    const buf = a.spans[2 * a.first];
    const len = a.spans[2 * a.first + 1];
    const room = segs[seg + 1] - into;
    const n = min(len, room);
    if (!inRange(server, buf, <u64>n) || !copyBetween(server, buf, caller, segs[seg] + into, n)) break;
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
  if (a.count == 0) forget(a);
  return <i32>done;
}
