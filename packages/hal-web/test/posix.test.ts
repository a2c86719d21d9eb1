// The POSIX front door end to end in Node with real Workers: C programs built
// with clang + wasi-libc run from the shell, every file operation going
// through the kernel's vfs to ramfs (mounted at /) and devfs (/dev), with
// the console as their stdin, stdout and stderr.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Terminal } from './console.js';

let t: Terminal;
beforeAll(async () => {
  t = await Terminal.boot({});
  await t.expect('$ ', 20_000);
}, 30_000);
afterAll(async () => {
  await t.shutdown();
});

describe('C programs from the shell', () => {
  test('ls lists devfs at /dev, and wc reads /dev/null to its end', async () => {
    expect(await t.run('ls /dev')).toBe('console\nnull\nrandom\nzero\n');
    expect(await t.run('wc /dev/null')).toMatch(/^\s+0\s+0\s+0 \/dev\/null\n$/);
  });

  test('mkdir, touch, cp, mv and rm change ramfs, as ls -l shows', async () => {
    await t.run('mkdir /work');
    await t.run('touch /work/a');
    await t.run('cp /work/a /work/b');
    await t.run('mv /work/b /work/c');
    expect(await t.run('ls /work')).toBe('a\nc\n');
    await t.run('rm /work/a');
    expect(await t.run('ls -l /work')).toMatch(/^- +1 +0 c\n$/);
    expect(await t.run('ls /work/missing')).toBe('ls: /work/missing: No such file or directory\nls: exit 1\n');
  });
});
