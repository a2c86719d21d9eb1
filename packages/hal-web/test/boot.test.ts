// The whole system in Node with real Workers: the kernel in its Worker, one
// Worker per process, the UART driver and the shell in user space. Each test
// boots the default system (or a variant manifest) and drives it through the
// console, as a person at the terminal would.

import { afterEach, describe, expect, test } from 'vitest';
import { ERR, SYS } from '@oncrix/abi';
import { Terminal } from './console.js';
import { bootBuilt, builtKernel, builtPrograms, defaultManifest } from '../src/node.js';
import { OncrixSystem } from '../src/system.js';
import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startKernelWorkerAhead } from '../src/kernel-worker-start.js';
import { initPlatform } from '../src/platform.js';

let term: Terminal | undefined;
afterEach(async () => {
  await term?.shutdown();
  term = undefined;
});

async function boot(opts: Parameters<typeof Terminal.boot>[0] = {}): Promise<Terminal> {
  term = await Terminal.boot(opts);
  await term.expect('$ ');
  return term;
}

describe('booting', () => {
  test('boots to the shell prompt and runs commands', async () => {
    const t = await boot();
    expect(await t.run('echo hello world')).toContain('hello world');
    expect(await t.run('hello')).toMatch(/hello from pid \d+/);
    const ps = await t.run('ps');
    for (const name of ['init', 'uart', 'sh', 'ps']) expect(ps).toContain(name);
  });

  test('an unknown program gets one clear message and the shell goes on', async () => {
    const t = await boot();
    expect(await t.run('frobnicate')).toContain('no such program: frobnicate');
    expect(await t.run('echo still here')).toContain('still here');
  });

  test('the terminal reports its size to the console, and ps formats to it instead of wrapping', async () => {
    const t = await boot();
    const wide = await t.run('ps');
    expect(wide, 'without a report: 80 columns, every column').toMatch(/PID\s+PPID\s+NAME\s+GEN\s+STATE\s+PRI\s+MEM\s+CPU µs/);
    // A terminal's size report (xterm's answer to CSI 18 t): 24 rows, 44 columns. It is not typed input.
    t.write('\x1b[8;24;44t');
    const narrow = await t.run('ps');
    const lines = narrow.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.includes('$'));
    expect(lines[0]).toMatch(/^\s*PID\s+PPID\s+NAME\s+GEN\s+STATE\s+PRI\s+MEM$/);
    for (const l of lines) expect(l.length, `"${l}"`).toBeLessThanOrEqual(44);
    expect(narrow).toMatch(/\buart\s+0\s+blocked/);
    expect(t.screen()).not.toContain('[8;');
    // Arrow keys still reach the shell's line editor: ESC [ D moves left, so "x" lands before "y".
    t.write('echo y\x1b[Dx\r');
    await t.expect(/^xy\s*$/m);
  });

  test('ping and pong talk over a channel and report counts and timing', async () => {
    const t = await boot();
    expect(await t.run('ping 20')).toMatch(/ping: 20 replies, [\d.]+ µs avg/);
  });
});

describe('a kernel Worker started ahead of its boot', () => {
  // A page starts it as its first module runs (kernel-worker-start.ts); the boot then takes it.
  test('boots on the process Workers it started, and starts the rest the boot needs', async () => {
    await initPlatform();
    const worker = startKernelWorkerAhead({ processes: 2, sources: [], compile: [] });
    const t = await boot({ worker });
    expect(await t.run('echo started ahead')).toContain('started ahead');
    expect(await t.run('ps')).toMatch(/\buart\b[\s\S]*\bsh\b/);
  });

  test('a boot that comes long after, with garbage collected in between, is answered (the Worker keeps its one proxy)', async () => {
    await initPlatform();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const worker = startKernelWorkerAhead({ processes: 2, sources: [], compile: [] });
    // What a page does before a late boot (a scenario's code loading): time passes, and the collector runs.
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      gc();
    }
    const t = await boot({ worker });
    expect(await t.run('echo answered')).toContain('answered');
  });

  test('the kernel it fetched and compiled ahead is the boot\'s: fetched once', async () => {
    await initPlatform();
    let requests = 0;
    const kernel = builtKernel();
    const server = createServer((_, res) => {
      requests++;
      res.writeHead(200, { 'Content-Type': 'application/wasm' }).end(kernel);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/kernel.wasm`;
      const worker = startKernelWorkerAhead({ processes: 3, sources: [url], compile: [url] });
      term = new Terminal(await OncrixSystem.boot({ kernel: url, programs: builtPrograms(), manifest: defaultManifest(), worker }));
      await term.expect('$ ');
      expect(await term.run('echo compiled ahead')).toContain('compiled ahead');
      expect(requests, 'requests for the kernel').toBe(1);
    } finally {
      server.close();
    }
  });

  test('Workers beyond the boot\'s processes run later spawns, and a source it cannot fetch ahead does not stop the boot', async () => {
    await initPlatform();
    // Nothing answers on port 9: the fetch ahead fails, and the boot, given bytes, never needs it.
    const worker = startKernelWorkerAhead({ processes: 12, sources: ['http://127.0.0.1:9/kernel.wasm'], compile: ['http://127.0.0.1:9/kernel.wasm'] });
    const t = await boot({ worker });
    for (let i = 0; i < 3; i++) expect(await t.run('hello')).toMatch(/hello from pid \d+/);
    expect(await t.run('ping 5')).toMatch(/ping: 5 replies/);
  });
});

describe('isolation', () => {
  test('spin never yields, yet the shell stays responsive, and kill stops it', async () => {
    const t = await boot();
    t.type('spin &');
    const [, pid] = await t.expect(/\[(\d+)\]/);
    await t.expect('$ ');
    expect(await t.run('echo responsive')).toContain('responsive');
    expect(await t.run('ps')).toMatch(new RegExp(`\\b${pid}\\b.*spin`));
    await t.run(`kill ${pid}`);
    const ps = await t.run('ps');
    expect(ps).not.toMatch(new RegExp(`\\b${pid}\\b.*spin.*(ready|running)`, 'i'));
  });

  test('crash faults without disturbing the others', async () => {
    const t = await boot();
    const out = await t.run('crash');
    expect(out).toMatch(/crash: about to trap/);
    expect(out).toMatch(/crash.*(crashed|trap)/i);
    expect(await t.run('echo alive')).toContain('alive');
  });

  test('leak is stopped by its quota', async () => {
    const t = await boot();
    expect(await t.run('leak', 30_000)).toMatch(/leak: stopped by the quota after \d+ pages/);
    expect(await t.run('echo fine')).toContain('fine');
  });

  test('Ctrl-C kills the foreground program', async () => {
    const t = await boot();
    t.type('spin');
    await new Promise((r) => setTimeout(r, 200));
    t.sys.write('\x03');
    await t.expect(/spin.*killed/);
    expect(await t.run('echo back')).toContain('back');
  });
});

describe('bad input', () => {
  test('a malformed manifest is refused with a message naming the problem', async () => {
    await expect(bootBuilt({ manifest: '{"programs": [' })).rejects.toThrow(/manifest: not valid JSON/);
    await expect(bootBuilt({ manifest: '{"programs": [{"name": "x", "program": "nope"}]}' })).rejects.toThrow(/unknown program "nope"/);
  });

  test('a program that is not WebAssembly, or imports what ONCRIX lacks, gives a clear message and the system runs on', async () => {
    const manifest = JSON.parse(defaultManifest()) as { programs: unknown[] };
    const t = await boot({
      manifest: JSON.stringify(manifest),
      extra: [
        { name: 'garbage', bytes: new TextEncoder().encode('this is not wasm') },
        // (module (import "env" "printf" (func)) (func (export "_start")))
        { name: 'alien', bytes: Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 14, 1, 3, 101, 110, 118, 6, 112, 114, 105, 110, 116, 102, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6, 95, 115, 116, 97, 114, 116, 0, 1, 10, 4, 1, 2, 0, 11]) },
      ],
    });
    const garbage = await t.run('garbage');
    expect(t.screen()).toMatch(/garbage is not valid WebAssembly/);
    expect(garbage).toMatch(/garbage/);
    await t.run('alien');
    expect(t.screen()).toMatch(/alien imports env\.printf, which ONCRIX does not provide/);
    expect(await t.run('echo ok')).toContain('ok');
  });
});

describe('capabilities', () => {
  test('a program not granted the UART cannot reach it: every try is refused and the trace shows it', async () => {
    const manifest = JSON.parse(defaultManifest()) as { programs: { name: string }[] };
    manifest.programs.push({ name: 'intruder', program: 'intruder', caps: [] } as never);
    const t = (term = await Terminal.boot({ manifest: JSON.stringify(manifest) }));
    await t.expect(/intruder exited with 0/);
    const events = t.sys.trace();
    const spawn = events.find((e) => e.kindName === 'SPAWN' && new TextDecoder().decode(e.data) === 'intruder');
    expect(spawn).toBeDefined();
    const pid = spawn?.args[0];
    const refused = events.filter((e) => e.kindName === 'SYSCALL_EXIT' && e.pid === pid && e.args[0] === SYS.DEV_WRITE && e.args[1] === ERR.BAD_HANDLE);
    expect(refused).toHaveLength(64);
    expect(t.screen()).not.toContain('!');
  });
});

describe('deterministic mode', () => {
  async function tracedRun(): Promise<Uint8Array> {
    const t = await Terminal.boot({ deterministic: true });
    const chunks: Uint8Array[] = [];
    await t.expect('$ ');
    // The prompt appears just before the shell blocks: wait until the machine is really idle, so the
    // idle epoch read here cannot be bumped by that same quiet spell and end the run early.
    while (!t.sys.idle()) await new Promise((r) => setTimeout(r, 5));
    const before = t.sys.idleEpoch();
    t.sys.write('echo one\recho two\rping 3\r');
    const deadline = Date.now() + 20_000;
    while (!(t.sys.idle() && t.sys.idleEpoch() > before) && Date.now() < deadline) {
      chunks.push(t.sys.traceBytes());
      await new Promise((r) => setTimeout(r, 10));
    }
    chunks.push(t.sys.traceBytes());
    await t.expect('ping: 3 replies');
    await t.shutdown();
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  }

  test('with a heartbeat always due, the console still gets its keys', async () => {
    const m = JSON.parse(defaultManifest()) as { programs: { name: string; supervise?: Record<string, unknown> }[] };
    const uart = m.programs.find((p) => p.name === 'uart');
    if (uart === undefined) throw new Error('the default manifest has no uart');
    uart.supervise = { ...uart.supervise, policy: 'restart', heartbeat: { everyMs: 50, deadlineMs: 25 } };
    const t = await Terminal.boot({ deterministic: true, manifest: JSON.stringify(m) });
    try {
      await t.expect('$ ');
      expect(await t.run('echo typed while heartbeats are due')).toContain('typed while heartbeats are due');
    } finally {
      await t.shutdown();
    }
  });

  test('with a program that never blocks, keys still reach the shell (at a boundary of virtual time)', async () => {
    const t = await Terminal.boot({ deterministic: true });
    try {
      await t.expect('$ ');
      // spin's greeting may come before or after the next prompt: wait for its job number and its greeting.
      t.type('spin &');
      const pid = (await t.expect(/\[(\d+)\]/))[1] ?? '';
      await t.expect('looping forever');
      t.type('echo typed while spin runs');
      await t.expect('\ntyped while spin runs\n');
      t.type(`kill ${pid}`);
      await t.expect(/\$ $/);
    } finally {
      await t.shutdown();
    }
  });

  test('the same script gives a byte-identical trace twice', async () => {
    const a = await tracedRun();
    const b = await tracedRun();
    expect(a.length).toBeGreaterThan(64 * 100);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('the end of the session', () => {
  test('exit at the shell ends init, and the machine stops', async () => {
    const t = await boot();
    t.type('exit');
    await t.expect('the session ended: the system stops');
    await t.expect('init has ended: the machine stops');
    const deadline = Date.now() + 5000;
    while (t.sys.state() !== 'stopped' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(t.sys.state()).toBe('stopped');
  });
});
