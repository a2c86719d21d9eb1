// A scenario over the page's trace: the store's kept events as a Run of
// @oncrix/scenario (whose pure functions decide steps and checks, as the
// CLI and the tests do), and the answers to "where is each step" (the
// global event number the store selects) and "which step is the selected
// event under" (the last step at or before it).

import { Run, decide, type CheckResult, type Scenario, type Params } from '@oncrix/scenario';
import type { TraceEvent } from '@oncrix/abi';
import { eventAt, eventCount, type TraceModel } from '../trace/model.js';

export interface Located {
  run: Run;
  /** The global event number of each event of the run. */
  gs: number[];
  /** Each step's global event number, or -1 when the run has not got to it (yet). */
  steps: number[];
}

export function locate(m: TraceModel, s: Scenario): Located {
  const events: TraceEvent[] = [];
  const gs: number[] = [];
  for (let g = m.base; g < eventCount(m); g++) {
    const e = eventAt(m, g);
    if (e !== undefined) { events.push(e); gs.push(g); }
  }
  const run = new Run(events);
  const steps = (s.steps ?? []).map((st) => {
    const i = run.indexOf(st.at);
    return i < 0 ? -1 : gs[i] ?? -1;
  });
  return { run, gs, steps };
}

/** The step the selected event is under: the last one at or before it (by event order), or -1. */
export function stepAt(steps: readonly number[], cursor: number): number {
  let best = -1;
  steps.forEach((g, i) => {
    if (g >= 0 && g <= cursor && (best < 0 || g >= (steps[best] ?? -1))) best = i;
  });
  return best;
}

/** Every check's result, with the deciding event as a global number (for the store's select). */
export function results(l: Located, s: Scenario, params: Params, answers: Record<number, string>): (CheckResult & { g: number })[] {
  return (s.checks ?? []).map((c, i) => {
    const r = decide(c, l.run, params, answers[i]);
    const at = r.decidedBy === null ? -1 : l.run.events.findIndex((e) => e.seq === r.decidedBy);
    return { ...r, g: at < 0 ? -1 : l.gs[at] ?? -1 };
  });
}
