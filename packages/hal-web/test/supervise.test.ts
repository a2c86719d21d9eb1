// A crashing driver takes down a service, not the machine: the whole system
// in Node, with faults injected into the console driver (uart) as a person at
// the terminal would see them — the shell keeps echoing, ps shows the new
// generation, the trace records the restart — and the policies that say
// otherwise: a driver held after its end, a critical one that stops the
// machine with a panic, a hung one found by its heartbeat, a restart limit.

import { afterEach, describe, expect, test } from 'vitest';
import { Terminal } from './console.js';
import { defaultManifest } from '../src/node.js';
import { ERR, SYS, type TraceEvent } from '@oncrix/abi';

const running: Terminal[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.shutdown()));
});

/** Wait until the machine has panicked; its message. */
async function panicOf(t: Terminal): Promise<string | null> {
  for (let i = 0; i < 500 && t.sys.panic() === null; i++) await new Promise((r) => setTimeout(r, 10));
  return t.sys.panic();
}

async function boot(opts: Parameters<typeof Terminal.boot>[0] = {}): Promise<Terminal> {
  const t = await Terminal.boot(opts);
  running.push(t);
  await t.expect('$ ');
  return t;
}

/** The default manifest with the uart entry's "supervise" replaced. */
function withUart(supervise: Record<string, unknown>): string {
  const m = JSON.parse(defaultManifest()) as { programs: { name: string; supervise?: unknown }[] };
  for (const p of m.programs) if (p.name === 'uart') p.supervise = supervise;
  return JSON.stringify(m);
}

/** SPAWN records of a program, with their generation (the record's sixth argument). */
function spawnsOf(events: TraceEvent[], name: string): { pid: number; generation: number }[] {
  return events.filter((e) => e.kindName === 'SPAWN' && new TextDecoder().decode(e.data) === name)
    .map((e) => ({ pid: e.args[0] ?? 0, generation: e.args[5] ?? 0 }));
}

describe('the console driver is restarted', () => {
  test('the shell still echoes after uart is killed, and ps shows its new generation', async () => {
    const t = await boot();
    expect(await t.run('echo before')).toContain('before');
    await t.sys.inject('kill:uart:now');
    await t.expect(/init: uart \(pid \d+, generation 0\) crashed \(injected fault\); restarting it as generation 1/);
    expect(await t.run('echo after the restart')).toContain('after the restart');
    expect(await t.run('ps')).toMatch(/\buart\s+1\s+blocked/);
    const spawns = spawnsOf(t.sys.trace(), 'uart');
    expect(spawns.map((s) => s.generation)).toEqual([0, 1]);
    expect(t.sys.state()).toBe('running');
  });

  test('a trap inside the driver, while the shell waits for a key, costs the shell nothing', async () => {
    const t = await boot();
    await t.sys.inject('trap:uart:now');
    await t.expect(/uart \(pid \d+, generation 0\) crashed \(trap\); restarting it as generation 1/);
    t.type('echo typed after the trap');
    await t.expect('typed after the trap\n');
    expect((await t.sys.strikes()).map((s) => [s.action, s.target, s.point])).toEqual([['trap', 'uart', 'now']]);
  });

  test('a driver killed while it holds the shell\'s READ: the shell\'s call fails at once and is asked again', async () => {
    const t = await boot();
    // A key answers the READ the driver holds; the next request it takes that someone waits on is the shell's next READ.
    await t.sys.inject('kill:uart:holding-reply');
    t.write('e');
    await t.expect(/restarting it as generation 1/);
    expect((await t.sys.strikes())[0]?.point).toBe('holding-reply');
    t.type('cho still here');
    await t.expect('still here\n');
    // The shell was never told: its call ended with PEER_CLOSED in the kernel, and liboncrix asked again.
    const events = t.sys.trace();
    const sh = spawnsOf(events, 'sh')[0]?.pid;
    const failed = events.filter((e) => e.kindName === 'SYSCALL_WAKE' && e.pid === sh && e.args[0] === SYS.CHANNEL_CALL && e.args[1] === ERR.PEER_CLOSED);
    expect(failed.length).toBe(1);
  });
});

describe('policies', () => {
  test('a critical driver held after its end stops the machine with a panic naming it', async () => {
    const t = await boot({ manifest: withUart({ policy: 'hold', critical: true }) });
    await t.sys.inject('kill:uart:now');
    expect(await panicOf(t)).toMatch(/^system panic: init \(pid 1\): critical program uart \(pid \d+, generation 0\) crashed \(injected fault\); held/);
  });

  test('past its restart limit a critical driver is given up on, and the machine stops', async () => {
    const t = await boot({ manifest: withUart({ policy: 'restart', critical: true, limit: 2, windowMs: 600000, backoffMs: 0 }) });
    for (let g = 0; g < 3; g++) {
      await t.sys.inject('kill:uart:now');
      if (g < 2) await t.expect(`restarting it as generation ${g + 1}`);
    }
    expect(await panicOf(t)).toContain('restarted 2 times within 600000 ms: given up');
  });

  test('a hung driver misses its heartbeat, is killed and restarted, and the shell goes on', async () => {
    const t = await boot({ manifest: withUart({ policy: 'restart', heartbeat: { everyMs: 50, deadlineMs: 50 } }) });
    expect(await t.run('echo before the hang')).toContain('before the hang');
    await t.sys.inject('hang:uart:now');
    t.type('echo after the hang');
    await t.expect(/uart \(pid \d+, generation 0\) did not answer its heartbeat within 50 ms: hung; killing it/);
    await t.expect(/uart \(pid \d+, generation 0\) was killed \(hung\); restarting it as generation 1/);
    await t.expect('after the hang\n');
  });

  test('a held service ends for good: its clients are told PEER_CLOSED instead of waiting', async () => {
    const t = await boot({ manifest: withUart({ policy: 'hold' }) });
    await t.sys.inject('kill:uart:now');
    await t.expect(/init: uart exited with -108/);
    // Nothing serves the console any more; the shell's next read fails, and a shell without a console ends the session.
    await t.expect('the session ended: the system stops');
  });
});
