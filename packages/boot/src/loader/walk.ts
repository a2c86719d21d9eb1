// A small, reusable walker over binaryen expression trees, for rewriting
// passes written in TypeScript (binaryen.js has no visitor API of its own).
//
// The idea: one table says, for every kind of expression the loader accepts,
// which children it has and how to get and set each one (through binaryen's
// accessor classes: binaryen.Binary.getLeft / setLeft, binaryen.Call.
// getOperandAt / setOperandAt …). The walk is post-order and iterative (no
// recursion, so deeply nested code cannot overflow the JavaScript stack): a
// visitor sees each expression after its children and returns the
// expression to put in its place — itself to keep it, or a new one, which the
// walker stores into the parent. A kind that is missing from the table (GC,
// strings, stack switching, try_table, table.copy …) stops the walk with an
// UnsupportedExpressionError, because the walker cannot see what is inside it
// and so cannot promise to have visited everything.

import binaryen from 'binaryen';
import {
  expressionClass,
  expressionId,
  getter,
  indexedGetter,
  indexedSetter,
  setter,
  type ExpressionRef,
} from './binaryen-api.js';

/** Called after an expression's children were walked; returns its replacement (or `expr` itself). */
export type Visitor = (expr: ExpressionRef, id: number) => ExpressionRef;

/** The walk met a kind of expression it does not know the children of. */
export class UnsupportedExpressionError extends Error {
  constructor(readonly id: number) {
    super(`binaryen expression id ${id} is not supported by the loader's walker`);
    this.name = 'UnsupportedExpressionError';
  }
}

/**
 * Child layout of one expression kind: the class name in binaryen.js, its
 * single children (`Left` means getLeft/setLeft; a 0 result means "absent"),
 * and at most one list of children ([`Operand`, `Operands`] means
 * getNumOperands/getOperandAt/setOperandAt). Evaluation order does not matter
 * to the walker's users, so singles come first.
 */
type Shape = readonly [cls: string, singles: readonly string[], list?: readonly [one: string, many: string]];

const SHAPES: readonly Shape[] = [
  // control flow
  ['Block', [], ['Child', 'Children']],
  ['If', ['Condition', 'IfTrue', 'IfFalse']],
  ['Loop', ['Body']],
  ['Break', ['Condition', 'Value']],
  ['Switch', ['Condition', 'Value']],
  ['Call', [], ['Operand', 'Operands']],
  ['CallIndirect', ['Target'], ['Operand', 'Operands']],
  ['Return', ['Value']],
  ['Drop', ['Value']],
  ['Select', ['IfTrue', 'IfFalse', 'Condition']],
  ['Nop', []],
  ['Unreachable', []],
  // variables and numbers
  ['LocalGet', []],
  ['LocalSet', ['Value']],
  ['GlobalGet', []],
  ['GlobalSet', ['Value']],
  ['Const', []],
  ['Unary', ['Value']],
  ['Binary', ['Left', 'Right']],
  // memory
  ['Load', ['Ptr']],
  ['Store', ['Ptr', 'Value']],
  ['MemorySize', []],
  ['MemoryGrow', ['Delta']],
  ['MemoryInit', ['Dest', 'Offset', 'Size']],
  ['DataDrop', []],
  ['MemoryCopy', ['Dest', 'Source', 'Size']],
  ['MemoryFill', ['Dest', 'Value', 'Size']],
  // threads
  ['AtomicRMW', ['Ptr', 'Value']],
  ['AtomicCmpxchg', ['Ptr', 'Expected', 'Replacement']],
  ['AtomicWait', ['Ptr', 'Expected', 'Timeout']],
  ['AtomicNotify', ['Ptr', 'NotifyCount']],
  ['AtomicFence', []],
  // SIMD
  ['SIMDExtract', ['Vec']],
  ['SIMDReplace', ['Vec', 'Value']],
  ['SIMDShuffle', ['Left', 'Right']],
  ['SIMDTernary', ['A', 'B', 'C']],
  ['SIMDShift', ['Vec', 'Shift']],
  ['SIMDLoad', ['Ptr']],
  ['SIMDLoadStoreLane', ['Ptr', 'Vec']],
  // reference types and tables
  ['RefNull', []],
  ['RefIsNull', ['Value']],
  ['RefFunc', []],
  ['RefEq', ['Left', 'Right']],
  ['TableGet', ['Index']],
  ['TableSet', ['Index', 'Value']],
  ['TableSize', []],
  ['TableGrow', ['Value', 'Delta']],
  // exceptions (the legacy try/catch that toolchains emit today) and multi-value
  ['Try', ['Body'], ['CatchBody', 'CatchBodies']],
  ['Throw', [], ['Operand', 'Operands']],
  ['Rethrow', []],
  ['Pop', []],
  ['TupleMake', [], ['Operand', 'Operands']],
  ['TupleExtract', ['Tuple']],
];

/** How to read and write the children of one kind of expression. */
interface Kind {
  /** Every child slot in order; 0 marks an absent optional child. */
  children(expr: ExpressionRef): ExpressionRef[];
  /** Store `child` into slot `index` (as numbered by `children`). */
  setChild(expr: ExpressionRef, index: number, child: ExpressionRef): void;
}

/** Resolve a Shape against binaryen.js once, at load time of this module. */
function kindOf([clsName, singles, list]: Shape): Kind {
  if (singles.length === 0 && list === undefined) return { children: () => [], setChild: () => undefined };
  const cls = expressionClass(clsName);
  const gets = singles.map((f) => getter(cls, clsName, `get${f}`));
  const sets = singles.map((f) => setter(cls, clsName, `set${f}`));
  const count = list ? getter(cls, clsName, `getNum${list[1]}`) : () => 0;
  const getAt = list ? indexedGetter(cls, clsName, `get${list[0]}At`) : () => 0;
  const setAt = list ? indexedSetter(cls, clsName, `set${list[0]}At`) : () => undefined;
  return {
    children(expr) {
      const out = gets.map((get) => get(expr));
      const n = count(expr);
      for (let i = 0; i < n; i++) out.push(getAt(expr, i));
      return out;
    },
    setChild(expr, index, child) {
      const set = sets[index];
      if (set) set(expr, child);
      else setAt(expr, index - sets.length, child);
    },
  };
}

const KINDS = new Map<number, Kind>(SHAPES.map((shape) => [expressionId(shape[0]), kindOf(shape)]));

/** Kind of `expr`, or an UnsupportedExpressionError. */
function kindFor(expr: ExpressionRef): [number, Kind] {
  const id = binaryen.getExpressionId(expr);
  const kind = KINDS.get(id);
  if (!kind) throw new UnsupportedExpressionError(id);
  return [id, kind];
}

/** One expression on the walk's explicit stack, with the index of its next child to walk. */
interface Frame {
  readonly expr: ExpressionRef;
  readonly id: number;
  readonly kind: Kind;
  readonly kids: ExpressionRef[];
  next: number;
}

function frame(expr: ExpressionRef): Frame {
  const [id, kind] = kindFor(expr);
  return { expr, id, kind, kids: kind.children(expr), next: 0 };
}

/**
 * Walk the tree under `root` in post-order, calling `visit` on every
 * expression after its children; returns the (possibly replaced) root.
 */
export function walkExpression(root: ExpressionRef, visit: Visitor): ExpressionRef {
  const stack: Frame[] = [frame(root)];
  let result = root;
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame;
    if (top.next < top.kids.length) {
      const child = top.kids[top.next++] as ExpressionRef;
      if (child !== 0) stack.push(frame(child));
      continue;
    }
    stack.pop();
    const replacement = visit(top.expr, top.id);
    const parent = stack[stack.length - 1];
    if (!parent) result = replacement;
    else if (replacement !== top.expr) parent.kind.setChild(parent.expr, parent.next - 1, replacement);
  }
  return result;
}
