// Typed access to the parts of binaryen.js the loader uses but whose bundled
// index.d.ts does not declare (or declares out of date): the per-expression
// accessor classes (binaryen.Loop.getBody, binaryen.Call.setOperandAt …),
// Module.getDataSegmentInfo, Module.setMemory with named segments, and
// getExceptionMessage for binaryen's own C++ errors.
//
// The idea: look each member up at run time, check that it is a function,
// and hand back a typed function — so a binaryen upgrade that renames
// something fails loudly in one place instead of somewhere deep in a walk,
// and no `any` leaks into the loader.

import binaryen from 'binaryen';

export type ExpressionRef = number;
export type Module = binaryen.Module;

/** A function looked up on a binaryen.js object; throws if binaryen does not have it. */
export function member<F>(owner: object, key: string, where: string): F {
  const value: unknown = Reflect.get(owner, key);
  if (typeof value !== 'function') throw new Error(`binaryen.js has no ${where}.${key}; the loader needs it`);
  return value.bind(owner) as F;
}

/** The accessor class binaryen.js exposes for one kind of expression (binaryen.Loop, binaryen.Call …). */
export function expressionClass(name: string): object {
  const cls: unknown = Reflect.get(binaryen, name);
  if ((typeof cls !== 'function' && typeof cls !== 'object') || cls === null) {
    throw new Error(`binaryen.js has no expression class ${name}; the loader needs it`);
  }
  return cls;
}

/** `Class.getX(expr)` as a typed function. */
export function getter(cls: object, clsName: string, key: string): (expr: ExpressionRef) => ExpressionRef {
  return member(cls, key, clsName);
}

/** `Class.setX(expr, child)` as a typed function. */
export function setter(cls: object, clsName: string, key: string): (expr: ExpressionRef, child: ExpressionRef) => void {
  return member(cls, key, clsName);
}

/** `Class.getXAt(expr, index)` as a typed function. */
export function indexedGetter(cls: object, clsName: string, key: string): (expr: ExpressionRef, index: number) => ExpressionRef {
  return member(cls, key, clsName);
}

/** `Class.setXAt(expr, index, child)` as a typed function. */
export function indexedSetter(
  cls: object,
  clsName: string,
  key: string,
): (expr: ExpressionRef, index: number, child: ExpressionRef) => void {
  return member(cls, key, clsName);
}

/** The numeric id binaryen gives one kind of expression (binaryen.LoopId …). */
export function expressionId(name: string): number {
  const id: unknown = Reflect.get(binaryen, `${name}Id`);
  if (typeof id !== 'number') throw new Error(`binaryen.js has no ${name}Id; the loader needs it`);
  return id;
}

/** binaryen.readBinary(bytes, features): parse with exactly these features (the typings lack the second argument). */
export function readBinary(bytes: Uint8Array, features: binaryen.Features): Module {
  return member<(bytes: Uint8Array, features: binaryen.Features) => Module>(binaryen, 'readBinary', 'binaryen')(bytes, features);
}

/** One data segment as Module.getDataSegmentInfo reports it (offset: constant byte offset, null if passive). */
export interface DataSegmentInfo {
  readonly name: string;
  readonly offset: number | null;
  readonly data: ArrayBuffer;
  readonly passive: boolean;
}

/** A data segment as Module.setMemory takes it; the name keeps memory.init / data.drop references valid. */
export interface NamedSegment {
  readonly name: string;
  readonly offset: ExpressionRef;
  readonly data: Uint8Array;
  readonly passive: boolean;
}

/** Every data segment of the module, in order. Throws (a binaryen error) for non-constant offsets. */
export function dataSegments(module: Module): DataSegmentInfo[] {
  const count = member<() => number>(module, 'getNumDataSegments', 'Module')();
  const byIndex = member<(i: number) => number>(module, 'getDataSegmentByIndex', 'Module');
  const info = member<(ref: number) => DataSegmentInfo>(module, 'getDataSegmentInfo', 'Module');
  const out: DataSegmentInfo[] = [];
  for (let i = 0; i < count; i++) out.push(info(byIndex(i)));
  return out;
}

/** Module.setMemory with named segments (the bundled typings lack the segment name). */
export function setMemory(
  module: Module,
  initial: number,
  maximum: number,
  segments: readonly NamedSegment[],
  shared: boolean,
  internalName: string,
): void {
  const set = member<
    (initial: number, maximum: number, exportName: string | null, segments: readonly NamedSegment[], shared: boolean, memory64: boolean, name: string) => void
  >(module, 'setMemory', 'Module');
  set(initial, maximum, null, segments, shared, false, internalName);
}

/** The text of an error binaryen threw (its C++ exceptions reach JavaScript as opaque objects). */
export function binaryenErrorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    const describe = member<(e: unknown) => unknown>(binaryen, 'getExceptionMessage', 'binaryen');
    const parts = describe(error);
    if (Array.isArray(parts) && typeof parts[1] === 'string') return parts[1].replace(/^Fatal: /, '');
  } catch {
    // fall through to the generic text
  }
  return String(error);
}
