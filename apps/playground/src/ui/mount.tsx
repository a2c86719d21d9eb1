// The app's side of the page load (main.ts starts the machine first): render
// the playground — or, with ?embed=1, the minimal embed view (loaded only
// then) — or what the page says while it becomes cross-origin isolated, or
// why it cannot run the machine. A new scenario link pasted into the
// address bar of an open page changes only the fragment, which loads
// nothing: the page reloads to open it.

import { createRoot } from 'react-dom/client';
import type { RunMode } from '../mode.js';
import { embedOf } from '../embed/params.js';
import { NotIsolated } from './NotIsolated.js';
import { App } from './App.js';

export async function mount(mode: RunMode): Promise<void> {
  const root = createRoot(document.getElementById('root') ?? document.body);
  const embed = embedOf(window.location.search);
  const scenarioOf = (hash: string): string | null => new URLSearchParams(hash.replace(/^#/, '')).get('s');
  let shown = scenarioOf(window.location.hash);
  window.addEventListener('hashchange', () => {
    const now = scenarioOf(window.location.hash);
    if (now !== shown) window.location.reload();
    shown = now;
  });
  if (mode.kind === 'unavailable') {
    if (mode.reloading) root.render(<div className="not-isolated"><p>Enabling cross-origin isolation (one reload)…</p></div>);
    else root.render(<NotIsolated reason={mode.reason} embedded={embed.embedded} />);
  } else if (embed.embedded) {
    const { EmbedApp } = await import('../embed/EmbedApp.js');
    root.render(<EmbedApp panels={embed.panelsNamed ? embed.panels : null} />);
  } else {
    root.render(<App />);
  }
}
