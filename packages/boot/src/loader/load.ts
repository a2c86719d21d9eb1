// The program loader: takes the .wasm of a user program and returns the
// module a process actually runs — checked, and rewritten for ONCRIX.
//
// The idea: a program is untrusted input. Before it gets a Worker (or a
// native stack on bare metal) the loader makes sure it is valid WebAssembly,
// imports nothing ONCRIX does not provide, has a `_start` entry and fits its
// memory quota; then, with binaryen, it makes the program import the memory
// the HAL creates (`env.memory`, maximum = quota, shared only for the web
// HAL), routes `memory.grow` through the kernel's accounting, and inserts the
// fuel checks that make preemption possible; the solo variant then applies
// Asyncify (asyncify.ts) so a process can block without a thread of its own. Each step lives in its own file;
// this one runs them in order and turns every failure into a LoadError whose
// message names the program. Runs in browsers and in Node alike (no Node APIs).

import binaryen from 'binaryen';
import { binaryenErrorText, readBinary, type Module } from './binaryen-api.js';
import { LoadError } from './errors.js';
import { checkImports, readModuleShape, type WasmImport } from './imports.js';
import { instrument } from './instrument.js';
import { importMemory } from './memory.js';
import { asyncify, blockingImports, startInEntry } from './asyncify.js';

/** How to load a program. */
export interface LoadOptions {
  /**
   * 'web': shared memory for the Worker HAL; 'solo': plain memory and Asyncify, for the web HAL without
   * SharedArrayBuffer (every process a fiber in the kernel's thread); 'baremetal': plain memory, acceptable to wasm2c 1.0.32.
   */
  variant: 'web' | 'solo' | 'baremetal';
  /** The process memory quota in 64 KiB pages: the maximum of its memory. */
  maxPages: number;
  /** Fuel checks between two safepoint calls (default 10,000). */
  fuel?: number;
}

/** A program ready to instantiate against the HAL's imports. */
export interface LoadedProgram {
  /** The rewritten module (backed by a plain ArrayBuffer, so it can go straight to WebAssembly.Module). */
  bytes: Uint8Array<ArrayBuffer>;
  /** Pages the memory must have at start (the program's own initial size). */
  initialPages: number;
  /** Maximum of the memory (the quota). */
  maxPages: number;
  /** Every import of the rewritten module, in binary order. */
  imports: { module: string; name: string; kind: string }[];
  /** Every export name of the rewritten module. */
  exports: string[];
}

export const DEFAULT_FUEL = 10_000;
const MAX_PAGES = 65536;

/** The WebAssembly features the loader reads and writes (those its walker knows; shared memory needs Atomics). */
const FEATURES =
  binaryen.Features.MutableGlobals |
  binaryen.Features.Atomics |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.SignExt |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt |
  binaryen.Features.SIMD128 |
  binaryen.Features.RelaxedSIMD |
  binaryen.Features.Multivalue |
  binaryen.Features.ReferenceTypes |
  binaryen.Features.CallIndirectOverlong |
  binaryen.Features.ExceptionHandling |
  binaryen.Features.TailCall |
  binaryen.Features.ExtendedConst;

/** Reject options that are the caller's bug, not the program's. */
function checkOptions(opts: LoadOptions): number {
  if (opts.variant !== 'web' && opts.variant !== 'solo' && opts.variant !== 'baremetal') throw new RangeError(`unknown loader variant ${String(opts.variant)}`);
  if (!Number.isInteger(opts.maxPages) || opts.maxPages < 0 || opts.maxPages > MAX_PAGES) {
    throw new RangeError(`maxPages must be an integer from 0 to ${MAX_PAGES}, not ${opts.maxPages}`);
  }
  const fuel = opts.fuel ?? DEFAULT_FUEL;
  if (!Number.isInteger(fuel) || fuel < 1 || fuel > 0x7fffffff) {
    throw new RangeError(`fuel must be an integer from 1 to 2^31 - 1, not ${fuel}`);
  }
  return fuel;
}

/** What the engine says is wrong with bytes that WebAssembly.validate refused. */
function compileErrorDetail(wasm: Uint8Array<ArrayBuffer>): string {
  try {
    new WebAssembly.Module(wasm);
    return 'the engine refuses it';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Throw NO_ENTRY unless the module exports a function `_start` taking and returning nothing. */
function checkEntry(program: string, module: Module): void {
  const ref = module.getExport('_start');
  if (ref === 0) throw new LoadError('NO_ENTRY', `program ${program} has no entry point: it does not export _start`);
  const exp = binaryen.getExportInfo(ref);
  if (exp.kind !== binaryen.ExternalFunction) {
    throw new LoadError('NO_ENTRY', `program ${program} exports _start, but not as a function`);
  }
  const fn = binaryen.getFunctionInfo(module.getFunction(exp.value));
  if (fn.params !== binaryen.none || fn.results !== binaryen.none) {
    throw new LoadError('NO_ENTRY', `program ${program} exports _start with parameters or results; it must take and return nothing`);
  }
}

/** Names of every export. */
function exportNames(module: Module): string[] {
  const out: string[] = [];
  for (let i = 0; i < module.getNumExports(); i++) out.push(binaryen.getExportInfo(module.getExportByIndex(i)).name);
  return out;
}

/** The module as binary, with its name section (function names make traps readable). */
function emit(module: Module): Uint8Array<ArrayBuffer> {
  const debugInfo = binaryen.getDebugInfo();
  binaryen.setDebugInfo(true);
  try {
    return new Uint8Array(module.emitBinary());
  } finally {
    binaryen.setDebugInfo(debugInfo);
  }
}

/**
 * Check a user program and rewrite it for ONCRIX (see the file comment).
 * Throws LoadError for a program that cannot run, RangeError for bad options.
 */
export function loadProgram(name: string, wasm: Uint8Array, opts: LoadOptions): LoadedProgram {
  const fuel = checkOptions(opts);
  const bytes = new Uint8Array(wasm); // a private copy: the caller's buffer may be shared or change
  const bad = (detail: string): LoadError =>
    new LoadError('BAD_MODULE', `program ${name} is not valid WebAssembly: ${detail}`);

  if (!WebAssembly.validate(bytes)) throw bad(compileErrorDetail(bytes));
  let shape;
  try {
    shape = readModuleShape(bytes);
  } catch (e) {
    throw bad(e instanceof Error ? e.message : String(e));
  }
  if (shape.memories > 1) {
    throw new LoadError('BAD_MODULE', `program ${name} has ${shape.memories} memories; an ONCRIX process has exactly one`);
  }
  let module: Module;
  try {
    module = readBinary(bytes, FEATURES);
  } catch (e) {
    throw new LoadError('BAD_MODULE', `program ${name} uses WebAssembly the loader cannot read (${binaryenErrorText(e)})`);
  }

  try {
    checkImports(name, shape.imports, module);
    checkEntry(name, module);
    const initialPages = importMemory(name, module, { maxPages: opts.maxPages, shared: opts.variant === 'web' });
    instrument(module, { program: name, fuel, baremetal: opts.variant === 'baremetal' });
    if (opts.variant === 'solo') {
      startInEntry(module);
      asyncify(module, blockingImports(module));
    }
    if (!module.validate()) {
      throw new LoadError('BAD_MODULE', `program ${name} could not be rewritten into a valid module (binaryen validation failed)`);
    }
    const out = emit(module);
    const imports: WasmImport[] = readModuleShape(out).imports;
    return { bytes: out, initialPages, maxPages: opts.maxPages, imports, exports: exportNames(module) };
  } catch (e) {
    if (e instanceof LoadError) throw e;
    throw new LoadError('BAD_MODULE', `program ${name} could not be rewritten: ${binaryenErrorText(e)}`);
  } finally {
    module.dispose();
  }
}
