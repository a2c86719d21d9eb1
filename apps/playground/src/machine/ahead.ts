// The kernel Worker, started as the page's first module runs (main.ts
// imports this before anything else): its process Workers start, and the
// kernel and the programs are fetched (the kernel and the boot's own
// programs compiled), while the page's other modules load
// and the app first renders; the first boot (controller.ts) then takes it.
// A boot is the longest chain of a page load, and starting Workers its
// slowest step. Only where that boot comes at once: a cross-origin isolated
// page that asks for no solo machine, as in machine/start.ts.

import { startKernelWorkerAhead, type KernelWorker } from '@oncrix/hal-web/kernel-worker-start';
import manifest from '@oncrix/userland/manifest.playground.json';
import { bootAssets } from './assets.js';
import { requestedMachine } from '../mode.js';

let ahead: KernelWorker | null = null;

if (globalThis.crossOriginIsolated && requestedMachine(window.location.search) !== 'solo') {
  const assets = bootAssets('isolated');
  // The default manifest's processes, init and its programs (a scenario's boot starts what else it needs),
  // and the images they run, compiled ahead with the kernel.
  const runs = new Set(['init', ...manifest.programs.map((p: { name: string; program?: string }) => p.program ?? p.name)]);
  ahead = startKernelWorkerAhead({
    processes: 1 + manifest.programs.length,
    sources: [assets.kernel, ...assets.programs.map((p) => p.bytes)],
    compile: [assets.kernel, ...assets.programs.filter((p) => runs.has(p.name)).map((p) => p.bytes)],
  });
}

/** The kernel Worker started ahead, once (null afterwards, and where none was started). */
export function takeAheadWorker(): KernelWorker | null {
  const worker = ahead;
  ahead = null;
  return worker;
}
