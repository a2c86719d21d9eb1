// The solo machine in Node: the same kernel.wasm and programs as the
// isolated machine, but every process a fiber in the kernel Worker, its
// blocking calls suspended and resumed by Asyncify (process-fiber.ts). Each
// test drives it through the console as a person would — prompt, ping, a
// crashing program, a spinning one preempted and killed — and the last one
// boots both machines deterministically with the same script and compares
// their raw trace records byte for byte (the solo one with its channels
// relayed by messages, as in a page without SharedArrayBuffer).

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { TRACE_RECORD_BYTES } from '@oncrix/abi';
import { Terminal } from './console.js';
import { bootBuilt } from '../src/node.js';
import type { OncrixSystem } from '../src/system.js';

let term: Terminal | undefined;
afterEach(async () => {
  await term?.shutdown();
  term = undefined;
});

/** The transport of the solo tests: every test runs with shared rings and with the relay (as a non-isolated page has it). */
let transport: 'shared' | 'messages' = 'shared';

async function solo(): Promise<Terminal> {
  const t0 = performance.now();
  term = await Terminal.boot({ solo: true, transport });
  await term.expect('$ ');
  console.log(`solo mode (${transport}): shell prompt ${(performance.now() - t0).toFixed(0)} ms after boot() (Node ${process.version})`);
  return term;
}

describe.each(['shared', 'messages'] as const)('solo mode (no process Workers), %s channels', (channels) => {
  beforeEach(() => {
    transport = channels;
  });

  test('boots to the prompt; ping and pong talk over a channel', async () => {
    const t = await solo();
    expect(await t.run('echo hello solo')).toContain('hello solo');
    expect(await t.run('ping 3')).toMatch(/ping: 3 replies, [\d.]+ µs avg/);
    const ps = await t.run('ps');
    for (const name of ['init', 'uart', 'sh', 'ps']) expect(ps).toContain(name);
  });

  test('a crashing program is reported and the shell goes on', async () => {
    const t = await solo();
    const out = await t.run('crash');
    expect(out).toMatch(/crash\)? (trap|abort)/i);
    expect(await t.run('echo still here')).toContain('still here');
  });

  test('spin & is preempted (the shell still answers) and killed', async () => {
    const t = await solo();
    t.type('spin &');
    const pid = (await t.expect(/\[(\d+)\]/))[1] ?? '';
    await t.expect('looping forever');
    t.type('echo typed while spin runs');
    await t.expect('\ntyped while spin runs\n');
    expect(await t.run('ps')).toMatch(new RegExp(`\\b${pid}\\b.*spin`));
    await t.run(`kill ${pid}`);
    expect(await t.run('ps')).not.toMatch(new RegExp(`\\b${pid}\\b.*spin`));
  });
});

/** Every trace record, raw, from boot until the script's last prompt and a quiet while after it. */
async function traceOf(solo: boolean, script: string, last: string): Promise<{ trace: Uint8Array; text: string }> {
  const sys: OncrixSystem = await bootBuilt({ deterministic: true, script, solo, transport: solo ? 'messages' : 'shared' });
  try {
    const chunks: Uint8Array[] = [];
    let text = '';
    let quietFor = 0;
    for (let i = 0; i < 2000 && quietFor < 10; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const got = sys.traceBytes().slice();
      text += new TextDecoder().decode(sys.read());
      if (got.length > 0) chunks.push(got);
      quietFor = text.includes(last) && got.length === 0 ? quietFor + 1 : 0;
    }
    expect(text).toContain(last);
    expect(sys.traceLost).toBe(0);
    return { trace: new Uint8Array(Buffer.concat(chunks)), text };
  } finally {
    await sys.shutdown();
  }
}

describe('solo and isolated machines', () => {
  test('give the byte-identical trace in deterministic mode', async () => {
    const script = 'ping 3\necho done\n';
    const isolated = await traceOf(false, script, 'done\r\n$ ');
    const fibers = await traceOf(true, script, 'done\r\n$ ');
    expect(fibers.text).toMatch(/ping: 3 replies/);
    expect(isolated.trace.length).toBeGreaterThan(50 * TRACE_RECORD_BYTES);
    expect(fibers.trace.length).toBe(isolated.trace.length);
    expect(Buffer.from(fibers.trace).equals(Buffer.from(isolated.trace))).toBe(true);
  }, 60_000);

  test('give the byte-identical trace with a spinning program preempted and killed', async () => {
    const script = 'spin &\necho alongside\nkill 6\necho done\n';
    const isolated = await traceOf(false, script, 'done\r\n$ ');
    const fibers = await traceOf(true, script, 'done\r\n$ ');
    // spin got pid 6 and greeted (so the kill hit it), and the shell answered alongside it.
    expect(fibers.text).toMatch(/\[6\][\s\S]*looping forever/);
    expect(fibers.text).toContain('alongside');
    expect(isolated.trace.length).toBeGreaterThan(50 * TRACE_RECORD_BYTES);
    expect(fibers.trace.length).toBe(isolated.trace.length);
    expect(Buffer.from(fibers.trace).equals(Buffer.from(isolated.trace))).toBe(true);
  }, 60_000);
});
