// The page's state in its URL, so that a reload or a copied link brings back
// what was on screen: the machine's CPUs and time mode, the selected event,
// and the trace filter. One small module, shared with the teaching views
// (scenarios, the embed view), which add their own parameters beside these.
//
// The format — a query string; every parameter is optional, an absent one is
// its default, and parameters this module does not know are left alone:
//
//   cpus=N             virtual CPUs, 1 to 8 (default 1)
//   deterministic=1    virtual time: the same input gives the same trace (default off)
//   event=SEQ          the selected event, by the number the trace shows (#SEQ); the
//                      view pauses on it once the machine has recorded that far
//                      (absent: the view follows the live end)
//   kinds=LIST         the kinds of events shown: a preset (ipc, caps, sched) or
//                      kind names, comma-separated, lower case (msg_send,handle_transfer)
//                      (absent: every kind)
//   hide=PIDS          processes whose events are hidden, comma-separated pids (0: the kernel)
//   exited=hide        leave out the lanes of processes gone in the rows on screen
//
//   e.g. ?cpus=2&deterministic=1&event=1057&kinds=ipc&hide=0
//
// A run is reproducible only in deterministic mode on one CPU: there,
// event=SEQ names the same event after every reload; in real time (or with
// several CPUs, whose processes truly run side by side) it names whatever
// the kernel numbered SEQ this time.
//
// The teaching views add theirs beside these (one scheme for the whole page;
// docs/teaching.md "Share links" and "Embedding a scenario"):
//
//   embed=1            the embed view: minimal chrome for a frame in a course page (embed/params.ts)
//   panels=LIST        the embed's panels: trace, inspector, terminal (default: all three)
//   scenario=ID        a scenario of the library, by its id
//   #s=1.DATA          a whole scenario in the fragment: its JSON, deflate-raw compressed,
//                      base64url, behind the link format's version "1." (share/codec.ts);
//                      the fragment never reaches a server, and a bad one opens the
//                      default playground with a message
//
//   e.g. ?deterministic=1&event=1445&embed=1&panels=trace,terminal#s=1.TVBLTsQw…
//
// The idea: the URL is written from the store (replaceState, throttled, so
// the history is not flooded while events stream in) and read once at start.

import { LIMITS } from '@oncrix/abi';
import { ALL_KINDS, DEFAULT_FILTER, PRESETS, presetOf, type TraceFilter } from './trace/filter.js';
import { kindName } from './trace/names.js';
import { eventAt } from './trace/model.js';
import type { usePlayground } from './state/store.js';

export interface UrlState {
  cpus: number;
  deterministic: boolean;
  /** Sequence number of the selected event, or null (live). */
  event: number | null;
  filter: TraceFilter;
}

/** The parameters this module owns; others in the query string are kept. */
export const URL_PARAMS = ['cpus', 'deterministic', 'event', 'kinds', 'hide', 'exited'] as const;

const kindByName = new Map(ALL_KINDS.map((k) => [kindName(k).toLowerCase(), k]));

function list(v: string | null): string[] {
  return v === null ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Read the page state from a query string ("?cpus=2&…"); what is missing or malformed takes its default. */
export function decodeUrlState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const cpus = Number.parseInt(q.get('cpus') ?? '1', 10);
  const event = Number.parseInt(q.get('event') ?? '', 10);
  const kinds = list(q.get('kinds'));
  let hiddenKinds = DEFAULT_FILTER.hiddenKinds;
  if (kinds.length > 0) {
    const preset = PRESETS.find((p) => p.id === kinds[0]);
    const shown = new Set(preset !== undefined ? preset.kinds : kinds.map((n) => kindByName.get(n.toLowerCase())).filter((k) => k !== undefined));
    if (shown.size > 0) hiddenKinds = new Set([...DEFAULT_FILTER.hiddenKinds, ...ALL_KINDS.filter((k) => !shown.has(k))]);
  }
  const hiddenPids = new Set(list(q.get('hide')).map((p) => Number.parseInt(p, 10)).filter((p) => Number.isInteger(p) && p >= 0));
  return {
    cpus: Number.isInteger(cpus) ? Math.min(LIMITS.MAX_CPUS, Math.max(1, cpus)) : 1,
    deterministic: q.get('deterministic') === '1',
    event: Number.isInteger(event) && event >= 0 ? event : null,
    filter: { hiddenKinds, hiddenPids, hideExited: q.get('exited') === 'hide' },
  };
}

/** Write the page state into a query string, keeping the parameters of others; returns "?…" or "". */
export function encodeUrlState(state: UrlState, search = ''): string {
  const q = new URLSearchParams(search);
  for (const p of URL_PARAMS) q.delete(p);
  if (state.cpus !== 1) q.set('cpus', String(state.cpus));
  if (state.deterministic) q.set('deterministic', '1');
  if (state.event !== null) q.set('event', String(state.event));
  const preset = presetOf(state.filter);
  if (preset !== 'all') {
    q.set('kinds', preset ?? ALL_KINDS.filter((k) => !state.filter.hiddenKinds.has(k)).map((k) => kindName(k).toLowerCase()).join(','));
  }
  if (state.filter.hiddenPids.size > 0) q.set('hide', [...state.filter.hiddenPids].sort((a, b) => a - b).join(','));
  if (state.filter.hideExited === true) q.set('exited', 'hide');
  const s = q.toString().replace(/%2C/g, ',');
  return s === '' ? '' : `?${s}`;
}

/**
 * Keep the URL in step with the store, and apply a URL's selected event once
 * the machine has recorded that far. Returns the function that stops it.
 */
export function installUrlSync(store: typeof usePlayground, initial: UrlState): () => void {
  let pending = initial.event;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = (): void => {
    timer = undefined;
    const s = store.getState();
    const selected = s.cursor >= 0 ? eventAt(s.model, s.cursor)?.seq ?? null : null;
    const next = encodeUrlState({
      cpus: s.machine.cpus, deterministic: s.machine.deterministic, event: pending ?? selected, filter: s.filter,
    }, window.location.search);
    if (next !== window.location.search) window.history.replaceState(window.history.state, '', `${window.location.pathname}${next}${window.location.hash}`);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (pending !== null && s.model.records > pending && s.machine.generation > 0) {
      const seq = pending;
      pending = null;
      s.jumpToSeq(seq);
    }
    const changed = s.cursor !== prev.cursor || s.filter !== prev.filter || s.machine.cpus !== prev.machine.cpus
      || s.machine.deterministic !== prev.machine.deterministic;
    if (changed && timer === undefined) timer = setTimeout(write, 200);
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
