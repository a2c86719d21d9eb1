// The boot manifest: which programs start, with which priority, memory quota,
// arguments and — exactly — which capabilities. It is JSON for people
// (schema: docs/manifest.schema.json) and a small binary "boot ROM" for init,
// which reads it word by word through a device handle and grants nothing
// that is not listed. The ROM may end with the shell start-up script (lines
// the shell runs before its first prompt); init hands it, read-only, to the
// programs whose entry says {"script": true}.
//
// Everything a person can get wrong is caught here, before boot, with one
// message naming the program and the problem.

import { LIMITS, RIGHTS } from '@oncrix/abi';

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
  | { preopen: string }; // a preopened directory fd (3, 4, … in the order listed) for an absolute path

/** A filesystem service mounted at an absolute path (init mounts it before starting anyone). */
export interface MountEntry {
  path: string;
  service: string;
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
export const CapKind = { DEVICE: 1, IRQ: 2, SERVE: 3, CONNECT: 4, SPAWN: 5, INSPECT: 6, IMAGES: 7, SCRIPT: 8, STDIO: 9, PREOPEN: 10 } as const;

/** Rights given with `spawn: true` on the process's own handle. */
export const SPAWN_RIGHTS = RIGHTS.SPAWN | RIGHTS.INSPECT | RIGHTS.MANAGE | RIGHTS.WAIT | RIGHTS.DUPLICATE | RIGHTS.TRANSFER;

export const ROM_MAGIC = 0x58434e4f; // "ONCX"
export const ROM_VERSION = 2;
/** The longest shell start-up script, in UTF-8 bytes. */
export const SCRIPT_MAX_BYTES = 65536;

/** The devices both HALs offer, in boot order (docs/userland.md); the rom has 1 + its word count registers. */
export function bootDevices(romWords: number): DeviceEntry[] {
  return [
    { name: 'uart', registers: 8, irq: 4 },
    { name: 'rom', registers: romWords + 1 },
    { name: 'entropy', registers: 1 },
  ];
}

const DEFAULT_PRIORITY = 4;
const DEFAULT_QUOTA = 16;

function fail(msg: string): never {
  throw new ManifestError(`manifest: ${msg}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse and check a manifest (JSON text or value) against the images and devices this machine has. */
export function parseManifest(input: string | unknown, images: readonly string[], devices: readonly DeviceEntry[]): Manifest {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      fail(`not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isObject(raw)) fail('the top level must be an object with a "programs" list');
  const known = new Set(['$schema', 'cpus', 'deterministic', 'budgetPages', 'mounts', 'programs']);
  for (const k of Object.keys(raw)) if (!known.has(k)) fail(`unknown field "${k}" (allowed: ${[...known].join(', ')})`);
  const cpus = raw.cpus ?? 1;
  if (typeof cpus !== 'number' || !Number.isInteger(cpus) || cpus < 1 || cpus > LIMITS.MAX_CPUS) fail(`"cpus" must be an integer from 1 to ${LIMITS.MAX_CPUS}`);
  if (raw.deterministic !== undefined && typeof raw.deterministic !== 'boolean') fail('"deterministic" must be true or false');
  const budget = raw.budgetPages ?? 4096;
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1 || budget > 65536) fail('"budgetPages" must be an integer from 1 to 65536');
  if (!Array.isArray(raw.programs) || raw.programs.length === 0) fail('"programs" must be a non-empty list');
  if (raw.programs.length > 64) fail('at most 64 programs');
  const deviceNames = new Set(devices.map((d) => d.name));
  const served = new Map<string, string>();
  const programs: ProgramEntry[] = raw.programs.map((p: unknown, i: number) => checkProgram(p, i, images, devices, deviceNames, served));
  for (const p of programs) {
    for (const c of p.caps ?? []) {
      const name = 'connect' in c ? c.connect : 'stdio' in c ? c.stdio : undefined;
      if (name !== undefined && !served.has(name)) fail(`program "${p.name}": no program serves "${name}" (add {"serve": "${name}"} to one)`);
    }
  }
  const mounts = checkMounts(raw.mounts ?? [], served);
  const m: Manifest = { cpus, budgetPages: budget, programs };
  if (mounts.length > 0) m.mounts = mounts;
  if (raw.deterministic !== undefined) m.deterministic = raw.deterministic as boolean;
  return m;
}

function checkProgram(p: unknown, i: number, images: readonly string[], devices: readonly DeviceEntry[],
  deviceNames: Set<string>, served: Map<string, string>): ProgramEntry {
  if (!isObject(p)) fail(`programs[${i}] must be an object`);
  const label = typeof p.name === 'string' ? `program "${p.name}"` : `programs[${i}]`;
  const known = new Set(['name', 'program', 'args', 'priority', 'quotaPages', 'caps']);
  for (const k of Object.keys(p)) if (!known.has(k)) fail(`${label}: unknown field "${k}"`);
  if (typeof p.name !== 'string' || p.name.length === 0) fail(`${label}: "name" must be a non-empty string`);
  if (new TextEncoder().encode(p.name).length > LIMITS.NAME_MAX) fail(`${label}: "name" is longer than ${LIMITS.NAME_MAX} bytes`);
  const program = p.program ?? p.name;
  if (typeof program !== 'string') fail(`${label}: "program" must be a string`);
  if (!images.includes(program)) fail(`${label}: unknown program "${program}" (known: ${images.join(', ')})`);
  const args = p.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) fail(`${label}: "args" must be a list of strings`);
  const priority = p.priority ?? DEFAULT_PRIORITY;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > LIMITS.PRIORITY_MAX - 1) {
    fail(`${label}: "priority" must be an integer from 0 to ${LIMITS.PRIORITY_MAX - 1} (init runs at ${LIMITS.PRIORITY_MAX})`);
  }
  const quota = p.quotaPages ?? DEFAULT_QUOTA;
  if (typeof quota !== 'number' || !Number.isInteger(quota) || quota < 1 || quota > 16384) fail(`${label}: "quotaPages" must be an integer from 1 to 16384`);
  const capsRaw = p.caps ?? [];
  if (!Array.isArray(capsRaw)) fail(`${label}: "caps" must be a list`);
  if (capsRaw.length > LIMITS.STARTUP_MAX_HANDLES) fail(`${label}: at most ${LIMITS.STARTUP_MAX_HANDLES} capabilities`);
  const caps: CapGrant[] = capsRaw.map((c: unknown, j: number) => checkCap(c, `${label} caps[${j}]`, devices, deviceNames));
  for (const c of caps) {
    if ('serve' in c) {
      const other = served.get(c.serve);
      if (other !== undefined) fail(`${label}: service "${c.serve}" is already served by "${other}"`);
      served.set(c.serve, p.name);
    }
  }
  const argBytes = new TextEncoder().encode(args.join('\0')).length;
  if (argBytes > LIMITS.STARTUP_MAX_ARGS) fail(`${label}: arguments exceed ${LIMITS.STARTUP_MAX_ARGS} bytes`);
  return { name: p.name, program, args: args as string[], priority, quotaPages: quota, caps };
}

const CAP_NAMES = 'device, irq, serve, connect, spawn, inspect, images, script, stdio, preopen';

/** "/a/b": an absolute path without empty, "." or ".." components. */
function absolute(path: unknown): path is string {
  return typeof path === 'string' && path.startsWith('/') && (path === '/' || path.slice(1).split('/').every((c) => c !== '' && c !== '.' && c !== '..'));
}

function checkMounts(raw: unknown, served: Map<string, string>): MountEntry[] {
  if (!Array.isArray(raw)) fail('"mounts" must be a list of {"path": "/…", "service": NAME}');
  const seen = new Set<string>();
  return raw.map((m: unknown, i: number) => {
    if (!isObject(m) || Object.keys(m).some((k) => k !== 'path' && k !== 'service')) fail(`mounts[${i}] must be {"path": "/…", "service": NAME}`);
    if (!absolute(m.path)) fail(`mounts[${i}]: "path" must be an absolute path like "/" or "/dev"`);
    if (typeof m.service !== 'string' || !served.has(m.service)) fail(`mounts[${i}]: no program serves "${String(m.service)}"`);
    if (seen.has(m.path)) fail(`mounts[${i}]: "${m.path}" is mounted twice`);
    seen.add(m.path);
    return { path: m.path, service: m.service };
  });
}

function checkCap(c: unknown, where: string, devices: readonly DeviceEntry[], deviceNames: Set<string>): CapGrant {
  if (!isObject(c) || Object.keys(c).length !== 1) fail(`${where}: a capability is an object with one key (${CAP_NAMES})`);
  const [key, value] = Object.entries(c)[0] as [string, unknown];
  const named = (): string => {
    if (typeof value !== 'string' || value.length === 0) fail(`${where}: "${key}" needs a name`);
    return value;
  };
  switch (key) {
    case 'device':
    case 'irq': {
      const name = named();
      if (!deviceNames.has(name)) fail(`${where}: unknown device "${name}" (devices: ${[...deviceNames].join(', ')})`);
      if (key === 'irq' && devices.find((d) => d.name === name)?.irq === undefined) fail(`${where}: device "${name}" has no interrupt`);
      return key === 'device' ? { device: name } : { irq: name };
    }
    case 'serve': return { serve: named() };
    case 'connect': return { connect: named() };
    case 'spawn':
      if (value !== true) fail(`${where}: write {"spawn": true}`);
      return { spawn: true };
    case 'images':
      if (value !== true) fail(`${where}: write {"images": true}`);
      return { images: true };
    case 'inspect':
      if (value !== 'system') fail(`${where}: write {"inspect": "system"}`);
      return { inspect: 'system' };
    case 'script':
      if (value !== true) fail(`${where}: write {"script": true}`);
      return { script: true };
    case 'stdio': return { stdio: named() };
    case 'preopen':
      if (!absolute(value)) fail(`${where}: "preopen" needs an absolute path like "/"`);
      return { preopen: value };
    default:
      return fail(`${where}: unknown capability "${key}" (use ${CAP_NAMES})`);
  }
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
 *   per capability; then, only when `script` is not empty, the start-up
 *   script (a string).
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
  }
  if (scriptBytes.length > 0) w.bytes(scriptBytes);
  return w.finish();
}
