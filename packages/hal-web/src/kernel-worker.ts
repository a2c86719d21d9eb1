// The kernel Worker's entry: the control calls the host page (or the CLI)
// makes over comlink — boot, replace a program, stop, and learn when the
// machine has stopped. Everything that happens while the machine runs goes
// through shared memory instead (slots, doorbell, console and trace rings,
// status words: shared.ts).
//
// boot() prepares the program images, boots the kernel host and starts its
// loop. Program bytes that were prepared at build time are compiled as they
// are; any other program goes through the loader (@oncrix/boot/loader,
// loaded only then: it brings binaryen) first. A program that cannot be
// loaded stays in the image table with its reason, so starting it later
// gives a clear message instead of a crash. The table's names are fixed at
// boot (init copies them into the image table), but the program behind a
// name may be replaced while the machine runs (the playground's editor).

import { expose } from 'comlink';
import { initPlatform, parentEndpoint, yieldToEventLoop } from './platform.js';
import { KernelHost, type HostImage } from './kernel-host.js';
import type { SharedChannels } from './shared.js';
import type { InjectSpec, Strike } from './inject.js';
import { initialMemoryPages } from './wasm-info.js';

export interface ProgramSource {
  name: string;
  bytes: Uint8Array;
  /** Already instrumented by the loader at build time (web variant). */
  prepared: boolean;
}

/** What the kernel Worker boots: sent as the first call, never as workerData (DESIGN.md §8). */
export interface BootRequest {
  kernel: Uint8Array;
  programs: ProgramSource[];
  rom: Uint32Array;
  cpus: number;
  deterministic: boolean;
  budgetPages: number;
  channels: SharedChannels;
  poolSize: number;
  /** Faults to inject (inject.ts) and the seed of their random points. */
  inject: InjectSpec[];
  seed: number;
}

/** The control calls of the kernel Worker (comlink: each returns a promise on the caller's side). */
export interface KernelWorkerApi {
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
}

async function prepare(p: ProgramSource): Promise<HostImage> {
  try {
    if (p.prepared) {
      return { name: p.name, module: new WebAssembly.Module(p.bytes as BufferSource), initialPages: initialMemoryPages(p.bytes) };
    }
    const { loadProgram } = await import('@oncrix/boot/loader');
    const loaded = loadProgram(p.name, p.bytes, { variant: 'web', maxPages: 65536 });
    return { name: p.name, module: new WebAssembly.Module(loaded.bytes as BufferSource), initialPages: loaded.initialPages };
  } catch (e) {
    return { name: p.name, initialPages: 0, error: (e as Error).message };
  }
}

let host: KernelHost | undefined;
/** The image table the host reads at every spawn (entries may be replaced, never added). */
let images: HostImage[] = [];
let stoppedWith: (panic: string | null) => void = () => undefined;
const stopped = new Promise<string | null>((resolve) => {
  stoppedWith = resolve;
});

const api: KernelWorkerApi = {
  async boot(msg) {
    if (host !== undefined) throw new Error('this kernel Worker has booted already');
    images = await Promise.all(msg.programs.map(prepare));
    const h = new KernelHost({
      kernel: new WebAssembly.Module(msg.kernel as BufferSource),
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
  },

  inject(spec) {
    if (host === undefined) throw new Error('the machine has not booted');
    host.inject(spec);
  },

  strikes: () => host?.strikes() ?? [],
};

await initPlatform();
expose(api, await parentEndpoint());
