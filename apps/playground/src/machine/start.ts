// Importing this module starts the machine, when the page can run one.
//
// The machine's boot is the longest chain of a page load — the kernel
// Worker, then the process Workers and the kernel's and programs' files,
// then init and the services — and little of it needs the page: so it
// starts as the page's first module is evaluated, before the app's modules
// (React, the terminal, the views) are, and runs while they are evaluated
// and first rendered. The page must be cross-origin isolated for that
// (SharedArrayBuffer); when it is not yet, main.ts sorts that out first and
// calls startMachine() itself.

import { decodeUrlState, installUrlSync } from '../url-state.js';
import { usePlayground } from '../state/store.js';
import { controller } from './controller.js';

let booting: Promise<void> | null = null;

/** Boot the machine the page's URL asks for (once; later calls return the same boot). */
export function startMachine(): Promise<void> {
  booting ??= (() => {
    const initial = decodeUrlState(window.location.search);
    usePlayground.getState().setFilter(initial.filter);
    installUrlSync(usePlayground, initial);
    // ?scenario=ID opens a library scenario (its code loads only then); one that cannot be opened says why,
    // and the default playground boots.
    const scenario = new URLSearchParams(window.location.search).get('scenario');
    if (scenario !== null) {
      return import('../scenario/open.js').then(async (m) => {
        if (!(await m.openLibraryScenario(scenario))) await controller.boot({ cpus: initial.cpus, deterministic: initial.deterministic });
      });
    }
    return controller.boot({ cpus: initial.cpus, deterministic: initial.deterministic });
  })();
  return booting;
}

if (globalThis.crossOriginIsolated) void startMachine();
