// The playground's entry: make sure the page is cross-origin isolated (or
// explain why it cannot be), start booting the machine at once — in
// parallel with the first render, so the shell prompt comes as early as it
// can — and render the app. Boot options may come from the URL
// (?cpus=2&deterministic=1), which also makes a run easy to share.

import { createRoot } from 'react-dom/client';
import { ensureIsolation } from './isolation.js';
import { NotIsolated } from './ui/NotIsolated.js';
import './styles.css';

const root = createRoot(document.getElementById('root') ?? document.body);
const isolation = await ensureIsolation();
if (isolation.ok) {
  const params = new URLSearchParams(window.location.search);
  const cpus = Math.min(4, Math.max(1, Number.parseInt(params.get('cpus') ?? '1', 10) || 1));
  const deterministic = params.get('deterministic') === '1';
  const { controller } = await import('./machine/controller.js');
  void controller.boot({ cpus, deterministic });
  const { App } = await import('./ui/App.js');
  root.render(<App />);
} else if (isolation.reloading) {
  root.render(<div className="not-isolated"><p>Enabling cross-origin isolation (one reload)…</p></div>);
} else {
  root.render(<NotIsolated reason={isolation.reason} />);
}
