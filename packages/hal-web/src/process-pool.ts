// The processes of the web HAL and the Workers they run on.
//
// Starting a Worker costs milliseconds (6–10 ms in Chromium, 25 ms in Node,
// and a nested Worker in a loaded page 100 ms and more), far more than the
// rest of a spawn, so the pool keeps a few Workers started and empty, gives
// one to each new process, and takes it back when its process is over. The
// Workers a boot needs (init and the manifest's programs) are started
// before anything else of the boot (startProcessWorkers), so they load
// while the kernel and the programs are fetched and compiled: a process Worker's run() call (comlink) returns once its
// program has unwound, and the Worker is then as good as new. A Worker whose
// program never returns (killed while it spins in a loop without syscalls)
// is terminated after RETIRE_MS instead — never before, so a memory is never
// reused after its Worker was terminated (Worker.terminate() is not a memory
// fence).
//
// Each process also has its memory (a shared WebAssembly.Memory whose
// maximum is its quota) and its slot in the slot buffer; the kernel Worker's
// loop (kernel-host.ts) serves the slots, and the HAL imports
// (hal-imports.ts) create, end and resume processes through this table.
//
// In solo mode (no SharedArrayBuffer: PoolConfig.solo) there are no process
// Workers: each process is a fiber (process-fiber.ts) in the kernel's thread,
// its memory and the slots plain buffers, and the loop runs the fibers whose
// slot says RESUME (runFibers). Everything else — the table, the slots, the
// kernel host's loop — is the same for both.

import { ERR, LIMITS } from '@oncrix/abi';
import { wrap, type Remote } from 'comlink';
import { SLOT, SLOT_BYTES, SLOT_WORDS, SlotState, wakeSleeper } from './shared.js';
import { createWorker, nowMs, type WorkerHandle } from './platform.js';
import type { Assignment, ProcessWorkerApi } from './process-worker.js';
import { ProcessFiber } from './process-fiber.js';

/** A program image ready to run: a compiled module, or the reason it cannot run. */
export interface HostImage {
  name: string;
  module?: WebAssembly.Module;
  initialPages: number;
  error?: string;
}

/** A started process Worker and its control call. */
export interface ProcessWorker {
  handle: WorkerHandle;
  api: Remote<ProcessWorkerApi>;
  /** Settles once the Worker has loaded and answered its first call. */
  started: Promise<void>;
  ready: boolean;
}

/** Start a process Worker; `log` hears why it failed, if it does. */
function startProcessWorker(log: (text: string) => void): ProcessWorker {
  const handle = createWorker('./process-worker.js', () => new Worker(new URL('./process-worker.ts', import.meta.url), { type: 'module' }));
  handle.onError((e) => log(`a process Worker failed: ${e.message}`));
  const api = wrap<ProcessWorkerApi>(handle.endpoint);
  const w: ProcessWorker = { handle, api, started: Promise.resolve(), ready: false };
  w.started = api.ready().then(() => void (w.ready = true), () => undefined);
  return w;
}

/** Start n process Workers ahead of the pool that will take them (PoolConfig.started); initPlatform() first. */
export function startProcessWorkers(n: number, log: (text: string) => void): ProcessWorker[] {
  return Array.from({ length: n }, () => startProcessWorker(log));
}

export interface HostProcess {
  pid: number;
  name: string;
  slot: number;
  /** The slot's words (a view made once). */
  words: Int32Array;
  memory: WebAssembly.Memory;
  /** A view of the process memory; renewed after it grows (growth happens only through grow()). */
  bytes: Uint8Array;
  /** The Worker it runs on, or (solo mode) its fiber. */
  worker: ProcessWorker | null;
  fiber: ProcessFiber | null;
  /** Set when the kernel called run() for this process while it was in a syscall. */
  resumedInCall: boolean;
  inCall: boolean;
}

export interface PoolConfig {
  /** The image table (entries may be replaced while the machine runs, never added). */
  images: HostImage[];
  /** Warm Workers kept ready for spawn, once the machine has first been quiet (warmUp). */
  poolSize: number;
  /** Workers started ahead (startProcessWorkers): warm from the start, however many. */
  started?: ProcessWorker[];
  deterministic: boolean;
  /** The kernel Worker's doorbell, which every process rings. */
  bell: ArrayBufferLike;
  /** Solo mode: every process a fiber in this thread, on plain (unshared) memory. */
  solo?: boolean;
  /** A line on the console (why a process could not start, a Worker that failed). */
  log(text: string): void;
  /** Fault injection may take over a resume (answer it with TRAP or HANG, or hold it back): true when it did. */
  takeOver?(pid: number, result: number): boolean;
}

/** How long an ended process's Worker has to report itself free before it is terminated. */
const RETIRE_MS = 200;

export class ProcessPool {
  /** Live processes by pid. */
  readonly table = new Map<number, HostProcess>();
  /** Processes the kernel has let run (not parked in a blocked call). */
  readonly running = new Set<number>();
  /** Every process's slot (SLOT_WORDS words each). */
  readonly slots: ArrayBufferLike;
  private readonly freeSlots: number[] = [];
  private readonly warm: ProcessWorker[] = [];
  /** Warm Workers may be started (warmUp has been called: the machine has been quiet once). */
  private warming = false;
  /** Workers of ended processes: back to the pool when their run() returns, terminated if it does not in time. */
  private readonly retiring = new Map<ProcessWorker, number>();
  /** Workers given to a process before they had started (the process waits for them). */
  private awaited = 0;
  private closed = false;

  constructor(private readonly cfg: PoolConfig) {
    const solo = cfg.solo === true;
    this.slots = solo ? new ArrayBuffer(SLOT_BYTES * LIMITS.MAX_PROCESSES) : new SharedArrayBuffer(SLOT_BYTES * LIMITS.MAX_PROCESSES);
    for (let i = 0; i < LIMITS.MAX_PROCESSES; i++) this.freeSlots.push(i);
    this.warm.push(...(cfg.started ?? []));
  }

  /**
   * Start the warm Workers the pool keeps for later spawns. Not while the
   * machine boots: every core is busy then starting the Workers the boot
   * itself needs (kernel-worker.ts starts one per boot process ahead of the
   * boot), and a warm one started beside them only delays the prompt (in
   * Node by some 10–50 ms of 400 on two cores). The host calls this whenever
   * the machine is quiet; the first call fills the pool, and spawns refill
   * it from then on.
   */
  warmUp(): void {
    if (this.warming || this.cfg.solo === true || this.closed) return;
    this.warming = true;
    while (this.warm.length < this.cfg.poolSize) this.warm.push(this.startWorker());
  }

  private startWorker(): ProcessWorker {
    return startProcessWorker((text) => this.cfg.log(text));
  }

  /**
   * A process waits for its Worker to start: the kernel Worker's loop then
   * takes event-loop turns often, since a nested Worker (in a browser)
   * starts only as its parent's event loop runs. Workers that start to
   * refill the pool, and freed ones coming back to it, are nobody's wait:
   * they get the loop's ordinary turns, so a running program's calls are not
   * slowed while they do.
   */
  settling(): boolean {
    return this.awaited > 0;
  }

  /** The process pid, if it lives. */
  get(pid: number): HostProcess | undefined {
    return this.table.get(pid);
  }

  /**
   * process_create: a memory of the image's initial size (maximum: the quota),
   * a slot, and a warm Worker running the program, which waits for its first
   * resume(). Returns the initial pages, or a negative ERR_*.
   */
  create(pid: number, image: number, quota: number): number {
    const img = this.cfg.images[image];
    if (img === undefined) return ERR.NOT_FOUND;
    if (img.module === undefined) {
      this.cfg.log(`cannot start ${img.name}: ${img.error ?? 'not loaded'}`);
      return ERR.INVALID_ARGS;
    }
    if (img.initialPages > quota) return img.initialPages; // the kernel refuses it (over quota)
    const slot = this.freeSlots.shift();
    if (slot === undefined) return ERR.LIMIT;
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: img.initialPages, maximum: quota, shared: this.cfg.solo !== true });
    } catch {
      this.freeSlots.push(slot);
      return ERR.NO_MEMORY;
    }
    if (this.cfg.solo === true) return this.createFiber(pid, img.name, img.module, memory, slot, img.initialPages);
    const worker = this.warm.shift() ?? this.startWorker();
    if (!worker.ready) {
      this.awaited++;
      void worker.started.then(() => void this.awaited--);
    }
    if (this.warming && this.warm.length < this.cfg.poolSize) this.warm.push(this.startWorker());
    const words = new Int32Array(this.slots, slot * SLOT_BYTES, SLOT_WORDS);
    words.fill(0);
    const p: HostProcess = {
      pid, name: img.name, slot, words, memory, bytes: new Uint8Array(memory.buffer), worker, fiber: null, resumedInCall: false, inCall: false,
    };
    this.table.set(pid, p);
    const a: Assignment = {
      pid, name: img.name, module: img.module, memory, slots: this.slots as SharedArrayBuffer, slot, bell: this.cfg.bell as SharedArrayBuffer, deterministic: this.cfg.deterministic,
    };
    worker.api.run(a).then(
      () => this.recycle(worker),
      (e: unknown) => {
        this.cfg.log(`a process Worker failed: ${e instanceof Error ? e.message : String(e)}`);
        this.retiring.delete(worker);
        worker.handle.terminate();
      },
    );
    return img.initialPages;
  }

  /** Solo mode's process_create: the process is a fiber, started by the loop at its first RESUME. */
  private createFiber(pid: number, name: string, module: WebAssembly.Module, memory: WebAssembly.Memory, slot: number, pages: number): number {
    const words = new Int32Array(this.slots, slot * SLOT_BYTES, SLOT_WORDS);
    words.fill(0);
    const fiber = new ProcessFiber({ pid, name, module, memory, words, slots: this.slots, slot, deterministic: this.cfg.deterministic });
    this.table.set(pid, {
      pid, name, slot, words, memory, bytes: new Uint8Array(memory.buffer), worker: null, fiber, resumedInCall: false, inCall: false,
    });
    return pages;
  }

  /** Solo mode: run every fiber the kernel has let run until it needs the kernel again. Returns whether any ran. */
  runFibers(): boolean {
    let ran = false;
    for (const p of this.table.values()) {
      if (p.fiber === null || !p.fiber.due()) continue;
      ran = true;
      p.fiber.step();
      // The program may have grown its memory (only through MEM_GROW, which renews the view), but a view is cheap.
      if (p.bytes.buffer !== p.memory.buffer) p.bytes = new Uint8Array(p.memory.buffer);
    }
    return ran;
  }

  /** process_destroy: tell the Worker its process is over (KILLED wakes it) and retire the Worker. */
  destroy(pid: number): void {
    const p = this.table.get(pid);
    if (p === undefined) return;
    Atomics.store(p.words, SLOT.STATE, SlotState.KILLED);
    Atomics.notify(p.words, SLOT.STATE);
    if (p.worker !== null) this.retiring.set(p.worker, nowMs() + RETIRE_MS);
    this.table.delete(pid);
    this.running.delete(pid);
    // Slots are reused last-in-last: a dying Worker can never write into a slot someone else holds yet.
    this.freeSlots.push(p.slot);
  }

  /** run: the syscall or safepoint the process waits in returns `result` (or it starts). */
  resume(pid: number, result: number): void {
    const p = this.table.get(pid);
    if (p === undefined) return;
    if (this.cfg.takeOver?.(pid, result) === true) return;
    if (p.inCall) p.resumedInCall = true;
    this.running.add(pid);
    const slot = p.words;
    slot[SLOT.RESULT] = result;
    Atomics.store(slot, SLOT.PREEMPT, 0);
    Atomics.store(slot, SLOT.STATE, SlotState.RESUME);
    wakeSleeper(slot, SLOT.STATE, SLOT.SLEEPING, SLOT.STAMP);
  }

  /**
   * Fault injection: answer the process's syscall with TRAP or HANG instead
   * of a result (it runs on, to trap or spin). Unlike resume(), a preemption
   * the kernel asked for stays asked: the kernel has not seen this syscall,
   * and a hung process must still come to its next safepoint, or the kernel
   * would wait for it forever and nothing else would run on its CPU.
   */
  sabotage(pid: number, state: typeof SlotState.TRAP | typeof SlotState.HANG): void {
    const p = this.table.get(pid);
    if (p === undefined) return;
    if (p.inCall) p.resumedInCall = true;
    this.running.add(pid);
    Atomics.store(p.words, SLOT.STATE, state);
    Atomics.notify(p.words, SLOT.STATE);
  }

  /** Is the process parked (blocked in a call, not running)? */
  parked(pid: number): boolean {
    return this.table.has(pid) && !this.running.has(pid);
  }

  /** preempt: ask the process to enter the kernel at its next safepoint. */
  preempt(pid: number): void {
    const p = this.table.get(pid);
    if (p !== undefined) Atomics.store(p.words, SLOT.PREEMPT, 1);
  }

  /** grow: grow a process memory by pages (already charged by the kernel); the old size, or -1. */
  grow(pid: number, pages: number): number {
    const p = this.table.get(pid);
    if (p === undefined) return -1;
    try {
      const old = p.memory.grow(pages);
      p.bytes = new Uint8Array(p.memory.buffer);
      return old;
    } catch {
      return -1;
    }
  }

  /**
   * A Worker whose process ended has unwound its program and is free: reuse
   * it for the next spawn. Workers stuck in a program that never returns are
   * terminated by reap() instead.
   */
  private recycle(worker: ProcessWorker): void {
    if (!this.retiring.delete(worker)) return;
    if (this.closed || this.warm.length >= 2 * this.cfg.poolSize) worker.handle.terminate();
    else this.warm.push(worker);
  }

  /** When the next retiring Worker is due to be terminated (Infinity: none is retiring). */
  nextRetireMs(): number {
    let next = Infinity;
    for (const deadline of this.retiring.values()) next = Math.min(next, deadline);
    return next;
  }

  /** Terminate the retiring Workers whose time is up. */
  reap(): void {
    const now = nowMs();
    for (const [worker, deadline] of this.retiring) {
      if (now < deadline) continue;
      this.retiring.delete(worker);
      worker.handle.terminate();
    }
  }

  /** End every process and every Worker (the machine stops). */
  close(): void {
    this.closed = true;
    for (const pid of [...this.table.keys()]) this.destroy(pid);
    for (const w of this.warm) w.handle.terminate();
    this.warm.length = 0;
    for (const w of this.retiring.keys()) w.handle.terminate();
    this.retiring.clear();
  }
}
