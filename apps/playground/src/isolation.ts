// Cross-origin isolation: the machine needs SharedArrayBuffer, which needs
// COOP + COEP. Dev and preview servers send them; on static hosting the page
// installs its own service worker (public/coi-sw.js) that adds them, and
// reloads once. If that cannot work, the caller shows why.

const RELOADED = 'oncrix-coi-reloaded';

export type Isolation = { ok: true } | { ok: false; reloading: boolean; reason: string };

export async function ensureIsolation(): Promise<Isolation> {
  if (globalThis.crossOriginIsolated) {
    sessionStorage.removeItem(RELOADED);
    return { ok: true };
  }
  if (!window.isSecureContext) {
    return { ok: false, reloading: false, reason: 'it is not served over HTTPS or from localhost, so neither the headers nor a service worker can help.' };
  }
  if (!('serviceWorker' in navigator)) {
    return { ok: false, reloading: false, reason: 'the server does not send the COOP/COEP headers, and this browser offers no service worker to add them.' };
  }
  if (sessionStorage.getItem(RELOADED) !== null) {
    sessionStorage.removeItem(RELOADED);
    return { ok: false, reloading: false, reason: 'the server does not send the COOP/COEP headers, and the page\'s service worker did not manage to add them (it may be blocked here, or the page is embedded in a frame).' };
  }
  try {
    const reg = await navigator.serviceWorker.register(new URL('./coi-sw.js', document.baseURI), { scope: './' });
    // `ready` never settles where service workers are blocked: give up after a few seconds.
    const ready = await Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 4000))]);
    if (!ready) throw new Error('it did not become active');
    if (reg.active !== null || navigator.serviceWorker.controller !== null) {
      sessionStorage.setItem(RELOADED, '1');
      window.location.reload();
      return { ok: false, reloading: true, reason: '' };
    }
  } catch (e) {
    return { ok: false, reloading: false, reason: `the server does not send the COOP/COEP headers, and the service worker that adds them could not be installed (${(e as Error).message}).` };
  }
  return { ok: false, reloading: false, reason: 'the server does not send the COOP/COEP headers.' };
}
