// Preemption points and memory accounting, woven into a user program.
//
// The idea (DESIGN.md §3, "Preemption is real"): a Worker running WebAssembly
// cannot be interrupted, and neither can a wasm2c'd function on bare metal
// without the program's help. So the loader gives every program a fuel
// counter and at every function entry and every loop header inserts
//
//     fuel = fuel - 1; if (fuel <= 0) { fuel = FUEL; oncrix.safepoint(); }
//
// Any run of code either ends, calls a function or goes round a loop, so it
// reaches a check within a bounded number of instructions; the safepoint
// import lets the HAL yield the CPU if the kernel wants it back.
//
// The counter a function counts with is a local of its own, which the engine
// keeps in a register: a check is a decrement and a predictable branch. A
// mutable global carries the count from function to function — a function
// loads it at its entry, stores it before it calls a function of the
// program or an import (once the call's arguments are evaluated) and
// before it returns, and loads it again when a call of the program comes
// back — so the checks count exactly as one global counter would, and
// safepoints (deterministic mode's clock) fall where they always did; an
// exception that unwinds a function finds its count stored at the call it
// came from. A function that throws, catches (its `pop`s must stay first in
// their catch) or tail-calls counts on the global itself. With the global
// itself as the counter, every check was a load and a store: the loop of a
// C program's `wc` ran 1.8 times as long as without checks, about 1.3 times
// with the local (node:wasi, `bench/wasi/wasibench.c`).
//
// A function that calls no other function of the program (imports are the
// HAL's, and return) needs no check at its entry: it cannot recurse, so
// between its entry and its end it runs its straight-line code once and its
// loops, which carry their own checks. Its caller has already paid for the
// call. That spares the small leaves a C program calls per byte (wasi-libc's
// isspace, memchr …) a check each time. A function with neither loops nor
// calls of the program has no counter at all.
//
// Also, every `memory.grow` becomes a call to the import `oncrix.grow`, which
// the HAL implements with the MEM_GROW syscall (charging the process quota)
// before growing: the program cannot take memory behind the kernel's back.
//
// For the bare-metal variant, atomic instructions are refused here, since
// wasm2c 1.0.32 cannot compile them.

import binaryen from 'binaryen';
import { expressionClass, getter, indexedGetter, indexedSetter, member, setter, type ExpressionRef, type Module } from './binaryen-api.js';
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
const addVar = member<(func: number, type: binaryen.Type) => number>(binaryen, '_BinaryenFunctionAddVar', 'binaryen');
const callOperands = member<(expr: ExpressionRef) => number>(expressionClass('Call'), 'getNumOperands', 'Call');
const callOperand = indexedGetter(expressionClass('Call'), 'Call', 'getOperandAt');
const callSetOperand = indexedSetter(expressionClass('Call'), 'Call', 'setOperandAt');
const returnValue = getter(expressionClass('Return'), 'Return', 'getValue');
const setReturnValue = setter(expressionClass('Return'), 'Return', 'setValue');
/** The table index of a call_indirect: the last child it evaluates. */
const indirectTarget = getter(expressionClass('CallIndirect'), 'CallIndirect', 'getTarget');
const setIndirectTarget = setter(expressionClass('CallIndirect'), 'CallIndirect', 'setTarget');
const RETURN_CALLS = new Map([['Call', binaryen.CallId], ['CallIndirect', binaryen.CallIndirectId]].map(
  ([cls, id]) => [id as number, member<(expr: ExpressionRef) => boolean>(expressionClass(cls as string), 'isReturn', cls as string)] as const,
));
/** Is this a tail call (return_call …), which leaves the function instead of coming back? */
const isReturnCall = (expr: ExpressionRef, id: number): boolean => RETURN_CALLS.get(id)?.(expr) ?? false;

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
  // The program's own functions, listed before we add anything.
  const functions: number[] = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const ref = module.getFunctionByIndex(i);
    if (!binaryen.getFunctionInfo(ref).module) functions.push(ref);
  }

  const fuel = freshName('fuel', (n) => module.getGlobal(n) !== 0);
  module.addGlobal(fuel, binaryen.i32, true, module.i32.const(FUEL));
  const safepoint = functionImport(module, 'oncrix', 'safepoint', binaryen.none, binaryen.none);
  let grow: string | null = null; // imported on first use

  const refuseAtomics = (): never => {
    throw new LoadError(
      'BAD_MODULE',
      `program ${program} uses atomic instructions, which the bare-metal target cannot compile (wasm2c 1.0.32 has no threads support)`,
    );
  };
  const isImport = (name: string): boolean => Boolean(binaryen.getFunctionInfo(module.getFunction(name)).module);
  /** Does this call leave for a function of the program (directly, through a table or a reference)? */
  const callsProgram = (expr: ExpressionRef, id: number): boolean =>
    id === binaryen.CallIndirectId || id === binaryen.CallRefId
    || (id === binaryen.CallId && !isImport((binaryen.getExpressionInfo(expr) as binaryen.CallInfo).target));

  /**
   * What a function does that needs fuel: loops, and calls of the program's
   * functions (its entry then needs a check); and whether it throws, catches
   * or tail-calls, which keeps its count in the global itself (see below).
   */
  const needs = (ref: number): { loops: boolean; calls: boolean; inGlobal: boolean } => {
    const seen = { loops: false, calls: false, inGlobal: false };
    walkExpression(functionBody(ref), (expr, id) => {
      if (id === binaryen.LoopId) seen.loops = true;
      else if (callsProgram(expr, id)) seen.calls = true;
      if (id === binaryen.TryId || id === binaryen.ThrowId || id === binaryen.RethrowId || isReturnCall(expr, id)) seen.inGlobal = true;
      return expr;
    });
    return seen;
  };

  /**
   * The check on a counter read by `get` and written by `set`:
   * `c = c - 1; if (c <= 0) { c = FUEL; oncrix.safepoint(); }`, then `body`.
   */
  const checkOn = (get: () => ExpressionRef, set: (value: ExpressionRef) => ExpressionRef) => (body: ExpressionRef): ExpressionRef =>
    module.block(null, [
      set(module.i32.sub(get(), module.i32.const(1))),
      module.if(module.i32.le_s(get(), module.i32.const(0)), module.block(null, [
        set(module.i32.const(FUEL)),
        module.call(safepoint, [], binaryen.none),
      ], binaryen.none)),
      body,
    ], binaryen.auto);
  const checkedInGlobal = checkOn(() => module.global.get(fuel, binaryen.i32), (v) => module.global.set(fuel, v));

  /** A function that throws, catches or tail-calls: its checks count on the global, as every function's once did. */
  const rewriteInGlobal = (ref: number, entryCheck: boolean): void => {
    const body = walkExpression(functionBody(ref), (expr, id) => {
      if (id === binaryen.LoopId) setLoopBody(expr, checkedInGlobal(loopBody(expr)));
      return instrumentOther(expr, id);
    });
    setFunctionBody(ref, entryCheck ? checkedInGlobal(body) : body);
  };

  /** The rewriting of one function whose fuel lives in local `f` (see the module comment). */
  const rewrite = (ref: number, f: number, entryCheck: boolean): void => {
    const temps = new Map<binaryen.Type, number>();
    /** A scratch local of `type`: set and read back at once, so one per type serves the whole function. */
    const temp = (type: binaryen.Type): number => {
      let t = temps.get(type);
      if (t === undefined) {
        t = addVar(ref, type);
        temps.set(type, t);
      }
      return t;
    };
    const store = (): ExpressionRef => module.global.set(fuel, module.local.get(f, binaryen.i32));
    const reload = (): ExpressionRef => module.local.set(f, module.global.get(fuel, binaryen.i32));
    /** `value`, then `after`, the block's value being value's (a value of no type is followed as it is). */
    const thenDo = (value: ExpressionRef, after: ExpressionRef): ExpressionRef => {
      const type = binaryen.getExpressionType(value);
      if (type === binaryen.unreachable) return value;
      if (type === binaryen.none) return module.block(null, [value, after], binaryen.none);
      const t = temp(type);
      return module.block(null, [module.local.set(t, value), after, module.local.get(t, type)], type);
    };
    const checked = checkOn(() => module.local.get(f, binaryen.i32), (v) => module.local.set(f, v));
    /**
     * A call: the count goes to the global once the call's arguments are
     * evaluated — also for an import, which might throw to a catching
     * function further up — and comes back after a call of the program's.
     */
    const aroundCall = (expr: ExpressionRef, id: number): ExpressionRef => {
      const ofProgram = callsProgram(expr, id);
      // The last child evaluated is the table index of a call_indirect, else the last operand.
      const last = id === binaryen.CallId ? callOperands(expr) - 1 : -2;
      const child = last === -2 ? indirectTarget(expr) : last >= 0 ? callOperand(expr, last) : 0;
      if (child !== 0) {
        const stored = thenDo(child, store());
        if (last === -2) setIndirectTarget(expr, stored);
        else callSetOperand(expr, last, stored);
      } else {
        expr = module.block(null, [store(), expr], binaryen.getExpressionType(expr));
      }
      return ofProgram ? thenDo(expr, reload()) : expr;
    };
    const visit = (expr: ExpressionRef, id: number): ExpressionRef => {
      if (id === binaryen.LoopId) {
        setLoopBody(expr, checked(loopBody(expr)));
      } else if (id === binaryen.CallId || id === binaryen.CallIndirectId) {
        return aroundCall(expr, id);
      } else if (id === binaryen.ReturnId) {
        const value = returnValue(expr);
        if (value === 0) return module.block(null, [store(), expr], binaryen.unreachable);
        setReturnValue(expr, thenDo(value, store()));
      }
      return instrumentOther(expr, id);
    };
    const body = walkExpression(functionBody(ref), visit);
    const entry = module.local.set(f, module.global.get(fuel, binaryen.i32));
    setFunctionBody(ref, module.block(null, [entry, thenDo(entryCheck ? checked(body) : body, store())], binaryen.auto));
  };

  /** Growing memory and atomics: the same in every function. */
  const instrumentOther = (expr: ExpressionRef, id: number): ExpressionRef => {
    if (id === binaryen.MemoryGrowId) {
      grow ??= functionImport(module, 'oncrix', 'grow', binaryen.i32, binaryen.i32);
      return module.call(grow, [growDelta(expr)], binaryen.i32);
    }
    if (opts.baremetal) {
      if (ATOMIC_IDS.has(id)) refuseAtomics();
      if (id === binaryen.LoadId && loadIsAtomic(expr)) refuseAtomics();
      if (id === binaryen.StoreId && storeIsAtomic(expr)) refuseAtomics();
    }
    return expr;
  };

  for (const ref of functions) {
    try {
      const { loops, calls, inGlobal } = needs(ref);
      if ((loops || calls) && inGlobal) rewriteInGlobal(ref, calls);
      else if (loops || calls) rewrite(ref, addVar(ref, binaryen.i32), calls);
      else setFunctionBody(ref, walkExpression(functionBody(ref), instrumentOther));
    } catch (e) {
      if (!(e instanceof UnsupportedExpressionError)) throw e;
      throw new LoadError(
        'BAD_MODULE',
        `program ${program} uses an instruction the loader cannot instrument yet (${expressionName(e.id)}, in function ${binaryen.getFunctionInfo(ref).name})`,
      );
    }
  }
}
