// When the file browser refreshes: when the trace shows a file operation
// that changes the tree — a vfs request that creates or empties a file
// (OPEN with O_CREAT or O_TRUNC), writes, resizes, makes or removes a
// directory or a name, renames or links. Reads and listings (the browser's
// own among them) change nothing, so they never cause a refresh: the
// browser cannot chase its own tail.

import { TRACE, VFS_OP, WASI_FLAGS } from '@oncrix/abi';
import { eventCount, kindAt, pidAt, eventAt, type TraceModel } from '../trace/model.js';
import { vfsRequestOf } from '../trace/vfs.js';

const CHANGING: ReadonlySet<number> = new Set([
  VFS_OP.WRITE, VFS_OP.SET_SIZE, VFS_OP.MKDIR, VFS_OP.UNLINK, VFS_OP.RMDIR, VFS_OP.RENAME, VFS_OP.LINK, VFS_OP.SYMLINK,
]);

/** Does this vfs request change what a directory listing shows (names, types, sizes)? */
export function changesTree(op: number, flags: number): boolean {
  if (op === VFS_OP.OPEN) return (flags & (WASI_FLAGS.O_CREAT | WASI_FLAGS.O_TRUNC)) !== 0;
  return CHANGING.has(op);
}

/** Did the kernel ask a filesystem service for a change between events `from` and the newest? Returns that and where to look next time. */
export function treeChangedSince(m: TraceModel, from: number): { changed: boolean; next: number } {
  const end = eventCount(m);
  let changed = false;
  for (let g = Math.max(from, m.base); g < end && !changed; g++) {
    if (kindAt(m, g) !== TRACE.MSG_SEND || pidAt(m, g) !== 0) continue;
    const ev = eventAt(m, g);
    const r = ev !== undefined ? vfsRequestOf(ev) : null;
    if (r !== null && changesTree(r.op, r.flags)) changed = true;
  }
  return { changed, next: end };
}
