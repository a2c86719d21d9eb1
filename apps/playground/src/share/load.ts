// Opening a scenario: from the page's link (#s=…, share/codec.ts), from the
// one saved in localStorage (the last one opened here), or from a file
// (import). Each way ends in the same two steps: check the scenario
// (share/scenario.ts) and its manifest (the checker both HALs use), and only
// then boot the machine it describes. Anything wrong is a message in the
// page (useScenario's `message`) and the playground opens as it would
// without the scenario — nothing of a bad scenario runs.

import { decodeScenarioText, shareValueOf } from './codec.js';
import { parseScenarioText, type Scenario } from './scenario.js';
import { useScenario, type ScenarioOrigin } from './current.js';
import { readSaved, SAVED_KEYS, writeSaved } from '../saved/storage.js';
import { checkConfig, DEFAULT_CONFIG, type BootConfig } from '../machine/bootConfig.js';
import type { BootChoice } from '../machine/controller.js';

/** What the machine boots for this scenario, or what is wrong with it. */
export function bootChoiceOf(s: Scenario, fallback: { cpus: number }): { ok: true; choice: BootChoice } | { ok: false; message: string } {
  const programs = s.programs ?? [];
  for (const [i, p] of programs.entries()) {
    const entry = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
    if (typeof entry.builtin !== 'string') {
      return { ok: false, message: `programs[${i}]: this playground opens scenarios whose programs are built-in ones ({ "name", "builtin" }); "${String(entry.name)}" brings its own code` };
    }
  }
  const config: BootConfig = {
    manifest: s.manifest === undefined ? DEFAULT_CONFIG.manifest : JSON.stringify(s.manifest, null, 2),
    script: (s.script ?? []).join('\n'),
  };
  try {
    checkConfig(config);
  } catch (e) {
    return { ok: false, message: `manifest: ${(e as Error).message}` };
  }
  return { ok: true, choice: { cpus: s.cpus ?? fallback.cpus, deterministic: s.deterministic ?? true, config } };
}

/** Check a scenario's text and what it boots; on success it becomes the open scenario. */
export function openScenarioText(text: string, origin: ScenarioOrigin, opts: { save: boolean; cpus: number }): { ok: true; choice: BootChoice } | { ok: false; message: string } {
  const parsed = parseScenarioText(text);
  if (!parsed.ok) return parsed;
  const boot = bootChoiceOf(parsed.scenario, opts);
  if (!boot.ok) return boot;
  useScenario.getState().open(parsed.scenario, text, origin, opts.save);
  return boot;
}

/**
 * The boot the page's URL or saved work asks for: the link's scenario, else
 * (outside an embed) the saved one; null for the plain playground. A bad
 * one leaves its message and gives null.
 */
export async function pageScenarioChoice(loc: { hash: string }, opts: { embedded: boolean; cpus: number }): Promise<BootChoice | null> {
  const state = useScenario.getState();
  const value = shareValueOf(loc.hash);
  if (value !== null) {
    const decoded = await decodeScenarioText(value);
    if (!decoded.ok) {
      state.refuse(`${decoded.message} The default playground opened instead.`);
      return null;
    }
    const opened = openScenarioText(decoded.text, 'link', { save: !opts.embedded, cpus: opts.cpus });
    if (!opened.ok) state.refuse(`The scenario in this link cannot be opened: ${opened.message}. The default playground opened instead.`);
    return opened.ok ? opened.choice : null;
  }
  if (opts.embedded) return null;
  const saved = readSaved(SAVED_KEYS.scenario);
  if (saved === null) return null;
  const opened = openScenarioText(saved, 'saved', { save: false, cpus: opts.cpus });
  if (opened.ok) return opened.choice;
  // A saved scenario a newer or older build cannot read: say so once, and keep it no longer.
  writeSaved(SAVED_KEYS.scenario, null);
  state.refuse(`The scenario saved in this browser cannot be opened any more: ${opened.message}.`);
  return null;
}
