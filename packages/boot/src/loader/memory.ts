// Turn whatever memory a program declares into the one ONCRIX gives it: an
// import `env.memory` whose maximum is the process quota, shared for the web
// HAL (one Worker per process, the kernel Worker copies in and out) and not
// shared for bare metal (wasm2c 1.0.32 refuses shared memories).
//
// The idea: binaryen keeps one memory per module under an internal name that
// every load, store and memory.* instruction refers to. We keep that name,
// rebuild the memory with Module.setMemory (which is the only binaryen.js call
// that sets its limits; it also drops the data segments, so we hand them back
// unchanged, names included, so memory.init and data.drop still find theirs)
// and then mark it imported. A module without memory gets an empty one, so
// every program links against the same import object.

import binaryen from 'binaryen';
import { binaryenErrorText, dataSegments, setMemory, type Module, type NamedSegment } from './binaryen-api.js';
import { LoadError } from './errors.js';
import { MEMORY_IMPORT } from './imports.js';

/** Internal name given to the memory of a module that declares none. */
const DEFAULT_MEMORY_NAME = 'memory';

/** How the process memory must look. */
export interface MemoryOptions {
  readonly maxPages: number;
  readonly shared: boolean;
}

/**
 * Make the module import its memory as env.memory with the module's initial
 * size and `maxPages` as maximum; returns the initial size in pages.
 */
export function importMemory(program: string, module: Module, opts: MemoryOptions): number {
  if (!module.hasMemory()) {
    setMemory(module, 0, opts.maxPages, [], opts.shared, DEFAULT_MEMORY_NAME);
    module.addMemoryImport(DEFAULT_MEMORY_NAME, MEMORY_IMPORT.module, MEMORY_IMPORT.name, opts.shared);
    return 0;
  }
  const internal = memoryName(module);
  const info = module.getMemoryInfo(internal);
  if (info.is64) {
    throw new LoadError('BAD_MODULE', `program ${program} uses a 64-bit memory; ONCRIX processes have 32-bit memories`);
  }
  if (info.initial > opts.maxPages) {
    throw new LoadError(
      'TOO_BIG',
      `program ${program} needs ${info.initial} pages of memory to start, more than its quota of ${opts.maxPages} pages`,
    );
  }
  let segments: NamedSegment[];
  try {
    segments = dataSegments(module).map((s) => ({
      name: s.name,
      offset: s.passive || s.offset === null ? 0 : module.i32.const(s.offset | 0),
      data: new Uint8Array(s.data),
      passive: s.passive,
    }));
  } catch (e) {
    throw new LoadError(
      'BAD_MODULE',
      `program ${program} has a data segment the loader cannot move (${binaryenErrorText(e)}); only constant offsets are supported`,
    );
  }
  setMemory(module, info.initial, opts.maxPages, segments, opts.shared, internal);
  module.addMemoryImport(internal, MEMORY_IMPORT.module, MEMORY_IMPORT.name, opts.shared);
  return info.initial;
}

/**
 * The internal name of the module's only memory. binaryen.js has no getter
 * for it, but an expression built without a memory name gets the module's
 * only memory, and printing that expression on its own shows the name.
 */
function memoryName(module: Module): string {
  const text = binaryen.emitText(module.memory.size());
  const match = /^\(memory\.size \$(.*)\)\s*$/s.exec(text);
  const printed = match?.[1];
  if (printed === undefined) throw new Error(`cannot read the memory name from ${JSON.stringify(text)}`);
  const name = printed.startsWith('"') ? decodeWatString(printed) : printed;
  module.getMemoryInfo(name); // throws if we read it wrong
  return name;
}

/** Decode a quoted WebAssembly-text string ("a\"b\0a" …), as binaryen prints unusual names. */
function decodeWatString(quoted: string): string {
  const utf8 = new TextEncoder();
  const simple: Record<string, number> = { t: 9, n: 10, r: 13, '"': 34, "'": 39, '\\': 92 };
  const bytes: number[] = [];
  const end = quoted.length - 1; // closing quote
  let i = 1;
  while (i < end) {
    const slash = quoted.indexOf('\\', i);
    const stop = slash === -1 || slash >= end ? end : slash;
    bytes.push(...utf8.encode(quoted.slice(i, stop)));
    if (stop === end) break;
    const next = quoted[stop + 1] ?? '';
    if (next in simple) {
      bytes.push(simple[next] as number);
      i = stop + 2;
    } else if (next === 'u') {
      const close = quoted.indexOf('}', stop);
      bytes.push(...utf8.encode(String.fromCodePoint(parseInt(quoted.slice(stop + 3, close), 16))));
      i = close + 1;
    } else {
      bytes.push(parseInt(quoted.slice(stop + 1, stop + 3), 16));
      i = stop + 3;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
