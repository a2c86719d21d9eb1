// What the page shows when it cannot run the machine: ONCRIX shares memory
// between threads (SharedArrayBuffer + Atomics), which browsers allow only on
// a cross-origin isolated page. Say so, why, and what to do — never fail
// silently. In an embed (?embed=1) it says first that this frame cannot run
// the scenario live, with a link that opens it in a tab of its own, where
// static hosting's service worker can isolate the page.

import { playgroundUrl } from '../embed/params.js';

export function NotIsolated({ reason, embedded = false }: { reason: string; embedded?: boolean }): React.JSX.Element {
  return (
    <div className="not-isolated" data-testid="not-isolated">
      <h1>ONCRIX cannot start here</h1>
      {embedded && (
        <p data-testid="embed-not-live">
          <strong>This embedded scenario cannot run live in this frame.</strong>{' '}
          <a href={playgroundUrl(window.location.href)} target="_blank" rel="noopener" data-testid="open-in-playground">Open it in the playground ↗</a>{' '}
          (a tab of its own), where it can.
        </p>
      )}
      <p>
        The machine runs the kernel and every process in their own Web Workers that share memory through{' '}
        <code>SharedArrayBuffer</code>. Browsers only allow that on a <strong>cross-origin isolated</strong> page, and this
        page is not: {reason}
      </p>
      <h2>What to do</h2>
      <ul>
        <li>Run it locally with <code>npm start</code> (development) or <code>npm run build:playground &amp;&amp; npm run preview</code>: both servers send the two headers it needs.</li>
        <li>
          On your own server, send with the page: <code>Cross-Origin-Opener-Policy: same-origin</code> and{' '}
          <code>Cross-Origin-Embedder-Policy: require-corp</code>.
        </li>
        <li>
          On static hosting without headers, the page installs a small service worker (<code>coi-sw.js</code>) that adds them
          and reloads once. That needs HTTPS (or localhost) and a browser that allows service workers here (not a private
          window with storage blocked).
        </li>
        <li>
          Embedded in another site (an iframe): the server of the playground must send{' '}
          <code>Document-Isolation-Policy: isolate-and-require-corp</code>, which isolates the frame on its own in Chromium
          (static hosting cannot: browsers refuse a service worker to a frame of another site). Elsewhere, open the
          playground in its own tab.
        </li>
      </ul>
      <p className="dim">crossOriginIsolated = {String(globalThis.crossOriginIsolated)} · SharedArrayBuffer {typeof SharedArrayBuffer === 'function' ? 'exists' : 'is missing'}</p>
    </div>
  );
}
