// What the playground's machine boots with besides its programs: the boot
// manifest, as JSON text a person edits, and the shell start-up script. The
// Boot dialog edits both; "apply" reboots with them; the export writes them
// into a bare-metal image.
//
// The idea: check everything here, with the checker both HALs use (@oncrix/boot), *before* the
// running machine is touched — a mistake gives one ManifestError message and
// the machine goes on. A manifest may set `cpus` and `deterministic`; when it
// does they win over the toolbar's choice (which then shows them). The
// break-it panel reads which programs are drivers or services here, and may
// reboot with a heartbeat added to each (withHeartbeats).
//
// The page's machine has two devices more than the others (the files
// device, through which the file browser asks the `files` driver, and the
// loader, through which sh runs .wasm files): its default manifest is
// packages/userland/manifest.playground.json, and an exported image gets
// the manifest without them (`forBareMetal`), since bare metal has neither.

import { parseManifest, encodeBootRom, bootDevices, type Manifest, type ProgramEntry } from '@oncrix/boot';
import defaultManifestText from '@oncrix/userland/manifest.playground.json?raw';
import { PROGRAM_NAMES, USER_PROGRAM, webImages } from './assets.js';

export interface BootConfig {
  /** The boot manifest as JSON text (docs/manifest.schema.json). */
  manifest: string;
  /** The shell start-up script: lines sh runs before its first prompt. */
  script: string;
}

/** The page's default manifest, as written in packages/userland/manifest.playground.json, and no script. */
export const DEFAULT_CONFIG: BootConfig = { manifest: defaultManifestText, script: '' };

/** Image names of the page's own machine: the build's programs, then the editor's slot (a scenario may add its own: assets.webImages). */
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

/** Check a configuration against these image names (default: the machine's as it boots now); throws ManifestError with one clear message. */
export function checkConfig(config: BootConfig, images: readonly string[] = webImages()): Manifest {
  const devices = bootDevices(0, { page: true });
  const manifest = parseManifest(config.manifest, images, devices);
  encodeBootRom(manifest, images, devices, config.script); // the script's own check (its size)
  return manifest;
}

/**
 * Does this program drive a device or serve a service (what the break-it
 * panel offers to break)? The session program (granted spawn: the shell) is
 * not one, even where it holds a device (the page's loader).
 */
export function isDriverOrService(p: ProgramEntry): boolean {
  const caps = p.caps ?? [];
  return !caps.some((c) => 'spawn' in c) && caps.some((c) => 'device' in c || 'serve' in c);
}

/**
 * The programs whose loop answers the supervisor's heartbeat (liboncrix's
 * answerHeartbeats): only these may be given one — a program that never
 * answers would be taken for hung and restarted at every deadline.
 */
const ANSWERS_HEARTBEATS: ReadonlySet<string> = new Set(['uart']);

/** Could a heartbeat be added to this program (restarted, answers heartbeats, has none yet)? */
export function wantsHeartbeat(p: ProgramEntry & { supervise?: { policy?: string; heartbeat?: unknown } }): boolean {
  return ANSWERS_HEARTBEATS.has(p.name) && p.supervise?.policy === 'restart' && p.supervise.heartbeat === undefined;
}

/** The heartbeat "reboot with heartbeats" gives a restarted driver or service that has none. */
export const ADDED_HEARTBEAT = { everyMs: 1000, deadlineMs: 500 } as const;

/**
 * The configuration with ADDED_HEARTBEAT on every driver or service that
 * init restarts, that answers heartbeats and that has none yet — so that a hang is found and
 * restarted like a crash — or null when there is none to add. The rest of
 * the manifest's text is kept as written (fields, order); only its layout
 * may change. The caller checks the result (checkConfig) before booting it.
 */
export function withHeartbeats(config: BootConfig): BootConfig | null {
  const raw = JSON.parse(config.manifest) as { programs?: (ProgramEntry & { supervise?: Record<string, unknown> })[] };
  let added = 0;
  for (const p of raw.programs ?? []) {
    if (!isDriverOrService(p) || !wantsHeartbeat(p)) continue;
    p.supervise = { ...p.supervise, heartbeat: { ...ADDED_HEARTBEAT } };
    added++;
  }
  return added === 0 ? null : { ...config, manifest: `${JSON.stringify(raw, null, 2)}\n` };
}

/** Devices only the page's machine has. */
const PAGE_DEVICES: ReadonlySet<string> = new Set(['files', 'loader']);

/**
 * The manifest for a machine without the page's devices (an exported image):
 * programs that drive one of them (the files driver) are left out, and
 * capabilities naming one (sh's loader) are dropped. Text that is not a
 * manifest is returned as it is, for the checker to explain.
 */
export function forBareMetal(manifestText: string): string {
  let m: unknown;
  try {
    m = JSON.parse(manifestText);
  } catch {
    return manifestText;
  }
  if (typeof m !== 'object' || m === null || !Array.isArray((m as { programs?: unknown }).programs)) return manifestText;
  const pageCap = (c: unknown): boolean => {
    const cap = c as { device?: unknown; irq?: unknown };
    return (typeof cap.device === 'string' && PAGE_DEVICES.has(cap.device)) || (typeof cap.irq === 'string' && PAGE_DEVICES.has(cap.irq));
  };
  type Program = { caps?: unknown[] };
  const programs = ((m as { programs: Program[] }).programs)
    .filter((p) => !(p.caps ?? []).some((c) => pageCap(c) && (c as { device?: string }).device === 'files'))
    .map((p) => (p.caps === undefined ? p : { ...p, caps: p.caps.filter((c) => !pageCap(c)) }));
  return JSON.stringify({ ...m, programs }, null, 2);
}
