// A scenario as a file: export the open scenario (or, when none is open, the
// machine as it is set up — its manifest, start-up script, CPUs and time
// mode — as a new one) as a .json download, and import one from a file
// picker or a file dropped on the page. An imported file is checked whole
// before anything changes (share/load.ts): a bad one leaves its message,
// naming the field, and the machine, the open scenario and the saved work
// as they were. An opened one boots, with its view (share/view.ts).

import { controller } from '../machine/controller.js';
import { DEFAULT_CONFIG } from '../machine/bootConfig.js';
import { usePlayground } from '../state/store.js';
import { useScenario } from './current.js';
import { openScenarioText } from './load.js';
import { encodeScenarioText, withShareValue } from './codec.js';
import { MAX_SCENARIO_BYTES } from './scenario.js';
import { applyScenarioView } from './view.js';

/**
 * The JSON of "the current scenario": the open one as it came, else the
 * machine's set-up as a scenario; null when the machine is the default one
 * (a link needs no scenario for it).
 */
export function currentScenarioText(forceMachine = false): string | null {
  const open = useScenario.getState().text;
  if (open !== null) return open;
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
  const state = useScenario.getState();
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
  const opened = openScenarioText(text, 'file', { save: true, cpus: usePlayground.getState().machine.cpus });
  if (!opened.ok) return refuse(opened.message);
  const link = await encodeScenarioText(text);
  const hash = withShareValue(window.location.hash, link.ok ? link.value : null);
  // A new scenario starts at its beginning: the old selected event does not belong to it.
  const q = new URLSearchParams(window.location.search);
  q.delete('event');
  const search = q.toString() === '' ? '' : `?${q.toString().replace(/%2C/g, ',')}`;
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${hash}`);
  const scenario = useScenario.getState().scenario;
  if (scenario !== null) applyScenarioView(scenario, search, usePlayground.getState().machine.generation + 1);
  await controller.boot(opened.choice);
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
