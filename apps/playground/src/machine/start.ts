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
//
// A scenario in the link (#s=…) or saved in this browser decides the boot
// instead of the URL's CPUs and time mode: only then is the scenario code
// (share/load.ts: decoding, checking) loaded, so a plain first load does not
// wait for it.

import { decodeUrlState, installUrlSync } from '../url-state.js';
import { usePlayground } from '../state/store.js';
import { controller, type BootChoice } from './controller.js';
import { readSaved, SAVED_KEYS } from '../saved/storage.js';
import { embedOf } from '../embed/params.js';

let booting: Promise<void> | null = null;

/** Boot the machine the page's URL asks for (once; later calls return the same boot). */
export function startMachine(): Promise<void> {
  booting ??= (async () => {
    const initial = decodeUrlState(window.location.search);
    usePlayground.getState().setFilter(initial.filter);
    installUrlSync(usePlayground, initial);
    const { embedded } = embedOf(window.location.search);
    let choice: BootChoice | null = null;
    if (/(^#|&)s=/.test(window.location.hash) || (!embedded && readSaved(SAVED_KEYS.scenario) !== null)) {
      const { pageScenarioChoice } = await import('../share/load.js');
      choice = await pageScenarioChoice(window.location, { embedded, cpus: initial.cpus });
      const { useScenario } = await import('../share/current.js');
      const scenario = useScenario.getState().scenario;
      if (choice !== null && scenario !== null) {
        const { applyScenarioView } = await import('../share/view.js');
        applyScenarioView(scenario, window.location.search, usePlayground.getState().machine.generation + 1);
      }
    }
    return controller.boot(choice ?? { cpus: initial.cpus, deterministic: initial.deterministic });
  })();
  return booting;
}

if (globalThis.crossOriginIsolated) void startMachine();
