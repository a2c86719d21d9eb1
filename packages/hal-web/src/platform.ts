// One Worker API for browsers and Node.
//
// The web HAL runs the same code in a browser (Web Workers) and in Node 20
// (worker_threads). This module hides the difference behind a tiny Port:
// post a message, receive messages, terminate. Worker scripts are the bundled
// files in dist/ (built by scripts/bundle-workers.mjs) in Node, and the
// TypeScript sources (bundled by Vite) in the browser. Vite bundles a Worker
// only when it sees `new Worker(new URL('./x.ts', import.meta.url))` written
// out in one expression, so callers pass that expression in a closure.

export interface Port {
  post(message: unknown, transfer?: Transferable[]): void;
  onMessage(handler: (message: unknown) => void): void;
  onError(handler: (error: Error) => void): void;
  terminate(): void;
}

export const isNode: boolean =
  typeof process !== 'undefined' && typeof process.versions === 'object' && typeof process.versions.node === 'string';

type NodeWorker = import('node:worker_threads').Worker;
type NodePort = import('node:worker_threads').MessagePort;

let workerThreads: typeof import('node:worker_threads') | undefined;

/** Load node:worker_threads once (Node only). */
export async function nodeThreads(): Promise<typeof import('node:worker_threads')> {
  workerThreads ??= await import('node:worker_threads');
  return workerThreads;
}

function fromNodeWorker(w: NodeWorker): Port {
  return {
    post: (m, t) => w.postMessage(m, t as never),
    onMessage: (h) => void w.on('message', h),
    onError: (h) => void w.on('error', h),
    terminate: () => void w.terminate(),
  };
}

function fromWebWorker(w: Worker): Port {
  return {
    post: (m, t) => w.postMessage(m, t ?? []),
    onMessage: (h) => {
      w.onmessage = (e: MessageEvent) => h(e.data);
    },
    onError: (h) => {
      w.onerror = (e: ErrorEvent) => h(new Error(e.message));
    },
    terminate: () => w.terminate(),
  };
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
 * queued, so the caller may post at once.
 */
export function createWorker(nodeFile: string, webWorker: () => Worker): Port {
  if (isNode) {
    if (workerThreads === undefined) throw new Error('initPlatform() was not called');
    return fromNodeWorker(new workerThreads.Worker(new URL(nodeFile, nodeWorkerDir)));
  }
  return fromWebWorker(webWorker());
}

/** Inside a worker: the port to the thread that started it. */
export async function parentPort(): Promise<Port> {
  if (isNode) {
    const { parentPort: p } = await nodeThreads();
    if (p === null) throw new Error('not running in a worker');
    const port: NodePort = p;
    return {
      post: (m, t) => port.postMessage(m, t as never),
      onMessage: (h) => void port.on('message', h),
      onError: () => undefined,
      terminate: () => port.close(),
    };
  }
  const scope = globalThis as unknown as { postMessage(m: unknown, t?: Transferable[]): void; onmessage: ((e: MessageEvent) => void) | null; close(): void };
  return {
    post: (m, t) => scope.postMessage(m, t ?? []),
    onMessage: (h) => {
      scope.onmessage = (e: MessageEvent) => h(e.data);
    },
    onError: () => undefined,
    terminate: () => scope.close(),
  };
}

/** Let the event loop run queued messages (a macrotask turn). */
export function yieldToEventLoop(): Promise<void> {
  if (isNode) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
}

/** Monotonic milliseconds. */
export function nowMs(): number {
  return performance.now();
}
