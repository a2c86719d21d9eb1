// The kernel Worker's entry: the control calls the host page (or the CLI)
// makes over comlink — boot, replace a program, stop, and learn when the
// machine has stopped. Everything that happens while the machine runs goes
// through shared memory instead (slots, doorbell, console and trace rings,
// status words: shared.ts).
//
// boot() first starts the process Workers the boot will need (starting a
// Worker is the slowest step of a boot), then fetches and prepares the
// program images and the kernel, boots the kernel host and starts its loop.
// A page may call prepare() first, as soon as it has started this Worker
// (kernel-worker-start.ts): the Workers, the fetches and the compiles it
// begins are the boot's, so they overlap with the rest of the page's
// loading (and a compile runs on V8's background threads, not this one).
// The kernel and the programs come as bytes or as URLs (a page passes the
// URLs of its build's assets: this Worker fetches them itself, in parallel,
// and no bytes cross the page's main thread). Program bytes that were
// prepared at build time are compiled as they are; any other program goes
// through the loader (@oncrix/boot/loader, loaded only then: it brings
// binaryen) first. A program that cannot be
// loaded stays in the image table with its reason, so starting it later
// gives a clear message instead of a crash. The table's names are fixed at
// boot (init copies them into the image table), but the program behind a
// name may be replaced while the machine runs (the playground's editor).

import { expose } from 'comlink';
import { initPlatform, nodeModule, parentEndpoint, yieldToEventLoop } from './platform.js';
import { KernelHost, type HostImage } from './kernel-host.js';
import { startProcessWorkers, type ProcessWorker } from './process-pool.js';
import type { SharedChannels } from './shared.js';
import type { InjectSpec, Strike } from './inject.js';
import { initialMemoryPages } from './wasm-info.js';
import type { LoadFn } from './devices/loader.js';
import type { HostIoConfig } from './devices/host.js';
import type { FileJob, FileAnswer } from './devices/files.js';
import type { AheadOfBoot } from './kernel-worker-start.js';

export type { FileJob, FileAnswer } from './devices/files.js';

/** A WebAssembly module: its bytes, the absolute URL to fetch them from, or where they are in a pack of modules. */
export type WasmSource = Uint8Array | string | PackedWasm;

/** A module inside a pack: one file of many modules, fetched once for all of them (the playground's programs). */
export interface PackedWasm {
  pack: string;
  offset: number;
  length: number;
}

export interface ProgramSource {
  name: string;
  bytes: WasmSource;
  /** Already instrumented by the loader at build time (web variant). */
  prepared: boolean;
}

/** What the kernel Worker boots: sent as the first call, never as workerData (DESIGN.md §8). */
export interface BootRequest {
  kernel: WasmSource;
  programs: ProgramSource[];
  rom: Uint32Array;
  cpus: number;
  deterministic: boolean;
  budgetPages: number;
  channels: SharedChannels;
  poolSize: number;
  /** `oncrix run` (Node only): the host device's configuration; its rings are channels.host. */
  host?: HostIoConfig;
  /** The playground: the files and loader devices (devices/files.ts, devices/loader.ts). */
  page?: boolean;
  /** Processes the boot starts (init and the manifest's programs): their Workers start first. */
  bootProcesses: number;
  /** Faults to inject (inject.ts) and the seed of their random points. */
  inject: InjectSpec[];
  seed: number;
  /** Solo mode: processes are fibers in this Worker; prepared programs are the 'solo' variant, others go through the loader's 'solo' variant on first use. */
  solo?: boolean;
  /** Without shared memory: the port the channels' news travels on (relay.ts); `channels` are then this Worker's own copies. */
  port?: MessagePort;
}

/** The control calls of the kernel Worker (comlink: each returns a promise on the caller's side). */
export interface KernelWorkerApi {
  /** Before the boot call (kernel-worker-start.ts): start process Workers, fetch modules and compile some of them now. */
  prepare(ahead: AheadOfBoot): void;
  /** Boot the machine; resolves with init's pid once the loop runs, rejects with the reason it cannot boot. */
  boot(request: BootRequest): Promise<number>;
  /** Resolves when the machine has stopped: with the kernel's panic message, or null for an ordinary stop. */
  stopped(): Promise<string | null>;
  /** Replace the program behind an existing image name; later spawns of that name run it. Rejects with the loader's message. */
  setProgram(program: ProgramSource): Promise<void>;
  /** Stop the machine (its loop ends at its next turn). */
  stop(): void;
  /** Inject a fault while the machine runs (a `now` spec strikes at once). */
  inject(spec: InjectSpec): void;
  /** Every fault injected so far. */
  strikes(): Strike[];
  /** A job for the files driver (a machine booted with `page`): settles with its answer. */
  files(job: FileJob): Promise<FileAnswer>;
}

/** Fetch a file; rejects with the URL and the HTTP status. */
async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot load ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/**
 * Files being fetched or fetched, by URL: every module of a pack waits for
 * the same fetch, and a boot finds what prepare() began fetching.
 */
const files = new Map<string, Promise<Uint8Array>>();

function fetchOnce(url: string): Promise<Uint8Array> {
  let file = files.get(url);
  if (file === undefined) {
    file = fetchBytes(url);
    files.set(url, file);
  }
  return file;
}

/** The bytes of a module, fetched when given by URL or in a pack. */
async function wasmBytes(src: WasmSource): Promise<Uint8Array> {
  if (src instanceof Uint8Array) return src;
  if (typeof src === 'string') return fetchOnce(src);
  const bytes = await fetchOnce(src.pack);
  if (src.offset + src.length > bytes.length) throw new Error(`${src.pack} holds ${bytes.length} bytes, not the ${src.offset + src.length} its index names`);
  return bytes.subarray(src.offset, src.offset + src.length);
}

/** A source's name in the caches: its URL, or its place in a pack (bytes have none). */
function sourceKey(src: WasmSource): string | null {
  if (src instanceof Uint8Array) return null;
  return typeof src === 'string' ? src : `${src.pack}#${src.offset}+${src.length}`;
}

/** Modules prepare() is compiling ahead, in the background (WebAssembly.compile), by source. */
const compiling = new Map<string, Promise<WebAssembly.Module>>();
/** ... and those of them that are compiled. */
const compiled = new Map<string, WebAssembly.Module>();

function compileAhead(src: WasmSource): void {
  const key = sourceKey(src);
  if (key === null || compiling.has(key)) return;
  const module = wasmBytes(src).then((bytes) => WebAssembly.compile(bytes as BufferSource));
  module.then((m) => void compiled.set(key, m), () => undefined); // a failure is met again, with its message, when the module is needed
  compiling.set(key, module);
}

/** The module of a source: compiled ahead, or compiled now (also when the compile ahead failed: for its message). */
async function moduleOf(src: WasmSource): Promise<WebAssembly.Module> {
  const ahead = compiling.get(sourceKey(src) ?? '');
  if (ahead !== undefined) {
    try {
      return await ahead;
    } catch {
      // compiled again below, to throw its own error
    }
  }
  return new WebAssembly.Module((await wasmBytes(src)) as BufferSource);
}

/**
 * A prepared image whose module is compiled when it is first spawned (unless
 * prepare() compiled it ahead): a boot needs a handful of the image table's
 * programs, and compiling all of them first (31 modules) would delay the
 * prompt by tens of milliseconds.
 */
function compiledOnFirstUse(name: string, bytes: Uint8Array, key: string | null): HostImage {
  let module: WebAssembly.Module | undefined;
  let failed = false;
  const image: HostImage = {
    name,
    initialPages: initialMemoryPages(bytes),
    get module(): WebAssembly.Module | undefined {
      if (module === undefined && !failed) {
        try {
          module = (key !== null ? compiled.get(key) : undefined) ?? new WebAssembly.Module(bytes as BufferSource);
        } catch (e) {
          failed = true;
          image.error = `${name} is not a valid WebAssembly module: ${(e as Error).message}`;
        }
      }
      return module;
    },
  };
  return image;
}

/**
 * Solo mode: the image is loaded ('solo' variant: Asyncify) and compiled when
 * it is first spawned — Asyncify costs tens of milliseconds a program, and a
 * boot runs a handful of the table's programs.
 */
function soloOnFirstUse(name: string, bytes: Uint8Array, load: LoaderModule['loadProgram']): HostImage {
  let module: WebAssembly.Module | undefined;
  let pages = initialMemoryPages(bytes);
  let failed = false;
  const image: HostImage = {
    name,
    get initialPages(): number {
      void image.module;
      return pages;
    },
    get module(): WebAssembly.Module | undefined {
      if (module === undefined && !failed) {
        try {
          const loaded = load(name, bytes, { variant: 'solo', maxPages: 65536 });
          pages = loaded.initialPages;
          module = new WebAssembly.Module(loaded.bytes as BufferSource);
        } catch (e) {
          failed = true;
          image.error = (e as Error).message;
        }
      }
      return module;
    },
  };
  return image;
}

type LoaderModule = typeof import('@oncrix/boot/loader');

/** Solo mode is on for this Worker (set by boot): programs given later (setProgram) load as 'solo' too. */
let soloMode = false;

async function prepare(p: ProgramSource): Promise<HostImage> {
  try {
    const bytes = await wasmBytes(p.bytes);
    if (soloMode) {
      if (p.prepared) return compiledOnFirstUse(p.name, bytes, sourceKey(p.bytes)); // prepared at build time in the 'solo' variant
      const { loadProgram } = await import('@oncrix/boot/loader');
      return soloOnFirstUse(p.name, bytes, loadProgram);
    }
    if (p.prepared) return compiledOnFirstUse(p.name, bytes, sourceKey(p.bytes));
    const { loadProgram } = await import('@oncrix/boot/loader');
    const loaded = loadProgram(p.name, bytes, { variant: 'web', maxPages: 65536 });
    return { name: p.name, module: new WebAssembly.Module(loaded.bytes as BufferSource), initialPages: loaded.initialPages };
  } catch (e) {
    return { name: p.name, initialPages: 0, error: (e as Error).message };
  }
}

let host: KernelHost | undefined;
let booted = false;
/** The image table the host reads at every spawn (entries may be replaced, never added). */
let images: HostImage[] = [];
let stoppedWith: (panic: string | null) => void = () => undefined;
const stopped = new Promise<string | null>((resolve) => {
  stoppedWith = resolve;
});

/** Process Workers prepare() started, for the boot to take. */
let ahead: ProcessWorker[] = [];
const logWorker = (text: string): void => host?.log(text);

const api: KernelWorkerApi = {
  prepare(work) {
    if (booted || ahead.length > 0) return;
    ahead = startProcessWorkers(work.processes, logWorker);
    for (const src of work.sources) if (!(src instanceof Uint8Array)) wasmBytes(src).catch(() => undefined); // the boot reports a failure
    for (const src of work.compile) compileAhead(src);
  },

  async boot(msg) {
    if (booted) throw new Error('this kernel Worker has booted already');
    booted = true;
    soloMode = msg.solo === true;
    const taken = ahead;
    ahead = [];
    if (soloMode) for (const w of taken) w.handle.terminate();
    // Workers started ahead are the boot's first; any beyond its processes join the warm pool.
    const started = soloMode ? [] : [...taken, ...startProcessWorkers(Math.max(0, msg.bootProcesses - taken.length), logWorker)];
    const [kernel, ...prepared] = await Promise.all([
      moduleOf(msg.kernel),
      ...msg.programs.map(prepare),
    ]);
    images = prepared;
    const h = new KernelHost({
      kernel,
      images,
      rom: msg.rom,
      cpus: msg.cpus,
      deterministic: msg.deterministic,
      budgetPages: msg.budgetPages,
      rootQuota: msg.budgetPages,
      sliceUs: 10_000,
      sliceSafepoints: 20,
      safepointNs: 10_000,
      channels: msg.channels,
      poolSize: msg.poolSize,
      solo: soloMode,
      ...(msg.port !== undefined ? { port: msg.port } : {}),
      ...(msg.host !== undefined ? { host: { config: msg.host, fs: await nodeModule<typeof import('node:fs')>('node:fs') } } : {}),
      ...(msg.page === true ? { page: { loader: loadLoader } } : {}),
      started,
      inject: msg.inject,
      seed: msg.seed,
    });
    host = h;
    for (const img of images) if (img.error !== undefined) h.log(img.error);
    let pid: number;
    try {
      pid = h.boot();
    } catch (e) {
      h.stop();
      stoppedWith(h.panicMessage);
      throw h.panicMessage !== null ? new Error(`kernel panic while booting: ${h.panicMessage}`) : e;
    }
    // The loop starts on the next turn of the event loop, once this call has answered (its first slice would delay the answer).
    void yieldToEventLoop()
      .then(() => h.run())
      .then(() => stoppedWith(h.panicMessage), (e: unknown) => {
        h.log(`the kernel host failed: ${e instanceof Error ? e.message : String(e)}`);
        h.stop();
        stoppedWith(h.panicMessage);
      });
    return pid;
  },

  stopped: () => stopped,

  async setProgram(program) {
    const img = await prepare(program);
    const at = images.findIndex((i) => i.name === img.name);
    if (at < 0) throw new Error(`no program image named ${img.name} (names are fixed at boot)`);
    if (img.error !== undefined) throw new Error(img.error);
    images[at] = img;
  },

  stop() {
    host?.stop();
    host?.wake();
  },

  inject(spec) {
    if (host === undefined) throw new Error('the machine has not booted');
    host.inject(spec);
    host.wake();
  },

  strikes: () => host?.strikes() ?? [],

  files(job) {
    const device = host?.files ?? null;
    if (device === null) throw new Error('this machine has no files device (it was not booted for the playground)');
    const answer = device.submit(job);
    host?.wake();
    return answer;
  },
};

/** The loader's entry for the loader device, loaded the first time a program is loaded at run time. */
async function loadLoader(): Promise<LoadFn> {
  const { loadProgram } = await import('@oncrix/boot/loader');
  return (name, bytes) => loadProgram(name, bytes, { variant: soloMode ? 'solo' : 'web', maxPages: 65536 });
}

await initPlatform();
expose(api, await parentEndpoint());
