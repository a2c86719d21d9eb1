// sh's programs from the file system: a command that is no image-table name
// may be a .wasm file — the path given (`./tool.wasm`, `/tmp/x`), or
// NAME.wasm or NAME in /bin — and the shell runs it. The machine compiles
// programs itself, so sh reads the file (through the vfs, like any file)
// and hands its bytes to the loader device (packages/hal-web/src/devices/loader.ts),
// whose handle the playground's manifest gives sh: the loader checks and
// prepares the module as every program is prepared and adds it to the image
// table, answering with its image id, which sh spawns like any other. A
// machine without the device (the CLI, bare metal, whose programs are
// compiled ahead of time) says so instead. A module that cannot be an ONCRIX
// program gets the loader's own reason (a missing _start, an import the
// kernel does not serve).

import {
  HOST_REQUEST_SIZE, LOADER_LOAD, LOADER_ERROR, WASI_FD_FILESTAT_GET, WASI_FILESTAT_BYTES, WASI_FILETYPE_REGULAR_FILE,
  WASI_EAGAIN, WASI_ENOEXEC, WASI_ENODEV,
} from "../../../abi/assembly/index";
import { Handle, sleep, wasi, pathOpen, pathType, fdRead, fdClose, wasiErrorText, dmaRequest } from "../../lib/index";

/** The biggest program file sh loads (its bytes pass through sh's own memory). */
const MAX_PROGRAM_BYTES: u64 = 4 << 20;
/** While the loader is still being loaded (the first time): ask again this often (µs), at most this many times. */
const RETRY_US = 100_000;
const RETRIES = 300;

const block = memory.data(HOST_REQUEST_SIZE);
const stat = memory.data(64);

/** The file a command names, as a path below / (for `root`), or "" when it names none. */
export function programFile(root: i32, word: string, belowRoot: (path: string) => string): string {
  const candidates = word.indexOf("/") >= 0 ? [word] : ["/bin/" + word + ".wasm", "/bin/" + word];
  for (let i = 0; i < candidates.length; i++) {
    const rel = belowRoot(candidates[i]);
    if (pathType(root, rel) == WASI_FILETYPE_REGULAR_FILE) return rel;
  }
  return "";
}

function request(dev: Handle, op: i32, buf: usize, len: i32, offset: u64): i32 {
  return dmaRequest(dev, block, op, 0, buf, len, offset, -WASI_ENODEV); // a refused register write: no usable device
}

/** What happened to a load: the image id (>= 0), or why not in words. */
export class Loaded {
  image: i32 = -1;
  error: string = "";
}

/** Read the program file at `rel` (below root) and have the loader make it an image named `name`. */
export function loadProgramFile(loader: Handle, root: i32, rel: string, name: string): Loaded {
  const out = new Loaded();
  if (loader <= 0) {
    out.error = "this machine cannot load programs from files (no loader device: its programs are built in)";
    return out;
  }
  const fd = pathOpen(root, rel, 0, 0);
  if (fd < 0) {
    out.error = wasiErrorText(-fd);
    return out;
  }
  const e = wasi(WASI_FD_FILESTAT_GET, <u32>fd, stat);
  const size = e == 0 ? load<u64>(stat + WASI_FILESTAT_BYTES) : 0;
  if (e != 0 || size > MAX_PROGRAM_BYTES) {
    fdClose(fd);
    out.error = e != 0 ? wasiErrorText(e) : "too big to load (" + size.toString() + " bytes; at most " + MAX_PROGRAM_BYTES.toString() + ")";
    return out;
  }
  const n = String.UTF8.encode(name);
  const buf = new ArrayBuffer(n.byteLength + <i32>size);
  const at = changetype<usize>(buf);
  memory.copy(at, changetype<usize>(n), n.byteLength);
  let got = 0;
  while (got < <i32>size) {
    const r = fdRead(fd, at + n.byteLength + got, <i32>size - got);
    if (r <= 0) break;
    got += r;
  }
  fdClose(fd);
  if (got < <i32>size) {
    out.error = "could not read all of it";
    return out;
  }
  let r = request(loader, LOADER_LOAD, at, buf.byteLength, n.byteLength);
  for (let i = 0; r == -WASI_EAGAIN && i < RETRIES; i++) { // the loader itself is still on its way (only the first time)
    sleep(RETRY_US);
    r = request(loader, LOADER_LOAD, at, buf.byteLength, n.byteLength);
  }
  if (r >= 0) {
    out.image = r;
  } else if (r == -WASI_ENOEXEC) {
    const text = new ArrayBuffer(512);
    const len = request(loader, LOADER_ERROR, changetype<usize>(text), 512, 0);
    out.error = "not a program ONCRIX can run: " + String.UTF8.decodeUnsafe(changetype<usize>(text), min(max(len, 0), 512));
  } else {
    out.error = r == -WASI_EAGAIN ? "the program loader did not come up" : wasiErrorText(-r);
  }
  return out;
}
