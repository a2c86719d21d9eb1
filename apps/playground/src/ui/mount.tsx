// The app's side of the page load (main.ts starts the machine first): render
// the playground — or, with ?embed=1, the minimal embed view (loaded only
// then) — or what the page says while it becomes cross-origin isolated, or
// why it cannot run the machine.

import { createRoot } from 'react-dom/client';
import type { RunMode } from '../mode.js';
import { embedOf } from '../embed/params.js';
import { NotIsolated } from './NotIsolated.js';
import { App } from './App.js';

export async function mount(mode: RunMode): Promise<void> {
  const root = createRoot(document.getElementById('root') ?? document.body);
  const embed = embedOf(window.location.search);
  if (mode.kind === 'unavailable') {
    if (mode.reloading) root.render(<div className="not-isolated"><p>Enabling cross-origin isolation (one reload)…</p></div>);
    else root.render(<NotIsolated reason={mode.reason} embedded={embed.embedded} />);
  } else if (embed.embedded) {
    const { EmbedApp } = await import('../embed/EmbedApp.js');
    root.render(<EmbedApp panels={embed.panels} />);
  } else {
    root.render(<App />);
  }
}
