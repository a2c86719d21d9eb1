// The playground's entry: start the kernel Worker ahead (machine/ahead.ts),
// make sure the page is cross-origin isolated (or explain why it cannot
// be), decide how the machine runs (mode.ts), boot it and render the app. The
// machine's boot is the longest chain of a page load, so what starts it
// (machine/start.ts: the controller, the store, the web HAL's host side) is
// evaluated first, and the boot runs while the app's far larger modules
// (React, the terminal, the views: ui/mount.tsx) are evaluated and first
// rendered. The URL carries the page's state (url-state.ts: CPUs,
// time mode, the selected event, the filter; a scenario in its fragment),
// so a reload or a copied link boots the same machine and shows the same view.

// First of all, the kernel Worker and its process Workers start (when the page will boot at once).
import './machine/ahead.js';
import { ensureIsolation } from './isolation.js';
import { decideMode, requestedMachine } from './mode.js';
import './styles.css';

// Both chunks are asked for at once, so the app's is on its way while the
// machine's is evaluated (the app imports the controller too, so it is
// evaluated after it): a static import of start.js would hold the app's
// request back until that evaluation was over.
const machine = import('./machine/start.js');
const ui = import('./ui/mount.js');
// A forced solo machine needs no isolation: do not wait for (or reload under) the service worker.
const search = window.location.search;
const isolation = requestedMachine(search) === 'solo' ? { ok: false as const, reloading: false, reason: '' } : await ensureIsolation();
// A page that can run no machine can still play a recorded scenario (its code loads only then).
const recorded = !isolation.ok && !isolation.reloading && requestedMachine(search) === 'isolated'
  && (await (await import('./recorded-page.js')).opensRecorded(window.location));
const mode = decideMode(isolation, search, recorded);
if (mode.kind === 'live') void (await machine).startMachine(mode.machine);
else if (mode.kind === 'recorded') void (await machine).startMachine('isolated'); // "run live" then says why it cannot
await (await ui).mount(mode);
