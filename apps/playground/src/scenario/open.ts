// Opening a scenario: load it (from the library, lazily: each scenario is a
// chunk of its own), check it (@oncrix/scenario's parser, then the boot
// manifest with the page's own checker), draw its variant's numbers, boot
// the machine it describes (manifest, CPUs, time mode, declared faults),
// set the trace filter it asks for, and type its script at the prompt, line
// by line, as a person would. A scenario that does not check is not run: the
// message names the field, and the default playground goes on.
//
// Only what the scenario declares runs: its manifest's programs, built-in
// programs (the build's own images), the programs it brings (as source,
// compiled here first, or as a prebuilt module: programs.ts) and its script.

import { instantiate, parseScenarioValue, VIEW_PRESETS, kindOf, checkRecording, recordedEvents, type Scenario } from '@oncrix/scenario';
import type { TraceEvent } from '@oncrix/abi';
import { libraryEntry } from '@oncrix/scenario/library';
import { TRACE } from '@oncrix/abi';
import { controller } from '../machine/controller.js';
import { DEFAULT_CONFIG } from '../machine/bootConfig.js';
import { PROGRAM_NAMES } from '../machine/assets.js';
import { cannotRun, configOf } from './runnable.js';
import { usePlayground } from '../state/store.js';
import { ALL_KINDS, PRESETS, DEFAULT_FILTER } from '../trace/filter.js';
import { useScenario } from './state.js';
import { buildPrograms } from './programs.js';
import { watchHidden } from './hide.js';
import { shippedRecording } from './recordings.js';
import { Compiler } from '../editor/protocol.js';

/** The compiler of scenarios' sources (its Worker starts at the first scenario that brings one). */
const compiler = new Compiler();

/** The trace filter a scenario's view asks for (its kinds: a preset or kind names). */
function filterOf(s: Scenario): typeof DEFAULT_FILTER {
  const kinds = s.view?.kinds;
  if (kinds === undefined || kinds.length === 0 || kinds[0] === 'all') return DEFAULT_FILTER;
  const preset = kinds.length === 1 && VIEW_PRESETS.includes(kinds[0] ?? '') ? PRESETS.find((p) => p.id === kinds[0]) : undefined;
  const shown = new Set(preset !== undefined ? preset.kinds : kinds.map((k) => kindOf(k)).filter((k): k is number => k !== undefined));
  return { ...DEFAULT_FILTER, hiddenKinds: new Set([TRACE.DATA, ...ALL_KINDS.filter((k) => !shown.has(k))]) };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait for the shell's prompt, at most `ms`. */
async function prompt(ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (controller.atPrompt()) return true;
    await sleep(20);
  }
  return false;
}

/** Type the script's lines, each at a prompt of its own. */
async function typeScript(lines: readonly string[], generation: number): Promise<void> {
  useScenario.getState().set({ typing: true });
  try {
    for (const line of lines) {
      if (!(await prompt(30_000)) || usePlayground.getState().machine.generation !== generation) return;
      controller.write(`${line}\r`);
      // The prompt goes away once the line is taken (a line the shell takes at once may come straight back).
      const end = performance.now() + 2000;
      while (controller.atPrompt() && performance.now() < end) await sleep(10);
    }
    await prompt(30_000);
  } finally {
    useScenario.getState().set({ typing: false });
    if (usePlayground.getState().machine.generation === generation) controller.holdConsoleSize(false);
  }
}

/**
 * The scenario's recorded events, when it carries a recording this build
 * replays and made with this seed; null (and, for a refused one, the
 * message saying how to re-record it in the state) when it must run live.
 */
async function recordedRun(s: Scenario, seed: number | null): Promise<TraceEvent[] | null> {
  if (s.recording === undefined) return null;
  try {
    const rec = checkRecording(s.recording);
    if (rec.seed !== seed) return null; // another variant's numbers: not this run
    return await recordedEvents(rec).then((events) => {
      useScenario.getState().set({ recordingNote: '' });
      return events;
    });
  } catch (e) {
    useScenario.getState().set({ recordingNote: `The recording was not played: ${(e as Error).message}. It runs live instead.` });
    return null;
  }
}

/** Open a scenario (a parsed JSON value) with this seed (absent: its own); `live`: boot it even when it carries a recording. */
export async function openScenarioValue(raw: unknown, seed?: number, opts: { live?: boolean } = {}): Promise<boolean> {
  const state = useScenario.getState();
  const parsed = parseScenarioValue(raw, { builtins: PROGRAM_NAMES });
  if (!parsed.ok) {
    state.set({ error: `This scenario cannot be opened: ${parsed.message}`, scenario: null });
    return false;
  }
  const refused = cannotRun(parsed.scenario, seed);
  if (refused !== null) {
    state.set({ error: `This scenario cannot be opened: ${refused}`, scenario: null });
    return false;
  }
  const { scenario, params, seed: used } = instantiate(parsed.scenario, seed);
  const built = await buildPrograms(scenario, (source) => compiler.compile(source));
  if (!built.ok) {
    state.set({ error: `This scenario cannot be opened: ${built.message}`, scenario: null });
    return false;
  }
  const config = configOf(scenario);
  state.set({ scenario, params, seed: used, answers: {}, submitted: {}, error: '', source: parsed.scenario, recorded: null, recordingNote: '' });
  usePlayground.getState().setFilter(filterOf(scenario));
  watchHidden(scenario.view?.hide ?? []);
  const recorded = opts.live === true ? null : await recordedRun(parsed.scenario, used);
  if (recorded !== null) {
    state.set({ recorded, compareWith: null });
    await controller.playRecorded(recorded, String((parsed.scenario.recording as { console?: unknown }).console ?? ''), { cpus: scenario.cpus ?? 1, deterministic: scenario.deterministic ?? true });
    return true;
  }
  // Until its script is typed, a deterministic run takes only the input its recording took (no terminal size).
  controller.holdConsoleSize(scenario.deterministic ?? true);
  await controller.boot({
    cpus: scenario.cpus ?? 1, deterministic: scenario.deterministic ?? true, config, programs: built.programs,
    ...(scenario.inject !== undefined ? { inject: scenario.inject } : {}),
  });
  void typeScript(scenario.script ?? [], usePlayground.getState().machine.generation);
  return true;
}

/** Open a library scenario by its id; false (with the message in the state) when there is none or it does not check. */
export async function openLibraryScenario(id: string, seed?: number): Promise<boolean> {
  const entry = libraryEntry(id);
  if (entry === undefined) {
    useScenario.getState().set({ error: `There is no scenario "${id}" in the library.`, scenario: null });
    return false;
  }
  const raw = await entry.load();
  const recording = await shippedRecording(id);
  return openScenarioValue(recording !== null && typeof raw === 'object' ? { ...raw, recording } : raw, seed);
}

/** Leave the scenario: the default playground again. */
export function closeScenario(): Promise<void> {
  useScenario.getState().set({ scenario: null, error: '', seed: null, params: {}, source: null, recorded: null, compareWith: null, recordingNote: '' });
  usePlayground.getState().setFilter(DEFAULT_FILTER);
  watchHidden([]);
  controller.holdConsoleSize(false);
  return controller.boot({ cpus: 1, deterministic: false, config: DEFAULT_CONFIG, programs: [] });
}
