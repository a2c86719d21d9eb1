// How this page runs the machine: the one place that decides it, from what
// the browser granted (isolation.ts) and what the page was asked for.
//
// Today there is one way to run: live, on Workers that share memory, which
// needs a cross-origin isolated page (COOP/COEP on its own tab, the service
// worker on static hosting, Document-Isolation-Policy in a frame of another
// site). Where none of that worked the page cannot run the machine and says
// why (ui/NotIsolated.tsx; in an embed, with a link that opens the
// playground in its own tab, where static hosting's service worker can
// isolate it). Further modes — a recorded trace played back without a
// machine, a machine that needs no SharedArrayBuffer — are further results
// of this function, so every caller (main.ts, the embed view, the status
// line) learns of them here.

import type { Isolation } from './isolation.js';

export type RunMode =
  | { kind: 'live' }
  /** A recorded scenario played without a machine, on a page that cannot run one ("run live" then says why not). */
  | { kind: 'recorded' }
  | { kind: 'unavailable'; reloading: boolean; reason: string };

/** `recorded`: the page opens a scenario that carries a recording (recorded-page.ts). */
export function decideMode(isolation: Isolation, recorded = false): RunMode {
  if (isolation.ok) return { kind: 'live' };
  if (recorded && !isolation.reloading) return { kind: 'recorded' };
  return { kind: 'unavailable', reloading: isolation.reloading, reason: isolation.reason };
}
