// Tests of the program loader: small modules written in WebAssembly text and
// assembled by binaryen, loaded, then instantiated in Node against a fake HAL
// (a counting oncrix.safepoint, a recording oncrix.syscall, an oncrix.grow
// that grows the memory the test created). They check the rewrite does what
// DESIGN.md §3–4 promise — the memory becomes env.memory with the quota as
// maximum (shared for the web, plain for bare metal), data segments still
// land, memory.grow goes through the kernel, and preemption points exist at
// loop headers and function entries — that every refusal says which program
// and what is wrong, and that wasm2c 1.0.32 accepts the bare-metal variant.
// The safepoint overhead on a tight loop is measured and printed.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import binaryen from 'binaryen';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_FUEL, LoadError, loadProgram, type LoadedProgram, type LoadOptions } from '../src/loader/index.js';

/** Assemble WebAssembly text (by default with all features on, so tests can use threads, bulk memory …). */
function wat(text: string, features: binaryen.Features = binaryen.Features.All): Uint8Array<ArrayBuffer> {
  const module = binaryen.parseText(text);
  try {
    module.setFeatures(features);
    return new Uint8Array(module.emitBinary());
  } finally {
    module.dispose();
  }
}

/** What binaryen sees in a loaded module: its memory and its text. */
function inspect(bytes: Uint8Array): { memory: binaryen.MemoryInfo; text: string } {
  const module = binaryen.readBinary(bytes);
  module.setFeatures(binaryen.Features.All);
  try {
    return { memory: module.getMemoryInfo(), text: module.emitText() };
  } finally {
    module.dispose();
  }
}

/** A fake HAL: records syscalls, counts safepoints, grows the memory on oncrix.grow. */
class FakeHal {
  safepoints = 0;
  syscalls: number[][] = [];
  grows: number[] = [];
  readonly memory: WebAssembly.Memory;

  constructor(
    readonly program: LoadedProgram,
    shared: boolean,
  ) {
    this.memory = new WebAssembly.Memory({ initial: program.initialPages, maximum: program.maxPages, shared });
  }

  imports(): WebAssembly.Imports {
    return {
      env: {
        memory: this.memory,
        abort: () => {
          throw new Error('abort');
        },
      },
      oncrix: {
        safepoint: () => {
          this.safepoints++;
        },
        syscall: (...args: number[]) => {
          this.syscalls.push(args);
          return 1000 + (args[0] ?? 0);
        },
        grow: (pages: number) => {
          this.grows.push(pages);
          try {
            return this.memory.grow(pages);
          } catch {
            return -1;
          }
        },
      },
    };
  }

  instantiate(): WebAssembly.Instance {
    return new WebAssembly.Instance(new WebAssembly.Module(this.program.bytes), this.imports());
  }

  /** Instantiate and run _start. */
  start(): WebAssembly.Instance {
    const instance = this.instantiate();
    (instance.exports._start as () => void)();
    return instance;
  }

  bytes(at: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, at, len).slice();
  }

  i32(at: number): number {
    return new DataView(this.memory.buffer).getInt32(at, true);
  }
}

/** Load and return the LoadError it throws (fails the test if it does not). */
function refusal(name: string, wasm: Uint8Array, opts: LoadOptions = { variant: 'web', maxPages: 16 }): LoadError {
  try {
    loadProgram(name, wasm, opts);
  } catch (e) {
    if (e instanceof LoadError) return e;
    throw e;
  }
  throw new Error(`program ${name} loaded, but a LoadError was expected`);
}

const VARIANTS = ['web', 'baremetal'] as const;

// A program with its own (exported) memory, an active and a passive data segment.
const DATA = wat(`
  (module
    (memory (export "memory") 2 3)
    (data (i32.const 1024) "hello, oncrix")
    (data $later "passive bytes")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.load8_u (i32.const 1024)))
      (memory.init $later (i32.const 2048) (i32.const 0) (i32.const 13))
      (data.drop $later)))`);

// A tight loop that calls nothing, in a program whose memory is not exported.
const LOOP_ITERATIONS = 1_000_000;
const LOOP = wat(`
  (module
    (memory 1)
    (data (i32.const 16) "still here")
    (func (export "_start") (local $i i32)
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const ${LOOP_ITERATIONS}))))
      (i32.store (i32.const 0) (local.get $i))))`);

// A program that makes a syscall and stores the result.
const SYSCALL = wat(`
  (module
    (import "oncrix" "syscall" (func $sys (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
    (memory 1)
    (func (export "_start")
      (i32.store (i32.const 8)
        (call $sys (i32.const 29) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)))))`);

// A program that grows its memory twice, the second time past any sane quota.
const GROW = wat(`
  (module
    (memory 1)
    (func (export "_start")
      (i32.store (i32.const 0) (memory.grow (i32.const 2)))
      (i32.store (i32.const 4) (memory.grow (i32.const 1000)))
      (i32.store (i32.const 8) (memory.size))))`);

describe('loadProgram: memory', () => {
  test.each(VARIANTS)('%s: a module with its own memory imports env.memory, and its data segments still land', (variant) => {
    const loaded = loadProgram('data', DATA, { variant, maxPages: 16 });
    expect(loaded.initialPages).toBe(2);
    expect(loaded.maxPages).toBe(16);
    expect(loaded.imports).toContainEqual({ module: 'env', name: 'memory', kind: 'memory' });
    expect(loaded.exports).toEqual(expect.arrayContaining(['_start', 'memory']));
    expect(WebAssembly.validate(loaded.bytes)).toBe(true);
    const { memory } = inspect(loaded.bytes);
    expect(memory).toMatchObject({ module: 'env', base: 'memory', initial: 2, max: 16, shared: variant === 'web' });

    const hal = new FakeHal(loaded, variant === 'web');
    hal.start();
    expect(new TextDecoder().decode(hal.bytes(1024, 13))).toBe('hello, oncrix');
    expect(hal.i32(0)).toBe('h'.charCodeAt(0));
    expect(new TextDecoder().decode(hal.bytes(2048, 13))).toBe('passive bytes');
  });

  test('the web variant needs a shared memory with the quota as maximum, the bare-metal one a plain memory', () => {
    const web = loadProgram('data', DATA, { variant: 'web', maxPages: 16 });
    const bare = loadProgram('data', DATA, { variant: 'baremetal', maxPages: 16 });
    expect(inspect(web.bytes).memory.shared).toBe(true);
    expect(inspect(bare.bytes).memory.shared).toBe(false);
    // Linking proves the same thing from the engine's side.
    expect(() => new FakeHal(web, false).instantiate()).toThrow(WebAssembly.LinkError);
    expect(() => new FakeHal(bare, true).instantiate()).toThrow(WebAssembly.LinkError);
    const wrongMax = new WebAssembly.Memory({ initial: 2, maximum: 64, shared: true });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(web.bytes), { ...new FakeHal(web, true).imports(), env: { memory: wrongMax } })).toThrow(
      WebAssembly.LinkError,
    );
  });

  test('a module that already imports env.memory gets the quota as maximum and the variant sharing', () => {
    const wasm = wat(`
      (module
        (import "env" "memory" (memory 3 5))
        (data (i32.const 100) "imported")
        (func (export "_start")))`);
    for (const variant of VARIANTS) {
      const loaded = loadProgram('imp', wasm, { variant, maxPages: 40 });
      expect(inspect(loaded.bytes).memory).toMatchObject({ module: 'env', base: 'memory', initial: 3, max: 40, shared: variant === 'web' });
      const hal = new FakeHal(loaded, variant === 'web');
      hal.start();
      expect(new TextDecoder().decode(hal.bytes(100, 8))).toBe('imported');
    }
  });

  test('a module without memory still imports env.memory (with 0 initial pages)', () => {
    const loaded = loadProgram('nomem', wat('(module (func (export "_start")))'), { variant: 'web', maxPages: 4 });
    expect(loaded.initialPages).toBe(0);
    expect(inspect(loaded.bytes).memory).toMatchObject({ module: 'env', base: 'memory', initial: 0, max: 4, shared: true });
    new FakeHal(loaded, true).start();
  });

  test('a memory with an unusual internal name is still found', () => {
    const wasm = wat(`(module (memory $"odd name\\"\\u{e9}" 1) (data (i32.const 0) "ok") (func (export "_start") (drop (i32.load (i32.const 0)))))`);
    const loaded = loadProgram('odd', wasm, { variant: 'baremetal', maxPages: 2 });
    const hal = new FakeHal(loaded, false);
    hal.start();
    expect(new TextDecoder().decode(hal.bytes(0, 2))).toBe('ok');
  });

  test('memory.grow goes through oncrix.grow, so the kernel can charge the quota', () => {
    const loaded = loadProgram('grow', GROW, { variant: 'web', maxPages: 8 });
    expect(loaded.imports).toContainEqual({ module: 'oncrix', name: 'grow', kind: 'function' });
    expect(inspect(loaded.bytes).text).not.toContain('memory.grow');
    const hal = new FakeHal(loaded, true);
    hal.start();
    expect(hal.grows).toEqual([2, 1000]);
    expect(hal.i32(0)).toBe(1); // old size
    expect(hal.i32(4)).toBe(-1); // refused: beyond the quota
    expect(hal.i32(8)).toBe(3);
    expect(hal.memory.buffer.byteLength).toBe(3 * 65536);
  });

  test('a program that imports oncrix.grow itself keeps one import of it', () => {
    const wasm = wat(`
      (module
        (import "oncrix" "grow" (func $g (param i32) (result i32)))
        (memory 1)
        (func (export "_start") (drop (call $g (i32.const 1))) (drop (memory.grow (i32.const 1)))))`);
    const loaded = loadProgram('g', wasm, { variant: 'web', maxPages: 8 });
    expect(loaded.imports.filter((i) => i.module === 'oncrix' && i.name === 'grow')).toHaveLength(1);
    const hal = new FakeHal(loaded, true);
    hal.start();
    expect(hal.grows).toEqual([1, 1]);
  });

  test('a program that starts bigger than its quota is TOO_BIG', () => {
    const e = refusal('fat', wat('(module (memory 5) (func (export "_start")))'), { variant: 'web', maxPages: 4 });
    expect(e.reason).toBe('TOO_BIG');
    expect(e.message).toBe('program fat needs 5 pages of memory to start, more than its quota of 4 pages');
  });
});

describe('loadProgram: preemption', () => {
  test('a tight loop that calls nothing reaches oncrix.safepoint, once per `fuel` checks', () => {
    for (const fuel of [1000, undefined]) {
      const loaded = loadProgram('spin', LOOP, { variant: 'web', maxPages: 1, ...(fuel ? { fuel } : {}) });
      const hal = new FakeHal(loaded, true);
      hal.start();
      // One check at the entry of _start, one per loop iteration.
      // One check per iteration; _start calls nothing, so its entry carries none.
      expect(hal.safepoints).toBe(Math.floor(LOOP_ITERATIONS / (fuel ?? DEFAULT_FUEL)));
      expect(hal.i32(0)).toBe(LOOP_ITERATIONS);
      expect(new TextDecoder().decode(hal.bytes(16, 10))).toBe('still here');
    }
  });

  test('function entries are preemption points too (recursion without loops)', () => {
    const wasm = wat(`
      (module
        (func $fib (param $n i32) (result i32)
          (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
            (then (local.get $n))
            (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                           (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
        (func (export "_start") (drop (call $fib (i32.const 20)))))`);
    const calls = (n: number): number => (n < 2 ? 1 : 1 + calls(n - 1) + calls(n - 2));
    const loaded = loadProgram('fib', wasm, { variant: 'baremetal', maxPages: 1, fuel: 100 });
    const hal = new FakeHal(loaded, false);
    hal.start();
    expect(hal.safepoints).toBe(Math.floor((calls(20) + 1) / 100));
  });

  test('the fuel counter is refilled before the safepoint runs, and the program result is unchanged', () => {
    const loaded = loadProgram('spin', LOOP, { variant: 'baremetal', maxPages: 1, fuel: 1 });
    const hal = new FakeHal(loaded, false);
    hal.start();
    expect(hal.safepoints).toBe(LOOP_ITERATIONS);
    expect(hal.i32(0)).toBe(LOOP_ITERATIONS);
  });

  test('a function that calls no function of the program carries no check at its entry; its callers and loops do', () => {
    // $leaf calls only an import; $twice calls $leaf. 1000 calls of $twice from a loop in _start:
    // 1000 loop checks, 1000 entries of $twice, 1 entry of _start, and none for the 2000 entries of $leaf.
    const wasm = wat(`
      (module
        (import "oncrix" "syscall" (func $sys (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
        (func $leaf (param $x i32) (result i32)
          (i32.add (local.get $x) (i32.const 1)))
        (func $sysLeaf (drop (call $sys (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
        (func $twice (param $x i32) (result i32)
          (call $leaf (call $leaf (local.get $x))))
        (func (export "_start") (local $i i32) (local $acc i32)
          (call $sysLeaf)
          (loop $l
            (local.set $acc (call $twice (local.get $acc)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
          (i32.store (i32.const 0) (local.get $acc)))
        (memory 1))`);
    const hal = new FakeHal(loadProgram('leaf', wasm, { variant: 'web', maxPages: 1, fuel: 1 }), true);
    hal.start();
    expect(hal.i32(0)).toBe(2000);
    expect(hal.safepoints).toBe(1000 + 1000 + 1);
  });

  test('safepoint overhead on tight loops (measured and printed, not a timing test)', () => {
    // Two loops that call nothing: one doing a little arithmetic per iteration, and the
    // degenerate worst case, a loop that only counts.
    const loops = {
      'arithmetic loop': '(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $i)))',
      'empty counting loop': '',
    };
    const N = 20_000_000;
    /** Best of several runs, in ms, after warm-up calls that let the engine tier up. */
    const best = (f: (n: number) => number): number => {
      for (let i = 0; i < 20; i++) f(100_000);
      let ms = Infinity;
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        f(N);
        ms = Math.min(ms, performance.now() - t0);
      }
      return ms;
    };
    for (const [what, work] of Object.entries(loops)) {
      const spin = wat(`
        (module
          (func $spin (export "spin") (param $n i32) (result i32) (local $i i32) (local $acc i32)
            (loop $l
              ${work}
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (i32.add (local.get $acc) (local.get $i)))
          (func (export "_start") (drop (call $spin (i32.const 1000)))))`);
      const plain = new WebAssembly.Instance(new WebAssembly.Module(spin), {}).exports.spin as (n: number) => number;
      const hal = new FakeHal(loadProgram('spin', spin, { variant: 'web', maxPages: 1 }), true);
      const fueled = hal.instantiate().exports.spin as (n: number) => number;
      expect(fueled(N)).toBe(plain(N));
      expect(hal.safepoints).toBe(Math.floor(N / DEFAULT_FUEL));
      const base = best(plain);
      const withFuel = best(fueled);
      const ratio = withFuel / base;
      console.info(
        `safepoint overhead, ${what} (${N / 1e6}M iterations, fuel ${DEFAULT_FUEL}): ` +
          `${base.toFixed(1)} ms plain, ${withFuel.toFixed(1)} ms instrumented, ratio ${ratio.toFixed(2)}`,
      );
      // The ratio is printed to be read, not asserted: wall-clock times on a shared machine vary too
      // much for a test to judge. What is asserted is above: the same result, one safepoint per fuel.
    }
  });

  test('instrumented code computes what the original computes (control flow of every kind)', () => {
    const F = binaryen.Features;
    // The features Node 20 runs and wasm toolchains emit today (no GC, no try_table).
    const features =
      F.MutableGlobals | F.SignExt | F.BulkMemory | F.BulkMemoryOpt | F.ReferenceTypes | F.Multivalue | F.TailCall |
      F.ExceptionHandling | F.NontrappingFPToInt | F.SIMD128;
    const wasm = wat(
      `(module
        (type $bin (func (param i32 i32) (result i32)))
        (tag $oops (param i32))
        (table 2 funcref) (elem (i32.const 0) $add $sub)
        (memory 1)
        (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
        (func $sub (type $bin) (i32.sub (local.get 0) (local.get 1)))
        (func (export "loopValue") (param $n i32) (result i32) (local $i i32)
          (loop $l (result i32)
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (local.get $n)))
            (i32.mul (local.get $i) (i32.const 3))))
        (func (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $s i32)
          (block $out (loop $a
            (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $j (i32.const 0))
            (loop $b
              (local.set $s (i32.add (local.get $s)
                (call_indirect (type $bin) (local.get $i) (local.get $j) (i32.and (local.get $j) (i32.const 1)))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $b (i32.lt_u (local.get $j) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $a)))
          (local.get $s))
        (func (export "switch") (param $k i32) (result i32)
          (block $c (block $b (block $a (br_table $a $b $c (local.get $k)))
            (return (i32.const 10))) (return (i32.const 20))) (i32.const 30))
        (func (export "early") (param $x i32) (result i32)
          (if (local.get $x) (then (return (select (i32.const 7) (i32.const 8) (i32.gt_s (local.get $x) (i32.const 5))))))
          (unreachable))
        (func $count (param $n i32) (param $acc i32) (result i32)
          (if (result i32) (i32.eqz (local.get $n)) (then (local.get $acc))
            (else (return_call $count (i32.sub (local.get $n) (i32.const 1)) (i32.add (local.get $acc) (i32.const 2))))))
        (func (export "tail") (param $n i32) (result i32) (call $count (local.get $n) (i32.const 0)))
        (func (export "catch") (param $x i32) (result i32) (local $t i32)
          (try (result i32)
            (do (if (local.get $x) (then (throw $oops (i32.mul (local.get $x) (i32.const 11))))) (i32.const -1))
            (catch $oops
              (local.set $t (pop i32))
              (loop $l (result i32)
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br_if $l (i32.lt_u (local.get $t) (i32.const 100)))
                (local.get $t)))))
        (func (export "wide") (param $x i32) (result i32)
          (i32.wrap_i64 (i64.add (i64.extend_i32_s (local.get $x)) (i64.extend8_s (i64.const 255)))))
        (func (export "bulk") (param $x i32) (result i32)
          (memory.fill (i32.const 100) (local.get $x) (i32.const 16))
          (memory.copy (i32.const 200) (i32.const 100) (i32.const 16))
          (i32.load8_u (i32.const 215)))
        (func (export "simd") (param $x i32) (result i32)
          (i32x4.extract_lane 2 (i32x4.add (i32x4.splat (local.get $x)) (v128.const i32x4 1 2 3 4))))
        (func (export "_start")))`,
      features,
    );
    type Fn = (...args: number[]) => number;
    const plain = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports;
    const hal = new FakeHal(loadProgram('mix', wasm, { variant: 'web', maxPages: 2, fuel: 7 }), true);
    const fueled = hal.instantiate().exports;
    const calls: [string, number[]][] = [
      ['loopValue', [5]], ['nested', [30]], ['switch', [0]], ['switch', [1]], ['switch', [9]], ['early', [3]], ['early', [9]],
      ['tail', [100_000]], ['catch', [0]], ['catch', [4]], ['wide', [5]], ['bulk', [77]], ['simd', [40]],
    ];
    for (const [name, args] of calls) {
      expect((fueled[name] as Fn)(...args), `${name}(${args.join(', ')})`).toBe((plain[name] as Fn)(...args));
    }
    expect(() => (fueled.early as Fn)(0)).toThrow(WebAssembly.RuntimeError);
    expect(hal.safepoints).toBeGreaterThan(100_000 / 7); // the tail-call chain alone enters $count 100,001 times
  });

  test('a catch whose first instruction calls a function with the exception\'s value loads, and counts as a loop of its own', () => {
    const F = binaryen.Features;
    const wasm = wat(
      `(module
        (tag $oops (param i32))
        (func $h (param $x i32) (result i32) (local $i i32)
          (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (local.get $x))))
          (local.get $i))
        (func (export "caught") (param $x i32) (result i32)
          (try (result i32)
            (do (throw $oops (local.get $x)))
            (catch $oops (call $h (pop i32)))))
        (func (export "_start")))`,
      F.MutableGlobals | F.ExceptionHandling | F.Multivalue,
    );
    type Fn = (x: number) => number;
    const plain = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports;
    const hal = new FakeHal(loadProgram('catch', wasm, { variant: 'web', maxPages: 1, fuel: 10 }), true);
    const fueled = hal.instantiate().exports;
    expect((fueled.caught as Fn)(95)).toBe((plain.caught as Fn)(95));
    // 95 loop checks in $h, and one at the entry of caught (it calls $h): 96 checks, a safepoint every 10.
    expect(hal.safepoints).toBe(9);
  });

  test('an AssemblyScript program (real toolchain output, runtime and all) loads and runs', async () => {
    const source = `
      @external("oncrix", "syscall")
      declare function syscall(nr: i32, a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32): i32;
      export function _start(): void {
        const parts = new Array<string>();
        for (let i = 0; i < 2000; i++) parts.push("line " + i.toString());
        const bytes = String.UTF8.encode(parts.join("\\n"));
        syscall(37, changetype<i32>(bytes), bytes.byteLength, 0, 0, 0, 0);
      }`;
    const { default: asc } = await import('assemblyscript/asc');
    const compiled = await asc.compileString(source, { optimizeLevel: 2, runtime: 'incremental' });
    expect(compiled.error).toBeNull();
    const loaded = loadProgram('as-hello', compiled.binary as Uint8Array, { variant: 'web', maxPages: 64 });
    const hal = new FakeHal(loaded, true);
    hal.start();
    const expected = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const [nr, ptr, len] = hal.syscalls[0] ?? [];
    expect(nr).toBe(37);
    expect(new TextDecoder().decode(hal.bytes(ptr ?? 0, len ?? 0))).toBe(expected);
    expect(hal.grows.length).toBeGreaterThan(0); // the AssemblyScript allocator grew through oncrix.grow
    expect(hal.safepoints).toBeGreaterThan(0);
  });
});

describe('loadProgram: imports and entry', () => {
  test('a syscall reaches oncrix.syscall with its seven arguments and returns its result', () => {
    const loaded = loadProgram('sys', SYSCALL, { variant: 'web', maxPages: 2 });
    const hal = new FakeHal(loaded, true);
    hal.start();
    expect(hal.syscalls).toEqual([[29, 1, 2, 3, 4, 5, 6]]);
    expect(hal.i32(8)).toBe(1029);
  });

  test('the import and export lists describe the rewritten module exactly', () => {
    const loaded = loadProgram('sys', SYSCALL, { variant: 'web', maxPages: 2 });
    const module = new WebAssembly.Module(loaded.bytes);
    expect(loaded.imports).toEqual(WebAssembly.Module.imports(module));
    expect(loaded.exports).toEqual(WebAssembly.Module.exports(module).map((e) => e.name));
    expect(loaded.imports).toEqual(
      expect.arrayContaining([
        { module: 'oncrix', name: 'syscall', kind: 'function' },
        { module: 'oncrix', name: 'safepoint', kind: 'function' },
        { module: 'env', name: 'memory', kind: 'memory' },
      ]),
    );
  });

  test('env.abort, oncrix.safepoint and WASI preview 1 functions are allowed', () => {
    const wasm = wat(`
      (module
        (import "env" "abort" (func (param i32 i32 i32 i32)))
        (import "oncrix" "safepoint" (func $sp))
        (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
        (func (export "_start") (call $sp)))`);
    const loaded = loadProgram('ok', wasm, { variant: 'baremetal', maxPages: 1 });
    expect(loaded.imports.filter((i) => i.name === 'safepoint')).toHaveLength(1);
    expect(loaded.imports).toContainEqual({ module: 'wasi_snapshot_preview1', name: 'fd_write', kind: 'function' });
  });

  test.each([
    ['an unknown module', '(import "env" "foo" (func))', 'program p imports env.foo, which ONCRIX does not provide'],
    ['a JS global', '(import "js" "counter" (global i32))', 'program p imports js.counter, which ONCRIX does not provide'],
    ['a table', '(import "env" "table" (table 1 funcref))', 'program p imports env.table, which ONCRIX does not provide'],
    ['a memory by another name', '(import "js" "mem" (memory 1))', 'program p imports js.mem, which ONCRIX does not provide'],
    [
      'a WASI function preview 1 does not have',
      '(import "wasi_snapshot_preview1" "sock_open" (func (param i32) (result i32)))',
      'program p imports wasi_snapshot_preview1.sock_open, which ONCRIX does not provide (it is not a wasi_snapshot_preview1 function)',
    ],
    [
      'a WASI function with another signature than witx gives it',
      '(import "wasi_snapshot_preview1" "fd_seek" (func (param i32 i32 i32 i32) (result i32)))',
      'program p imports wasi_snapshot_preview1.fd_seek with type (i32, i32, i32, i32) -> i32, which ONCRIX does not provide (its type is (i32, i64, i32, i32) -> i32)',
    ],
    [
      'oncrix.syscall with the wrong type',
      '(import "oncrix" "syscall" (func (param i32) (result i32)))',
      'program p imports oncrix.syscall with type (i32) -> i32, which ONCRIX does not provide (its type is (i32, i32, i32, i32, i32, i32, i32) -> i32)',
    ],
    [
      'oncrix.safepoint with the wrong type',
      '(import "oncrix" "safepoint" (func (result i32)))',
      'program p imports oncrix.safepoint with type () -> i32, which ONCRIX does not provide (its type is () -> ())',
    ],
    [
      'oncrix.syscall as a global',
      '(import "oncrix" "syscall" (global i32))',
      'program p imports oncrix.syscall as a global, which ONCRIX does not provide (it is a function (i32, i32, i32, i32, i32, i32, i32) -> i32)',
    ],
    [
      'env.abort with the wrong type',
      '(import "env" "abort" (func (param i32)))',
      'program p imports env.abort with type (i32) -> (), which ONCRIX does not provide (its type is (i32, i32, i32, i32) -> ())',
    ],
    [
      'env.memory as a function',
      '(import "env" "memory" (func))',
      'program p imports env.memory as a function, which ONCRIX does not provide (env.memory is the process memory)',
    ],
  ])('importing %s is BAD_IMPORT', (_what, imp, message) => {
    const e = refusal('p', wat(`(module ${imp} (func (export "_start")))`));
    expect(e.reason).toBe('BAD_IMPORT');
    expect(e.message).toBe(message);
  });

  test.each([
    ['no _start', '(func (export "main"))', 'program p has no entry point: it does not export _start'],
    ['a _start with a parameter', '(func (export "_start") (param i32))', 'program p exports _start with parameters or results; it must take and return nothing'],
    ['a _start with a result', '(func (export "_start") (result i32) (i32.const 0))', 'program p exports _start with parameters or results; it must take and return nothing'],
    ['a _start that is a global', '(global (export "_start") i32 (i32.const 0))', 'program p exports _start, but not as a function'],
  ])('a program with %s is NO_ENTRY', (_what, body, message) => {
    const e = refusal('p', wat(`(module ${body})`));
    expect(e.reason).toBe('NO_ENTRY');
    expect(e.message).toBe(message);
  });

  test('bytes that are not WebAssembly are BAD_MODULE, with the engine saying why', () => {
    const junk = refusal('junk', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(junk.reason).toBe('BAD_MODULE');
    expect(junk.message).toMatch(/^program junk is not valid WebAssembly: .*magic/);
    const cut = refusal('cut', DATA.subarray(0, DATA.length - 5));
    expect(cut.reason).toBe('BAD_MODULE');
    expect(cut.message).toMatch(/^program cut is not valid WebAssembly: ./);
    // Well-formed but ill-typed.
    const bad = refusal('badtype', wat('(module (func (export "_start")))').map((b, i, a) => (i === a.length - 2 ? 0x41 : b)));
    expect(bad.reason).toBe('BAD_MODULE');
    expect(bad.message).toMatch(/^program badtype is not valid WebAssembly: /);
  });

  test('the bare-metal variant refuses atomics (wasm2c 1.0.32 cannot compile them); the web variant keeps them', () => {
    const wasm = wat(`
      (module (memory 1 1 shared)
        (func (export "_start") (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))))`);
    const e = refusal('atomic', wasm, { variant: 'baremetal', maxPages: 1 });
    expect(e.reason).toBe('BAD_MODULE');
    expect(e.message).toBe(
      'program atomic uses atomic instructions, which the bare-metal target cannot compile (wasm2c 1.0.32 has no threads support)',
    );
    const hal = new FakeHal(loadProgram('atomic', wasm, { variant: 'web', maxPages: 1 }), true);
    hal.start();
    expect(hal.i32(0)).toBe(1);
  });

  test('an instruction the walker cannot see into is BAD_MODULE, naming it', () => {
    const wasm = wat(`
      (module (table 4 funcref)
        (func (export "_start") (table.fill 0 (i32.const 0) (ref.null func) (i32.const 2))))`,
      binaryen.Features.ReferenceTypes | binaryen.Features.BulkMemory,
    );
    const e = refusal('tbl', wasm);
    expect(e.reason).toBe('BAD_MODULE');
    expect(e.message).toBe('program tbl uses an instruction the loader cannot instrument yet (TableFill, in function 0)');
  });

  test('bad options are the caller’s bug: RangeError', () => {
    expect(() => loadProgram('p', DATA, { variant: 'web', maxPages: -1 })).toThrow(RangeError);
    expect(() => loadProgram('p', DATA, { variant: 'web', maxPages: 16, fuel: 0 })).toThrow(RangeError);
    expect(() => loadProgram('p', DATA, { variant: 'web', maxPages: 1.5 })).toThrow(RangeError);
  });
});

describe('bare-metal variant through wasm2c 1.0.32', () => {
  const work = mkdtempSync(join(tmpdir(), 'oncrix-loader-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const run = (cmd: string, args: string[]): string =>
    execFileSync(cmd, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const program = wat(`
    (module
      (import "oncrix" "syscall" (func $sys (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 64) "hello")
      (func (export "_start") (local $i i32)
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 100))))
        (drop (memory.grow (i32.const 1)))
        (drop (call $sys (i32.const 37) (i32.const 64) (i32.const 5) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))))`);

  test('wasm2c translates the bare-metal variant and gcc -m64 -mno-red-zone -ffreestanding compiles it (as for the x86_64 image)', () => {
    writeFileSync(join(work, 'prog.wasm'), loadProgram('prog', program, { variant: 'baremetal', maxPages: 4 }).bytes);
    run('wasm2c', ['prog.wasm', '-n', 'prog', '-o', 'prog.c']);
    run('gcc', ['-m64', '-mno-red-zone', '-ffreestanding', '-c', '-I/usr/share/wabt/wasm2c', 'prog.c', '-o', 'prog.o']);
    const header = run('cat', ['prog.h']);
    for (const name of ['Z_oncrixZ_syscall', 'Z_oncrixZ_safepoint', 'Z_oncrixZ_grow', 'Z_envZ_memory', 'Z_progZ__start']) {
      expect(header).toContain(name);
    }
  });

  test('wasm2c refuses the web variant (shared memory), which is why there are two', () => {
    writeFileSync(join(work, 'web.wasm'), loadProgram('prog', program, { variant: 'web', maxPages: 4 }).bytes);
    expect(() => run('wasm2c', ['web.wasm', '-o', 'web.c'])).toThrow();
  });
});

describe('solo variant (Asyncify)', () => {
  // A start function (as AssemblyScript emits for top-level code) that stores a word, and an entry that doubles it.
  const STARTED = wat(`
    (module
      (import "oncrix" "syscall" (func $sys (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
      (memory 1)
      (func $init (i32.store (i32.const 32) (i32.const 21)))
      (start $init)
      (func (export "_start")
        (i32.store (i32.const 32) (i32.mul (i32.load (i32.const 32)) (i32.const 2)))
        (drop (call $sys (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))))`);

  test('an unshared memory, the Asyncify exports, and the start function run by _start instead of at instantiation', () => {
    const loaded = loadProgram('started', STARTED, { variant: 'solo', maxPages: 2 });
    expect(inspect(loaded.bytes).memory.shared).toBe(false);
    for (const name of ['asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind', 'asyncify_stop_rewind', 'asyncify_get_state']) {
      expect(loaded.exports).toContain(name);
    }
    const hal = new FakeHal(loaded, false);
    const instance = hal.instantiate();
    expect(hal.i32(32), 'nothing ran while instantiating').toBe(0);
    (instance.exports._start as () => void)();
    expect(hal.i32(32)).toBe(42);
    expect(hal.syscalls).toEqual([[1, 0, 0, 0, 0, 0, 0]]);
  });

  test('the web variant keeps the start function where it was', () => {
    const hal = new FakeHal(loadProgram('started', STARTED, { variant: 'web', maxPages: 2 }), true);
    hal.instantiate();
    expect(hal.i32(32)).toBe(21);
  });
});
