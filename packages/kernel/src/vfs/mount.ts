// The mount table and path arithmetic of the vfs.
//
// A mount is an endpoint the kernel holds — its end of a channel whose other
// end a filesystem service (ramfs, devfs, the console) serves — and the
// absolute path it answers for. The kernel's paths are absolute and already
// normalized: components joined by "/", no leading "/" ("" is the root), no
// "", "." or ".." components. `normalize` makes one from a directory and a
// relative path, lexically, and refuses one that climbs above the preopen it
// started from: that is the whole of "no escape" — a service only ever sees
// the part of a normalized path below its mount point. The longest mount
// whose path covers a path owns it.
//
// A Mount is counted by what uses it — its place in the mount table, every
// open file that names it, every request in flight to it — and the kernel
// holds its endpoint (one kernel reference, however many Mounts share it)
// only while some Mount of it is used: when the last use goes, the endpoint
// is let go, and with its last handle gone the service sees PEER_CLOSED. So
// a stream or mount whose users have all ended leaves nothing behind.

import { Endpoint } from '../ipc/channel';
import { dropKernelRef } from '../cap/ops';

/** A mount: its absolute path ("" for /; a stream made from a handle is in no table), its endpoint, its dev number. */
export class Mount {
  /** Uses: a mount-table entry, open files, requests in flight (useMount / releaseMount). */
  users: i32 = 0;

  constructor(public path: string, public ep: Endpoint, public dev: u32) {}
}

/** Mounts reached by path. */
export const mounts: Array<Mount> = [];
/** Every Mount in use (in the table, or named by files or requests), so one endpoint at one path is one Mount. */
const held: Array<Mount> = [];
let nextDev: u32 = 1;

/** The Mount for an endpoint at path, with one more use (the caller's); the kernel holds the endpoint while a Mount of it is used. */
export function holdEndpoint(ep: Endpoint, path: string): Mount {
  for (let i = 0; i < held.length; i++) {
    if (held[i].ep === ep && held[i].path == path) return useMount(held[i]);
  }
  const m = new Mount(path, ep, nextDev++);
  if (!ep.kernelHeld) {
    ep.kernelHeld = true;
    ep.kernelRefs++;
  }
  held.push(m);
  return useMount(m);
}

/** One more use of m. */
export function useMount(m: Mount): Mount {
  m.users++;
  return m;
}

/** One use of m ended; with its last, and no other Mount of its endpoint in use, the kernel lets the endpoint go. */
export function releaseMount(m: Mount): void {
  if (--m.users > 0) return;
  held.splice(held.indexOf(m), 1);
  for (let i = 0; i < held.length; i++) if (held[i].ep === m.ep) return;
  m.ep.kernelHeld = false;
  dropKernelRef(m.ep);
}

/** Does the mount at mp cover path? */
function covers(mp: string, path: string): bool {
  return mp.length == 0 || path == mp || (path.startsWith(mp) && path.charCodeAt(mp.length) == 47);
}

/** The mount owning an absolute path, or null when nothing is mounted above it. */
export function mountFor(path: string): Mount | null {
  let best: Mount | null = null;
  for (let i = 0; i < mounts.length; i++) {
    const m = mounts[i];
    if (covers(m.path, path) && (best === null || m.path.length > best.path.length)) best = m;
  }
  return best;
}

/** The part of path below its mount: what the service is sent. */
export function restOf(m: Mount, path: string): string {
  if (m.path.length == 0) return path;
  return path.length > m.path.length ? path.substring(m.path.length + 1) : '';
}

/**
 * rel (a relative path) joined to the directory base, normalized; null when
 * a ".." would climb above root (a prefix of base: the preopen's path).
 */
export function normalize(base: string, rel: string, root: string): string | null {
  const parts = base.length > 0 ? base.split('/') : new Array<string>();
  const floor = root.length > 0 ? root.split('/').length : 0;
  const more = rel.split('/');
  for (let i = 0; i < more.length; i++) {
    const c = more[i];
    if (c.length == 0 || c == '.') continue;
    if (c == '..') {
      if (parts.length <= floor) return null;
      parts.pop();
    } else {
      parts.push(c);
    }
  }
  return parts.join('/');
}

/** The directory part of an absolute path ("" for a name at the root). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.substring(0, i);
}
