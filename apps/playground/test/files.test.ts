// The file browser's logic without a browser: a file shown as text or as a
// hex dump, the directory listing the files driver answers decoded and
// sorted, a failed job said in words (a full ramfs with its quota), where an
// upload goes (.wasm programs to /bin), which vfs requests make the tree
// refresh (changes do, reads and listings never), and the manifest an
// exported image gets (without the page-only devices).

import { describe, expect, it } from 'vitest';
import { TRACE, VFS_OP, WASI_ERRNO, WASI_FILETYPE, WASI_FLAGS, offsetOf, sizeOf, type TraceEvent } from '@oncrix/abi';
import { viewOf, hexDump, isText, sizeText, VIEW_MAX } from '../src/files/view.js';
import { decodeEntries, errorText } from '../src/files/client.js';
import { changesTree, treeChangedSince } from '../src/files/watch.js';
import { createModel, applyEvents } from '../src/trace/model.js';
import { forBareMetal, checkConfig, DEFAULT_CONFIG } from '../src/machine/bootConfig.js';

describe('showing a file', () => {
  it('text stays text; bytes that are not text become an xxd-like dump', () => {
    expect(viewOf(new TextEncoder().encode('hello\n\tworld'))).toEqual({ kind: 'text', body: 'hello\n\tworld', omitted: 0 });
    expect(isText(new Uint8Array([0x00, 0x61, 0x73, 0x6d]))).toBe(false);
    expect(isText(new Uint8Array([0xc3, 0x28]))).toBe(false); // not UTF-8
    const v = viewOf(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x41, 0x42]));
    expect(v.kind).toBe('hex');
    expect(v.body).toBe('00000000  00 61 73 6d 01 00 00 00  41 42                    |.asm....AB|');
  });

  it('a big file is cut to what a panel shows, and says how much was left out', () => {
    const v = viewOf(new Uint8Array(VIEW_MAX + 100).fill(0x61));
    expect(v.omitted).toBe(100);
    expect(v.body.length).toBe(VIEW_MAX);
    expect(hexDump(new Uint8Array(17)).split('\n')).toHaveLength(2);
    expect([sizeText(6), sizeText(1536), sizeText(3 << 20)]).toEqual(['6 B', '1.5 KiB', '3.0 MiB']);
  });
});

describe('a directory listing and errors', () => {
  it('decodes FilesEntry records, directories first, then by name', () => {
    const entry = (type: number, name: string, size: number): Uint8Array => {
      const n = new TextEncoder().encode(name);
      const b = new Uint8Array(sizeOf('FilesEntry') + n.length);
      const v = new DataView(b.buffer);
      v.setUint32(offsetOf('FilesEntry', 'type'), type, true);
      v.setUint32(offsetOf('FilesEntry', 'nameLen'), n.length, true);
      v.setBigUint64(offsetOf('FilesEntry', 'bytes'), BigInt(size), true);
      b.set(n, sizeOf('FilesEntry'));
      return b;
    };
    const parts = [entry(WASI_FILETYPE.REGULAR_FILE, 'z.txt', 3), entry(WASI_FILETYPE.DIRECTORY, 'sub', 0), entry(WASI_FILETYPE.REGULAR_FILE, 'a.txt', 6)];
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    expect(decodeEntries('/tmp', all)).toEqual([
      { name: 'sub', path: '/tmp/sub', type: 'dir', size: 0 },
      { name: 'a.txt', path: '/tmp/a.txt', type: 'file', size: 6 },
      { name: 'z.txt', path: '/tmp/z.txt', type: 'file', size: 3 },
    ]);
  });

  it('a full ramfs is said with its quota and what to do; other errnos by name and meaning', () => {
    expect(errorText('Uploading /tmp/big', WASI_ERRNO.NOSPC, 512)).toMatch(/^Uploading \/tmp\/big: ramfs is full \(NOSPC\)\. .*512 pages of 64 KiB in this manifest: 32 MiB.*nothing was kept/);
    expect(errorText('Reading /x', WASI_ERRNO.NOENT, 512)).toBe('Reading /x: NOENT (no such file or directory).');
  });
});

describe('when the tree is listed again', () => {
  it('a change (create, empty, write, remove, rename…) refreshes it; an open for reading or a listing does not', () => {
    expect(changesTree(VFS_OP.OPEN, WASI_FLAGS.O_CREAT)).toBe(true);
    expect(changesTree(VFS_OP.OPEN, WASI_FLAGS.O_TRUNC)).toBe(true);
    expect(changesTree(VFS_OP.OPEN, WASI_FLAGS.O_DIRECTORY)).toBe(false);
    for (const op of [VFS_OP.WRITE, VFS_OP.UNLINK, VFS_OP.MKDIR, VFS_OP.RMDIR, VFS_OP.RENAME, VFS_OP.SET_SIZE]) expect(changesTree(op, 0)).toBe(true);
    for (const op of [VFS_OP.READ, VFS_OP.READDIR, VFS_OP.STAT, VFS_OP.FSTAT, VFS_OP.CLOSE]) expect(changesTree(op, 0)).toBe(false);
  });

  it('watches the kernel vfs requests in the trace since it last looked', () => {
    const request = (op: number): TraceEvent => {
      const data = new Uint8Array(sizeOf('VfsRequest'));
      new DataView(data.buffer).setUint32(offsetOf('VfsRequest', 'op'), op, true);
      return { seq: 0, kind: TRACE.MSG_SEND, kindName: 'MSG_SEND', cpu: 0, time: 0, pid: 0, args: [50, 51, data.length, 0, 0x40000001, 0, 7, 0, 0, 0, 0], data };
    };
    const m = createModel();
    applyEvents(m, [request(VFS_OP.READ), request(VFS_OP.READDIR)]);
    const first = treeChangedSince(m, 0);
    expect(first.changed).toBe(false);
    applyEvents(m, [request(VFS_OP.UNLINK)]);
    const second = treeChangedSince(m, first.next);
    expect(second.changed).toBe(true);
    expect(treeChangedSince(m, second.next).changed).toBe(false);
  });
});

describe("the page's manifest", () => {
  it('checks with the page devices; an exported image gets it without the files driver and the loader', () => {
    expect(() => checkConfig(DEFAULT_CONFIG)).not.toThrow();
    const bare = JSON.parse(forBareMetal(DEFAULT_CONFIG.manifest)) as { programs: { name: string; caps: unknown[] }[] };
    expect(bare.programs.map((p) => p.name)).toEqual(['uart', 'ramfs', 'devfs', 'sh']);
    expect(JSON.stringify(bare)).not.toMatch(/files|loader/);
    expect(forBareMetal('not json')).toBe('not json');
  });
});
