// One Worker API for browsers and Node.
//
// The web HAL runs the same code in a browser (Web Workers) and in Node 20
// (worker_threads). This module hides the difference: a started Worker, and
// the thread that started a Worker, are each a comlink endpoint — the Web
// Worker (or the Worker's global scope) itself in a browser, comlink's node
// adapter around worker_threads in Node — so control calls between threads
// are comlink calls on both. Worker scripts are the bundled files in dist/
// (built by scripts/bundle-workers.mjs) in Node, and the TypeScript sources
// (bundled by Vite) in the browser. Vite bundles a Worker only when it sees
// `new Worker(new URL('./x.ts', import.meta.url))` written out in one
// expression, so callers pass that expression in a closure.

import type { Endpoint } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';

/** A started Worker. */
export interface WorkerHandle {
  /** Where comlink's wrap() reaches the Worker's exposed object. */
  readonly endpoint: Endpoint;
  /** The Worker failed to load or threw outside a call. */
  onError(handler: (error: Error) => void): void;
  terminate(): void;
}

export const isNode: boolean =
  typeof process !== 'undefined' && typeof process.versions === 'object' && typeof process.versions.node === 'string';

let workerThreads: typeof import('node:worker_threads') | undefined;

/**
 * Import one of Node's own modules (Node only). The name is a variable, so
 * a browser bundle keeps no chunk for it: a Worker whose module imports no
 * other chunk starts with one fetch instead of two.
 */
export const nodeModule = <T>(name: string): Promise<T> => import(/* @vite-ignore */ name) as Promise<T>;

/** Load node:worker_threads once (Node only). */
export async function nodeThreads(): Promise<typeof import('node:worker_threads')> {
  workerThreads ??= await nodeModule<typeof import('node:worker_threads')>('node:worker_threads');
  return workerThreads;
}

/**
 * Where the bundled worker scripts are in Node: dist/ next to src/ when this
 * module runs from source (tests), the bundle's own folder when it runs from
 * dist/. A bundled host elsewhere (the CLI) sets it explicitly.
 */
let nodeWorkerDir: URL = import.meta.url.includes('/src/') ? new URL('../dist/', import.meta.url) : new URL('./', import.meta.url);

export function setNodeWorkerDir(dir: URL): void {
  nodeWorkerDir = dir;
}

/** Load what createWorker needs (Node's worker_threads); call once before it. */
export async function initPlatform(): Promise<void> {
  if (isNode) await nodeThreads();
}

/**
 * Start a worker script, synchronously (initPlatform first). `nodeFile` names
 * the bundle next to this module in dist/ (Node); `webWorker` starts the
 * TypeScript entry in the browser, written as
 * `() => new Worker(new URL('./entry.ts', import.meta.url), { type: 'module' })`
 * so that Vite bundles it. Messages posted before the worker listens are
 * queued, so the caller may call it at once.
 */
export function createWorker(nodeFile: string, webWorker: () => Worker): WorkerHandle {
  if (isNode) {
    if (workerThreads === undefined) throw new Error('initPlatform() was not called');
    const w = new workerThreads.Worker(new URL(nodeFile, nodeWorkerDir));
    return { endpoint: nodeEndpoint(w), onError: (h) => void w.on('error', h), terminate: () => void w.terminate() };
  }
  const w = webWorker();
  return {
    endpoint: w,
    onError: (h) => w.addEventListener('error', (e: ErrorEvent) => h(new Error(e.message))),
    terminate: () => w.terminate(),
  };
}

/** Inside a worker: the thread that started it, as the endpoint to expose() an object on. */
export async function parentEndpoint(): Promise<Endpoint> {
  if (isNode) {
    const { parentPort } = await nodeThreads();
    if (parentPort === null) throw new Error('not running in a worker');
    return nodeEndpoint(parentPort);
  }
  return globalThis as unknown as Endpoint; // a Worker's global scope posts to and hears from its parent
}

/** The browser's turn: one MessageChannel for every turn (a message to oneself is the quickest macrotask), its waiters in order. */
let turns: { port: MessagePort; waiting: (() => void)[] } | undefined;

/** Let the event loop run queued messages (a macrotask turn). */
export function yieldToEventLoop(): Promise<void> {
  if (isNode) return new Promise((resolve) => setImmediate(resolve));
  if (turns === undefined) {
    const ch = new MessageChannel();
    const t = { port: ch.port2, waiting: [] as (() => void)[] };
    ch.port1.onmessage = () => t.waiting.shift()?.();
    turns = t;
  }
  const t = turns;
  return new Promise((resolve) => {
    t.waiting.push(resolve);
    t.port.postMessage(0);
  });
}

/** Monotonic milliseconds. */
export function nowMs(): number {
  return performance.now();
}
