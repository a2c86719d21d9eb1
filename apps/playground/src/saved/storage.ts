// The page's saved work in localStorage — the editor's program and the open
// scenario — behind two functions that never throw. A browser may deny a
// frame of another site its storage (third-party storage blocked: merely
// reading `localStorage` throws a SecurityError), and a full store refuses a
// write (QuotaExceededError); either way the page goes on without saving,
// never blank. The keys are ONCRIX's own ("oncrix.…").

export const SAVED_KEYS = {
  /** The editor's program source (editor/EditorPanel.tsx). */
  program: 'oncrix.editor.program',
  /** The open scenario's JSON (share/current.ts). */
  scenario: 'oncrix.scenario',
} as const;

export type SavedKey = (typeof SAVED_KEYS)[keyof typeof SAVED_KEYS];

/** The saved value, or null when there is none or storage is denied here. */
export function readSaved(key: SavedKey): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Save a value (null removes it); false when storage is denied or full — the work is then kept only in the page. */
export function writeSaved(key: SavedKey, value: string | null): boolean {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}
