// Exercises: a scenario's checks decided over a run. Each result says
// whether the check passed, in one sentence a student reads, and which
// event decided it (the page selects it on a click), or why none could.
//
// A question's expected answer is computed, never written in the file:
// "from the run" (how many events match, which process an event concerns,
// read off the deterministic trace of this variant) or "by formula" (over
// the variant's drawn numbers), so each seeded variant has its own answer.

import type { TraceEvent } from '@oncrix/abi';
import type { Check, EventMatch, Expected } from './format.js';
import { argNames } from './kinds.js';
import type { Run } from './run.js';
import { evaluate, type Params } from './variant.js';

export interface CheckResult {
  passed: boolean;
  /** Why, in one sentence. */
  why: string;
  /** The seq of the event that decided it, when one did. */
  decidedBy: number | null;
}

const ordinal = (n: number): string => {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${s}`;
};

/** "the 2nd MSG_SEND by pong" */
export function describeMatch(m: EventMatch): string {
  const n = m.nth ?? 1;
  const args = Object.entries(m.args ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  return `the ${n === 1 ? 'first' : ordinal(n)} ${m.kind.toUpperCase()}${args !== '' ? ` (${args})` : ''}${m.process !== undefined ? ` by ${m.process}` : ''}`;
}

const named = (e: TraceEvent, run: Run): string => `#${e.seq} ${e.kindName} by ${run.processAt(run.events.indexOf(e))}`;

/** The expected answer for this run and these drawn numbers; null when the run does not have the event it needs. */
export function expectedAnswer(x: Expected, run: Run, params: Params): string | null {
  if ('formula' in x) return String(evaluate(x.formula, params));
  if ('count' in x) return String(run.allIndexes(x.count).length);
  const i = run.indexOf(x.processOf);
  return i < 0 ? null : run.processAt(i);
}

/** Does the given answer equal the expected one (numbers by value, words without case or surrounding space)? */
export function sameAnswer(given: string, expected: string): boolean {
  const g = given.trim();
  if (g !== '' && expected.trim() !== '' && Number.isFinite(Number(g)) && Number.isFinite(Number(expected))) return Number(g) === Number(expected);
  return g.toLowerCase() === expected.trim().toLowerCase();
}

/** The object a check names: the koid in the named argument of its event. */
function objectOf(run: Run, event: EventMatch, arg: string): { koid: number; e: TraceEvent } | string {
  const e = run.find(event);
  if (e === undefined) return `${describeMatch(event)} never happened`;
  return { koid: e.args[argNames(event.kind).indexOf(arg)] ?? 0, e };
}

const list = (names: Iterable<string>): string => [...names].join(', ') || 'no process';

/**
 * Decide one check over a run. `answer` is what the student gave (for an
 * answer check; absent: not answered yet, which does not pass).
 */
export function decide(c: Check, run: Run, params: Params = {}, answer?: string): CheckResult {
  const last = run.events[run.events.length - 1];
  switch (c.type) {
    case 'before': {
      const a = run.find(c.first);
      const b = run.find(c.then);
      if (a === undefined) return { passed: false, why: `${describeMatch(c.first)} never happened`, decidedBy: null };
      if (b === undefined) return { passed: false, why: `${describeMatch(c.then)} never happened`, decidedBy: a.seq };
      return a.seq < b.seq
        ? { passed: true, why: `${named(a, run)} came before ${named(b, run)}`, decidedBy: a.seq }
        : { passed: false, why: `${named(b, run)} came first, before ${named(a, run)}`, decidedBy: b.seq };
    }
    case 'count': {
      const found = run.allIndexes({ ...c.match, nth: 1 });
      const n = found.length;
      const ok = (c.equals === undefined || n === c.equals) && (c.atLeast === undefined || n >= c.atLeast) && (c.atMost === undefined || n <= c.atMost);
      const want = [c.equals !== undefined ? `exactly ${c.equals}` : '', c.atLeast !== undefined ? `at least ${c.atLeast}` : '', c.atMost !== undefined ? `at most ${c.atMost}` : ''].filter(Boolean).join(' and ');
      // The deciding event: the last one counted, or the one past the limit.
      const idx = !ok && c.atMost !== undefined && n > c.atMost ? found[c.atMost] : found[found.length - 1];
      const e = idx !== undefined ? run.events[idx] : undefined;
      return { passed: ok, why: `${n} × ${describeMatch({ ...c.match, nth: 1 }).replace(/^the first /, '')} (wanted ${want})`, decidedBy: e?.seq ?? null };
    }
    case 'holds':
    case 'holds-none': {
      const o = objectOf(run, c.object.event, c.object.arg);
      if (typeof o === 'string') return { passed: false, why: o, decidedBy: null };
      const holders = run.holdersOf(o.koid);
      const names = [...holders.keys()].sort();
      const at = `object ${o.koid} (from ${named(o.e, run)})`;
      if (c.type === 'holds-none') {
        const bad = c.processes.filter((p) => holders.has(p));
        return bad.length === 0
          ? { passed: true, why: `at the end none of ${list(c.processes)} holds ${at}; holders: ${list(names)}`, decidedBy: last?.seq ?? o.e.seq }
          : { passed: false, why: `at the end ${list(bad)} still hold${bad.length === 1 ? 's' : ''} ${at}`, decidedBy: last?.seq ?? o.e.seq };
      }
      const missing = (c.all ?? []).filter((p) => !holders.has(p));
      const extra = c.only !== undefined ? names.filter((p) => !(c.only ?? []).includes(p)) : [];
      const onlyMissing = c.only !== undefined ? c.only.filter((p) => !holders.has(p)) : [];
      const ok = missing.length === 0 && extra.length === 0 && onlyMissing.length === 0;
      return {
        passed: ok,
        why: ok ? `at the end ${at} is held by ${list(names)}` : `at the end ${at} is held by ${list(names)}${extra.length > 0 ? `; not expected: ${list(extra)}` : ''}${[...missing, ...onlyMissing].length > 0 ? `; missing: ${list(new Set([...missing, ...onlyMissing]))}` : ''}`,
        decidedBy: last?.seq ?? o.e.seq,
      };
    }
    case 'answer': {
      const expected = expectedAnswer(c.expected, run, params);
      const from = 'formula' in c.expected ? null : run.find('count' in c.expected ? { ...c.expected.count, nth: Math.max(1, run.allIndexes(c.expected.count).length) } : c.expected.processOf);
      if (expected === null) return { passed: false, why: 'the run does not have the event the answer is read from', decidedBy: null };
      if (answer === undefined || answer.trim() === '') return { passed: false, why: 'not answered yet', decidedBy: null };
      return sameAnswer(answer, expected)
        ? { passed: true, why: `right: ${expected}`, decidedBy: from?.seq ?? null }
        : { passed: false, why: `"${answer.trim()}" is not right`, decidedBy: from?.seq ?? null };
    }
  }
}
