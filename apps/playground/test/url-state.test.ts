// The page's URL format (src/url-state.ts): what a reload or a copied link
// brings back — CPUs, time mode, the selected event, the filter — and that
// parameters other views add (a teaching scenario's) are left alone.

import { describe, expect, it } from 'vitest';
import { TRACE } from '@oncrix/abi';
import { decodeUrlState, encodeUrlState } from '../src/url-state.js';
import { DEFAULT_FILTER, onlyKinds, presetOf, PRESETS, ALL_KINDS } from '../src/trace/filter.js';

const ipc = PRESETS.find((p) => p.id === 'ipc')?.kinds ?? [];

describe('the URL format', () => {
  it('an empty query is the default page: 1 CPU, real time, live, every kind', () => {
    const s = decodeUrlState('');
    expect(s).toMatchObject({ cpus: 1, deterministic: false, event: null });
    expect(presetOf(s.filter)).toBe('all');
    expect(encodeUrlState(s)).toBe('');
  });

  it('CPUs, deterministic mode, the selected event and the filter go into the URL and come back', () => {
    const filter = { ...onlyKinds(DEFAULT_FILTER, ipc), hiddenPids: new Set([5, 0]), hideExited: true };
    const url = encodeUrlState({ cpus: 2, deterministic: true, event: 1057, filter });
    expect(url).toBe('?cpus=2&deterministic=1&event=1057&kinds=ipc&hide=0,5&exited=hide');
    const back = decodeUrlState(url);
    expect(back).toMatchObject({ cpus: 2, deterministic: true, event: 1057 });
    expect(presetOf(back.filter)).toBe('ipc');
    expect([...back.filter.hiddenPids].sort()).toEqual([0, 5]);
    expect(back.filter.hideExited).toBe(true);
  });

  it('kinds that are no preset are listed by name', () => {
    const filter = onlyKinds(DEFAULT_FILTER, [TRACE.HANDLE_TRANSFER, TRACE.SPAWN]);
    const url = encodeUrlState({ cpus: 1, deterministic: false, event: null, filter });
    expect(url).toBe('?kinds=spawn,handle_transfer');
    expect(ALL_KINDS.filter((k) => !decodeUrlState(url).filter.hiddenKinds.has(k)).sort()).toEqual([TRACE.SPAWN, TRACE.HANDLE_TRANSFER].sort());
  });

  it("other views' parameters are kept; nonsense falls back to the defaults", () => {
    expect(encodeUrlState({ cpus: 3, deterministic: false, event: null, filter: DEFAULT_FILTER }, '?scenario=ping&cpus=1&event=9'))
      .toBe('?scenario=ping&cpus=3');
    const s = decodeUrlState('?cpus=99&event=-4&kinds=nonsense&hide=x,2');
    expect(s.cpus).toBe(8);
    expect(s.event).toBeNull();
    expect(presetOf(s.filter)).toBe('all');
    expect([...s.filter.hiddenPids]).toEqual([2]);
  });
});
