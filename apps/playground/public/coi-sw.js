// A service worker that makes the playground cross-origin isolated on plain
// static hosting: it re-serves every response of this origin with the COOP
// and COEP headers the page needs for SharedArrayBuffer (and CORP, so the
// page's own assets pass COEP), and Document-Isolation-Policy, which isolates
// the page in Chromium even inside a frame of another site. The page
// registers it only when it is not already isolated, then reloads once
// (src/isolation.ts).
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.status === 0) return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Document-Isolation-Policy', 'isolate-and-require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
