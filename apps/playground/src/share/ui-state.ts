// Which share dialog is open (Share link, Embed), in a tiny store of its own so
// the toolbar's buttons can open one without loading the dialogs' code
// (share/dialogs.tsx is loaded when one first opens).

import { create } from 'zustand';

export type ShareDialog = 'share' | 'embed' | null;

export const useShareUi = create<{ dialog: ShareDialog; show(d: ShareDialog): void }>()((set) => ({
  dialog: null,
  show(dialog) {
    set({ dialog });
  },
}));
