// The model the inspectors show (process table, capabilities, graph,
// memory): the state at the selected event, rebuilt from the trace (at.ts),
// while an event is selected — a recording stepped through, or a live run
// paused — and the latest state while the view follows the live end.

import { usePlayground } from '../state/store.js';
import { modelAt } from './at.js';
import type { TraceModel } from './model.js';

export function inspectedModel(): TraceModel {
  const { model, cursor } = usePlayground.getState();
  return cursor < 0 ? model : modelAt(model, cursor);
}
