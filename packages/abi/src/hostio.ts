// The host device's part of the ABI: how `oncrix run` (packages/cli) reaches
// the machine it runs on. The web HAL in Node offers one extra device,
// `host`, only when the CLI asks for it; its one register takes the address
// of a HostRequest in the memory of the process that writes it (the device
// reads and writes that memory directly, as a DMA engine does a driver's
// buffers, bounds-checked by the HAL). Only the holder of the device handle
// can write the register: the `hostrun` driver that the CLI's manifest
// starts. It carries the program's stdout and stderr out, its stdin in, and
// the --dir trees in and out of ramfs as HostEntry archives.
//
// The playground's two devices take the same HostRequest block: `files`,
// held by the `files` driver, brings the page's file-browser jobs (list a
// directory, read a file, write an upload) into the machine — it raises its
// interrupt while a job waits, the driver takes the job, does it with
// ordinary WASI calls (so through the kernel's vfs and ramfs, as any
// program) and hands the answer back; and `loader`, held by `sh`, turns the
// bytes of a .wasm file into a program image the shell can spawn.

import type { ConstantTable, Layout } from './spec.js';

/** Operations of a HostRequest (result: >= 0 on success, or -WasiErrno). */
export const HostOp = {
  WRITE: { value: 1, doc: 'arg = 1 (stdout) or 2 (stderr): buf..buf+len goes to that stream of the host; result = len' },
  READ: { value: 2, doc: 'stdin: up to len bytes into buf; result = bytes, 0 at the end of the input, -AGAIN when none is there yet' },
  PACK: { value: 3, doc: 'arg = --dir index: the bytes of that host directory as a HostEntry archive, from offset; result = bytes (0 at its end)' },
  UNPACK: { value: 4, doc: 'arg = --dir index: append buf..buf+len to the archive that will replace the host directory' },
  UNPACK_END: { value: 5, doc: 'arg = --dir index: make the host directory what the archive says (write what changed, remove what is gone); result = 0' },
  ARGS: { value: 6, doc: 'the program arguments, NUL-terminated each, into buf (at most len bytes); result = their full size' },
  ENV: { value: 7, doc: 'the program environment, NAME=VALUE NUL-terminated each, as ARGS' },
  DIRS: { value: 8, doc: 'result = how many --dir trees there are (the hostrun driver holds a preopen for each, from fd 3)' },
} as const satisfies ConstantTable;

/** Operations of the files device (a HostRequest; result >= 0, or -WasiErrno). */
export const FilesOp = {
  TAKE: { value: 1, doc: 'the waiting job: its path into buf (at most len bytes); the device writes the job kind (FilesJob) into arg and the upload size into offset; result = path bytes, -AGAIN when no job waits' },
  DATA: { value: 2, doc: 'WRITE jobs: up to len bytes of the upload, from offset, into buf; result = bytes (0 at its end)' },
  PUT: { value: 3, doc: 'append buf..buf+len to the answer; result = len, -FBIG past FILES_ANSWER_MAX' },
  DONE: { value: 4, doc: 'arg = WasiErrno (0: done): the job ends and the page gets its answer' },
} as const satisfies ConstantTable;

/** What the page asks of the files driver. */
export const FilesJob = {
  LIST: { value: 1, doc: 'path: a directory; answer: one FilesEntry per entry (without . and ..), each followed by its name' },
  READ: { value: 2, doc: 'path: a regular file; answer: its bytes' },
  WRITE: { value: 3, doc: 'path: a file to create or replace with the upload (DATA)' },
  ANSWER_MAX: { value: 32 << 20, doc: 'most bytes of one answer (a file the browser opens or downloads)' },
} as const satisfies ConstantTable;

/** Operations of the loader device (a HostRequest; result >= 0, or -WasiErrno). */
export const LoaderOp = {
  LOAD: { value: 1, doc: 'buf: offset bytes of program name, then the .wasm module (len bytes in all): run it through the loader; result = its new image id, -NOEXEC when it cannot be an ONCRIX program (ERROR says why), -AGAIN while the loader is still loading' },
  ERROR: { value: 2, doc: 'why the last LOAD failed, as text into buf (at most len bytes); result = its full length' },
} as const satisfies ConstantTable;

export const HostLayouts = {
  HostRequest: {
    size: 32,
    doc: 'one request to the host, files or loader device, in the memory of the process that writes its address to register 0',
    fields: {
      op: { offset: 0, type: 'u32', doc: 'HostOp' },
      arg: { offset: 4, type: 'u32', doc: 'stream or --dir index; files: the job kind (TAKE), the errno (DONE)' },
      buf: { offset: 8, type: 'u32', doc: 'buffer address in the same memory' },
      len: { offset: 12, type: 'u32', doc: 'buffer length' },
      offset: { offset: 16, type: 'u64', doc: 'PACK: archive offset; files DATA: upload offset, TAKE: upload size; LOAD: name bytes' },
      result: { offset: 24, type: 'i32', doc: 'written by the device: bytes, or -WasiErrno' },
    },
  },
  FilesEntry: {
    size: 16,
    doc: 'one directory entry of a files LIST answer; nameLen bytes of name follow',
    fields: {
      type: { offset: 0, type: 'u32', doc: 'WasiFiletype' },
      nameLen: { offset: 4, type: 'u32', doc: 'bytes of the name' },
      bytes: { offset: 8, type: 'u64', doc: 'the file size in bytes' },
    },
  },
  HostEntry: {
    size: 16,
    doc: 'one record of a directory archive: pathLen bytes of path (relative, "/"-separated) follow, then `bytes` bytes (the file, or the link target); type 0 ends the archive',
    fields: {
      type: { offset: 0, type: 'u32', doc: 'WasiFiletype: DIRECTORY, REGULAR_FILE or SYMBOLIC_LINK (0: the end)' },
      pathLen: { offset: 4, type: 'u32', doc: 'bytes of the path' },
      bytes: { offset: 8, type: 'u64', doc: 'bytes of content after the path' },
    },
  },
} as const satisfies Readonly<Record<string, Layout>>;
