// Opening a scenario from the page's link (#s=…, share/codec.ts), from the
// one saved in localStorage (the last one opened here), or from a file
// (import). Each way checks the scenario first — @oncrix/scenario's checker
// (share/scenario.ts), what this page can run of its programs, and its
// manifest — and only then opens it as a library scenario is opened
// (scenario/open.ts: boot, filter, script typed at the prompt), with its
// view's start event (share/view.ts). Anything wrong is a message in the
// page (useSharedScenario's `message`), and the machine, the open scenario
// and the saved work stay as they were — nothing of a bad scenario runs.

import { decodeScenarioText, shareValueOf } from './codec.js';
import { parseScenarioText } from './scenario.js';
import { useSharedScenario, type ScenarioOrigin } from './current.js';
import { applyScenarioView } from './view.js';
import { readSaved, SAVED_KEYS, writeSaved } from '../saved/storage.js';
import { usePlayground } from '../state/store.js';
import { useScenario } from '../scenario/state.js';
import { cannotRun } from '../scenario/runnable.js';

/** Check a scenario's text, then open it (boot); the message says what is wrong, and then nothing changed. */
export async function openScenarioText(text: string, origin: ScenarioOrigin, opts: { save: boolean }): Promise<{ ok: true } | { ok: false; message: string }> {
  const parsed = parseScenarioText(text);
  if (!parsed.ok) return parsed;
  const refused = cannotRun(parsed.scenario);
  if (refused !== null) return { ok: false, message: refused };
  useSharedScenario.getState().open(parsed.scenario, text, origin, opts.save);
  const stop = applyScenarioView(parsed.scenario, window.location.search, usePlayground.getState().machine.generation + 1);
  const { openScenarioValue } = await import('../scenario/open.js');
  if (await openScenarioValue(JSON.parse(text) as unknown)) return { ok: true };
  stop();
  useSharedScenario.getState().close();
  return { ok: false, message: useScenario.getState().error };
}

/**
 * Open the scenario the page's link carries, else (outside an embed) the
 * saved one. False when there is none or it cannot be opened (its message
 * is left), and the caller boots the plain playground.
 */
export async function openPageScenario(loc: { hash: string }, opts: { embedded: boolean }): Promise<boolean> {
  const state = useSharedScenario.getState();
  const value = shareValueOf(loc.hash);
  if (value !== null) {
    const decoded = await decodeScenarioText(value);
    if (!decoded.ok) {
      state.refuse(`${decoded.message} The default playground opened instead.`);
      return false;
    }
    const opened = await openScenarioText(decoded.text, 'link', { save: !opts.embedded });
    if (!opened.ok) state.refuse(`The scenario in this link cannot be opened: ${opened.message}. The default playground opened instead.`);
    return opened.ok;
  }
  if (opts.embedded) return false;
  const saved = readSaved(SAVED_KEYS.scenario);
  if (saved === null) return false;
  const opened = await openScenarioText(saved, 'saved', { save: false });
  if (opened.ok) return true;
  // A saved scenario a newer or older build cannot read: say so once, and keep it no longer.
  writeSaved(SAVED_KEYS.scenario, null);
  state.refuse(`The scenario saved in this browser cannot be opened any more: ${opened.message}.`);
  return false;
}
