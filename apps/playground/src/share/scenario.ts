// The scenario as the share side reads it (docs/teaching.md): the fields a
// link, a saved scenario or an imported file may carry that this page acts
// on — the machine (manifest, CPUs, time mode), the shell lines, the teaching
// text and the view — checked field by field, so that bad input is refused
// with a message naming the field, before anything boots. A scenario never
// runs code it did not declare: what boots is its manifest's programs (the
// page's built ones) and its script.

export interface EventMatch { kind: string; process?: string; nth?: number }

export interface Scenario {
  format: 1;
  id: string;
  title: string;
  text: string;
  manifest?: object;
  cpus?: number;
  deterministic?: boolean;
  programs?: unknown[];
  script?: string[];
  steps?: { at: EventMatch; text: string }[];
  view?: { kinds?: string[]; hide?: string[]; panels?: string[]; event?: EventMatch };
  [more: string]: unknown;
}

export type Parsed = { ok: true; scenario: Scenario } | { ok: false; message: string };

/** The scenario format's size limit (1 MiB of JSON). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function checkMatch(at: unknown, where: string): string | null {
  if (!isObject(at)) return `${where}: should be an object { kind, process?, nth? }`;
  if (typeof at.kind !== 'string' || at.kind === '') return `${where}.kind: should be a trace kind name such as "msg_send"`;
  if (at.process !== undefined && typeof at.process !== 'string') return `${where}.process: should be a program name`;
  if (at.nth !== undefined && !(Number.isInteger(at.nth) && (at.nth as number) >= 1)) return `${where}.nth: should be a whole number from 1`;
  return null;
}

function check(s: Record<string, unknown>): string | null {
  if (s.format !== 1) {
    return s.format === undefined ? 'format: missing (a scenario says "format": 1)'
      : `format: ${JSON.stringify(s.format)} is not a scenario format this playground reads (it reads 1)`;
  }
  if (typeof s.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s.id)) return 'id: should be a kebab-case name such as "ipc-basics"';
  if (typeof s.title !== 'string' || s.title.trim() === '') return 'title: should be a non-empty string';
  if (typeof s.text !== 'string') return 'text: should be a string (the teaching text)';
  if (s.manifest !== undefined && !isObject(s.manifest)) return 'manifest: should be a boot manifest object (docs/manifest.schema.json)';
  if (s.cpus !== undefined && !(Number.isInteger(s.cpus) && (s.cpus as number) >= 1 && (s.cpus as number) <= 8)) return 'cpus: should be a whole number from 1 to 8';
  if (s.deterministic !== undefined && typeof s.deterministic !== 'boolean') return 'deterministic: should be true or false';
  if (s.script !== undefined && !isStrings(s.script)) return 'script: should be a list of shell lines (strings)';
  if (s.programs !== undefined && !Array.isArray(s.programs)) return 'programs: should be a list';
  if (s.steps !== undefined) {
    if (!Array.isArray(s.steps)) return 'steps: should be a list of { at, text }';
    for (const [i, step] of (s.steps as unknown[]).entries()) {
      if (!isObject(step)) return `steps[${i}]: should be an object { at, text }`;
      const bad = checkMatch(step.at, `steps[${i}].at`);
      if (bad !== null) return bad;
      if (typeof step.text !== 'string') return `steps[${i}].text: should be a string`;
    }
  }
  if (s.view !== undefined) {
    if (!isObject(s.view)) return 'view: should be an object';
    for (const f of ['kinds', 'hide', 'panels'] as const) {
      if (s.view[f] !== undefined && !isStrings(s.view[f])) return `view.${f}: should be a list of strings`;
    }
    if (s.view.event !== undefined) return checkMatch(s.view.event, 'view.event');
  }
  return null;
}

/** Read a scenario file's text; the message names the field that is wrong. */
export function parseScenarioText(text: string): Parsed {
  if (new TextEncoder().encode(text).length > MAX_SCENARIO_BYTES) return { ok: false, message: 'the scenario is larger than 1 MiB of JSON' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not JSON: ${(e as Error).message}` };
  }
  if (!isObject(raw)) return { ok: false, message: 'a scenario is a JSON object { "format": 1, "id", "title", "text", … }' };
  const bad = check(raw);
  return bad === null ? { ok: true, scenario: raw as Scenario } : { ok: false, message: bad };
}
