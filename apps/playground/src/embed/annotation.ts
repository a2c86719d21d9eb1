// Which of a scenario's annotations belongs to the selected event: a step is
// pinned to an event named by kind, process and occurrence ("the 2nd
// msg_send by ping"), not by its number, so it survives rebuilds that
// renumber the trace. The annotation shown is that of the last step whose
// event is at or before the selection — it stays up while the reader steps
// through what follows it, until the next step's event.

import type { TraceModel } from '../trace/model.js';
import { eventAt } from '../trace/model.js';
import { kindName } from '../trace/names.js';
import type { EventMatch } from '../share/scenario.js';

export interface Step { at: EventMatch; text: string }

/** Does the event at global number g fit the match's kind and process (not yet its occurrence)? */
function fits(m: TraceModel, g: number, at: EventMatch): boolean {
  const ev = eventAt(m, g);
  if (ev === undefined || kindName(ev.kind).toLowerCase() !== at.kind.toLowerCase()) return false;
  return at.process === undefined || m.procs.get(ev.pid)?.name === at.process;
}

/** The global number of the event a match names, among events up to `until` (inclusive), or -1. */
export function findMatch(m: TraceModel, at: EventMatch, until: number): number {
  let left = at.nth ?? 1;
  for (let g = m.base; g <= until; g++) {
    if (fits(m, g, at) && --left === 0) return g;
  }
  return -1;
}

/** The annotation for the selected event (global number `cursor`), with its step's index; null before the first step's event. */
export function annotationAt(m: TraceModel, steps: readonly Step[], cursor: number): { index: number; text: string } | null {
  let best: { index: number; text: string; g: number } | null = null;
  for (const [index, step] of steps.entries()) {
    const g = findMatch(m, step.at, cursor);
    if (g >= 0 && (best === null || g >= best.g)) best = { index, text: step.text, g };
  }
  return best === null ? null : { index: best.index, text: best.text };
}
