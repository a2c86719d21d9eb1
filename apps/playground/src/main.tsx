// The playground's entry: make sure the page is cross-origin isolated (or
// explain why it cannot be), start booting the machine at once — in
// parallel with the first render, so the shell prompt comes as early as it
// can — and render the app. The URL carries the page's state (url-state.ts:
// CPUs, time mode, the selected event, the filter), so a reload or a copied
// link boots the same machine and shows the same view.

import { createRoot } from 'react-dom/client';
import { ensureIsolation } from './isolation.js';
import { NotIsolated } from './ui/NotIsolated.js';
import './styles.css';

const root = createRoot(document.getElementById('root') ?? document.body);
const isolation = await ensureIsolation();
if (isolation.ok) {
  const { decodeUrlState, installUrlSync } = await import('./url-state.js');
  const initial = decodeUrlState(window.location.search);
  const { controller } = await import('./machine/controller.js');
  const { usePlayground } = await import('./state/store.js');
  usePlayground.getState().setFilter(initial.filter);
  installUrlSync(usePlayground, initial);
  void controller.boot({ cpus: initial.cpus, deterministic: initial.deterministic });
  const { App } = await import('./ui/App.js');
  root.render(<App />);
} else if (isolation.reloading) {
  root.render(<div className="not-isolated"><p>Enabling cross-origin isolation (one reload)…</p></div>);
} else {
  root.render(<NotIsolated reason={isolation.reason} />);
}
