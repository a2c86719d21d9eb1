// A scenario as a file: export the open scenario (or, when none is open, the
// machine as it is set up — its manifest, start-up script, CPUs and time
// mode — as a new one) as a .json download, and import one from a file
// picker or a file dropped on the page. An imported file is checked whole
// before anything changes (share/load.ts): a bad one leaves its message,
// naming the field, and the machine, the open scenario and the saved work
// as they were. An opened one boots as share/load.ts opens one.

import { controller } from '../machine/controller.js';
import { DEFAULT_CONFIG } from '../machine/bootConfig.js';
import { usePlayground } from '../state/store.js';
import { useSharedScenario } from './current.js';
import { openScenarioText } from './load.js';
import { cannotRun } from '../scenario/runnable.js';
import { encodeScenarioText, withShareValue } from './codec.js';
import { MAX_SCENARIO_BYTES, parseScenarioText } from './scenario.js';
import { useScenario } from '../scenario/state.js';

/**
 * The JSON of "the current scenario": the open one as it came, else the
 * machine's set-up as a scenario; null when the machine is the default one
 * (a link needs no scenario for it).
 */
export function currentScenarioText(forceMachine = false): string | null {
  const open = useSharedScenario.getState().text;
  if (open !== null) return open;
  // A library scenario: its link names it (?scenario=ID); its file is the scenario as it runs.
  const library = useScenario.getState().scenario;
  if (library !== null) return forceMachine ? `${JSON.stringify(library, null, 2)}\n` : null;
  const config = controller.bootConfig;
  const { cpus, deterministic } = usePlayground.getState().machine;
  if (!forceMachine && config.manifest === DEFAULT_CONFIG.manifest && config.script === DEFAULT_CONFIG.script) return null;
  let manifest: unknown;
  try {
    manifest = JSON.parse(config.manifest);
  } catch {
    manifest = undefined;
  }
  const scenario = {
    format: 1, id: 'my-machine', title: 'My machine', text: 'The machine as it was set up in the playground.',
    ...(config.manifest !== DEFAULT_CONFIG.manifest && manifest !== undefined ? { manifest } : {}),
    cpus, deterministic,
    ...(config.script.trim() !== '' ? { script: config.script.split('\n') } : {}),
  };
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** Download the current scenario as <id>.json. */
export function exportScenario(): string {
  const text = currentScenarioText(true) ?? '';
  let id = 'scenario';
  try {
    const parsed = JSON.parse(text) as { id?: unknown };
    if (typeof parsed.id === 'string' && /^[a-z0-9-]+$/.test(parsed.id)) id = parsed.id;
  } catch {
    // an open scenario's text is JSON (it was checked); keep the generic name otherwise
  }
  const name = `${id}.json`;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return name;
}

/** Open a scenario file: check it, then boot it and carry it in the URL when it fits. */
export async function importScenarioFile(file: File): Promise<boolean> {
  const state = useSharedScenario.getState();
  const refuse = (why: string): false => {
    state.refuse(`${file.name} was not opened: ${why}. Nothing was changed.`);
    return false;
  };
  if (file.size > MAX_SCENARIO_BYTES) return refuse(`it is ${Math.ceil(file.size / 1024)} KiB, more than a scenario may be (1024 KiB)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return refuse('it is not a text file');
  }
  const checked = parseScenarioText(text);
  if (!checked.ok) return refuse(checked.message);
  const refused = cannotRun(checked.scenario);
  if (refused !== null) return refuse(refused);
  const link = await encodeScenarioText(text);
  const hash = withShareValue(window.location.hash, link.ok ? link.value : null);
  // A new scenario starts at its beginning: the old selected event does not belong to it.
  const q = new URLSearchParams(window.location.search);
  q.delete('event');
  const search = q.toString() === '' ? '' : `?${q.toString().replace(/%2C/g, ',')}`;
  // A library scenario's ?scenario=ID gives way to the file's.
  const q2 = new URLSearchParams(search.replace(/^\?/, ''));
  q2.delete('scenario');
  const rest = q2.toString().replace(/%2C/g, ',');
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${rest === '' ? '' : `?${rest}`}${hash}`);
  const opened = await openScenarioText(text, 'file', { save: true });
  if (!opened.ok) return refuse(opened.message);
  return true;
}

/** Let the person pick a scenario file, and import it. */
export function pickScenarioFile(): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.dataset.testid = 'scenario-file-input';
  input.style.display = 'none';
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.remove();
    if (file !== undefined) void importScenarioFile(file);
  });
  document.body.append(input);
  input.click();
}
