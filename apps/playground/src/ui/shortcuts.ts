// Keyboard shortcuts for the trace. F8 / F10 / Shift+F10 work everywhere,
// as in a debugger (even while typing in the terminal: they are taken before
// xterm sees them); the single keys work when no text field, terminal or
// editor has the focus. The list is shown on the page (Shortcuts.tsx).

import { usePlayground } from '../state/store.js';

export const SHORTCUTS: [string, string][] = [
  ['F8 · Space', 'run / pause'],
  ['F10 · →', 'step to the next event'],
  ['Shift+F10 · ←', 'step back'],
  ['Home · End', 'first / last event'],
  ['G', 'go to event #'],
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('.xterm, .monaco-editor') !== null) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/** Install the shortcuts; returns the function that removes them. */
export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent): void => {
    const s = usePlayground.getState();
    let handled = true;
    if (e.key === 'F8') s.toggleRunning();
    else if (e.key === 'F10') s.step(e.shiftKey ? -1 : 1);
    else if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) handled = false;
    else if (e.key === ' ') s.toggleRunning();
    else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') s.step(1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') s.step(-1);
    else if (e.key === 'Home') s.seekRow(0);
    else if (e.key === 'End') s.seekRow(s.rows.length - 1);
    else if (e.key === 'g' || e.key === 'G') document.getElementById('jump')?.focus();
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
  window.addEventListener('keydown', onKey, { capture: true });
  return () => window.removeEventListener('keydown', onKey, { capture: true });
}
