// Starting the kernel Worker, apart from booting it.
//
// Starting Workers is the slowest step of a boot in a browser: each is a
// new V8 isolate that fetches and compiles its script, and a browser starts
// them one after another. A page that knows it will boot a machine can start
// the kernel Worker as its first module runs (startKernelWorkerAhead) and let
// it start its process Workers and fetch the kernel and the programs while
// the rest of the page's modules load; OncrixSystem.boot then takes that
// Worker (SystemOptions.worker) instead of starting one. Everything here is
// small, so that a page's entry module can import it without the rest of
// the host.

import { wrap, type Remote } from 'comlink';
import { createWorker, type WorkerHandle } from './platform.js';
import type { KernelWorkerApi, WasmSource } from './kernel-worker.js';

export type { WorkerHandle } from './platform.js';

/**
 * A started kernel Worker and the one comlink proxy that speaks to it. One
 * for the Worker's whole life: comlink tells the Worker to stop listening
 * when the last proxy of its endpoint is collected, so a proxy made for
 * prepare() and dropped could, collected before the boot's own, leave the
 * boot call unanswered.
 */
export interface KernelWorker {
  handle: WorkerHandle;
  api: Remote<KernelWorkerApi>;
}

/** Start a kernel Worker (Node: after initPlatform). It waits for its boot call. */
export function startKernelWorker(): KernelWorker {
  const handle = createWorker('./kernel-worker.js', () => new Worker(new URL('./kernel-worker.ts', import.meta.url), { type: 'module' }));
  return { handle, api: wrap<KernelWorkerApi>(handle.endpoint) };
}

/** What a kernel Worker started ahead does before its boot call. */
export interface AheadOfBoot {
  /** Process Workers to start now (the boot's own processes: init and the manifest's programs). */
  processes: number;
  /** Modules to fetch now (URLs or packs; bytes are ignored): the kernel and the programs the boot will name. */
  sources: WasmSource[];
  /** Of those, the modules to compile now, in the background: the kernel and the programs the boot runs (prepared ones only). */
  compile: WasmSource[];
}

/**
 * Start a kernel Worker ahead of its boot: it starts `processes` process
 * Workers, fetches `sources` and compiles `compile` at once. The boot call
 * may ask for more Workers or other sources; those are started then.
 */
export function startKernelWorkerAhead(ahead: AheadOfBoot): KernelWorker {
  const worker = startKernelWorker();
  worker.api.prepare(ahead).catch(() => undefined); // a Worker that fails to load says so at its boot
  return worker;
}
