// Tests of the fiber runner (fiber.ts) on programs loaded with the loader's
// 'solo' variant: a program blocks inside oncrix.syscall, unwinds, and resumes
// with its locals, its recursion and its memory intact; a spinning program
// unwinds at a fuel safepoint, so two fibers share one thread by preemption;
// a real ONCRIX program (the shell) loads in the solo variant. Also measures
// what Asyncify costs in code size and in the speed of a syscall round trip.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import binaryen from 'binaryen';
import { describe, expect, test } from 'vitest';
import { loadProgram } from '@oncrix/boot/loader';
import { Fiber, SUSPEND } from '../src/fiber.js';

function wat(text: string): Uint8Array<ArrayBuffer> {
  const module = binaryen.parseText(text);
  try {
    module.setFeatures(binaryen.Features.All);
    return new Uint8Array(module.emitBinary());
  } finally {
    module.dispose();
  }
}

/** A process as solo mode runs it: the loaded module, a plain memory, a fiber, and whatever its imports do. */
function spawn(
  wasm: Uint8Array,
  handlers: { syscall: (nr: number, a0: number) => number | typeof SUSPEND; safepoint?: () => number | typeof SUSPEND },
  fuel?: number,
): { fiber: Fiber; memory: WebAssembly.Memory } {
  const loaded = loadProgram('t', wasm, { variant: 'solo', maxPages: 4, ...(fuel === undefined ? {} : { fuel }) });
  const memory = new WebAssembly.Memory({ initial: Math.max(1, loaded.initialPages), maximum: loaded.maxPages });
  const fiber = new Fiber(memory);
  const safepoint = handlers.safepoint ?? (() => 0);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(loaded.bytes), {
    env: { memory, abort: () => { throw new Error('abort'); } },
    oncrix: {
      syscall: fiber.suspending((nr: number, a0: number) => handlers.syscall(nr, a0)),
      safepoint: fiber.suspending(() => {
        const r = safepoint();
        return r === SUSPEND ? SUSPEND : 0;
      }),
      grow: fiber.suspending((pages: number) => memory.grow(pages)),
    },
  });
  fiber.attach(instance);
  return { fiber, memory };
}

// Recursion of depth 5; at the bottom each level makes a syscall with its own depth and adds the answer
// to a local; the sum goes to memory at 0 (inside the bytes the fiber borrows) and 64 (a data segment's word is kept).
const RECURSE = wat(`
  (module
    (import "oncrix" "syscall" (func $sys (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
    (memory 1)
    (data (i32.const 100) "\\2a\\00\\00\\00")
    (func $down (param $d i32) (result i32) (local $mine i32)
      (local.set $mine (i32.mul (local.get $d) (i32.const 1000)))
      (if (result i32) (i32.eqz (local.get $d))
        (then (call $sys (i32.const 7) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
        (else (i32.add
          (i32.add (local.get $mine) (call $sys (i32.const 7) (local.get $d) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
          (call $down (i32.sub (local.get $d) (i32.const 1)))))))
    (func (export "_start")
      (i32.store (i32.const 64) (i32.const 99))
      (i32.store (i32.const 0) (call $down (i32.const 5)))
      (i32.store (i32.const 4) (i32.load (i32.const 100)))))`);

// Counts forever (until a syscall says stop), storing its count at 0: only safepoints can take the CPU from it.
const SPIN = wat(`
  (module
    (import "oncrix" "syscall" (func $sys (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
    (memory 1)
    (func (export "_start") (local $i i32)
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (i32.store (i32.const 0) (local.get $i))
        (br_if $l (i32.eqz (call $sys (i32.const 1) (local.get $i) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))))))`);

describe('fiber', () => {
  test('a syscall that has no answer yet suspends the program, which resumes with its stack and memory intact', () => {
    const calls: number[] = [];
    const { fiber, memory } = spawn(RECURSE, {
      syscall: (_nr, a0) => {
        calls.push(a0);
        return SUSPEND;
      },
    });
    let suspensions = 0;
    while (fiber.run() === 'suspended') {
      suspensions++;
      // While suspended, the program's own bytes are back where they were (the kernel copies in and out here).
      expect(new Int32Array(memory.buffer, 64, 1)[0]).toBe(99);
      fiber.resume(calls.at(-1) === 0 ? 7 : (calls.at(-1) ?? 0) * 2);
    }
    expect(fiber.state).toBe('done');
    expect(calls).toEqual([5, 4, 3, 2, 1, 0]);
    expect(suspensions).toBe(6);
    // sum over d=1..5 of (1000 d + 2 d) plus 7 at the bottom
    const view = new Int32Array(memory.buffer, 0, 2);
    expect(view[0]).toBe(15 * 1002 + 7);
    expect(view[1]).toBe(42);
  });

  test('answers given at once do not suspend', () => {
    const { fiber, memory } = spawn(RECURSE, { syscall: () => 1 });
    expect(fiber.run()).toBe('done');
    expect(new Int32Array(memory.buffer, 0, 1)[0]).toBe(15 * 1000 + 5 + 1);
  });

  test('a safepoint that must yield unwinds a spinning program: two fibers share one thread', () => {
    const preempt = { on: false };
    const spinner = (): { fiber: Fiber; memory: WebAssembly.Memory } =>
      spawn(SPIN, { syscall: (_nr, i) => (i >= 50_000 ? 1 : 0), safepoint: () => (preempt.on ? SUSPEND : 0) }, 1000);
    const a = spinner();
    const b = spinner();
    preempt.on = true;
    const order: string[] = [];
    while (a.fiber.state !== 'done' || b.fiber.state !== 'done') {
      for (const [name, f] of [['a', a], ['b', b]] as const) {
        if (f.fiber.state === 'done') continue;
        if (f.fiber.state === 'suspended') f.fiber.resume(0);
        f.fiber.run();
        order.push(name);
      }
    }
    expect(new Int32Array(a.memory.buffer, 0, 1)[0]).toBe(50_000);
    expect(new Int32Array(b.memory.buffer, 0, 1)[0]).toBe(50_000);
    // Each ran in many slices, taking turns.
    expect(order.length).toBeGreaterThan(40);
    expect(order.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
  });

  test('a trap in a fiber propagates and ends it', () => {
    const { fiber } = spawn(wat(`(module (memory 1) (func (export "_start") unreachable))`), { syscall: () => 0 });
    expect(() => fiber.run()).toThrow(WebAssembly.RuntimeError);
    expect(fiber.state).toBe('done');
  });

  test('ONCRIX programs load in the solo variant; what Asyncify costs', () => {
    const raw = join(import.meta.dirname, '../../userland/build/raw');
    const rows: string[] = [];
    for (const name of ['sh', 'ping', 'spin']) {
      const wasm = readFileSync(join(raw, `${name}.wasm`));
      const web = loadProgram(name, wasm, { variant: 'web', maxPages: 256 });
      const solo = loadProgram(name, wasm, { variant: 'solo', maxPages: 256 });
      expect(WebAssembly.validate(solo.bytes)).toBe(true);
      expect(solo.exports).toContain('asyncify_start_unwind');
      expect(solo.imports.find((i) => i.module === 'env' && i.name === 'memory')).toBeDefined();
      rows.push(`${name}: ${web.bytes.length} B web, ${solo.bytes.length} B solo (${(solo.bytes.length / web.bytes.length).toFixed(2)}x)`);
    }
    // A syscall that suspends every time: the cost of one unwind + rewind round trip.
    const n = 20_000;
    const { fiber } = spawn(SPIN, { syscall: (_nr, i) => (i >= n ? 1 : SUSPEND) });
    const t0 = performance.now();
    while (fiber.run() === 'suspended') fiber.resume(0);
    const us = ((performance.now() - t0) * 1000) / n;
    rows.push(`suspend + resume round trip: ${us.toFixed(2)} µs`);
    console.log(`asyncify cost (Node ${process.version}): ${rows.join('; ')}`);
    expect(fiber.state).toBe('done');
  });
});
