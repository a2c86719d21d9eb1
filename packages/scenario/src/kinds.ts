// The trace kinds a scenario may name, and the names of each kind's
// arguments, both read from the ABI's own table (spec.TraceKind and its doc
// strings), so a scenario and the trace decoder agree on every word. Also
// the "did you mean" a misspelt name gets: the nearest name by edit distance.

import { spec } from '@oncrix/abi';

/** Every trace kind's name, upper case ("MSG_SEND"). */
export const KIND_NAMES: readonly string[] = Object.keys(spec.TraceKind);

/** The kind's value for a name in either case, or undefined. */
export function kindOf(name: string): number | undefined {
  const k = (spec.TraceKind as Record<string, { value: number } | undefined>)[name.toUpperCase()];
  return k?.value;
}

/** A kind's argument names, in order, from its doc ("chanKoid, peerKoid, bytes…" → ["chanKoid", "peerKoid", "bytes"]). */
export function argNames(kind: string): string[] {
  const k = (spec.TraceKind as Record<string, { doc: string } | undefined>)[kind.toUpperCase()];
  if (k === undefined) return [];
  const list = k.doc.split(';')[0] ?? '';
  return list.split(',').map((s) => (/^\s*([A-Za-z]+)/.exec(s)?.[1] ?? '')).filter((s) => s !== '');
}

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The nearest of `names` to `word` (ignoring case), if it is near enough to be a slip. */
export function nearest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = distance(word.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
