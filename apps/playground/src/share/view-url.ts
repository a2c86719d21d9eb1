// The URL of what is on screen right now, read from the store rather than
// from the address bar (which url-state.ts brings up to date a moment
// later): the URL state of url-state.ts, the embed parameters left out, and
// the page's fragment (the scenario, #s=…) kept. The Share link and the embed
// view's "open in the playground" start from it.

import { usePlayground } from '../state/store.js';
import { eventAt } from '../trace/model.js';
import { encodeUrlState } from '../url-state.js';
import { playgroundUrl } from '../embed/params.js';

/** The full playground's URL for the current view, with `hash` as its fragment. */
export function viewUrl(hash = window.location.hash): string {
  const s = usePlayground.getState();
  const selected = s.cursor >= 0 ? eventAt(s.model, s.cursor)?.seq ?? null : null;
  const search = encodeUrlState({ cpus: s.machine.cpus, deterministic: s.machine.deterministic, event: selected, filter: s.filter }, window.location.search);
  return `${playgroundUrl(`${window.location.origin}${window.location.pathname}${search}`)}${hash}`;
}
