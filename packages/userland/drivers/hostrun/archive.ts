// The --dir trees between the host and ramfs, as HostEntry archives
// (packages/abi/src/hostio.ts): unpack() reads the host directory's archive
// from the host device and makes each directory, file and symbolic link
// below a preopen with ordinary WASI calls; pack() walks the tree below a
// preopen the same way (fd_readdir, fd_read, path_readlink) and sends it back.
// Both stream through one 64 KiB buffer, so a file of any size fits.

import {
  HOST_ENTRY_SIZE, HOST_ENTRY_TYPE, HOST_ENTRY_PATH_LEN, HOST_ENTRY_BYTES, HOST_PACK, HOST_UNPACK, HOST_UNPACK_END,
  WASI_PATH_CREATE_DIRECTORY, WASI_PATH_SYMLINK, WASI_PATH_READLINK, WASI_FD_READDIR, WASI_FD_FILESTAT_GET,
  WASI_FILETYPE_DIRECTORY, WASI_FILETYPE_REGULAR_FILE, WASI_FILETYPE_SYMBOLIC_LINK, WASI_O_CREAT, WASI_O_TRUNC,
  WASI_O_DIRECTORY, WASI_EEXIST, WASI_DIRENT_SIZE, WASI_DIRENT_NEXT, WASI_DIRENT_NAMLEN, WASI_DIRENT_TYPE,
  WASI_FILESTAT_BYTES, WASI_EPERM, PATH_MAX,
} from "../../../abi/assembly/index";
import { wasi, pathOpen, fdRead, fdWrite, fdClose, wasiErrorText } from "../../lib/index";
import { host, hostSay } from "./host";

const CHUNK = 65536;
const buf = new ArrayBuffer(CHUNK);
const base = changetype<usize>(buf);
const out = memory.data(64);

/** Archive bytes of one --dir as they arrive: [start, end) of buf is unread. */
class Incoming {
  offset: u64 = 0;
  start: i32 = 0;
  end: i32 = 0;
  error: string = "";

  constructor(public dir: i32) {}

  /** Make at least n bytes readable at buf + start; false at the end of the archive or on an error. */
  need(n: i32): bool {
    while (this.end - this.start < n) {
      if (this.start > 0) {
        memory.copy(base, base + this.start, this.end - this.start);
        this.end -= this.start;
        this.start = 0;
      }
      const r = host(HOST_PACK, this.dir, base + this.end, CHUNK - this.end, this.offset);
      if (r <= 0) {
        this.error = r < 0 ? "the host could not read the directory" : "the archive ends early";
        return false;
      }
      this.offset += <u64>r;
      this.end += r;
    }
    return true;
  }
}

/** Write all of buf..buf+len to fd; an error text, or "". */
function writeAll(fd: i32, at: usize, len: i32): string {
  for (let done = 0; done < len;) {
    const n = fdWrite(fd, at + done, len - done);
    if (n <= 0) return wasiErrorText(n < 0 ? -n : 0);
    done += n;
  }
  return "";
}

function str(s: string): ArrayBuffer {
  return String.UTF8.encode(s);
}

/** Copy the host's --dir `dir` into the tree below preopen `root`; an error text, or "". */
export function unpack(dir: i32, root: i32): string {
  const a = new Incoming(dir);
  while (true) {
    if (!a.need(HOST_ENTRY_SIZE)) return a.error;
    const type = load<u32>(base + a.start + HOST_ENTRY_TYPE);
    const pathLen = <i32>load<u32>(base + a.start + HOST_ENTRY_PATH_LEN);
    let left = load<u64>(base + a.start + HOST_ENTRY_BYTES);
    a.start += HOST_ENTRY_SIZE;
    if (type == 0) return "";
    if (pathLen > PATH_MAX || !a.need(pathLen)) return a.error.length > 0 ? a.error : "a path is too long";
    const path = String.UTF8.decodeUnsafe(base + a.start, pathLen);
    a.start += pathLen;
    if (type == WASI_FILETYPE_DIRECTORY) {
      const p = str(path);
      const e = wasi(WASI_PATH_CREATE_DIRECTORY, <u32>root, changetype<usize>(p), p.byteLength);
      if (e != 0 && e != WASI_EEXIST) return path + ": " + wasiErrorText(e);
    } else if (type == WASI_FILETYPE_SYMBOLIC_LINK) {
      if (left > <u64>PATH_MAX || !a.need(<i32>left)) return path + ": the link target is too long";
      const p = str(path);
      const e = wasi(WASI_PATH_SYMLINK, base + a.start, left, <u32>root, changetype<usize>(p), p.byteLength);
      a.start += <i32>left;
      if (e == WASI_EPERM) hostSay("--dir " + (dir + 1).toString() + ": " + path + " links to an absolute path, which WASI programs cannot make or follow; left out");
      else if (e != 0) return path + ": " + wasiErrorText(e);
    } else {
      const fd = pathOpen(root, path, WASI_O_CREAT | WASI_O_TRUNC, 0);
      if (fd < 0) return path + ": " + wasiErrorText(-fd);
      while (left > 0) {
        if (a.end == a.start && !a.need(1)) {
          fdClose(fd);
          return a.error;
        }
        const n = <i32>min(<u64>(a.end - a.start), left);
        const e = writeAll(fd, base + a.start, n);
        if (e.length > 0) {
          fdClose(fd);
          return path + ": " + e;
        }
        a.start += n;
        left -= <u64>n;
      }
      fdClose(fd);
    }
  }
  return "";
}

/** Archive bytes of one --dir on their way out: buf..buf+len waits to be sent. */
class Outgoing {
  len: i32 = 0;
  ok: bool = true;

  constructor(public dir: i32) {}

  flush(): void {
    if (this.len > 0 && host(HOST_UNPACK, this.dir, base, this.len) < 0) this.ok = false;
    this.len = 0;
  }

  /** Room for n more bytes at buf + len (n <= CHUNK). */
  room(n: i32): usize {
    if (this.len + n > CHUNK) this.flush();
    return base + this.len;
  }

  bytes(at: usize, n: i32): void {
    memory.copy(this.room(n), at, n);
    this.len += n;
  }

  header(type: u32, path: ArrayBuffer, bytes: u64): void {
    const at = this.room(HOST_ENTRY_SIZE);
    store<u32>(at + HOST_ENTRY_TYPE, type);
    store<u32>(at + HOST_ENTRY_PATH_LEN, path.byteLength);
    store<u64>(at + HOST_ENTRY_BYTES, bytes);
    this.len += HOST_ENTRY_SIZE;
    this.bytes(changetype<usize>(path), path.byteLength);
  }
}

/** The names and types in directory `path` below root ("." for root itself), without . and .. */
function listDir(root: i32, path: string, names: Array<string>, types: Array<u8>): string {
  const fd = pathOpen(root, path, WASI_O_DIRECTORY, 0);
  if (fd < 0) return path + ": " + wasiErrorText(-fd);
  const size = 4096;
  const list = new ArrayBuffer(size);
  const at = changetype<usize>(list);
  let cookie: u64 = 0;
  for (;;) {
    const e = wasi(WASI_FD_READDIR, <u32>fd, at, size, cookie, out);
    if (e != 0) {
      fdClose(fd);
      return path + ": " + wasiErrorText(e);
    }
    const used = load<u32>(out);
    let i: u32 = 0;
    let whole = 0;
    while (i + <u32>WASI_DIRENT_SIZE <= used) {
      const namlen = load<u32>(at + i + WASI_DIRENT_NAMLEN);
      if (i + <u32>WASI_DIRENT_SIZE + namlen > used) break; // cut off at the end of the buffer: read again from here
      const name = String.UTF8.decodeUnsafe(at + i + WASI_DIRENT_SIZE, namlen);
      if (name != "." && name != "..") {
        names.push(name);
        types.push(load<u8>(at + i + WASI_DIRENT_TYPE));
      }
      cookie = load<u64>(at + i + WASI_DIRENT_NEXT);
      i += <u32>WASI_DIRENT_SIZE + namlen;
      whole++;
    }
    if (used < <u32>size) break;
    if (whole == 0) {
      fdClose(fd);
      return path + ": an entry too long to read";
    }
  }
  fdClose(fd);
  return "";
}

/** Send the tree below `path` (relative to root; "" for root) into o; an error text, or "". */
function walk(o: Outgoing, root: i32, path: string): string {
  const names = new Array<string>();
  const types = new Array<u8>();
  const e = listDir(root, path.length == 0 ? "." : path, names, types);
  if (e.length > 0) return e;
  for (let i = 0; i < names.length; i++) {
    const child = path.length == 0 ? names[i] : path + "/" + names[i];
    const p = str(child);
    const type = types[i];
    if (type == WASI_FILETYPE_DIRECTORY) {
      o.header(WASI_FILETYPE_DIRECTORY, p, 0);
      const w = walk(o, root, child);
      if (w.length > 0) return w;
    } else if (type == WASI_FILETYPE_SYMBOLIC_LINK) {
      const target = new ArrayBuffer(PATH_MAX);
      const r = wasi(WASI_PATH_READLINK, <u32>root, changetype<usize>(p), p.byteLength, changetype<usize>(target), PATH_MAX, out);
      if (r != 0) return child + ": " + wasiErrorText(r);
      const n = load<u32>(out);
      o.header(WASI_FILETYPE_SYMBOLIC_LINK, p, n);
      o.bytes(changetype<usize>(target), n);
    } else if (type == WASI_FILETYPE_REGULAR_FILE) {
      const fd = pathOpen(root, child, 0, 0);
      if (fd < 0) return child + ": " + wasiErrorText(-fd);
      const s = wasi(WASI_FD_FILESTAT_GET, <u32>fd, out);
      if (s != 0) {
        fdClose(fd);
        return child + ": " + wasiErrorText(s);
      }
      let left = load<u64>(out + WASI_FILESTAT_BYTES);
      o.header(WASI_FILETYPE_REGULAR_FILE, p, left);
      while (left > 0) {
        const want = <i32>min(left, <u64>CHUNK);
        const at = o.room(want);
        const n = fdRead(fd, at, want);
        if (n <= 0) {
          fdClose(fd);
          return child + ": " + (n < 0 ? wasiErrorText(-n) : "shorter than its size");
        }
        o.len += n;
        left -= <u64>n;
      }
      fdClose(fd);
    } // other types (a device node) have no place on the host
  }
  return "";
}

/** Send the tree below preopen root back to the host's --dir `dir`, which is made to match it; an error text, or "". */
export function pack(dir: i32, root: i32): string {
  const o = new Outgoing(dir);
  const e = walk(o, root, "");
  if (e.length > 0) return e;
  o.header(0, new ArrayBuffer(0), 0); // the end
  o.flush();
  if (!o.ok) return "the host refused the archive";
  const r = host(HOST_UNPACK_END, dir, 0, 0);
  return r < 0 ? "the host could not write the directory back" : "";
}
