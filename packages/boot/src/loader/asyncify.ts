// The solo variant's last rewrite: binaryen's Asyncify transform, so that a
// process can run in the same thread as the kernel and still block.
//
// The idea: in solo mode (no SharedArrayBuffer, so no Atomics.wait and no
// Worker per process) a syscall cannot wait for its answer. Asyncify lets the
// import instead *unwind* the program's wasm stack into a buffer and return to
// the host's loop; when the answer is there the host calls `_start` again in
// *rewind* mode and the program resumes inside the same import, which now
// returns the answer. Only the imports that enter the kernel can unwind —
// `oncrix.syscall`, `oncrix.safepoint` (so preemption at the fuel checks still
// works: this pass runs after instrument.ts), `oncrix.grow` and the WASI
// functions (each one is a syscall); `env.abort` never returns, so it is not
// listed and code that only reaches it is not instrumented. The pass adds the
// exports asyncify_start_unwind / stop_unwind / start_rewind / stop_rewind /
// get_state that the fiber runner in @oncrix/hal-web drives.
//
// A start function (AssemblyScript emits one for its top-level code) runs
// while the module is instantiated, where no stack can be unwound; so the
// solo variant calls it first thing in `_start` instead, where it runs at the
// same point of the process's life (before its first instruction, as the
// kernel first runs it) and may block like any other code.

import binaryen from 'binaryen';
import { expressionClass, getter, setter, type Module } from './binaryen-api.js';

const functionBody = getter(expressionClass('Function'), 'Function', 'getBody');
const setFunctionBody = setter(expressionClass('Function'), 'Function', 'setBody');

/** The exports the Asyncify pass adds, which a fiber runner needs. */
export const ASYNCIFY_EXPORTS = [
  'asyncify_start_unwind',
  'asyncify_stop_unwind',
  'asyncify_start_rewind',
  'asyncify_stop_rewind',
  'asyncify_get_state',
] as const;

/** `module.base` of every function the module imports that may unwind: all but env.abort. */
export function blockingImports(module: Module): string[] {
  const out: string[] = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (info.module && !(info.module === 'env' && info.base === 'abort')) out.push(`${info.module}.${info.base}`);
  }
  return out;
}

/** Make the module's start function (if any) the first call of `_start` (see the file comment). */
export function startInEntry(module: Module): void {
  const start = module.getStart();
  if (start === 0) return;
  const name = binaryen.getFunctionInfo(start).name;
  module.setStart(0);
  const entry = module.getFunction(binaryen.getExportInfo(module.getExport('_start')).value);
  setFunctionBody(entry, module.block(null, [module.call(name, [], binaryen.none), functionBody(entry)], binaryen.none));
}

/** Run the Asyncify pass on `module` with exactly `blocking` as the imports that may unwind. */
export function asyncify(module: Module, blocking: readonly string[]): void {
  const level = binaryen.getOptimizeLevel();
  binaryen.setPassArgument('asyncify-imports', blocking.join(','));
  // Asyncify's output is large unless optimized; -O1 keeps load time short and removes most of the bloat.
  binaryen.setOptimizeLevel(1);
  try {
    module.runPasses(['asyncify']);
  } finally {
    binaryen.setPassArgument('asyncify-imports', null);
    binaryen.setOptimizeLevel(level);
  }
}
