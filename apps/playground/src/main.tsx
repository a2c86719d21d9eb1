// The playground's entry: make sure the page is cross-origin isolated (or
// explain why it cannot be), boot the machine and render the app. Its first
// import starts the machine already when the page is isolated
// (machine/start.ts), so the boot runs while the rest of the page's modules
// are evaluated and first rendered; every module is a static import, so the
// browser fetches them all at once. The URL carries the page's state
// (url-state.ts: CPUs, time mode, the selected event, the filter), so a
// reload or a copied link boots the same machine and shows the same view.

import { startMachine } from './machine/start.js';
import { createRoot } from 'react-dom/client';
import { ensureIsolation } from './isolation.js';
import { NotIsolated } from './ui/NotIsolated.js';
import { App } from './ui/App.js';
import './styles.css';

const root = createRoot(document.getElementById('root') ?? document.body);
const isolation = await ensureIsolation();
if (isolation.ok) {
  void startMachine();
  root.render(<App />);
} else if (isolation.reloading) {
  root.render(<div className="not-isolated"><p>Enabling cross-origin isolation (one reload)…</p></div>);
} else {
  root.render(<NotIsolated reason={isolation.reason} />);
}
