// Preemption points and memory accounting, woven into a user program.
//
// The idea (DESIGN.md §3, "Preemption is real"): a Worker running WebAssembly
// cannot be interrupted, and neither can a wasm2c'd function on bare metal
// without the program's help. So the loader gives every program a fuel
// counter — a mutable i32 global — and at every function entry and every
// loop header inserts
//
//     fuel = fuel - 1; if (fuel <= 0) oncrix$refuel();
//
// where the added helper `oncrix$refuel` does `fuel = FUEL; oncrix.safepoint()`.
// Any run of code either ends, calls a function or goes round a loop, so it
// reaches a check within a bounded number of instructions; the safepoint
// import lets the HAL yield the CPU if the kernel wants it back. The common
// path is a global decrement and a predictable branch; only the rare refill
// pays for a call. Measured in the loader test (Node 20): lost in the noise
// on a call-free loop doing a little arithmetic, about +35% on a loop that
// only counts (a call per iteration would cost several times). The helper
// itself carries no check, or running out of fuel would recurse.
//
// A function that calls no other function of the program (imports are the
// HAL's, and return) needs no check at its entry: it cannot recurse, so
// between its entry and its end it runs its straight-line code once and its
// loops, which carry their own checks. Its caller has already paid for the
// call. That spares the small leaves a C program calls per byte (wasi-libc's
// isspace, memchr …) a check each time.
//
// Also, every `memory.grow` becomes a call to the import `oncrix.grow`, which
// the HAL implements with the MEM_GROW syscall (charging the process quota)
// before growing: the program cannot take memory behind the kernel's back.
//
// For the bare-metal variant, atomic instructions are refused here, since
// wasm2c 1.0.32 cannot compile them.

import binaryen from 'binaryen';
import { expressionClass, getter, member, setter, type ExpressionRef, type Module } from './binaryen-api.js';
import { LoadError } from './errors.js';
import { UnsupportedExpressionError, walkExpression } from './walk.js';

/** What the instrumentation needs to know. */
export interface InstrumentOptions {
  /** Program name, for error messages. */
  readonly program: string;
  /** Checks between two safepoint calls. */
  readonly fuel: number;
  /** Refuse atomics (bare-metal variant). */
  readonly baremetal: boolean;
}

const loopBody = getter(expressionClass('Loop'), 'Loop', 'getBody');
const setLoopBody = setter(expressionClass('Loop'), 'Loop', 'setBody');
const growDelta = getter(expressionClass('MemoryGrow'), 'MemoryGrow', 'getDelta');
const loadIsAtomic = member<(expr: ExpressionRef) => boolean>(expressionClass('Load'), 'isAtomic', 'Load');
const storeIsAtomic = member<(expr: ExpressionRef) => boolean>(expressionClass('Store'), 'isAtomic', 'Store');
const functionBody = getter(expressionClass('Function'), 'Function', 'getBody');
const setFunctionBody = setter(expressionClass('Function'), 'Function', 'setBody');

const ATOMIC_IDS = new Set([
  binaryen.AtomicRMWId,
  binaryen.AtomicCmpxchgId,
  binaryen.AtomicWaitId,
  binaryen.AtomicNotifyId,
  binaryen.AtomicFenceId,
]);

/** `base`, or `base_1`, `base_2` … whichever `taken` says is free. */
function freshName(base: string, taken: (name: string) => boolean): string {
  let name = base;
  for (let n = 1; taken(name); n++) name = `${base}_${n}`;
  return name;
}

/** Internal name of the function imported as module.base, added (with the given type) if the program lacks it. */
function functionImport(module: Module, mod: string, base: string, params: binaryen.Type, results: binaryen.Type): string {
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (info.module === mod && info.base === base) return info.name;
  }
  const name = freshName(`${mod}.${base}`, (n) => module.getFunction(n) !== 0);
  module.addFunctionImport(name, mod, base, params, results);
  return name;
}

/** Name of binaryen expression id `id` ("TryTable" …), for messages. */
function expressionName(id: number): string {
  for (const key of Object.keys(binaryen)) {
    const m = /^_Binaryen(\w+)Id$/.exec(key);
    const idOf: unknown = Reflect.get(binaryen, key);
    if (m && typeof idOf === 'function' && idOf() === id) return m[1] as string;
  }
  return `expression #${id}`;
}

/** Add the fuel counter and its checks, and route memory.grow through oncrix.grow. */
export function instrument(module: Module, opts: InstrumentOptions): void {
  const { program, fuel: FUEL } = opts;
  // The program's own functions, listed before we add the helper.
  const functions: number[] = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const ref = module.getFunctionByIndex(i);
    if (!binaryen.getFunctionInfo(ref).module) functions.push(ref);
  }

  const fuel = freshName('fuel', (n) => module.getGlobal(n) !== 0);
  module.addGlobal(fuel, binaryen.i32, true, module.i32.const(FUEL));
  const safepoint = functionImport(module, 'oncrix', 'safepoint', binaryen.none, binaryen.none);
  const refuel = freshName('oncrix$refuel', (n) => module.getFunction(n) !== 0);
  module.addFunction(refuel, binaryen.none, binaryen.none, [], module.block(null, [
    module.global.set(fuel, module.i32.const(FUEL)),
    module.call(safepoint, [], binaryen.none),
  ], binaryen.none));
  let grow: string | null = null; // imported on first use

  /** `body` with the check in front of it, in a block of the body's own type. */
  const checked = (body: ExpressionRef): ExpressionRef =>
    module.block(null, [
      module.global.set(fuel, module.i32.sub(module.global.get(fuel, binaryen.i32), module.i32.const(1))),
      module.if(module.i32.le_s(module.global.get(fuel, binaryen.i32), module.i32.const(0)), module.call(refuel, [], binaryen.none)),
      body,
    ], binaryen.auto);

  const refuseAtomics = (): never => {
    throw new LoadError(
      'BAD_MODULE',
      `program ${program} uses atomic instructions, which the bare-metal target cannot compile (wasm2c 1.0.32 has no threads support)`,
    );
  };

  /** Does the function being walked call a function of the program (directly, through a table or a reference)? */
  let callsProgram = false;
  const isImport = (name: string): boolean => Boolean(binaryen.getFunctionInfo(module.getFunction(name)).module);

  const visit = (expr: ExpressionRef, id: number): ExpressionRef => {
    if (id === binaryen.CallId) {
      if (!isImport((binaryen.getExpressionInfo(expr) as binaryen.CallInfo).target)) callsProgram = true;
    } else if (id === binaryen.CallIndirectId || id === binaryen.CallRefId) {
      callsProgram = true;
    }
    if (id === binaryen.LoopId) {
      setLoopBody(expr, checked(loopBody(expr)));
    } else if (id === binaryen.MemoryGrowId) {
      grow ??= functionImport(module, 'oncrix', 'grow', binaryen.i32, binaryen.i32);
      return module.call(grow, [growDelta(expr)], binaryen.i32);
    } else if (opts.baremetal) {
      if (ATOMIC_IDS.has(id)) refuseAtomics();
      if (id === binaryen.LoadId && loadIsAtomic(expr)) refuseAtomics();
      if (id === binaryen.StoreId && storeIsAtomic(expr)) refuseAtomics();
    }
    return expr;
  };

  for (const ref of functions) {
    try {
      callsProgram = false;
      const body = walkExpression(functionBody(ref), visit);
      setFunctionBody(ref, callsProgram ? checked(body) : body);
    } catch (e) {
      if (!(e instanceof UnsupportedExpressionError)) throw e;
      throw new LoadError(
        'BAD_MODULE',
        `program ${program} uses an instruction the loader cannot instrument yet (${expressionName(e.id)}, in function ${binaryen.getFunctionInfo(ref).name})`,
      );
    }
  }
}
