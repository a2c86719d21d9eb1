// What the playground's machine boots with besides its programs: the boot
// manifest, as JSON text a person edits, and the shell start-up script. The
// Boot dialog edits both; "apply" reboots with them; the export writes them
// into a bare-metal image.
//
// The idea: check everything here, with the checker both HALs use (@oncrix/boot), *before* the
// running machine is touched — a mistake gives one ManifestError message and
// the machine goes on. A manifest may set `cpus` and `deterministic`; when it
// does they win over the toolbar's choice (which then shows them).

import { parseManifest, encodeBootRom, bootDevices, type Manifest } from '@oncrix/boot';
import defaultManifestText from '@oncrix/userland/manifest.default.json?raw';
import { PROGRAM_NAMES, USER_PROGRAM } from './assets.js';

export interface BootConfig {
  /** The boot manifest as JSON text (docs/manifest.schema.json). */
  manifest: string;
  /** The shell start-up script: lines sh runs before its first prompt. */
  script: string;
}

/** The build's default manifest, as written in packages/userland/manifest.default.json, and no script. */
export const DEFAULT_CONFIG: BootConfig = { manifest: defaultManifestText, script: '' };

/** Image names of the page's machine: the build's programs, then the editor's slot. */
export const WEB_IMAGES: readonly string[] = [...PROGRAM_NAMES, USER_PROGRAM];

/** The machine's CPU count and time mode (the toolbar's controls). */
export interface MachineChoice {
  cpus: number;
  deterministic: boolean;
}

/** The choice a configuration boots with: what its manifest sets, the toolbar's choice for the rest. */
export function machineChoice(config: BootConfig, toolbar: MachineChoice): MachineChoice {
  let raw: unknown;
  try {
    raw = JSON.parse(config.manifest);
  } catch {
    return toolbar; // not JSON: the checker says so
  }
  const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    cpus: typeof fields.cpus === 'number' ? fields.cpus : toolbar.cpus,
    deterministic: typeof fields.deterministic === 'boolean' ? fields.deterministic : toolbar.deterministic,
  };
}

/** Check a configuration against these image names; throws ManifestError with one clear message. */
export function checkConfig(config: BootConfig, images: readonly string[] = WEB_IMAGES): Manifest {
  const devices = bootDevices(0);
  const manifest = parseManifest(config.manifest, images, devices);
  encodeBootRom(manifest, images, devices, config.script); // the script's own check (its size)
  return manifest;
}
