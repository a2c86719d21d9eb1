// The scenario open in the page, if any, and the last message about one that
// could not be opened — a small zustand store the toolbar's Share, Embed and
// Export read, the embed view shows, and share/load.ts sets. The open
// scenario is also saved in localStorage (guarded: saved/storage.ts), so a
// reload of the plain playground opens it again; the JSON kept is the text
// it came as, so an export gives back the file that was imported.

import { create } from 'zustand';
import type { Scenario } from './scenario.js';
import { SAVED_KEYS, writeSaved } from '../saved/storage.js';

/** Where the open scenario came from. */
export type ScenarioOrigin = 'link' | 'file' | 'saved';

export interface CurrentScenario {
  scenario: Scenario | null;
  /** The scenario's JSON as it came (a link's, a file's). */
  text: string | null;
  origin: ScenarioOrigin | null;
  /** Why the last scenario offered (link, file, saved) was not opened; "" when none. */
  message: string;
  open(scenario: Scenario, text: string, origin: ScenarioOrigin, save: boolean): void;
  close(): void;
  refuse(message: string): void;
  dismiss(): void;
}

export const useSharedScenario = create<CurrentScenario>()((set) => ({
  scenario: null,
  text: null,
  origin: null,
  message: '',
  open(scenario, text, origin, save) {
    if (save) writeSaved(SAVED_KEYS.scenario, text);
    set({ scenario, text, origin, message: '' });
  },
  close() {
    writeSaved(SAVED_KEYS.scenario, null);
    set({ scenario: null, text: null, origin: null });
  },
  refuse(message) {
    set({ message });
  },
  dismiss() {
    set({ message: '' });
  },
}));
