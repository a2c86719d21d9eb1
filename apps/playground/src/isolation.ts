// Cross-origin isolation: the machine needs SharedArrayBuffer, which needs
// COOP + COEP. Dev and preview servers send them; on static hosting the page
// installs its own service worker (public/coi-sw.js) that adds them, and
// reloads once. Embedded in a frame of another site, Chromium isolates the
// page by its Document-Isolation-Policy header (which the servers and the
// service worker send), where COOP/COEP cannot. If none of that works, the
// caller shows why — also where the browser denies the frame its storage.

const RELOADED = 'oncrix-coi-reloaded';

export type Isolation = { ok: true } | { ok: false; reloading: boolean; reason: string };

/** The once-per-tab reload mark, in sessionStorage — which a browser may deny a frame of another site (SecurityError). */
const reloadMark = {
  isSet(): boolean {
    try {
      return sessionStorage.getItem(RELOADED) !== null;
    } catch {
      return false;
    }
  },
  /** Set the mark; false when storage is denied (then a reload could loop). */
  set(): boolean {
    try {
      sessionStorage.setItem(RELOADED, '1');
      return true;
    } catch {
      return false;
    }
  },
  clear(): void {
    try {
      sessionStorage.removeItem(RELOADED);
    } catch {
      // denied: nothing was kept
    }
  },
};

export async function ensureIsolation(): Promise<Isolation> {
  if (globalThis.crossOriginIsolated) {
    reloadMark.clear();
    return { ok: true };
  }
  if (!window.isSecureContext) {
    return { ok: false, reloading: false, reason: 'it is not served over HTTPS or from localhost, so neither the headers nor a service worker can help.' };
  }
  if (!('serviceWorker' in navigator)) {
    return { ok: false, reloading: false, reason: 'the server does not send the COOP/COEP headers, and this browser offers no service worker to add them.' };
  }
  if (reloadMark.isSet()) {
    reloadMark.clear();
    return { ok: false, reloading: false, reason: 'the server does not send the COOP/COEP headers, and the page\'s service worker did not manage to add them (it may be blocked here, or the page is embedded in a frame).' };
  }
  try {
    const reg = await navigator.serviceWorker.register(new URL('./coi-sw.js', document.baseURI), { scope: './' });
    // `ready` never settles where service workers are blocked: give up after a few seconds.
    const ready = await Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 4000))]);
    if (!ready) throw new Error('it did not become active');
    if (reg.active !== null || navigator.serviceWorker.controller !== null) {
      if (!reloadMark.set()) {
        return { ok: false, reloading: false, reason: 'the server does not send the COOP/COEP headers, and this browser denies the page the storage it needs to reload once under its service worker (as it may in a frame of another site).' };
      }
      window.location.reload();
      return { ok: false, reloading: true, reason: '' };
    }
  } catch (e) {
    return { ok: false, reloading: false, reason: `the server does not send the COOP/COEP headers, and the service worker that adds them could not be installed (${(e as Error).message}).` };
  }
  return { ok: false, reloading: false, reason: 'the server does not send the COOP/COEP headers.' };
}
