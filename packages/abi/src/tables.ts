// Helpers that turn the documented constant tables of spec.ts into plain numbers and back.

import type * as spec from './spec.js';

type Values<T extends spec.ConstantTable> = { readonly [K in keyof T]: number };

/** Turn a table of documented constants into a table of plain numbers. */
export function values<T extends spec.ConstantTable>(table: T): Values<T> {
  const out: Record<string, number> = {};
  for (const [name, c] of Object.entries(table)) out[name] = c.value;
  return out as Values<T>;
}

/** Each table's values to names, made on first use (decoding a trace asks for a kind's name per record). */
const reverse = new WeakMap<spec.ConstantTable, Map<number, string>>();

/** Reverse lookup: the name of a value in a table (the first name, if several share it), or undefined. */
export function nameOf(table: spec.ConstantTable, value: number): string | undefined {
  let names = reverse.get(table);
  if (names === undefined) {
    names = new Map();
    for (const [name, c] of Object.entries(table)) if (!names.has(c.value)) names.set(c.value, name);
    reverse.set(table, names);
  }
  return names.get(value);
}

