// The structural half of the boot manifest's check: the JSON schema people
// edit against (docs/manifest.schema.json) is the check itself, compiled by
// Ajv, so the schema and the checker cannot drift apart. What a schema cannot
// say (image names, byte lengths, a device or service given twice, the
// console driver) is checked by hand beside it, in manifest-rules.ts.
//
// The idea: Ajv finds the first thing wrong and says where (a JSON pointer
// such as /programs/1/caps/0); this module turns that into one sentence that
// names the entry the way a person wrote it — `program "sh" caps[0]: …` —
// using the schema's own bounds and property lists for the words. Defaults
// come from the schema too (Ajv fills them in).
//
// The schema lives in docs/ because it is documentation first (editors read
// it through "$schema"); it is imported from there by path, as data. Ajv
// compiles it at build time (`npm run gen`: scripts/manifest-validator.ts)
// into generated/manifest-validate.js, so no schema is compiled, and no Ajv
// shipped, where a manifest is checked — the playground does it on its way
// to the first prompt.

import type { ErrorObject } from 'ajv/dist/2020.js';
import schema from '../../../docs/manifest.schema.json' with { type: 'json' };
import validate from './generated/manifest-validate.js';

/** The schema, as data (for its defaults, bounds and capability list). */
export const MANIFEST_SCHEMA = schema;

/** The capability keys, in the schema's order. */
export const CAP_KEYS: readonly string[] = Object.keys(schema.properties.programs.items.properties.caps.items.properties);

interface SchemaNode {
  type?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  const?: unknown;
  properties?: Record<string, unknown>;
  items?: SchemaNode;
}

/**
 * Check a parsed manifest against the schema, filling in its defaults (in
 * place). Returns null when it passes, else one message naming the entry.
 */
export function checkStructure(raw: unknown): string | null {
  if (validate(raw)) return null;
  const error = validate.errors?.[0];
  return error === undefined ? 'does not match docs/manifest.schema.json' : describe(error, raw);
}

/** A JSON pointer's segments ("/programs/0/caps/1" → ["programs", "0", "caps", "1"]). */
function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Where an error is, as a person names it, and the field it is about:
 * `program "sh"` / `programs[2]`, `caps[0]`, and the property name.
 */
function locate(path: string[], raw: unknown): { where: string; field: string | undefined } {
  const parts: string[] = [];
  let field: string | undefined;
  let node: unknown = raw;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] ?? '';
    const next = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
    if (path[i - 1] === 'programs' && i === 1) {
      const name = isRecord(next) ? next.name : undefined;
      parts.push(typeof name === 'string' && name !== '' ? `program "${name}"` : `programs[${key}]`);
      field = undefined;
    } else if (path[i - 1] === 'mounts' && i === 1) {
      parts.push(`mounts[${key}]`);
      field = undefined;
    } else if (path[i - 1] === 'caps' && i === 3) {
      parts.push(`caps[${key}]`);
      field = undefined;
    } else if (/^\d+$/.test(key)) {
      field = field ?? key; // an item of a plain list: the message is about the list
    } else if (!(i === 0 && (key === 'programs' || key === 'mounts') && path.length > 1) && !(i === 2 && key === 'caps' && path.length > 3)) {
      field = key;
    }
    node = next;
  }
  return { where: parts.join(' '), field };
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', array: 'a list', object: 'an object',
};

/** One sentence for Ajv's first error. */
function describe(e: ErrorObject, raw: unknown): string {
  const path = segments(e.instancePath);
  const { where, field } = locate(path, raw);
  const parent = (e.parentSchema ?? {}) as SchemaNode;
  const inCaps = path.length >= 4 && path[2] === 'caps';
  const capList = CAP_KEYS.join(', ');
  const say = (msg: string): string => (where === '' ? msg : `${where}: ${msg}`);
  const quoted = field === undefined ? 'it' : `"${field}"`;
  // About the entry itself, not one of its fields: "programs[0] must be an object".
  const whole = (msg: string): string => (field === undefined && where !== '' ? `${where} ${msg}` : say(`${quoted} ${msg}`));
  const last = path[path.length - 1] ?? '';
  const listItem = /^\d+$/.test(last) && !inCaps && !(path.length === 2 && path[0] === 'programs');

  if (path.length === 0 && (e.keyword === 'type' || e.keyword === 'required')) return 'the top level must be an object with a "programs" list';
  if (e.keyword === 'type' && inCaps && path.length === 4) return say(`a capability is an object with one key (${capList})`);
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      if (inCaps) return say(`unknown capability "${extra}" (use ${capList})`);
      const allowed = Object.keys(parent.properties ?? {}).join(', ');
      return say(`unknown field "${extra}" (allowed: ${allowed})`);
    }
    case 'minProperties':
    case 'maxProperties':
      return say(`a capability is an object with one key (${capList})`);
    case 'required':
      return say(`"${String((e.params as { missingProperty: string }).missingProperty)}" is required`);
    case 'const':
      return say(`write {"${field ?? ''}": ${JSON.stringify(parent.const)}}`);
    case 'enum':
      return say(`${quoted} must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`);
    case 'minLength':
      return say(inCaps ? `"${field ?? ''}" needs a name` : `${quoted} must be a non-empty string`);
    case 'pattern': // the schema's one pattern: "^/", an absolute path
      return say(`${quoted} must be an absolute path like "/" or "/dev"`);
    case 'minItems':
      return say(`${quoted} must be a non-empty list`);
    case 'maxItems':
      return say(field === 'caps' ? `at most ${parent.maxItems ?? 0} capabilities` : `at most ${parent.maxItems ?? 0} ${field ?? 'items'}`);
    case 'type':
    case 'minimum':
    case 'maximum': {
      if (listItem) {
        // The list's item schema: "args": [1] is "a list of strings".
        return say(`${quoted} must be a list of ${parent.type ?? 'value'}s`);
      }
      if (parent.type === 'integer' && parent.minimum !== undefined && parent.maximum !== undefined) {
        return say(`${quoted} must be an integer from ${parent.minimum} to ${parent.maximum}`);
      }
      if (inCaps && parent.type === 'string') return say(`"${field ?? ''}" needs a name`);
      return whole(`must be ${TYPE_WORDS[parent.type ?? ''] ?? parent.type ?? 'something else'}`);
    }
    default:
      return whole(e.message ?? 'does not match docs/manifest.schema.json');
  }
}
