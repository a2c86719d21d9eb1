// The playground's machine in Node: the files device brings a job into the
// machine, the `files` driver does it through the vfs (so ramfs holds what
// the shell wrote, and what an upload wrote is there for the shell), and the
// loader device lets sh run a .wasm file it finds in /bin by its name. A
// module that is no ONCRIX program, and an upload past ramfs's quota, give
// clear answers; the rest of the machine goes on.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { FILES_JOB, WASI_ERRNO, WASI_FILETYPE, offsetOf, sizeOf } from '@oncrix/abi';
import { Terminal } from './console.js';

const built = (path: string): Uint8Array => readFileSync(fileURLToPath(new URL(`../../userland/build/${path}`, import.meta.url)));

let term: Terminal | undefined;
afterEach(async () => {
  await term?.shutdown();
  term = undefined;
});

/** A LIST answer as name → [type, size]. */
function entries(bytes: Uint8Array): Map<string, [number, number]> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, [number, number]>();
  for (let at = 0; at + sizeOf('FilesEntry') <= bytes.length;) {
    const len = v.getUint32(at + offsetOf('FilesEntry', 'nameLen'), true);
    const name = new TextDecoder().decode(bytes.subarray(at + sizeOf('FilesEntry'), at + sizeOf('FilesEntry') + len));
    out.set(name, [v.getUint32(at + offsetOf('FilesEntry', 'type'), true), Number(v.getBigUint64(at + offsetOf('FilesEntry', 'bytes'), true))]);
    at += sizeOf('FilesEntry') + len;
  }
  return out;
}

test('what the shell writes, the file browser lists and reads; what it uploads, the shell reads', async () => {
  term = await Terminal.boot({ page: true });
  await term.expect('$ ');
  await term.run('echo hello > /tmp/a.txt');
  const tmp = await term.sys.files({ kind: FILES_JOB.LIST, path: '/tmp' });
  expect(tmp.errno).toBe(0);
  expect(entries(tmp.bytes).get('a.txt')).toEqual([WASI_FILETYPE.REGULAR_FILE, 6]);
  const root = await term.sys.files({ kind: FILES_JOB.LIST, path: '/' });
  expect(entries(root.bytes).get('bin')?.[0]).toBe(WASI_FILETYPE.DIRECTORY);
  const a = await term.sys.files({ kind: FILES_JOB.READ, path: '/tmp/a.txt' });
  expect(new TextDecoder().decode(a.bytes)).toBe('hello\n');
  const up = await term.sys.files({ kind: FILES_JOB.WRITE, path: '/tmp/notes.txt', data: new TextEncoder().encode('one\ntwo\n') });
  expect(up.errno).toBe(0);
  expect(await term.run('cat /tmp/notes.txt')).toBe('one\ntwo\n');
  expect((await term.sys.files({ kind: FILES_JOB.READ, path: '/tmp/nope' })).errno).toBe(WASI_ERRNO.NOENT);
});

test('a .wasm uploaded to /bin runs from the shell by its name; a malformed one is refused with the reason', async () => {
  term = await Terminal.boot({ page: true });
  await term.expect('$ ');
  await term.run('echo a b c > /tmp/words');
  const up = await term.sys.files({ kind: FILES_JOB.WRITE, path: '/bin/count.wasm', data: built('c/wc.wasm') });
  expect(up.errno).toBe(0);
  expect(await term.run('count /tmp/words', 30_000)).toMatch(/^\s*1\s+3\s+6 \/tmp\/words\n$/);
  expect(await term.run('echo $?')).toBe('0\n');
  await term.sys.files({ kind: FILES_JOB.WRITE, path: '/bin/broken.wasm', data: new TextEncoder().encode('\0asm this is not a module') });
  expect(await term.run('broken')).toMatch(/^sh: broken: not a program ONCRIX can run: .+\n$/);
  expect(await term.run('echo $?')).toBe('126\n');
  expect(await term.run('count /tmp/words')).toMatch(/1\s+3\s+6/);
});

test('an upload bigger than ramfs may hold fails with NOSPC, leaves no partial file, and ramfs goes on serving', async () => {
  term = await Terminal.boot({ page: true });
  await term.expect('$ ');
  const huge = new Uint8Array(40 << 20);
  const r = await term.sys.files({ kind: FILES_JOB.WRITE, path: '/tmp/huge.bin', data: huge });
  expect(r.errno).toBe(WASI_ERRNO.NOSPC);
  expect(entries((await term.sys.files({ kind: FILES_JOB.LIST, path: '/tmp' })).bytes).has('huge.bin')).toBe(false);
  await term.run('echo still > /tmp/b.txt');
  expect(new TextDecoder().decode((await term.sys.files({ kind: FILES_JOB.READ, path: '/tmp/b.txt' })).bytes)).toBe('still\n');
});

test('the default machine (the CLI) has no loader: a .wasm file in /bin is found but cannot be loaded, and sh says why', async () => {
  term = await Terminal.boot();
  await term.expect('$ ');
  await term.run('mkdir /bin');
  await term.run('echo x > /bin/y.wasm');
  expect(await term.run('y')).toBe('sh: y: this machine cannot load programs from files (no loader device: its programs are built in)\n');
});

test("the playground's manifest is the default one, plus the files driver and sh's loader device", () => {
  const read = (name: string): { programs: { name: string; caps: unknown[] }[] } & Record<string, unknown> =>
    JSON.parse(new TextDecoder().decode(built(`../${name}`))) as { programs: { name: string; caps: unknown[] }[] };
  const page = read('manifest.playground.json');
  const base = read('manifest.default.json');
  const files = page.programs.find((p) => p.name === 'files');
  expect(files?.caps).toEqual([{ device: 'files' }, { irq: 'files' }, { preopen: '/' }]);
  const sh = page.programs.find((p) => p.name === 'sh');
  expect(sh?.caps.at(-1)).toEqual({ device: 'loader' });
  const trimmed = { ...page, programs: page.programs.filter((p) => p !== files).map((p) => (p === sh ? { ...p, caps: p.caps.slice(0, -1) } : p)) };
  expect(trimmed).toEqual(base);
});

test('a files driver that dies doing a job gives it back: the restarted driver answers it', async () => {
  term = await Terminal.boot({ page: true });
  await term.expect('$ ');
  await term.run('echo kept > /tmp/k.txt');
  // The driver traps a few syscalls into the job (after it took it from the device), once.
  await term.sys.inject('trap:files:after=3');
  const answer = term.sys.files({ kind: FILES_JOB.READ, path: '/tmp/k.txt' });
  const late = new Promise<'late'>((r) => setTimeout(() => r('late'), 10_000));
  const got = await Promise.race([answer, late]);
  expect(got, 'the job was answered, not left waiting').not.toBe('late');
  if (got === 'late') return;
  expect(got.errno).toBe(0);
  expect(new TextDecoder().decode(got.bytes)).toBe('kept\n');
  const strikes = await term.sys.strikes();
  expect(strikes.map((s) => s.target)).toEqual(['files']);
});
