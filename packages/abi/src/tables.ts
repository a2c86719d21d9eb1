// Helpers that turn the documented constant tables of spec.ts into plain numbers and back.

import type * as spec from './spec.js';

type Values<T extends spec.ConstantTable> = { readonly [K in keyof T]: number };

/** Turn a table of documented constants into a table of plain numbers. */
export function values<T extends spec.ConstantTable>(table: T): Values<T> {
  const out: Record<string, number> = {};
  for (const [name, c] of Object.entries(table)) out[name] = c.value;
  return out as Values<T>;
}

/** Reverse lookup: the name of a value in a table, or undefined. */
export function nameOf(table: spec.ConstantTable, value: number): string | undefined {
  for (const [name, c] of Object.entries(table)) if (c.value === value) return name;
  return undefined;
}

