// The solo machine in Node: the same kernel.wasm and programs as the
// isolated machine, but every process a fiber in the kernel Worker, its
// blocking calls suspended and resumed by Asyncify (process-fiber.ts). Each
// test drives it through the console as a person would — prompt, ping, a
// crashing program, a spinning one preempted and killed — and the last one
// boots both machines deterministically with the same script and compares
// their raw trace records byte for byte.

import { afterEach, describe, expect, test } from 'vitest';
import { TRACE_RECORD_BYTES } from '@oncrix/abi';
import { Terminal } from './console.js';
import { bootBuilt } from '../src/node.js';
import type { OncrixSystem } from '../src/system.js';

let term: Terminal | undefined;
afterEach(async () => {
  await term?.shutdown();
  term = undefined;
});

async function solo(): Promise<Terminal> {
  term = await Terminal.boot({ solo: true });
  await term.expect('$ ');
  return term;
}

describe('solo mode (no process Workers)', () => {
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
    const started = await t.run('spin &');
    const pid = /\[(\d+)\]|pid (\d+)/.exec(started);
    expect(await t.run('echo alongside')).toContain('alongside');
    const ps = await t.run('ps');
    expect(ps).toMatch(/spin/);
    const spinPid = pid?.[1] ?? pid?.[2] ?? /(\d+)\s+\d+\s+spin/.exec(ps)?.[1];
    expect(spinPid).toBeDefined();
    await t.run(`kill ${spinPid}`);
    await expect.poll(async () => await t.run('ps'), { timeout: 5000 }).not.toMatch(/\bspin\b/);
  });
});

/** Every trace record, raw, until the machine has been quiet for a while after the script ran. */
async function traceOf(solo: boolean, script: string): Promise<Uint8Array> {
  const sys: OncrixSystem = await bootBuilt({ deterministic: true, script, solo });
  try {
    const chunks: Uint8Array[] = [];
    let quietFor = 0;
    for (let i = 0; i < 400 && quietFor < 10; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const got = sys.traceBytes().slice();
      sys.read(); // the console ring must not fill up
      if (got.length === 0) quietFor++;
      else {
        quietFor = 0;
        chunks.push(got);
      }
    }
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  } finally {
    await sys.shutdown();
  }
}

describe('solo and isolated machines', () => {
  test('give the byte-identical trace in deterministic mode', async () => {
    const script = 'ping 3\necho done\n';
    const [isolated, fibers] = [await traceOf(false, script), await traceOf(true, script)];
    expect(isolated.length).toBeGreaterThan(50 * TRACE_RECORD_BYTES);
    expect(fibers.length).toBe(isolated.length);
    expect(Buffer.from(fibers).equals(Buffer.from(isolated))).toBe(true);
  }, 60_000);
});
