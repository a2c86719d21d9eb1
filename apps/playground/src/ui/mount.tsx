// The app's side of the page load (main.ts starts the machine first): render
// the playground, or what the page says while it becomes cross-origin
// isolated, or why it cannot be.

import { createRoot } from 'react-dom/client';
import type { Isolation } from '../isolation.js';
import { NotIsolated } from './NotIsolated.js';
import { App } from './App.js';

export function mount(isolation: Isolation): void {
  const root = createRoot(document.getElementById('root') ?? document.body);
  if (isolation.ok) root.render(<App />);
  else if (isolation.reloading) root.render(<div className="not-isolated"><p>Enabling cross-origin isolation (one reload)…</p></div>);
  else root.render(<NotIsolated reason={isolation.reason} />);
}
