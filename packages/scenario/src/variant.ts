// Seeded variants, OSTEP-style: a scenario's variant draws its parameters
// from a seed (mulberry32, so the same seed gives the same numbers in the
// page, the CLI and the tests), and instantiate() writes them into the
// scenario's script, texts and manifest. An answer given "by formula" is
// computed here from the drawn numbers; one given "from the run" is read off
// the deterministic trace of that variant (checks.ts).

import type { Scenario, Variant } from './format.js';

export type Params = Record<string, number | string>;

/** The ${NAME}s in a text. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] ?? '');
}

/** A small, well-mixed 32-bit generator: the next number in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The parameters drawn from `seed`, in the order the variant lists them. */
export function drawParams(variant: Variant, seed: number = variant.seed): Params {
  const next = mulberry32(seed);
  const out: Params = {};
  for (const [name, p] of Object.entries(variant.params)) {
    if ('oneOf' in p) out[name] = p.oneOf[Math.floor(next() * p.oneOf.length)] ?? p.oneOf[0] ?? 0;
    else out[name] = p.min + Math.floor(next() * (p.max - p.min + 1));
  }
  return out;
}

const fill = (text: string, params: Params): string => text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, n: string) => (n in params ? String(params[n]) : all));

/** A manifest value with the parameters written in: a string that is exactly "${N}" becomes N's value itself. */
function fillValue(v: unknown, params: Params): unknown {
  if (typeof v === 'string') {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(v);
    if (whole !== null && (whole[1] ?? '') in params) return params[whole[1] ?? ''];
    return fill(v, params);
  }
  if (Array.isArray(v)) return v.map((x) => fillValue(x, params));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillValue(x, params)]));
  return v;
}

/** The scenario for one seed: its parameters drawn and written in (a scenario without a variant comes back as it is). */
export function instantiate(s: Scenario, seed?: number): { scenario: Scenario; params: Params; seed: number | null } {
  if (s.variant === undefined) return { scenario: s, params: {}, seed: null };
  const used = seed ?? s.variant.seed;
  const params = drawParams(s.variant, used);
  const scenario: Scenario = {
    ...s,
    text: fill(s.text, params),
    ...(s.script !== undefined ? { script: s.script.map((l) => fill(l, params)) } : {}),
    ...(s.inject !== undefined ? { inject: s.inject.map((l) => fill(l, params)) } : {}),
    ...(s.steps !== undefined ? { steps: s.steps.map((st) => ({ ...st, text: fill(st.text, params) })) } : {}),
    ...(s.checks !== undefined ? { checks: s.checks.map((c) => (c.type === 'answer' ? { ...c, text: fill(c.text, params), question: fill(c.question, params) } : { ...c, text: fill(c.text, params) })) } : {}),
    ...(s.manifest !== undefined ? { manifest: fillValue(s.manifest, params) as Record<string, unknown> } : {}),
  };
  return { scenario, params, seed: used };
}

/**
 * A formula's value for these parameters: integers, + - * / % (integer
 * division), parentheses, min(a, b…), max(a, b…) and parameter names.
 */
export function evaluate(formula: string, params: Params): number {
  const tokens = formula.match(/\s*([A-Za-z_][A-Za-z0-9_]*|\d+|[-+*/%(),])/g)?.map((t) => t.trim()) ?? [];
  if (tokens.join('') !== formula.replace(/\s+/g, '')) throw new Error(`formula "${formula}": cannot read it`);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const take = (want?: string): string => {
    const t = tokens[i++];
    if (t === undefined || (want !== undefined && t !== want)) throw new Error(`formula "${formula}": expected ${want ?? 'more'}`);
    return t;
  };
  const atom = (): number => {
    const t = take();
    if (t === '(') { const v = sum(); take(')'); return v; }
    if (t === '-') return -atom();
    if (/^\d+$/.test(t)) return Number(t);
    if (t === 'min' || t === 'max') {
      take('(');
      const args = [sum()];
      while (peek() === ',') { take(','); args.push(sum()); }
      take(')');
      return t === 'min' ? Math.min(...args) : Math.max(...args);
    }
    const v = params[t];
    if (typeof v !== 'number') throw new Error(`formula "${formula}": ${t} is not a number parameter`);
    return v;
  };
  const product = (): number => {
    let v = atom();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = take();
      const r = atom();
      v = op === '*' ? v * r : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === '+' || peek() === '-') v = take() === '+' ? v + product() : v - product();
    return v;
  };
  const v = sum();
  if (i !== tokens.length) throw new Error(`formula "${formula}": unexpected "${tokens[i] ?? ''}"`);
  return v;
}
