// Nothing acknowledged is lost: ramfs keeps its files in memory that init
// keeps across its restarts (docs/vfs.md, "What a ramfs restart keeps"). The
// whole system in Node: files written from the shell with the C coreutils,
// ramfs killed or trapped — at once, inside a write, at random points of a
// workload — and after each restart `cat` shows every write that returned
// success, exactly once, and the tree is whole.

import { afterEach, describe, expect, test } from 'vitest';
import { Terminal } from './console.js';
import { defaultManifest } from '../src/node.js';

const running: Terminal[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.shutdown()));
});

async function boot(opts: Parameters<typeof Terminal.boot>[0] = {}): Promise<Terminal> {
  const t = await Terminal.boot(opts);
  running.push(t);
  await t.expect('$ ', 20_000);
  return t;
}

/** The default manifest with ramfs restarted as often as a test strikes it (the default gives up after 5 in 10 s). */
function patientRamfs(): string {
  const m = JSON.parse(defaultManifest()) as { programs: { name: string; supervise?: unknown }[] };
  for (const p of m.programs) if (p.name === 'ramfs') p.supervise = { policy: 'restart', limit: 1000, backoffMs: 1, maxBackoffMs: 1 };
  return JSON.stringify(m);
}

/** What the shell printed for a command says it failed (its own error, or the program's exit status)? The system's log lines may come between. */
function failed(out: string): boolean {
  return /(^|\n)sh: |: exit \d/.test(out);
}

/** The console lines of the system's log, without the rest. */
function logLines(out: string): string {
  return out.split('\n').filter((l) => !l.startsWith('[oncrix]') && l !== '').join('\n');
}

describe('a restarted ramfs finds its files again', () => {
  test('files, directories, renames and appends written before ramfs is killed are all there after its restart', async () => {
    const t = await boot();
    await t.run('mkdir /tmp');
    await t.run('echo one > /tmp/f');
    await t.run('echo two >> /tmp/f');
    await t.run('mkdir /tmp/d');
    await t.run('echo moved > /tmp/d/x');
    await t.run('mv /tmp/d/x /tmp/d/y');
    await t.run('cp /tmp/f /tmp/g');
    await t.run('rm /tmp/g');
    await t.run('touch /tmp/empty');
    await t.sys.inject('kill:ramfs:now');
    await t.expect(/init: ramfs \(pid \d+, generation 0\) crashed \(injected fault\); restarting it as generation 1/);
    await t.expect(/ramfs: found its files in the kept store: 5 inodes/);
    expect(await t.run('cat /tmp/f')).toBe('one\ntwo\n');
    expect(await t.run('cat /tmp/d/y')).toBe('moved\n');
    expect(await t.run('ls /tmp')).toBe('d\nempty\nf\n');
    expect(await t.run('ls /tmp/d')).toBe('y\n');
    // The shell's preopen of / (an open directory on ramfs) outlived the instance that opened it, and so do new writes.
    await t.run('echo three >> /tmp/f');
    expect(await t.run('wc -l /tmp/f')).toMatch(/^\s+3 \/tmp\/f\n$/);
    expect(t.sys.state()).toBe('running');
  });

  test('a trap inside a write: the write the shell was making completes, once, on the next instance', async () => {
    const t = await boot();
    await t.run('echo first > /log');
    // The next request ramfs takes that someone waits on: the open of the >> below; it traps before answering.
    await t.sys.inject('trap:ramfs:holding-reply');
    expect(failed(await t.run('echo second >> /log'))).toBe(false);
    // The restart happened while the shell waited, and before it was answered.
    expect(t.screen()).toMatch(/ramfs \(pid \d+, generation 0\) crashed \(trap\); restarting it as generation 1[^]*ramfs: found its files/);
    expect(await t.run('cat /log')).toBe('first\nsecond\n');
  });

  test('a kill while cp copies a file of many blocks: the copy completes on the next instance, whole, and the source is untouched', async () => {
    const t = await boot();
    await t.run('echo 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_ > /a');
    // 64 bytes (with its newline), four times over six times: 256 KiB, four 64 KiB blocks.
    for (let i = 0; i < 6; i++) {
      await t.run(`cat /a /a /a /a > /b`);
      await t.run('mv /b /a');
    }
    expect(await t.run('wc -c /a')).toMatch(/^\s*262144 \/a\n$/);
    await t.sys.inject('kill:ramfs:after=3');
    expect(failed(await t.run('cp /a /c'))).toBe(false);
    expect(t.screen()).toMatch(/ramfs \(pid \d+, generation 0\) crashed \(injected fault\); restarting it as generation 1[^]*ramfs: found its files/);
    expect(await t.run('wc -c /a')).toMatch(/^\s*262144 \/a\n$/);
    // cp's writes were sent again to the new instance: the copy is whole.
    expect(await t.run('wc -c /c')).toMatch(/^\s*262144 \/c\n$/);
    expect(await t.run('cat /a /c | grep -c 0123456789')).toMatch(/^8192\n$/);
  });
});

describe('clients across a restart', () => {
  test('a hostile client with a channel of its own to ramfs forges open-file ids: every one is refused, before and after the restart', async () => {
    const m = JSON.parse(patientRamfs()) as { programs: Record<string, unknown>[] };
    const ramfs = m.programs.find((p) => p['name'] === 'ramfs')!;
    ramfs['caps'] = [{ serve: 'ramfs' }, { serve: 'ramfs2' }, { keep: 256 }, { keep: 256 }];
    m.programs.push({ name: 'fsprobe', priority: 3, quotaPages: 16, args: ['15'], caps: [{ connect: 'ramfs2' }] });
    const t = await boot({ manifest: JSON.stringify(m) });
    await t.run('echo secret > /secret');
    await t.expect(/fsprobe round \d+: 128 of 128 forged open-file ids refused with EBADF\n/);
    await t.sys.inject('kill:ramfs:now');
    await t.expect(/ramfs \(pid \d+, generation 0\) crashed \(injected fault\); restarting it as generation 1/);
    await t.expect(/fsprobe round \d+: 128 of 128 forged open-file ids refused with EBADF\n/);
    await t.expect('init: fsprobe exited with 0', 30_000);
    expect(t.screen()).not.toMatch(/fsprobe round \d+: (?!128 of 128)/);
    // The vfs's own client (the shell's fds) lost nothing.
    expect(logLines(await t.run('cat /secret'))).toBe('secret');
  }, 60_000);

  test('a ramfs held after its end: a client gets EIO at once, never waits', async () => {
    const m = JSON.parse(defaultManifest()) as { programs: { name: string; supervise?: unknown }[] };
    for (const p of m.programs) if (p.name === 'ramfs') p.supervise = { policy: 'hold' };
    const t = await boot({ manifest: JSON.stringify(m) });
    await t.run('echo before > /f');
    await t.sys.inject('kill:ramfs:now');
    await t.expect('init: ramfs exited with');
    const began = Date.now();
    expect(await t.run('cat /f')).toMatch(/cat: \/f: I\/O error\ncat: exit 1\n/);
    expect(Date.now() - began).toBeLessThan(5000);
  });
});

describe('a kill at every point of a request', () => {
  test('an append killed at each of its syscalls in turn: every line is in the file once, none twice', async () => {
    const t = await boot({ manifest: patientRamfs() });
    const lines: string[] = [];
    for (let n = 1; n <= 8; n++) {
      await t.sys.inject(`kill:ramfs:after=${n}`);
      expect(failed(await t.run(`echo append ${n} >> /log`))).toBe(false);
      lines.push(`append ${n}`);
    }
    expect(logLines(await t.run('cat /log'))).toBe(lines.join('\n'));
    // Some kill fell between a commit and its reply: the request came again and was answered, not applied again.
    expect(t.screen()).toContain('answered from the kept reply, not applied twice');
    expect(t.screen()).not.toContain('DAMAGED');
  }, 60_000);
});

describe('faults at random points of a workload', () => {
  test('every append that returned success is in the file after 20 kills at random points, exactly once', async () => {
    const t = await boot({ manifest: patientRamfs(), inject: ['kill:ramfs:random:x20'], seed: 7 });
    const acknowledged: string[] = [];
    for (let i = 0; i < 60; i++) {
      const out = await t.run(`echo line ${i} >> /log`, 30_000);
      if (!failed(out)) acknowledged.push(`line ${i}`);
    }
    const strikes = await t.sys.strikes();
    expect(strikes.length).toBeGreaterThan(5);
    expect(acknowledged.length).toBe(60);
    expect(logLines(await t.run('cat /log', 30_000))).toBe(acknowledged.join('\n'));
    expect(t.screen()).not.toContain('DAMAGED');
  }, 120_000);
});
