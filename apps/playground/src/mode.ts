// How this page runs the machine: the one place that decides it, from what
// the browser granted (isolation.ts) and what the page was asked for.
//
// Two machines run live. The *isolated* one (processes on Workers that share
// memory) is the fastest, and needs a cross-origin isolated page (COOP/COEP
// on its own tab, the service worker on static hosting,
// Document-Isolation-Policy in a frame of another site). The *solo* one
// (the web HAL's solo mode: every process a fiber in the kernel Worker,
// channels relayed by messages) needs no SharedArrayBuffer, so it runs where
// isolation failed — a course site's frame in a browser without
// Document-Isolation-Policy. `?mode=solo` or `?mode=isolated` forces one;
// only a forced isolated machine in a page that cannot be isolated leaves the
// page unable to run (ui/NotIsolated.tsx says why) — except for a recorded
// scenario, which plays without a machine. Every caller (main.ts,
// machine/start.ts, the embed view, the status bar) learns the mode here.

import type { Isolation } from './isolation.js';

export type MachineKind = 'isolated' | 'solo';

export type RunMode =
  | { kind: 'live'; machine: MachineKind }
  /** A recorded scenario played without a machine, on a page that cannot run one ("run live" then says why not). */
  | { kind: 'recorded' }
  | { kind: 'unavailable'; reloading: boolean; reason: string };

/** The machine the URL forces (?mode=solo | isolated), or null to pick the fastest. */
export function requestedMachine(search: string): MachineKind | null {
  const asked = new URLSearchParams(search).get('mode');
  return asked === 'solo' || asked === 'isolated' ? asked : null;
}

/** `recorded`: the page opens a scenario that carries a recording (recorded-page.ts), which plays even where no machine can run. */
export function decideMode(isolation: Isolation, search: string, recorded = false): RunMode {
  const asked = requestedMachine(search);
  if (asked === 'solo') return { kind: 'live', machine: 'solo' };
  if (isolation.ok) return { kind: 'live', machine: 'isolated' };
  if (!isolation.reloading && asked === 'isolated' && recorded) return { kind: 'recorded' };
  if (isolation.reloading || asked === 'isolated') return { kind: 'unavailable', reloading: isolation.reloading, reason: isolation.reason };
  return { kind: 'live', machine: 'solo' };
}
