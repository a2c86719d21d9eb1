// A host directory as a HostEntry archive and back (`oncrix run --dir`): the
// host device (devices/host.ts) hands the hostrun driver a directory packed
// into one byte string before the program starts, and takes the tree the
// driver packs from ramfs after the program exits, to make the host
// directory match it.
//
// The idea: the guest's tree is data, never a path to follow. Packing walks
// the host tree with lstat and never follows a link; applying checks every
// path of the archive (relative, no `.`, `..` or NUL component), never writes
// through a symbolic link (every parent must be a real directory), leaves
// alone the files whose bytes did not change, and refuses links to absolute
// targets, so nothing the program does reaches outside the directory it was
// given. Hard links come out as separate files. Node only: fs is passed in.

import { offsetOf, sizeOf, WASI_FILETYPE } from '@oncrix/abi';

type Fs = typeof import('node:fs');

const ENTRY = sizeOf('HostEntry');
const TYPE = offsetOf('HostEntry', 'type');
const PATH_LEN = offsetOf('HostEntry', 'pathLen');
const BYTES = offsetOf('HostEntry', 'bytes');

function header(type: number, path: Uint8Array, bytes: number): Uint8Array {
  const h = new Uint8Array(ENTRY);
  const v = new DataView(h.buffer);
  v.setUint32(TYPE, type, true);
  v.setUint32(PATH_LEN, path.length, true);
  v.setBigUint64(BYTES, BigInt(bytes), true);
  return h;
}

/** The archive of everything under root (directories before what they hold), ending with a type-0 record. */
export function packTree(fs: Fs, root: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  const walk = (rel: string): void => {
    for (const name of fs.readdirSync(rel === '' ? root : `${root}/${rel}`).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const full = `${root}/${path}`;
      const st = fs.lstatSync(full);
      const p = enc.encode(path);
      if (st.isDirectory()) {
        parts.push(header(WASI_FILETYPE.DIRECTORY, p, 0), p);
        walk(path);
      } else if (st.isSymbolicLink()) {
        const target = enc.encode(fs.readlinkSync(full));
        parts.push(header(WASI_FILETYPE.SYMBOLIC_LINK, p, target.length), p, target);
      } else if (st.isFile()) {
        const data = fs.readFileSync(full);
        parts.push(header(WASI_FILETYPE.REGULAR_FILE, p, data.length), p, data);
      } // sockets, fifos and devices have no counterpart in ramfs: left out
    }
  };
  walk('');
  parts.push(header(0, new Uint8Array(0), 0));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface Entry {
  type: number;
  path: string;
  data: Uint8Array;
}

/** The records of an archive; throws on a malformed one or a path that could leave the directory. */
export function parseArchive(archive: Uint8Array): Entry[] {
  const v = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const dec = new TextDecoder('utf-8', { fatal: true });
  const out: Entry[] = [];
  for (let at = 0; ;) {
    if (at + ENTRY > archive.length) throw new Error('the archive ends inside a record');
    const type = v.getUint32(at + TYPE, true);
    if (type === 0) return out;
    const pathLen = v.getUint32(at + PATH_LEN, true);
    const bytes = Number(v.getBigUint64(at + BYTES, true));
    const start = at + ENTRY;
    if (start + pathLen + bytes > archive.length) throw new Error('the archive ends inside a record');
    const path = dec.decode(archive.subarray(start, start + pathLen));
    if (path.split('/').some((c) => c === '' || c === '.' || c === '..' || c.includes('\0'))) {
      throw new Error(`the archive names ${JSON.stringify(path)}, which is not a plain relative path`);
    }
    if (type !== WASI_FILETYPE.DIRECTORY && type !== WASI_FILETYPE.REGULAR_FILE && type !== WASI_FILETYPE.SYMBOLIC_LINK) {
      throw new Error(`the archive has a record of type ${type} for ${path}`);
    }
    out.push({ type, path, data: archive.subarray(start + pathLen, start + pathLen + bytes) });
    at = start + pathLen + bytes;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** lstat, or null when nothing is there. */
function lstatOrNull(fs: Fs, path: string): import('node:fs').Stats | null {
  try {
    return fs.lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * Make the host directory root hold exactly what the archive lists. Returns
 * one line per record it could not apply (a link to an absolute path, a
 * parent that is not a directory); throws when the archive is malformed.
 */
export function applyTree(fs: Fs, root: string, archive: Uint8Array): string[] {
  const entries = parseArchive(archive);
  const problems: string[] = [];
  const dec = new TextDecoder();
  const keep = new Set<string>();
  const parentIsDir = (path: string): boolean => {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (lstatOrNull(fs, `${root}/${parts.slice(0, i).join('/')}`)?.isDirectory() !== true) return false;
    }
    return true;
  };
  for (const e of entries) {
    const full = `${root}/${e.path}`;
    if (!parentIsDir(e.path)) {
      problems.push(`${e.path}: its parent is not a directory on the host; not written`);
      continue;
    }
    const st = lstatOrNull(fs, full);
    if (e.type === WASI_FILETYPE.DIRECTORY) {
      if (st !== null && !st.isDirectory()) fs.rmSync(full, { force: true });
      if (st === null || !st.isDirectory()) fs.mkdirSync(full);
    } else if (e.type === WASI_FILETYPE.REGULAR_FILE) {
      if (st !== null && st.isFile() && st.size === e.data.length && sameBytes(fs.readFileSync(full), e.data)) {
        keep.add(e.path);
        continue;
      }
      if (st !== null && !st.isFile()) fs.rmSync(full, { recursive: true, force: true });
      fs.writeFileSync(full, e.data);
    } else {
      const target = dec.decode(e.data);
      if (target.startsWith('/')) {
        problems.push(`${e.path}: a link to the absolute path ${target}; not written`);
        continue;
      }
      if (st !== null && st.isSymbolicLink() && fs.readlinkSync(full) === target) {
        keep.add(e.path);
        continue;
      }
      if (st !== null) fs.rmSync(full, { recursive: true, force: true });
      fs.symlinkSync(target, full);
    }
    keep.add(e.path);
  }
  // What the program removed (or never had) goes: deepest first, never following a link.
  const prune = (rel: string): void => {
    for (const name of fs.readdirSync(rel === '' ? root : `${root}/${rel}`)) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = fs.lstatSync(`${root}/${path}`);
      if (!keep.has(path)) fs.rmSync(`${root}/${path}`, { recursive: true, force: true });
      else if (st.isDirectory()) prune(path);
    }
  };
  prune('');
  return problems;
}
