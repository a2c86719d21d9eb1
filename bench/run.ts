// `npm run bench`: ONCRIX's figures beside baselines measured in the same run
// on the same machine, as ratios. Prints a table and writes bench/results.json.
//
// Baselines: a raw SharedArrayBuffer Atomics.wait/notify ping-pong between two
// Workers (what one ONCRIX syscall does underneath), the same spinning, and a
// postMessage round trip. ONCRIX figures come from the `bench` and `ping`
// programs running inside a booted system (their own clocks), plus boot to
// prompt measured from outside. Targets (2 cores): null syscall <= 1.5x the
// wait/notify round trip; call/reply <= 2.5x it; both below postMessage.

import { writeFileSync, mkdirSync } from 'node:fs';
import { sabRoundTrip, postMessageRoundTrip } from './baselines.js';
import { bootBuilt } from '../packages/hal-web/src/node.js';
import type { OncrixSystem } from '../packages/hal-web/src/system.js';

interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: string;
  ratio?: number;
  target?: string;
  met?: boolean;
}

/** Wait until the console shows `re` in output not seen before; returns the match. */
async function waitFor(sys: OncrixSystem, re: RegExp, state: { text: string }, timeoutMs = 120_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    state.text += new TextDecoder().decode(sys.read());
    const m = state.text.match(re);
    if (m !== null && m.index !== undefined) {
      state.text = state.text.slice(m.index + m[0].length);
      return m;
    }
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${re}; console: ${state.text.slice(-500)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function command(sys: OncrixSystem, state: { text: string }, line: string, re: RegExp): Promise<number> {
  sys.write(`${line}\r`);
  const m = await waitFor(sys, re, state);
  await waitFor(sys, /\$ $/m, state);
  return Number(m[1]);
}

async function main(): Promise<void> {
  console.log('measuring baselines …');
  const waitNotify = await sabRoundTrip(20_000, false);
  const spin = await sabRoundTrip(200_000, true);
  const postMessage = await postMessageRoundTrip(5_000);

  console.log('booting ONCRIX …');
  const state = { text: '' };
  const t0 = performance.now();
  const sys = await bootBuilt({});
  await waitFor(sys, /\$ $/m, state);
  const bootMs = performance.now() - t0;
  const nullNs = await command(sys, state, 'bench null 20000', /bench null: ([\d.]+) ns\/op/);
  const callUs = await command(sys, state, 'ping 5000', /ping: \d+ replies, ([\d.]+) µs avg/);
  const sendNs = await command(sys, state, 'bench send 20000', /bench send: ([\d.]+) ns\/op/);
  const spawnNs = await command(sys, state, 'bench spawn 30', /bench spawn: ([\d.]+) ns\/op/);
  await sys.shutdown();

  const nullUs = nullNs / 1000;
  const figures: Figure[] = [
    { name: 'baseline: SAB wait/notify round trip', value: waitNotify, unit: 'µs' },
    { name: 'baseline: SAB spin round trip', value: spin, unit: 'µs' },
    { name: 'baseline: postMessage round trip', value: postMessage, unit: 'µs' },
    {
      name: 'null syscall round trip', value: nullUs, unit: 'µs', baseline: 'wait/notify', ratio: nullUs / waitNotify,
      target: '<= 1.5x wait/notify and < postMessage', met: nullUs <= 1.5 * waitNotify && nullUs < postMessage,
    },
    {
      name: 'call/reply between two processes', value: callUs, unit: 'µs', baseline: 'wait/notify', ratio: callUs / waitNotify,
      target: '<= 2.5x wait/notify and < postMessage', met: callUs <= 2.5 * waitNotify && callUs < postMessage,
    },
    { name: 'one-way message (64 B), per message', value: sendNs / 1000, unit: 'µs', baseline: 'wait/notify', ratio: sendNs / 1000 / waitNotify },
    { name: 'process spawn (start, run, exit, reap)', value: spawnNs / 1e6, unit: 'ms', baseline: 'postMessage', ratio: spawnNs / 1000 / postMessage },
    { name: 'boot to shell prompt (Node)', value: bootMs, unit: 'ms' },
  ];

  const rows = figures.map((f) => [
    f.name, `${f.value.toFixed(2)} ${f.unit}`, f.ratio !== undefined ? `${f.ratio.toFixed(2)}x ${f.baseline}` : '',
    f.target !== undefined ? `${f.met === true ? 'met' : 'MISSED'} (${f.target})` : '',
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  mkdirSync(new URL('.', import.meta.url), { recursive: true });
  const out = { date: new Date().toISOString(), node: process.version, cores: (await import('node:os')).availableParallelism(), figures };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  console.log('wrote bench/results.json');
}

await main();
