// The scenario checker: text in, a Scenario or one sentence that names the
// field that is wrong ("steps[2].at.kind: "msg_snd" is not a trace kind; did
// you mean MSG_SEND?"). Three layers, in order: the size and the JSON, the
// format version (an unknown one is refused before anything else is read),
// the schema (docs/scenario.schema.json, compiled by Ajv at build time —
// `npm run gen`: scripts/scenario-validator.ts — into
// generated/scenario-validate.js, so no Ajv is loaded and no schema compiled
// when a scenario is opened), then what a
// schema cannot say: trace kind and argument names, the view's presets,
// program names given twice, `${NAME}` placeholders the variant does not
// draw, and built-in programs the host does not have.
//
// The boot manifest inside is checked by the host when it boots (it knows
// the images and devices): parseManifest's message, prefixed "manifest: ".

import type { ErrorObject } from 'ajv/dist/2020.js';
import { spec } from '@oncrix/abi';
import validateSchema from './generated/scenario-validate.js';
import { SCENARIO_FORMAT, SCENARIO_MAX_BYTES, type Check, type EventMatch, type Scenario } from './format.js';
import { KIND_NAMES, argNames, kindOf, nearest } from './kinds.js';
import { placeholders } from './variant.js';

export type Parsed = { ok: true; scenario: Scenario } | { ok: false; message: string };

export interface ParseOptions {
  /** The built programs the host has: a `builtin` outside this list is refused. Absent: not checked. */
  builtins?: readonly string[];
}

/** The trace views' presets (apps/playground/src/trace/filter.ts). */
export const VIEW_PRESETS: readonly string[] = ['all', 'ipc', 'caps', 'sched'];

class Bad extends Error {}
const bad = (field: string, msg: string): never => {
  throw new Bad(field === '' ? msg : `${field}: ${msg}`);
};

/** A JSON pointer as a person writes the field: /steps/2/at/kind → steps[2].at.kind. */
export function fieldOf(pointer: string): string {
  let out = '';
  for (const seg of pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    out += /^\d+$/.test(seg) ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', array: 'a list', object: 'an object',
};

/** One sentence for Ajv's first error. */
function describe(e: ErrorObject): string {
  const field = fieldOf(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const ps = (e.parentSchema ?? {}) as { type?: string | string[]; minimum?: number; maximum?: number; maxLength?: number; maxItems?: number; properties?: object };
  const at = (msg: string): string => (field === '' ? msg : `${field}: ${msg}`);
  switch (e.keyword) {
    case 'required': return at(`"${String(p.missingProperty)}" is required`);
    case 'additionalProperties': {
      const allowed = Object.keys(ps.properties ?? {}).filter((k) => k !== '$schema');
      const extra = String(p.additionalProperty);
      const near = nearest(extra, allowed);
      return at(`unknown field "${extra}"${near !== undefined ? `; did you mean ${near}?` : ''} (allowed: ${allowed.join(', ')})`);
    }
    case 'type': {
      const t = Array.isArray(ps.type) ? ps.type.map((x) => TYPE_WORDS[x] ?? x).join(' or ') : TYPE_WORDS[String(p.type)] ?? String(p.type);
      return at(`must be ${t}`);
    }
    case 'minimum': case 'maximum':
      return at(ps.minimum !== undefined && ps.maximum !== undefined ? `must be from ${ps.minimum} to ${ps.maximum}` : `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}`);
    case 'enum': return at(`must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
    case 'pattern':
      if (field === 'id') return at('must be kebab-case, like "ipc-basics"');
      if (/^programs\[\d+\]\.name$/.test(field)) return at('must be a program name: lower case letters, digits, - and _, up to 31');
      if (/^inject\[\d+\]$/.test(field)) return at('a fault is ACTION:PROGRAM[:POINT][:xTIMES], e.g. "kill:uart:after=20" (docs/userland.md, Fault injection)');
      if (/^variant\.params/.test(field)) return at('a parameter name is upper case, like "N" or "PRIO_A"');
      return at(`must match ${String(p.pattern)}`);
    case 'propertyNames': return at('a parameter name is upper case, like "N" or "PRIO_A"');
    case 'minLength': return at('must not be empty');
    case 'maxLength': return at(`at most ${String(p.limit)} characters`);
    case 'maxItems': return at(`at most ${String(p.limit)} entries`);
    case 'minItems': return at(`at least ${String(p.limit)} entries`);
    case 'minProperties': case 'maxProperties':
      if (/^programs\[\d+\]$/.test(field)) return at('a program has a "name" and one of "source", "wasm", "builtin"');
      if (/\.expected$/.test(field)) return at('give one of "count", "processOf", "formula"');
      return at(e.message ?? 'wrong number of fields');
    case 'oneOf': return at('a parameter is {"min": A, "max": B} or {"oneOf": [...]}');
    default: return at(e.message ?? 'does not match docs/scenario.schema.json');
  }
}

function checkMatch(m: EventMatch, field: string): void {
  const known = kindOf(m.kind);
  if (known === undefined || m.kind.toUpperCase() === 'DATA') {
    const near = nearest(m.kind, KIND_NAMES);
    bad(`${field}.kind`, `"${m.kind}" is not a trace kind${near !== undefined ? `; did you mean ${near.toLowerCase()}?` : ''}`);
  }
  const names = argNames(m.kind);
  for (const [name, value] of Object.entries(m.args ?? {})) {
    if (!names.includes(name)) bad(`${field}.args.${name}`, `${m.kind.toUpperCase()} has no argument "${name}" (it has ${names.join(', ')})`);
    if (typeof value === 'string' && !(name === 'type' && value.toUpperCase() in spec.ObjType)) {
      bad(`${field}.args.${name}`, name === 'type'
        ? `"${value}" is not an object type (${Object.keys(spec.ObjType).map((k) => k.toLowerCase()).join(', ')})`
        : 'must be a number (only "type" takes a name)');
    }
  }
}

function checkObjectArg(m: EventMatch, arg: string, field: string): void {
  const names = argNames(m.kind);
  if (!names.includes(arg)) bad(`${field}.arg`, `${m.kind.toUpperCase()} has no argument "${arg}" (it has ${names.join(', ')})`);
}

function checkCheck(c: Check, field: string, params: ReadonlySet<string>): void {
  switch (c.type) {
    case 'before': checkMatch(c.first, `${field}.first`); checkMatch(c.then, `${field}.then`); break;
    case 'count':
      checkMatch(c.match, `${field}.match`);
      if (c.equals === undefined && c.atLeast === undefined && c.atMost === undefined) bad(field, 'a count check needs "equals", "atLeast" or "atMost"');
      break;
    case 'holds':
      checkMatch(c.object.event, `${field}.object.event`);
      checkObjectArg(c.object.event, c.object.arg, `${field}.object`);
      if (c.only === undefined && c.all === undefined) bad(field, 'a holds check needs "only" or "all"');
      break;
    case 'holds-none':
      checkMatch(c.object.event, `${field}.object.event`);
      checkObjectArg(c.object.event, c.object.arg, `${field}.object`);
      break;
    case 'answer': {
      const x = c.expected;
      if ('count' in x) checkMatch(x.count, `${field}.expected.count`);
      else if ('processOf' in x) checkMatch(x.processOf, `${field}.expected.processOf`);
      else {
        for (const name of x.formula.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
          if (name !== 'min' && name !== 'max' && !params.has(name)) bad(`${field}.expected.formula`, `"${name}" is not a parameter of the variant`);
        }
      }
      break;
    }
  }
}

function semantic(s: Scenario, opts: ParseOptions): void {
  const params = new Set(Object.keys(s.variant?.params ?? {}));
  for (const [name, p] of Object.entries(s.variant?.params ?? {})) {
    if ('min' in p && p.min > p.max) bad(`variant.params.${name}`, `min ${p.min} is above max ${p.max}`);
  }
  const seen = new Set<string>();
  (s.programs ?? []).forEach((p, i) => {
    if (seen.has(p.name)) bad(`programs[${i}].name`, `"${p.name}" is given twice`);
    seen.add(p.name);
    if ('builtin' in p && opts.builtins !== undefined && !opts.builtins.includes(p.builtin)) {
      const near = nearest(p.builtin, opts.builtins);
      bad(`programs[${i}].builtin`, `"${p.builtin}" is not a built program${near !== undefined ? `; did you mean ${near}?` : ''}`);
    }
    if ('wasm' in p && !/^[A-Za-z0-9+/]+={0,2}$/.test(p.wasm)) bad(`programs[${i}].wasm`, 'must be base64');
  });
  (s.steps ?? []).forEach((st, i) => checkMatch(st.at, `steps[${i}].at`));
  if (s.view?.event !== undefined) checkMatch(s.view.event, 'view.event');
  const kinds = s.view?.kinds ?? [];
  if (kinds.length === 1 && VIEW_PRESETS.includes(kinds[0] ?? '')) { /* a preset */ } else {
    kinds.forEach((k, i) => {
      if (kindOf(k) === undefined) {
        const near = nearest(k, [...VIEW_PRESETS, ...KIND_NAMES.map((n) => n.toLowerCase())]);
        bad(`view.kinds[${i}]`, `"${k}" is neither a preset (${VIEW_PRESETS.join(', ')}) nor a trace kind${near !== undefined ? `; did you mean ${near}?` : ''}`);
      }
    });
  }
  (s.checks ?? []).forEach((c, i) => checkCheck(c, `checks[${i}]`, params));
  // Every ${NAME} the scenario uses is drawn by its variant.
  const uses: [string, string][] = [];
  (s.script ?? []).forEach((l, i) => uses.push([`script[${i}]`, l]));
  (s.inject ?? []).forEach((l, i) => uses.push([`inject[${i}]`, l]));
  uses.push(['text', s.text]);
  (s.steps ?? []).forEach((st, i) => uses.push([`steps[${i}].text`, st.text]));
  (s.checks ?? []).forEach((c, i) => uses.push([`checks[${i}].text`, c.type === 'answer' ? `${c.text} ${c.question}` : c.text]));
  if (s.manifest !== undefined) uses.push(['manifest', JSON.stringify(s.manifest)]);
  for (const [field, text] of uses) {
    for (const name of placeholders(text)) if (!params.has(name)) bad(field, `\${${name}} is not a parameter of the variant${params.size === 0 ? ' (there is no "variant")' : ''}`);
  }
}

/** Check a parsed JSON value as a scenario. */
export function parseScenarioValue(raw: unknown, opts: ParseOptions = {}): Parsed {
  try {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('', 'a scenario is a JSON object with "format", "id", "title" and "text"');
    const r = raw as Record<string, unknown>;
    if (!('format' in r)) bad('format', `is required (write "format": ${SCENARIO_FORMAT})`);
    if (r.format !== SCENARIO_FORMAT) {
      bad('format', `${JSON.stringify(r.format)} is not a scenario format this build reads (it reads ${SCENARIO_FORMAT}); open it in the build that wrote it, or rewrite it in format ${SCENARIO_FORMAT} (docs/teaching.md)`);
    }
    if (!validateSchema(raw)) {
      const e = validateSchema.errors?.[0];
      bad('', e === undefined ? 'does not match docs/scenario.schema.json' : describe(e));
    }
    const s = raw as Scenario;
    semantic(s, opts);
    return { ok: true, scenario: s };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, message: e.message };
    throw e;
  }
}

/** Check a scenario file's text: its size, its JSON, then the scenario. */
export function parseScenario(text: string, opts: ParseOptions = {}): Parsed {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > SCENARIO_MAX_BYTES) return { ok: false, message: `the scenario is ${bytes} bytes; the limit is ${SCENARIO_MAX_BYTES} (1 MiB)` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
  }
  return parseScenarioValue(raw, opts);
}
