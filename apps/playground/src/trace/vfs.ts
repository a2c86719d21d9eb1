// File operations as the trace shows them: a request the kernel's vfs sends
// to a filesystem service on a process's behalf, and the service's reply.
//
// The kernel traces such a request as a MSG_SEND from pid 0 whose payload is
// a VfsRequest header and the path below the mount (the first LOG_MAX_BYTES
// bytes of it), and whose last argument names the process it acts for
// (forPid); the reply is an ordinary MSG_SEND by the service, carrying the
// same transaction id and a VfsReply header. This module reads both from
// the trace model, with every offset and operation name taken from
// packages/abi, and says them in a sentence: "the kernel asks ramfs to open
// /tmp/notes.txt, creating it, on behalf of cat (pid 7)". Operations on an
// open file (READ, WRITE…) name the file by the path its OPEN had, found by
// looking back for the reply that gave out that open-file id on the same
// channel.

import { TRACE, VFS_OP, WASI_FLAGS, nameOf, sizeOf, spec, type TraceEvent } from '@oncrix/abi';
import { vfsRequestOf, replyHeader, type VfsRequest, type VfsReply } from './vfs-message.js';

export { vfsRequestOf, type VfsRequest, type VfsReply } from './vfs-message.js';
import { eventAt, holdersOf, partnerOf, type TraceModel } from './model.js';
import { procName } from './describe.js';

/** A mount: a filesystem service at an absolute path (the boot manifest's `mounts`). */
export interface MountPoint {
  path: string;
  service: string;
}

/** The mounts of the default boot manifest, when the caller knows no others. */
export const DEFAULT_MOUNTS: readonly MountPoint[] = [
  { path: '/', service: 'ramfs' },
  { path: '/dev', service: 'devfs' },
  { path: '/dev/console', service: 'console' },
];

/** How far back a sentence looks for the request of a reply or the OPEN of a file. */
const LOOK_BACK = 20000;

/** The global number of the kernel's request with this txid, looking back from g (-1: none kept). */
function requestBefore(m: TraceModel, g: number, txid: number): number {
  for (let i = g - 1; i >= Math.max(m.base, g - LOOK_BACK); i--) {
    const e = eventAt(m, i);
    if (e !== undefined && e.kind === TRACE.MSG_SEND && e.pid === 0 && (e.args[4] ?? 0) >>> 0 === txid >>> 0) return i;
  }
  return -1;
}

/** A reply to a kernel vfs request: the reply and the request it answers (null when ev is not one). */
export function vfsReplyOf(m: TraceModel, ev: TraceEvent, g: number): { reply: VfsReply; request: VfsRequest; at: number } | null {
  if (ev.kind !== TRACE.MSG_SEND || ev.pid === 0) return null;
  const reply = replyHeader(ev);
  if (reply === null || reply.txid === 0) return null;
  const at = requestBefore(m, g, reply.txid);
  const reqEv = at >= 0 ? eventAt(m, at) : undefined;
  const request = reqEv !== undefined ? vfsRequestOf(reqEv) : null;
  if (request === null || (reqEv?.args[1] ?? 0) !== (ev.args[0] ?? 0)) return null; // not on the channel it was sent to
  return { reply, request, at };
}

/**
 * The service a request at g went to: the process that took it off the
 * queue, else a holder of the channel end other than init (which keeps a
 * service's end to hand to its next instance), by name.
 */
function serviceOf(m: TraceModel, g: number, koid: number): string {
  const took = partnerOf(m, g);
  const taker = took >= 0 ? eventAt(m, took)?.pid ?? 0 : 0;
  if (taker > 0) return procName(m, taker);
  const holders = holdersOf(m, koid);
  const holder = holders.find((p) => p !== 1) ?? holders[0];
  return holder !== undefined ? procName(m, holder) : 'a filesystem service';
}

/** An absolute path from a path below the mount of `service`. */
function absolute(service: string, rest: string, mounts: readonly MountPoint[]): string {
  const mount = mounts.find((x) => x.service === service)?.path ?? '/';
  if (rest === '' || rest === '.') return mount;
  return mount.endsWith('/') ? `${mount}${rest}` : `${mount}/${rest}`;
}

/** The path the open-file id `file` was opened with on this channel end, if the trace still shows its OPEN. */
function pathOfFile(m: TraceModel, g: number, peerKoid: number, file: number, service: string, mounts: readonly MountPoint[]): string | null {
  for (let i = g - 1; i >= Math.max(m.base, g - LOOK_BACK); i--) {
    const e = eventAt(m, i);
    if (e === undefined || e.kind !== TRACE.MSG_SEND || e.pid === 0 || (e.args[0] ?? 0) !== peerKoid) continue;
    const r = vfsReplyOf(m, e, i);
    if (r !== null && r.request.op === VFS_OP.OPEN && r.reply.errno === 0 && r.reply.value === file) {
      return absolute(service, r.request.path, mounts) + (r.request.cut ? '…' : '');
    }
  }
  return null;
}

/** What the OPEN flags ask for, as a clause (", creating it and emptying it"). */
function openWords(flags: number): string {
  const oflags = flags & 0xff;
  const fdflags = (flags >>> 8) & 0xff;
  const parts: string[] = [];
  if ((oflags & WASI_FLAGS.O_CREAT) !== 0) parts.push((oflags & WASI_FLAGS.O_EXCL) !== 0 ? 'creating it (it must not exist yet)' : 'creating it if it does not exist');
  if ((oflags & WASI_FLAGS.O_TRUNC) !== 0) parts.push('emptying it');
  if ((oflags & WASI_FLAGS.O_DIRECTORY) !== 0) parts.push('as a directory');
  if ((fdflags & WASI_FLAGS.FDFLAG_APPEND) !== 0) parts.push('for appending');
  return parts.length > 0 ? `, ${parts.join(' and ')}` : '';
}

/** "the file /tmp/a.txt" or "open file 3". */
function fileWords(m: TraceModel, g: number, ev: TraceEvent, r: VfsRequest, service: string, mounts: readonly MountPoint[]): string {
  if (r.file === spec.Vfs.ROOT.value && r.op === VFS_OP.FSTAT) return `its root (${absolute(service, '', mounts)})`;
  const path = pathOfFile(m, g, ev.args[1] ?? 0, r.file, service, mounts);
  return path !== null ? `${path} (open file ${r.file})` : `open file ${r.file}`;
}

/** The operation a request asks for, in words: "open /tmp/a.txt, creating it". */
export function requestWords(m: TraceModel, ev: TraceEvent, g: number, r: VfsRequest, mounts: readonly MountPoint[] = DEFAULT_MOUNTS): string {
  const service = serviceOf(m, g, ev.args[1] ?? 0);
  const path = absolute(service, r.path, mounts) + (r.cut ? '…' : '');
  const path2 = r.path2 + (r.cut ? '…' : '');
  const file = (): string => fileWords(m, g, ev, r, service, mounts);
  const bytes = (n: number): string => `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  switch (r.op) {
    case VFS_OP.OPEN: return `open ${path}${openWords(r.flags)}`;
    case VFS_OP.CLOSE: return `forget ${file()}: its last descriptor was closed`;
    case VFS_OP.READ: return `read up to ${bytes(r.count)} at offset ${r.offset} of ${file()}`;
    case VFS_OP.WRITE: return `write ${bytes(r.count)} ${(r.flags & spec.Vfs.APPEND.value) !== 0 ? 'at the end' : `at offset ${r.offset}`} of ${file()}`;
    case VFS_OP.STAT: return `describe ${path} (its type, size and times)`;
    case VFS_OP.FSTAT: return `describe ${file()} (its type, size and times)`;
    case VFS_OP.SET_SIZE: return `set the size of ${file()} to ${bytes(Number(r.offset))}`;
    case VFS_OP.SET_TIMES: return `set the times of ${r.path !== '' ? path : file()}`;
    case VFS_OP.READDIR: return `list the directory ${file()} from entry cookie ${r.offset}`;
    case VFS_OP.MKDIR: return `make the directory ${path}`;
    case VFS_OP.UNLINK: return `remove ${path}`;
    case VFS_OP.RMDIR: return `remove the empty directory ${path}`;
    case VFS_OP.RENAME: return `rename ${path} to ${absolute(service, path2, mounts)}`;
    case VFS_OP.LINK: return `make ${absolute(service, path2, mounts)} a second name of ${path}`;
    case VFS_OP.SYMLINK: return `make ${path} a symbolic link to ${path2}`;
    case VFS_OP.READLINK: return `read the target of the symbolic link ${path}`;
    case VFS_OP.SYNC: return `write ${file()} out`;
    case VFS_OP.WROTE: return `take ${bytes(r.count)} at offset ${r.offset} of ${file()} as written: the kernel copied them into the room ${service} gave the file, answering each write at once`;
    default: return `do operation ${r.op}`;
  }
}

/** "on behalf of cat (pid 7)", or "" when the record names nobody (a CLOSE). */
function behalf(m: TraceModel, forPid: number): string {
  return forPid > 0 ? ` on behalf of ${procName(m, forPid)} (pid ${forPid})` : '';
}

/** The sentence of a vfs request the kernel sent (null when ev is not one). */
export function vfsRequestSentence(m: TraceModel, ev: TraceEvent, g: number, mounts: readonly MountPoint[] = DEFAULT_MOUNTS): string | null {
  const r = vfsRequestOf(ev);
  if (r === null) return null;
  const service = serviceOf(m, g, ev.args[1] ?? 0);
  const op = nameOf(spec.VfsOp, r.op) ?? String(r.op);
  return `The kernel's vfs asks ${service} to ${requestWords(m, ev, g, r, mounts)}${behalf(m, ev.args[6] ?? 0)} `
    + `(message ${op}, ${ev.args[2] ?? 0} bytes, on the kernel's channel to ${service}, transaction ${hexTxid(r.txid)}).`;
}

/** The sentence of a service's reply to a vfs request (null when ev is not one). */
export function vfsReplySentence(m: TraceModel, ev: TraceEvent, g: number, mounts: readonly MountPoint[] = DEFAULT_MOUNTS): string | null {
  const found = vfsReplyOf(m, ev, g);
  if (found === null) return null;
  const { reply, request, at } = found;
  const reqEv = eventAt(m, at);
  if (reqEv === undefined) return null;
  const who = procName(m, ev.pid);
  const asked = requestWords(m, reqEv, at, request, mounts);
  const forPid = reqEv.args[6] ?? 0;
  const outcome = reply.errno === 0 ? `done${resultWords(request.op, reply)}`
    : reply.errno === spec.Vfs.REDIRECT.value ? 'a symbolic link is in the way: the vfs follows it and asks again'
      : `refused with ${nameOf(spec.WasiErrno, reply.errno) ?? reply.errno} (${errnoWhat(reply.errno)})`;
  return `${who} answers the kernel's request #${reqEv.seq} to ${asked}${behalf(m, forPid)}: ${outcome}.`;
}

/** What a successful reply gives back, as a clause. */
function resultWords(op: number, r: VfsReply): string {
  switch (op) {
    case VFS_OP.OPEN: return `, open file ${r.value} (a ${lower(nameOf(spec.WasiFiletype, r.filetype) ?? 'file')})`;
    case VFS_OP.READ: {
      const segments = Math.floor(r.tailBytes / sizeOf('VfsSegment'));
      return segments > 0
        ? `, ${r.value} bytes named in the reply (${segments} ${segments === 1 ? 'segment' : 'segments'} of its memory), which the kernel copies straight into the caller's buffers as it takes the reply (segments past those bytes are read-ahead: the kernel serves the next reads of the file from them without a request)`
        : `, ${r.value} bytes copied straight into the caller's buffers (FD_GRANT_COPY)`;
    }
    case VFS_OP.WRITE: {
      const segments = Math.floor(r.tailBytes / sizeOf('VfsSegment'));
      return segments > 0
        ? `, ${r.value} bytes, which the kernel copies from the caller's buffers into the ${segments === 1 ? 'segment' : `${segments} segments`} of its memory the reply names as it takes it (segments past those bytes are room: the kernel writes the next writes of the file into them at once, and tells it with WROTE)`
        : `, ${r.value} bytes copied from the caller's buffers (FD_GRANT_COPY)`;
    }
    case VFS_OP.READDIR: return `, ${r.value} bytes of directory entries copied to the caller`;
    default: return '';
  }
}

function lower(s: string): string {
  return s.toLowerCase().replace(/_/g, ' ');
}

function errnoWhat(errno: number): string {
  return Object.values(spec.WasiErrno).find((c) => c.value === errno)?.doc ?? 'an error';
}

function hexTxid(txid: number): string {
  return `0x${(txid >>> 0).toString(16)}`;
}
