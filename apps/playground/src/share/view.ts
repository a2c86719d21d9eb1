// A scenario's `view.event`, applied where the URL does not say otherwise
// (scenario/open.ts applies its kinds): the event it starts at — named by kind,
// process and occurrence (embed/annotation.ts), so it is found in the trace
// as the machine records it, then selected (which pauses the view there).
// The URL's own `event=` wins: a share link carries the view its sender was
// looking at.

import { usePlayground } from '../state/store.js';
import { eventCount } from '../trace/model.js';
import { findMatch } from '../embed/annotation.js';
import type { Scenario } from './scenario.js';

/** Apply the scenario's view to the boot of `generation`; returns the function that stops watching for its start event. */
export function applyScenarioView(s: Scenario, search: string, generation: number): () => void {
  const q = new URLSearchParams(search);
  const at = s.view?.event;
  if (q.has('event') || at === undefined) return () => undefined;
  let scanned = -1;
  const unsubscribe = usePlayground.subscribe((st) => {
    if (st.machine.generation > generation) unsubscribe();
    if (st.machine.generation !== generation) return;
    const end = eventCount(st.model) - 1;
    if (end <= scanned) return;
    scanned = end;
    const g = findMatch(st.model, at, end);
    if (g >= 0) {
      unsubscribe();
      st.select(g);
    }
  });
  return unsubscribe;
}
