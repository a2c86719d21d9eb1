// "Run live from here": leave a recording for a live machine booted with the
// same scenario in deterministic mode, and when its trace reaches the event
// selected in the recording, select that event — the view pauses there while
// the machine goes on. The live trace up to that event is compared with the
// recording, event by event (kind, process, arguments, kernel time), and
// the scenario panel says whether it is the same run or where it differs
// (another kernel build, or a scenario that is not deterministic).

import type { TraceEvent } from '@oncrix/abi';
import { usePlayground } from '../state/store.js';
import { eventAt, eventCount } from '../trace/model.js';
import { useScenario } from './state.js';

const same = (a: TraceEvent, b: TraceEvent): boolean =>
  a.seq === b.seq && a.kind === b.kind && a.pid === b.pid && a.time === b.time && a.args.every((v, i) => v === b.args[i]);

/** The first event (global number) at or before `upTo` where the live model differs from the recording, or -1. */
export function firstDifference(recorded: readonly TraceEvent[], upTo: number): number {
  const m = usePlayground.getState().model;
  for (let g = 0; g <= upTo; g++) {
    const live = eventAt(m, g);
    const rec = recorded[g];
    if (live === undefined || rec === undefined || !same(live, rec)) return g;
  }
  return -1;
}

/** Boot the open scenario live (deterministic, as recorded) and select event `at` once its trace has it. */
export async function runLiveFrom(at: number): Promise<void> {
  const s = useScenario.getState();
  const recorded = s.recorded;
  if (s.source === null || recorded === null) return;
  const target = Math.max(0, Math.min(at, recorded.length - 1));
  s.set({ compareWith: recorded, recordingNote: `Running live to event ${target}…` });
  const { openScenarioValue } = await import('./open.js');
  if (!(await openScenarioValue(s.source, s.seed ?? undefined, { live: true }))) return;
  useScenario.getState().set({ compareWith: recorded, recordingNote: `Running live to event ${target}…` });
  const generation = usePlayground.getState().machine.generation;
  await new Promise<void>((resolve) => {
    let done = false;
    const check = (st: ReturnType<typeof usePlayground.getState>): void => {
      if (done) return;
      if (st.machine.generation !== generation) { done = true; stop(); resolve(); return; }
      if (eventCount(st.model) <= target) return;
      done = true;
      stop();
      st.select(target);
      const differs = firstDifference(recorded, target);
      useScenario.getState().set({
        recordingNote: differs < 0
          ? `Live from event ${target}: the live run matches the recording up to here.`
          : `Live from event ${target}: the live run differs from the recording at event ${differs} (another kernel build, or a run that is not deterministic).`,
      });
      resolve();
    };
    const stop = usePlayground.subscribe(check);
    check(usePlayground.getState());
  });
}
