// The kernel Worker's entry: receives the boot package from the host page (or
// the CLI), prepares the program images, boots the kernel host and runs its
// loop. Program bytes that were prepared at build time are compiled as they
// are; any other program goes through the loader first. A program that
// cannot be loaded stays in the image table with its reason, so starting it
// later gives a clear message instead of a crash. The table's names are fixed
// at boot (init copies them into the image table), but the program behind a
// name may be replaced while the machine runs (the playground's editor).

import { parentPort } from './platform.js';
import { initPlatform } from './platform.js';
import { KernelHost, type HostImage, type SharedChannels } from './kernel-host.js';
import { initialMemoryPages } from './wasm-info.js';

export interface ProgramSource {
  name: string;
  bytes: Uint8Array;
  /** Already instrumented by the loader at build time (web variant). */
  prepared: boolean;
}

export interface BootMessage {
  type: 'boot';
  kernel: Uint8Array;
  programs: ProgramSource[];
  rom: Uint32Array;
  cpus: number;
  deterministic: boolean;
  budgetPages: number;
  channels: SharedChannels;
  poolSize: number;
}

/** Replace the program behind an existing image name; later spawns of that name run it. */
export interface ProgramMessage {
  type: 'program';
  program: ProgramSource;
}

export type FromKernel =
  | { type: 'booted'; pid: number }
  | { type: 'program'; name: string; error: string | null }
  | { type: 'error'; message: string }
  | { type: 'panic'; message: string }
  | { type: 'stopped' };

async function prepare(p: ProgramSource): Promise<HostImage> {
  try {
    if (p.prepared) {
      return { name: p.name, module: new WebAssembly.Module(p.bytes as BufferSource), initialPages: initialMemoryPages(p.bytes) };
    }
    const { loadProgram } = await import('./loader/index.js');
    const loaded = loadProgram(p.name, p.bytes, { variant: 'web', maxPages: 65536 });
    return { name: p.name, module: new WebAssembly.Module(loaded.bytes as BufferSource), initialPages: loaded.initialPages };
  } catch (e) {
    return { name: p.name, initialPages: 0, error: (e as Error).message };
  }
}

const port = await parentPort();
await initPlatform();
let host: KernelHost | undefined;
/** The image table the host reads at every spawn (entries may be replaced, never added). */
let images: HostImage[] = [];

port.onMessage((m) => {
  const msg = m as BootMessage | ProgramMessage | { type: 'stop' };
  if (msg.type === 'stop') {
    host?.stop();
    return;
  }
  if (msg.type === 'program') {
    void (async () => {
      const img = await prepare(msg.program);
      const at = images.findIndex((i) => i.name === img.name);
      if (at >= 0 && img.error === undefined) images[at] = img;
      const error = at < 0 ? `no program image named ${img.name} (names are fixed at boot)` : img.error ?? null;
      port.post({ type: 'program', name: img.name, error } satisfies FromKernel);
    })();
    return;
  }
  void (async () => {
    try {
      images = await Promise.all(msg.programs.map(prepare));
      host = new KernelHost({
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
        onPanic: (message) => port.post({ type: 'panic', message } satisfies FromKernel),
      });
      for (const img of images) if (img.error !== undefined) host.log(img.error);
      const pid = host.boot();
      port.post({ type: 'booted', pid } satisfies FromKernel);
      await host.run();
      port.post({ type: 'stopped' } satisfies FromKernel);
    } catch (e) {
      port.post({ type: 'error', message: (e as Error).message } satisfies FromKernel);
    }
  })();
});
