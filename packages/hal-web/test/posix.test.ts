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

describe('the shell', () => {
  test('> writes a file, >> appends, < reads it, and | pipes one program into the next', async () => {
    await t.run('echo hello world > /greeting');
    expect(await t.run('cat /greeting')).toBe('hello world\n');
    await t.run('echo again >> /greeting');
    expect(await t.run('cat < /greeting | wc -l')).toMatch(/^\s+2\n$/);
    expect(await t.run('cat /greeting | grep again | wc -c')).toMatch(/^\s+6\n$/);
    expect(await t.run('ls /dev | wc -l')).toMatch(/^\s+4\n$/);
  });

  test('2> sends a program\'s errors to a file', async () => {
    expect(await t.run('ls /nowhere 2> /errors')).toBe('ls: exit 1\n');
    expect(await t.run('cat /errors')).toBe('ls: /nowhere: No such file or directory\n');
  });

  test('cd and pwd keep the working directory, which the programs start in', async () => {
    await t.run('mkdir /home');
    await t.run('cd /home');
    expect(await t.run('pwd')).toBe('/home\n');
    await t.run('touch here');
    expect(await t.run('ls')).toBe('here\n');
    expect(await t.run('ls /home')).toBe('here\n');
    expect(await t.run('cd /nowhere')).toBe('sh: cd: /nowhere: No such file or directory\n');
    expect(await t.run('echo $?')).toBe('1\n');
    await t.run('cd ..');
    expect(await t.run('pwd')).toBe('/\n');
  });

  test('variables expand in words and double quotes, not in single quotes; export puts them in the environment', async () => {
    await t.run('GREETING=hi');
    expect(await t.run('echo "$GREETING there" \'$GREETING\' ${GREETING}!')).toBe('hi there $GREETING hi!\n');
    expect(await t.run('env')).toBe('PWD=/\n');
    await t.run('export GREETING');
    expect(await t.run('env')).toBe('PWD=/\nGREETING=hi\n');
    expect(await t.run('echo "unclosed')).toBe('sh: unclosed "\n');
  });

  test('$? is the exit status of the last program of the pipeline', async () => {
    expect(await t.run('grep zzz /greeting')).toBe('grep: exit 1\n');
    expect(await t.run('echo $?')).toBe('1\n');
    await t.run('grep zzz /greeting | wc -l');
    expect(await t.run('echo $?')).toBe('0\n');
  });

  test('$! is the pid of the last background job: kill $! ends it', async () => {
    expect(await t.run('echo "[$!]"')).toBe('[]\n'); // no background job yet
    t.type('spin &');
    const [, pid] = await t.expect(/spin &\n\[(\d+)\]/); // sh prints the job's pid after the line
    await t.expect(/spin: looping forever[^\n]*\n/); // and spin its line, which may come after the prompt
    expect(await t.run('echo $!')).toBe(`${pid}\n`);
    await t.run('kill $!');
    expect(await t.run('ps')).not.toMatch(new RegExp(`\\b${pid}\\b.*spin.*(ready|running)`, 'i'));
  });

  test('a program may be named by a path', async () => {
    expect(await t.run('/bin/echo by path')).toBe('by path\n');
    expect(await t.run('./nothere')).toBe('sh: no such program: ./nothere\n');
  });
});
