// The shared-memory primitives the web HAL's threads talk through: waking a
// thread only when it sleeps (wakeSleeper / sleepOn), and the trace ring's
// push, whose few-record pieces are copied by hand and larger ones in bulk.
// The wake-up test uses a real Worker sleeping in Atomics.wait.

import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { RecordRing, sleepOn, wakeSleeper } from '../src/shared.js';

const WORD = 0;
const SLEEPING = 1;
const STAMP = 2;

describe('wakeSleeper and sleepOn', () => {
  test('with nobody asleep, the waker changes nothing beyond the word: no stamp is written', () => {
    const w = new Int32Array(new SharedArrayBuffer(16));
    Atomics.store(w, WORD, 7);
    wakeSleeper(w, WORD, SLEEPING, STAMP);
    expect(Atomics.load(w, STAMP)).toBe(0);
  });

  test('a thread asleep in sleepOn raises the flag, is woken by wakeSleeper with a stamp, and lowers the flag', async () => {
    const sab = new SharedArrayBuffer(16);
    const w = new Int32Array(sab);
    // The Worker sleeps the way the HAL's threads do (sleepOn's steps: flag up, wait, flag down), without a timeout.
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const w = new Int32Array(workerData);
       Atomics.store(w, ${SLEEPING}, 1);
       const r = Atomics.wait(w, ${WORD}, 0);
       Atomics.store(w, ${SLEEPING}, 0);
       parentPort.postMessage({ r, word: Atomics.load(w, ${WORD}), stamp: Atomics.load(w, ${STAMP}) });`,
      { eval: true, workerData: sab },
    );
    try {
      const deadline = Date.now() + 10_000;
      while (Atomics.load(w, SLEEPING) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      expect(Atomics.load(w, SLEEPING), 'the sleeper raised its flag').toBe(1);
      await new Promise((r) => setTimeout(r, 20)); // let it get into Atomics.wait
      const answered = new Promise<{ r: string; word: number; stamp: number }>((resolve) => worker.once('message', resolve));
      Atomics.store(w, WORD, 1);
      wakeSleeper(w, WORD, SLEEPING, STAMP);
      const seen = await answered;
      expect(seen.word).toBe(1);
      expect(seen.stamp, 'the waker stamped the wake-up before its notify').not.toBe(0);
      expect(['ok', 'not-equal']).toContain(seen.r);
      expect(Atomics.load(w, SLEEPING), 'the flag is down again').toBe(0);
    } finally {
      await worker.terminate();
    }
  });

  test('sleepOn returns at once when the word has already changed, and leaves the flag down', () => {
    const w = new Int32Array(new SharedArrayBuffer(16));
    Atomics.store(w, WORD, 5);
    sleepOn(w, WORD, 4, SLEEPING); // no timeout: it would hang if it slept
    expect(Atomics.load(w, SLEEPING)).toBe(0);
  });
});

describe('RecordRing.push', () => {
  const RECORD = 16; // bytes: 4 words

  /** `count` records whose words are base, base+1, …: record i's first word is base + 4i. */
  function records(base: number, count: number): Int32Array {
    return Int32Array.from({ length: count * (RECORD / 4) }, (_, i) => base + i);
  }

  test('small and bulk pushes, across the end of the ring, read back in order and unchanged', () => {
    const ring = new RecordRing(40, RECORD);
    const pushed: number[] = [];
    let base = 1000;
    // 3 records (12 words: by hand), 30 (120 words: in bulk), then 5 and 25, which wraps the 40-slot ring
    // in a piece of 2 records (by hand) and one of 23 (in bulk).
    for (const count of [3, 30, 5, 25, 1, 2]) {
      const src = new Int32Array(8 + count * 4);
      src.set(records(base, count), 8); // records start at word 8 of the source, as in the kernel's memory
      ring.push(src, 8, count);
      pushed.push(...records(base, count));
      base += count * 4;
      const got: number[] = [];
      expect(ring.drainTo((bytes) => got.push(...new Int32Array(bytes.slice().buffer))), 'nothing lost').toBe(0);
      expect(got).toEqual(pushed.splice(0));
    }
    expect(ring.written()).toBe(3 + 30 + 5 + 25 + 1 + 2);
  });
});
