// The boot manifest: which programs start, with which priority, memory quota,
// arguments and — exactly — which capabilities. It is JSON for people
// (schema: docs/manifest.schema.json) and a small binary "boot ROM" for init,
// which reads it word by word through a device handle and grants nothing
// that is not listed. The ROM may end with the shell start-up script (lines
// the shell runs before its first prompt); init hands it, read-only, to the
// programs whose entry says {"script": true}. Each entry also says what init,
// the supervisor, does when the program ends: hold it, or restart it (with
// backoff, a limit per window and optionally a heartbeat), and whether the
// machine can go on without it (critical).
//
// Everything a person can get wrong is caught here, before boot, with one
// message naming the program and the problem: the structure by the JSON
// schema itself (manifest-schema.ts), the rest by hand (manifest-rules.ts).

import { RIGHTS } from '@oncrix/abi';
import { checkStructure, MANIFEST_SCHEMA } from './manifest-schema.js';
import { checkRules } from './manifest-rules.js';

/** One capability grant, as written in the manifest. */
export type CapGrant =
  | { device: string } // the device's register window
  | { irq: string } // the device's interrupt line
  | { serve: string } // the server end of a named service channel
  | { connect: string } // a client end of a named service channel
  | { spawn: true } // a handle to itself that may start, list and kill its children
  | { inspect: 'system' } // may list every process (ps)
  | { images: true } // the program table (name -> image), read-only
  | { script: true } // the shell start-up script, read-only (nothing when the ROM has none)
  | { stdio: string } // fds 0, 1 and 2: the named stream service (the console)
  | { preopen: string } // a preopened directory fd (3, 4, … in the order listed) for an absolute path
  | { keep: number }; // a memory object of this many pages, kept by init across the program's restarts

/** A filesystem service mounted at an absolute path (init mounts it before starting anyone). */
export interface MountEntry {
  path: string;
  service: string;
}

/** What init does when a program ends (docs/userland.md, "Supervision"); every field filled in by the checker. */
export interface SupervisePolicy {
  policy: 'restart' | 'hold';
  /** When init gives up on it (at once under hold, past the limit under restart), the system panics. */
  critical: boolean;
  /** Delay before the second restart within a window (the first is at once); doubles up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Most restarts within windowMs. */
  limit: number;
  windowMs: number;
  /** Ping every everyMs; no answer within deadlineMs means hung (killed, then the policy applies). */
  heartbeat?: { everyMs: number; deadlineMs: number };
}

export interface ProgramEntry {
  /** Process name shown by ps and in the trace (at most 16 bytes). */
  name: string;
  /** Program image to run (a name from the image table). */
  program: string;
  args?: string[];
  priority?: number;
  quotaPages?: number;
  caps?: CapGrant[];
  /** What init does when it ends (default: hold, not critical). */
  supervise?: Partial<SupervisePolicy>;
}

export interface DeviceEntry {
  name: string;
  /** Registers in its window. */
  registers: number;
  /** Interrupt line, if it has one. */
  irq?: number;
}

export interface Manifest {
  /** Virtual CPUs. */
  cpus?: number;
  deterministic?: boolean;
  /** System memory budget in 64 KiB pages. */
  budgetPages?: number;
  /** Filesystem services and where they appear in the namespace (docs/vfs.md). */
  mounts?: MountEntry[];
  programs: ProgramEntry[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** Capability kinds in the boot ROM (init's side of the contract: userland/programs/init.ts). */
export const CapKind = { DEVICE: 1, IRQ: 2, SERVE: 3, CONNECT: 4, SPAWN: 5, INSPECT: 6, IMAGES: 7, SCRIPT: 8, STDIO: 9, PREOPEN: 10, KEEP: 11 } as const;

/** Rights given with `spawn: true` on the process's own handle. */
export const SPAWN_RIGHTS = RIGHTS.SPAWN | RIGHTS.INSPECT | RIGHTS.MANAGE | RIGHTS.WAIT | RIGHTS.DUPLICATE | RIGHTS.TRANSFER;

export const ROM_MAGIC = 0x58434e4f; // "ONCX"
export const ROM_VERSION = 3;
/** The policy word of a program in the ROM: hold 0, restart 1, plus CRITICAL. */
export const Policy = { HOLD: 0, RESTART: 1, CRITICAL: 0x100 } as const;
/** The longest shell start-up script, in UTF-8 bytes. */
export const SCRIPT_MAX_BYTES = 65536;

/** The devices both HALs offer, in boot order (docs/userland.md); the rom has 1 + its word count registers. */
export function bootDevices(romWords: number, opts: { host?: boolean; page?: boolean } = {}): DeviceEntry[] {
  const devices: DeviceEntry[] = [
    { name: 'uart', registers: 8, irq: 4 },
    { name: 'rom', registers: romWords + 1 },
    { name: 'entropy', registers: 1 },
  ];
  // `oncrix run` only: the web HAL's host device (packages/hal-web/src/devices/host.ts), last.
  if (opts.host === true) devices.push({ name: 'host', registers: 1 });
  // The playground only: the files device (the page's file browser) and the loader (run a .wasm file), last.
  if (opts.page === true) devices.push({ name: 'files', registers: 1, irq: 5 }, { name: 'loader', registers: 1 });
  return devices;
}

/** Defaults, as the schema states them (the schema check fills them in; these name them for the ROM encoder). */
const PROGRAM_FIELDS = MANIFEST_SCHEMA.properties.programs.items.properties;
const DEFAULT_PRIORITY = PROGRAM_FIELDS.priority.default;
const DEFAULT_QUOTA = PROGRAM_FIELDS.quotaPages.default;
const SUPERVISE_FIELDS = PROGRAM_FIELDS.supervise.properties;

/** A program's policy with every default filled in (the schema's). */
export function supervisePolicy(s: Partial<SupervisePolicy> | undefined): SupervisePolicy {
  const p: SupervisePolicy = {
    policy: s?.policy ?? (SUPERVISE_FIELDS.policy.default as 'hold'),
    critical: s?.critical ?? SUPERVISE_FIELDS.critical.default,
    backoffMs: s?.backoffMs ?? SUPERVISE_FIELDS.backoffMs.default,
    maxBackoffMs: s?.maxBackoffMs ?? SUPERVISE_FIELDS.maxBackoffMs.default,
    limit: s?.limit ?? SUPERVISE_FIELDS.limit.default,
    windowMs: s?.windowMs ?? SUPERVISE_FIELDS.windowMs.default,
  };
  if (s?.heartbeat !== undefined) p.heartbeat = { everyMs: s.heartbeat.everyMs, deadlineMs: s.heartbeat.deadlineMs };
  return p;
}

function fail(msg: string): never {
  throw new ManifestError(`manifest: ${msg}`);
}

/**
 * Parse and check a manifest (JSON text or value) against the images and
 * devices this machine has: first its structure, by the JSON schema itself
 * (manifest-schema.ts), then what the schema cannot say (manifest-rules.ts).
 * Throws one ManifestError naming the entry and the problem.
 */
export function parseManifest(input: string | unknown, images: readonly string[], devices: readonly DeviceEntry[]): Manifest {
  let raw: unknown;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      fail(`not valid JSON: ${(e as Error).message}`);
    }
  } else {
    raw = structuredClone(input); // the schema check fills in defaults: not in the caller's value
  }
  const structural = checkStructure(raw);
  if (structural !== null) fail(structural);
  const checked = raw as Manifest;
  const programs: ProgramEntry[] = checked.programs.map((p) => ({
    name: p.name, program: p.program ?? p.name, args: p.args ?? [], priority: p.priority ?? DEFAULT_PRIORITY,
    quotaPages: p.quotaPages ?? DEFAULT_QUOTA, caps: p.caps ?? [], supervise: supervisePolicy(p.supervise),
  }));
  const mounts = checked.mounts ?? [];
  const semantic = checkRules(programs, images, devices, mounts);
  if (semantic !== null) fail(semantic);
  const m: Manifest = { cpus: checked.cpus ?? 1, deterministic: checked.deterministic === true, budgetPages: checked.budgetPages ?? 4096, programs };
  if (mounts.length > 0) m.mounts = mounts.map((x) => ({ path: x.path, service: x.service }));
  return m;
}

/** Little-endian u32 writer with 4-byte-aligned strings. */
class RomWriter {
  private words: number[] = [];
  u32(v: number): void {
    this.words.push(v >>> 0);
  }
  /** Length in bytes, then the bytes padded to a word. */
  bytes(b: Uint8Array): void {
    this.u32(b.length);
    for (let i = 0; i < b.length; i += 4) this.u32((b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24));
  }
  text(s: string): void {
    this.bytes(new TextEncoder().encode(s));
  }
  finish(): Uint32Array {
    return Uint32Array.from(this.words);
  }
}

/** Check a shell start-up script: throws ManifestError when it is too long. Returns its UTF-8 bytes. */
export function checkScript(script: string): Uint8Array {
  const bytes = new TextEncoder().encode(script);
  if (bytes.length > SCRIPT_MAX_BYTES) throw new ManifestError(`script: ${bytes.length} bytes, longer than ${SCRIPT_MAX_BYTES}`);
  return bytes;
}

/**
 * Encode a checked manifest as the boot ROM init reads:
 *   magic, version, numServices, then each service name, numPaths, then each
 *   path, numMounts, then each mount (path index, service index), numImages,
 *   then each image (id, name), numPrograms, then each program: image,
 *   priority, quota, name, args (NUL-separated), numCaps, then (kind, arg)
 *   per capability, then its supervision: policy word (Policy), backoffMs,
 *   maxBackoffMs, limit, windowMs, heartbeat everyMs and deadlineMs (0, 0:
 *   none); then, only when `script` is not empty, the start-up script (a
 *   string).
 * Device arguments are indexes in `devices`; service arguments are indexes
 * in the order services are first named; path arguments (preopen) indexes
 * in the path table, in the order paths are first named.
 */
export function encodeBootRom(m: Manifest, images: readonly string[], devices: readonly DeviceEntry[], script?: string): Uint32Array {
  const scriptBytes = checkScript(script ?? '');
  const services: string[] = [];
  const serviceIndex = (name: string): number => {
    let i = services.indexOf(name);
    if (i < 0) i = services.push(name) - 1;
    return i;
  };
  const paths: string[] = [];
  const pathIndex = (path: string): number => {
    let i = paths.indexOf(path);
    if (i < 0) i = paths.push(path) - 1;
    return i;
  };
  const mounts = (m.mounts ?? []).map((x) => [pathIndex(x.path), serviceIndex(x.service)] as const);
  const deviceIndex = (name: string): number => devices.findIndex((d) => d.name === name);
  const programs = m.programs.map((p) => ({
    p,
    caps: (p.caps ?? []).map((c): [number, number] => {
      if ('device' in c) return [CapKind.DEVICE, deviceIndex(c.device)];
      if ('irq' in c) return [CapKind.IRQ, deviceIndex(c.irq)];
      if ('serve' in c) return [CapKind.SERVE, serviceIndex(c.serve)];
      if ('connect' in c) return [CapKind.CONNECT, serviceIndex(c.connect)];
      if ('spawn' in c) return [CapKind.SPAWN, SPAWN_RIGHTS];
      if ('inspect' in c) return [CapKind.INSPECT, 0];
      if ('script' in c) return [CapKind.SCRIPT, 0];
      if ('stdio' in c) return [CapKind.STDIO, serviceIndex(c.stdio)];
      if ('preopen' in c) return [CapKind.PREOPEN, pathIndex(c.preopen)];
      if ('keep' in c) return [CapKind.KEEP, c.keep];
      return [CapKind.IMAGES, 0];
    }),
  }));
  const w = new RomWriter();
  w.u32(ROM_MAGIC);
  w.u32(ROM_VERSION);
  w.u32(services.length);
  for (const name of services) w.text(name);
  w.u32(paths.length);
  for (const path of paths) w.text(path);
  w.u32(mounts.length);
  for (const [path, service] of mounts) {
    w.u32(path);
    w.u32(service);
  }
  w.u32(images.length);
  images.forEach((name, id) => {
    w.u32(id);
    w.text(name);
  });
  w.u32(programs.length);
  for (const { p, caps } of programs) {
    w.u32(images.indexOf(p.program));
    w.u32(p.priority ?? DEFAULT_PRIORITY);
    w.u32(p.quotaPages ?? DEFAULT_QUOTA);
    w.text(p.name);
    w.text((p.args ?? []).join('\0'));
    w.u32(caps.length);
    for (const [kind, arg] of caps) {
      w.u32(kind);
      w.u32(arg);
    }
    const s = supervisePolicy(p.supervise);
    w.u32((s.policy === 'restart' ? Policy.RESTART : Policy.HOLD) | (s.critical ? Policy.CRITICAL : 0));
    for (const v of [s.backoffMs, s.maxBackoffMs, s.limit, s.windowMs, s.heartbeat?.everyMs ?? 0, s.heartbeat?.deadlineMs ?? 0]) w.u32(v);
  }
  if (scriptBytes.length > 0) w.bytes(scriptBytes);
  return w.finish();
}
