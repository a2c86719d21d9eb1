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
import { controller } from './controller.js';
import { readSaved, SAVED_KEYS } from '../saved/storage.js';
import { embedOf } from '../embed/params.js';
import { requestedMachine, type MachineKind } from '../mode.js';

let booting: Promise<void> | null = null;

/** Boot the machine the page's URL asks for, isolated or solo (mode.ts) (once; later calls return the same boot). */
export function startMachine(machine: MachineKind): Promise<void> {
  booting ??= (async (): Promise<void> => {
    controller.machine = machine;
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
    // A scenario in the link (#s=…) or saved in this browser: share/load.ts opens it (and boots it).
    const { embedded } = embedOf(window.location.search);
    if (/(^#|&)s=/.test(window.location.hash) || (!embedded && readSaved(SAVED_KEYS.scenario) !== null)) {
      const { openPageScenario } = await import('../share/load.js');
      if (await openPageScenario(window.location, { embedded })) return;
    }
    return controller.boot({ cpus: initial.cpus, deterministic: initial.deterministic });
  })();
  return booting;
}

if (globalThis.crossOriginIsolated && requestedMachine(window.location.search) !== 'solo') void startMachine('isolated');
