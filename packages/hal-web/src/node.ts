// Node-only helpers (`@oncrix/hal-web/node`): find the built kernel and
// programs on disk and boot them. The CLI and the integration tests use
// this; the browser fetches the same files instead.

import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OncrixSystem, type InjectSpec, type ProgramSource } from './system.js';
import type { HostIoConfig } from './devices/host.js';
import type { KernelWorker } from './kernel-worker-start.js';

/** Where a bundled host (the CLI) keeps the Worker bundles of dist/. */
export { setNodeWorkerDir } from './platform.js';

const repo = new URL('../../../', import.meta.url);

/** Paths of the build outputs, relative to the repository root. */
export const BUILT = {
  kernel: 'packages/kernel/build/kernel.wasm',
  images: 'packages/userland/build/images.json',
  programs: 'packages/userland/build/web/',
  /** The 'solo' variant (Asyncify) of the programs, for solo mode. */
  soloPrograms: 'packages/userland/build/solo/',
  manifest: 'packages/userland/manifest.default.json',
  /** The playground's: the default one, plus the files driver and sh's loader device (SystemOptions.page). */
  pageManifest: 'packages/userland/manifest.playground.json',
} as const;

function repoPath(rel: string): string {
  return fileURLToPath(new URL(rel, repo));
}

function mustRead(rel: string): Uint8Array {
  const p = repoPath(rel);
  if (!existsSync(p)) throw new Error(`${rel} is missing: run \`npm run build\` first`);
  return readFileSync(p);
}

/** The prepared program images in boot order (init first): the 'web' variant, or the 'solo' one for solo mode. */
export function builtPrograms(solo = false): ProgramSource[] {
  const names = JSON.parse(new TextDecoder().decode(mustRead(BUILT.images))) as string[];
  const dir = solo ? BUILT.soloPrograms : BUILT.programs;
  return names.map((name) => ({ name, bytes: mustRead(`${dir}${name}.wasm`), prepared: true }));
}

export function builtKernel(): Uint8Array {
  return mustRead(BUILT.kernel);
}

export function defaultManifest(): string {
  return new TextDecoder().decode(mustRead(BUILT.manifest));
}

export interface NodeBootOptions {
  manifest?: string;
  /** Shell start-up script (lines sh runs before its first prompt). */
  script?: string;
  cpus?: number;
  deterministic?: boolean;
  /** Extra programs added to the image table: raw WebAssembly, loaded at boot, unless already prepared by the loader. */
  extra?: { name: string; bytes: Uint8Array; prepared?: boolean }[];
  poolSize?: number;
  /** `oncrix run`: the host device (SystemOptions.host). */
  host?: HostIoConfig;
  /** The playground's machine: the files and loader devices, and (unless `manifest` says otherwise) its manifest. */
  page?: boolean;
  /** Faults to inject (SystemOptions.inject) and their seed. */
  inject?: (string | InjectSpec)[];
  seed?: number;
  /** Solo mode (SystemOptions.solo): the 'solo' variant of the programs, each process a fiber in the kernel Worker. */
  solo?: boolean;
  /** SystemOptions.transport: 'messages' runs the host's channels as a page without SharedArrayBuffer does. */
  transport?: 'shared' | 'messages';
  /** SystemOptions.worker: a kernel Worker started ahead (kernel-worker-start.ts). */
  worker?: KernelWorker;
}

/** Boot the built system in Node. */
export function bootBuilt(opts: NodeBootOptions = {}): Promise<OncrixSystem> {
  const programs = builtPrograms(opts.solo === true);
  for (const e of opts.extra ?? []) programs.push({ name: e.name, bytes: e.bytes, prepared: e.prepared ?? false });
  const options: Parameters<typeof OncrixSystem.boot>[0] = {
    kernel: builtKernel(),
    programs,
    manifest: opts.manifest ?? (opts.page === true ? new TextDecoder().decode(mustRead(BUILT.pageManifest)) : defaultManifest()),
  };
  if (opts.page === true) options.page = true;
  if (opts.script !== undefined) options.script = opts.script;
  if (opts.cpus !== undefined) options.cpus = opts.cpus;
  if (opts.deterministic !== undefined) options.deterministic = opts.deterministic;
  if (opts.poolSize !== undefined) options.poolSize = opts.poolSize;
  if (opts.host !== undefined) options.host = opts.host;
  if (opts.inject !== undefined) options.inject = opts.inject;
  if (opts.seed !== undefined) options.seed = opts.seed;
  if (opts.solo === true) options.solo = true;
  if (opts.transport !== undefined) options.transport = opts.transport;
  if (opts.worker !== undefined) options.worker = opts.worker;
  return OncrixSystem.boot(options);
}
