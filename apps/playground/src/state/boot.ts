// The Boot dialog's state, in a small zustand store of its own: whether it
// is open, the manifest and script being edited (kept while it is closed, so
// nothing typed is lost), the last checker message, the architecture to
// export for, and how the export went.
//
// The drafts start as the machine's configuration; "apply" makes them the
// machine's (controller.ts), "export" writes them into an image.

import { create } from 'zustand';
import { DEFAULT_CONFIG, type BootConfig } from '../machine/bootConfig.js';
import { DEFAULT_ARCH, type Arch } from '../machine/exportImage.js';

export type ExportState =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'done'; bytes: number; name: string }
  | { kind: 'missing'; message: string }
  | { kind: 'error'; message: string };

export interface BootPanelState {
  open: boolean;
  draft: BootConfig;
  /** The checker's message for the drafts ("" when none). */
  error: string;
  /** The architecture "Export bootable image" writes an image for. */
  arch: Arch;
  exported: ExportState;
  show(open: boolean): void;
  setArch(arch: Arch): void;
  edit(patch: Partial<BootConfig>): void;
  setError(message: string): void;
  setExported(state: ExportState): void;
}

export const useBootPanel = create<BootPanelState>()((set, get) => ({
  open: false,
  draft: DEFAULT_CONFIG,
  error: '',
  arch: DEFAULT_ARCH,
  exported: { kind: 'idle' },
  show(open) {
    set({ open });
  },
  setArch(arch) {
    set({ arch, exported: { kind: 'idle' } });
  },
  edit(patch) {
    set({ draft: { ...get().draft, ...patch }, error: '' });
  },
  setError(message) {
    set({ error: message });
  },
  setExported(exported) {
    set({ exported });
  },
}));
