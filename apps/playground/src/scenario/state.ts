// The open scenario, as the page holds it: which one, the seed of its
// variant and the numbers drawn from it, the student's answers, and what
// went wrong opening one (a message naming the field; the default
// playground keeps running). A store of its own, so the playground's store
// knows nothing of scenarios.

import { create } from 'zustand';
import type { Params, Scenario } from '@oncrix/scenario';
import type { TraceEvent } from '@oncrix/abi';

export interface ScenarioState {
  /** The scenario as it runs (its variant's numbers written in), or null. */
  scenario: Scenario | null;
  seed: number | null;
  params: Params;
  /** Answers typed, by check index. */
  answers: Record<number, string>;
  /** Answers submitted (checked), by check index. */
  submitted: Record<number, string>;
  /** Why the last scenario could not be opened, or ''. */
  error: string;
  /** True while the script is being typed. */
  typing: boolean;
  /** The scenario as opened (before its variant's numbers), for opening it again live. */
  source: Scenario | null;
  /** The recorded events being played (null: a live run). */
  recorded: readonly TraceEvent[] | null;
  /** The recording's events, kept while a live run from a step is compared with them (null: none). */
  compareWith: readonly TraceEvent[] | null;
  /** What became of the recording: why it was refused, or how a live run from a step compared with it ('' none). */
  recordingNote: string;
  set(patch: Partial<Omit<ScenarioState, 'set'>>): void;
}

export const useScenario = create<ScenarioState>()((set) => ({
  scenario: null, seed: null, params: {}, answers: {}, submitted: {}, error: '', typing: false, source: null, recorded: null, compareWith: null, recordingNote: '',
  set: (patch) => set(patch),
}));
