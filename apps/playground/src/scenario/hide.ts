// A scenario's `view.hide`: programs whose events the trace leaves out. The
// trace filter hides pids, and a program's pid is known only once it is
// spawned, so this watches the model: each process seen for the first time
// whose program is named in the list has its pid added to the filter's
// hidden ones (its lane and its events go; the filter bar can show them
// again). Every instance is hidden — a restarted driver comes back under a
// new pid. Each pid is decided once, so a person's "show" is not undone.

import { usePlayground } from '../state/store.js';
import type { TraceModel } from '../trace/model.js';

let stop: (() => void) | null = null;

/** Hide the events of every process of these programs from now on ([]: stop hiding). */
export function watchHidden(names: readonly string[]): void {
  stop?.();
  stop = null;
  if (names.length === 0) return;
  const hidden = new Set(names);
  let model: TraceModel | null = null;
  let seen = new Set<number>();
  const look = (): void => {
    const s = usePlayground.getState();
    if (s.model !== model) {
      model = s.model; // a new boot: its pids are new
      seen = new Set();
    }
    const add: number[] = [];
    for (const [pid, p] of s.model.procs) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      if (hidden.has(p.name)) add.push(pid);
    }
    if (add.length > 0) s.setFilter({ ...s.filter, hiddenPids: new Set([...s.filter.hiddenPids, ...add]) });
  };
  look();
  stop = usePlayground.subscribe((s, prev) => {
    if (s.version !== prev.version || s.model !== prev.model) look();
  });
}
