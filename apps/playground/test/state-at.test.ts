// The state at a selected event, rebuilt from a real recorded run (the
// library's capabilities scenario, recorded in Node as `oncrix record` does
// and played from its recording): before a process's SPAWN the process
// table lacks it, before a HANDLE_TRANSFER the handle is still with its
// sender, and at the last event the rebuilt state is the latest one —
// whichever way the selection moved to get there.

import { beforeAll, describe, expect, test } from 'vitest';
import { TRACE } from '@oncrix/abi';
import { checkRecording, parseScenarioValue, recordedEvents } from '@oncrix/scenario';
import { libraryEntry } from '@oncrix/scenario/library';
import { recordScenario } from '@oncrix/scenario/node';
import { usePlayground } from '../src/state/store.js';
import { eventAt, eventCount, type TraceModel } from '../src/trace/model.js';
import { modelAt } from '../src/trace/at.js';
import { inspectedModel } from '../src/trace/inspected.js';

let m: TraceModel;
const kinds = (kind: number): number[] => {
  const out: number[] = [];
  for (let g = 0; g < eventCount(m); g++) if (eventAt(m, g)?.kind === kind) out.push(g);
  return out;
};

beforeAll(async () => {
  const parsed = parseScenarioValue(await libraryEntry('capabilities')!.load());
  if (!parsed.ok) throw new Error(parsed.message);
  const rec = checkRecording(JSON.parse(JSON.stringify(await recordScenario(parsed.scenario))));
  usePlayground.getState().resetTrace();
  usePlayground.getState().ingest(await recordedEvents(rec), 0);
  m = usePlayground.getState().model;
}, 60_000);

describe('the state at an event', () => {
  test('a process spawned later is absent before its SPAWN, present from it on', () => {
    const spawns = kinds(TRACE.SPAWN);
    expect(spawns.length).toBeGreaterThan(3);
    const g = spawns[spawns.length - 1]!;
    const child = eventAt(m, g)!.args[0]!;
    expect(m.procs.has(child)).toBe(true);
    expect(modelAt(m, g).procs.has(child)).toBe(true);
    expect(modelAt(m, g - 1).procs.has(child)).toBe(false); // a step back
    expect(modelAt(m, g).procs.get(child)?.name).toBe(m.procs.get(child)?.name); // and forward again
  });

  test('a handle transferred later is still with its sender before the HANDLE_TRANSFER', () => {
    const transfers = kinds(TRACE.HANDLE_TRANSFER).filter((g) => {
      const [, from, value, koid] = eventAt(m, g)!.args;
      return modelAt(m, g - 1).handles.get(from!)?.get(value!)?.koid === koid;
    });
    expect(transfers.length).toBeGreaterThan(0);
    const g = transfers[0]!;
    const e = eventAt(m, g)!;
    const [value, from, sent, koid] = e.args;
    const before = modelAt(m, g - 1);
    expect(before.handles.get(from!)?.get(sent!)?.koid).toBe(koid);
    expect(before.handles.get(e.pid)?.get(value!)).toBeUndefined();
    const after = modelAt(m, g);
    expect(after.handles.get(from!)?.get(sent!)).toBeUndefined();
    expect(after.handles.get(e.pid)?.get(value!)?.koid).toBe(koid);
  });

  test('at the last event the rebuilt state is the latest, and the inspectors follow the selection', () => {
    const last = eventCount(m) - 1;
    modelAt(m, 5);
    const end = modelAt(m, last);
    expect([...end.procs.values()].map((p) => [p.pid, p.name, p.state])).toEqual([...m.procs.values()].map((p) => [p.pid, p.name, p.state]));
    expect([...end.holders.keys()].sort()).toEqual([...m.holders.keys()].sort());
    const firstSpawn = kinds(TRACE.SPAWN)[1]!;
    usePlayground.getState().select(firstSpawn - 1);
    expect(inspectedModel().procs.size).toBeLessThan(m.procs.size);
    usePlayground.getState().setRunning(true);
    expect(inspectedModel()).toBe(m);
  });
});
