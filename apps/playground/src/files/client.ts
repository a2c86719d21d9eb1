// The file browser's side of the files device: list a directory, read a
// file, write an upload — each a job for the `files` driver inside the
// machine (packages/userland/drivers/files.ts), which does it with WASI
// calls through the kernel's vfs, so the page never keeps a copy of the file
// system: what it shows is what ramfs answered just now. Errors come back as
// WASI errnos and are said here in words a person can act on.

import { FILES_JOB, WASI_ERRNO, WASI_FILETYPE, nameOf, offsetOf, sizeOf, spec } from '@oncrix/abi';
import type { OncrixSystem, FileAnswer } from '@oncrix/hal-web/system';

/** One entry of a directory as ramfs lists it. */
export interface FileEntry {
  name: string;
  /** Absolute path. */
  path: string;
  type: 'dir' | 'file' | 'link' | 'other';
  size: number;
}

/** A job the driver answered with an error: the errno and a sentence. */
export class FilesError extends Error {
  override name = 'FilesError';
  constructor(readonly errno: number, message: string) {
    super(message);
  }
}

/** How long the page waits for the driver (it may be busy, or absent from a custom manifest). */
const ANSWER_MS = 20_000;

const TYPES: Readonly<Record<number, FileEntry['type']>> = {
  [WASI_FILETYPE.DIRECTORY]: 'dir',
  [WASI_FILETYPE.REGULAR_FILE]: 'file',
  [WASI_FILETYPE.SYMBOLIC_LINK]: 'link',
};

/** A child path: join("/", "tmp") = "/tmp". */
export function join(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** Decode a LIST answer (FilesEntry records, each followed by its name), sorted: directories first, then by name. */
export function decodeEntries(dir: string, bytes: Uint8Array): FileEntry[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = sizeOf('FilesEntry');
  const out: FileEntry[] = [];
  for (let at = 0; at + head <= bytes.length;) {
    const len = v.getUint32(at + offsetOf('FilesEntry', 'nameLen'), true);
    const name = new TextDecoder().decode(bytes.subarray(at + head, at + head + len));
    const type = TYPES[v.getUint32(at + offsetOf('FilesEntry', 'type'), true)] ?? 'other';
    out.push({ name, path: join(dir, name), type, size: Number(v.getBigUint64(at + offsetOf('FilesEntry', 'bytes'), true)) });
    at += head + len;
  }
  return out.sort((a, b) => (a.type === 'dir') !== (b.type === 'dir') ? (a.type === 'dir' ? -1 : 1) : a.name.localeCompare(b.name));
}

/** A failed job in words: what was asked, the errno's name and meaning, and for a full ramfs what to do. */
export function errorText(what: string, errno: number, ramfsQuotaPages: number | null): string {
  const name = nameOf(spec.WasiErrno, errno) ?? String(errno);
  const doc = Object.values(spec.WasiErrno).find((c) => c.value === errno)?.doc ?? 'error';
  if (errno === WASI_ERRNO.NOSPC) {
    const quota = ramfsQuotaPages !== null ? ` (${ramfsQuotaPages} pages of 64 KiB in this manifest: ${Math.round(ramfsQuotaPages / 16)} MiB)` : '';
    return `${what}: ramfs is full (NOSPC). It keeps files in its own memory, and its quota${quota} has no room for this; nothing was kept. Remove files, or give ramfs a bigger quota in boot….`;
  }
  if (errno === WASI_ERRNO.FBIG) return `${what}: too big for the file browser to carry (FBIG; at most ${FILES_JOB.ANSWER_MAX >> 20} MiB).`;
  return `${what}: ${name} (${doc}).`;
}

export class FilesClient {
  constructor(private readonly sys: OncrixSystem) {}

  /** Does this machine have the files driver? (a custom manifest may leave it out) */
  get available(): boolean {
    return this.sys.manifest.programs.some((p) => (p.caps ?? []).some((c) => 'device' in c && c.device === 'files'));
  }

  private get ramfsQuota(): number | null {
    return this.sys.manifest.programs.find((p) => p.name === 'ramfs')?.quotaPages ?? null;
  }

  private async job(kind: number, path: string, what: string, data?: Uint8Array): Promise<Uint8Array> {
    if (!this.available) throw new FilesError(WASI_ERRNO.NODEV, 'This machine has no files driver (its boot manifest leaves out the program "files"), so the page cannot see its files.');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FilesError(WASI_ERRNO.TIMEDOUT, `${what}: the files driver did not answer within ${ANSWER_MS / 1000} s.`)), ANSWER_MS);
    });
    try {
      const answer: FileAnswer = await Promise.race([this.sys.files(data !== undefined ? { kind, path, data } : { kind, path }), late]);
      if (answer.errno !== 0) throw new FilesError(answer.errno, errorText(what, answer.errno, this.ramfsQuota));
      return answer.bytes;
    } finally {
      clearTimeout(timer);
    }
  }

  list(dir: string): Promise<FileEntry[]> {
    return this.job(FILES_JOB.LIST, dir, `Listing ${dir}`).then((b) => decodeEntries(dir, b));
  }

  read(path: string): Promise<Uint8Array> {
    return this.job(FILES_JOB.READ, path, `Reading ${path}`);
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    await this.job(FILES_JOB.WRITE, path, `Uploading ${path}`, data);
  }
}
