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

import { Endpoint } from '../ipc/channel';

/** A mount: its absolute path ("" for /; a stream made from a handle is in no table), its endpoint, its dev number. */
export class Mount {
  constructor(public path: string, public ep: Endpoint, public dev: u32) {}
}

/** Mounts reached by path. */
export const mounts: Array<Mount> = [];
/** Every endpoint the vfs holds (mounts and streams), so one endpoint is held once. */
const held: Array<Mount> = [];

/** The Mount for an endpoint, made (and the endpoint kept alive by the kernel) on first use. */
export function holdEndpoint(ep: Endpoint, path: string): Mount {
  for (let i = 0; i < held.length; i++) if (held[i].ep === ep && held[i].path == path) return held[i];
  const m = new Mount(path, ep, <u32>held.length + 1);
  if (!ep.kernelHeld) {
    ep.kernelHeld = true;
    ep.kernelRefs++;
  }
  held.push(m);
  return m;
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
