// files: the playground's file browser inside the machine. The page cannot
// reach ramfs itself — nothing outside the machine can — so it asks this
// driver, through the files device (packages/hal-web/src/devices/files.ts),
// and the driver does what any program would: WASI calls on its preopen of
// /, which the kernel's vfs turns into messages to ramfs. So the trace shows
// every step of a refresh, an open or an upload as the vfs requests they
// are, on behalf of `files`.
//
// The loop: wait for the device's interrupt (a job waits), take the job
// (FILES_TAKE: its kind and absolute path), do it, hand the answer back in
// pieces (FILES_PUT), end it with its errno (FILES_DONE), acknowledge the
// interrupt. Jobs:
//
//   LIST  path   fd_readdir on the directory, path_filestat_get per entry:
//                one FilesEntry (type, size, name length) + name each
//   READ  path   the file's bytes, read in 64 KiB pieces
//   WRITE path   create or replace the file with the upload, pulled from
//                the device in 64 KiB pieces (FILES_DATA); ramfs's quota
//                answers NOSPC when it is full, and the page says so (the
//                partial file is removed again)
//
// At start it makes /tmp (where uploads go unless the page says otherwise)
// and /bin (uploaded programs, which sh finds there by name).
//
// Capabilities (the playground's manifest): the files device and its IRQ,
// and a preopen of / (fd 3).

import {
  TAG_DEVICE_BASE, TAG_IRQ_BASE, HOST_REQUEST_SIZE, HOST_REQUEST_ARG, HOST_REQUEST_OFFSET, FILES_TAKE, FILES_DATA, FILES_PUT, FILES_DONE, FILES_LIST, FILES_READ, FILES_WRITE,
  FILES_ENTRY_SIZE, FILES_ENTRY_TYPE, FILES_ENTRY_NAME_LEN, FILES_ENTRY_BYTES, WASI_FD_READDIR, WASI_PATH_FILESTAT_GET,
  WASI_FILESTAT_FILETYPE, WASI_FILESTAT_BYTES, WASI_DIRENT_SIZE, WASI_DIRENT_NEXT, WASI_DIRENT_NAMLEN, WASI_DIRENT_TYPE,
  WASI_O_DIRECTORY, WASI_O_CREAT, WASI_O_TRUNC, WASI_EINVAL, WASI_EIO, WASI_EAGAIN, WASI_EEXIST, WASI_PATH_CREATE_DIRECTORY, WASI_PATH_UNLINK_FILE,
  PATH_MAX,
} from "../../abi/assembly/index";
import {
  Handle, startup, debugLog, errorName, processExit, notifyCreate, notifyWait, irqBind, irqAck, wasi, pathOpen,
  fdRead, fdWrite, fdClose, dmaRequest,
} from "../lib/index";

/** The files device is the fourth boot device of the playground's machine (uart, rom, entropy, files, loader). */
const FILES_DEVICE = 3;
/** The preopen of / the manifest gives. */
const ROOT = 3;
const IRQ_BIT = 0;
const CHUNK = 65536;

const block = memory.data(HOST_REQUEST_SIZE);
const data = new ArrayBuffer(CHUNK);
const dataAt = changetype<usize>(data);
const pathBuf = new ArrayBuffer(PATH_MAX);
const out = memory.data(64);
const entry = memory.data(FILES_ENTRY_SIZE);

let device: Handle = 0;

/** One request to the device; its result (>= 0, or -errno), or a negative ERR_* when the write itself failed. */
function dev(op: i32, arg: i32, buf: usize, len: i32, offset: u64 = 0): i32 {
  return dmaRequest(device, block, op, arg, buf, len, offset);
}

/** Append bytes to the job's answer; 0, or the errno that ends the job. */
function put(at: usize, len: i32): i32 {
  const r = dev(FILES_PUT, 0, at, len);
  return r < 0 ? -r : 0;
}

/** The path below the preopen of / for an absolute path ("." for / itself). */
function rootRelative(path: string): string {
  let p = path;
  while (p.startsWith("/")) p = p.substring(1);
  return p.length > 0 ? p : ".";
}

/** LIST: every entry of the directory but . and .., each with its type and size. */
function list(path: string): i32 {
  const dir = pathOpen(ROOT, rootRelative(path), WASI_O_DIRECTORY, 0);
  if (dir < 0) return -dir;
  let cookie: u64 = 0;
  let errno = 0;
  for (;;) {
    const e = wasi(WASI_FD_READDIR, <u32>dir, dataAt, CHUNK, cookie, out);
    if (e != 0) {
      errno = e;
      break;
    }
    const used = load<u32>(out);
    let i: u32 = 0;
    while (errno == 0 && i + <u32>WASI_DIRENT_SIZE <= used) {
      const namlen = load<u32>(dataAt + i + WASI_DIRENT_NAMLEN);
      if (i + <u32>WASI_DIRENT_SIZE + namlen > used) break; // cut off at the end of the buffer: read again from here
      const nameAt = dataAt + i + WASI_DIRENT_SIZE;
      const name = String.UTF8.decodeUnsafe(nameAt, namlen);
      cookie = load<u64>(dataAt + i + WASI_DIRENT_NEXT);
      const type = load<u8>(dataAt + i + WASI_DIRENT_TYPE);
      i += <u32>WASI_DIRENT_SIZE + namlen;
      if (name == "." || name == "..") continue;
      const n = String.UTF8.encode(name);
      // The size, by a stat of the name in the directory (a link is described, not followed).
      const s = wasi(WASI_PATH_FILESTAT_GET, <u32>dir, 0, changetype<usize>(n), n.byteLength, out);
      store<u32>(entry + FILES_ENTRY_TYPE, s == 0 ? <u32>load<u8>(out + WASI_FILESTAT_FILETYPE) : <u32>type);
      store<u32>(entry + FILES_ENTRY_NAME_LEN, n.byteLength);
      store<u64>(entry + FILES_ENTRY_BYTES, s == 0 ? load<u64>(out + WASI_FILESTAT_BYTES) : 0);
      errno = put(entry, FILES_ENTRY_SIZE);
      if (errno == 0) errno = put(changetype<usize>(n), n.byteLength);
    }
    if (errno != 0 || used < <u32>CHUNK) break;
  }
  fdClose(dir);
  return errno;
}

/** READ: the file's bytes, piece by piece. */
function read(path: string): i32 {
  const fd = pathOpen(ROOT, rootRelative(path), 0, 0);
  if (fd < 0) return -fd;
  let errno = 0;
  for (;;) {
    const n = fdRead(fd, dataAt, CHUNK);
    if (n < 0) {
      errno = -n;
      break;
    }
    if (n == 0) break;
    errno = put(dataAt, n);
    if (errno != 0) break;
  }
  fdClose(fd);
  return errno;
}

/** WRITE: create or replace the file with the upload's `size` bytes. */
function write(path: string, size: u64): i32 {
  const fd = pathOpen(ROOT, rootRelative(path), WASI_O_CREAT | WASI_O_TRUNC, 0);
  if (fd < 0) return -fd;
  let errno = 0;
  let done: u64 = 0;
  while (errno == 0 && done < size) {
    const n = dev(FILES_DATA, 0, dataAt, CHUNK, done);
    if (n <= 0) {
      errno = n < 0 ? -n : WASI_EIO;
      break;
    }
    for (let at = 0; at < n;) {
      const w = fdWrite(fd, dataAt + at, n - at);
      if (w <= 0) {
        errno = w < 0 ? -w : WASI_EIO;
        break;
      }
      at += w;
    }
    done += <u64>n;
  }
  fdClose(fd);
  if (errno != 0) { // a partial upload (ramfs full) would only take the room others need: remove it
    const p = String.UTF8.encode(rootRelative(path));
    wasi(WASI_PATH_UNLINK_FILE, <u32>ROOT, changetype<usize>(p), p.byteLength);
  }
  return errno;
}

/** Make a directory below / unless it is there already. */
function makeDirectory(rel: string): void {
  const p = String.UTF8.encode(rel);
  const e = wasi(WASI_PATH_CREATE_DIRECTORY, <u32>ROOT, changetype<usize>(p), p.byteLength);
  if (e != 0 && e != WASI_EEXIST) debugLog("files: cannot make /" + rel + ": errno " + e.toString());
}

/** Take the waiting job, do it and end it; false when no job was waiting. */
function serveJob(): bool {
  const len = dev(FILES_TAKE, 0, changetype<usize>(pathBuf), PATH_MAX);
  if (len == -WASI_EAGAIN) return false;
  let errno: i32;
  if (len < 0) {
    errno = -len;
  } else {
    const kind = <i32>load<u32>(block + HOST_REQUEST_ARG);
    const size = load<u64>(block + HOST_REQUEST_OFFSET);
    const path = String.UTF8.decodeUnsafe(changetype<usize>(pathBuf), len);
    errno = kind == FILES_LIST ? list(path) : kind == FILES_READ ? read(path) : kind == FILES_WRITE ? write(path, size) : WASI_EINVAL;
  }
  dev(FILES_DONE, errno, 0, 0);
  return true;
}

export function _start(): void {
  const s = startup();
  device = s.handle(TAG_DEVICE_BASE + FILES_DEVICE);
  const irq = s.handle(TAG_IRQ_BASE + FILES_DEVICE);
  if (device <= 0 || irq <= 0) {
    debugLog("files: needs the files device and its irq (the playground's machine has them)");
    processExit(1);
  }
  const notify = notifyCreate();
  const r = notify < 0 ? notify : irqBind(irq, notify, IRQ_BIT);
  if (r < 0) {
    debugLog("files: irq bind: " + errorName(r));
    processExit(1);
  }
  makeDirectory("tmp");
  makeDirectory("bin");
  for (;;) {
    notifyWait(notify, 1 << IRQ_BIT);
    while (serveJob()) {} // every job that waits, then the line again
    irqAck(irq);
  }
}
