// Baselines measured on this machine in the same run as ONCRIX's figures:
// the cheapest ways two Workers can take turns. A raw SharedArrayBuffer
// ping-pong with Atomics.wait/notify (what an ONCRIX syscall does underneath),
// the same with spinning instead of sleeping, and a postMessage round trip.

import { Worker } from 'node:worker_threads';

/** A worker that answers every ping on word 0 by writing pong, sleeping or spinning. */
const ECHO = `
const { workerData, parentPort } = require('node:worker_threads');
const { sab, spin, rounds } = workerData;
const w = new Int32Array(sab);
for (let i = 0; i < rounds; i++) {
  if (spin) { while (Atomics.load(w, 0) !== 1) {} }
  else { let v; while ((v = Atomics.load(w, 0)) !== 1) Atomics.wait(w, 0, v); }
  Atomics.store(w, 0, 2);
  Atomics.notify(w, 0);
}
parentPort.postMessage('done');
`;

function echoWorker(data: object): Worker {
  return new Worker(ECHO, { eval: true, workerData: data, execArgv: [] });
}

/** Mean round trip in µs of a SAB ping-pong (wait/notify, or spinning). */
export async function sabRoundTrip(rounds: number, spin: boolean): Promise<number> {
  const sab = new SharedArrayBuffer(8);
  const w = new Int32Array(sab);
  const worker = echoWorker({ sab, spin, rounds });
  const done = new Promise((r) => worker.once('message', r));
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    Atomics.store(w, 0, 1);
    Atomics.notify(w, 0);
    if (spin) while (Atomics.load(w, 0) !== 2) { /* spin */ }
    else while (Atomics.load(w, 0) !== 2) Atomics.wait(w, 0, 1);
  }
  const us = ((performance.now() - t0) * 1000) / rounds;
  await done;
  await worker.terminate();
  return us;
}

/** Mean postMessage round trip in µs. */
export async function postMessageRoundTrip(rounds: number): Promise<number> {
  const worker = new Worker(`require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));`, { eval: true, execArgv: [] });
  await new Promise<void>((r) => {
    worker.once('message', () => r());
    worker.postMessage(0);
  });
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((r) => {
      worker.once('message', () => r());
      worker.postMessage(i);
    });
  }
  const us = ((performance.now() - t0) * 1000) / rounds;
  await worker.terminate();
  return us;
}
