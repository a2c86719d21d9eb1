// The host's handle on a running ONCRIX machine (the page's main thread, the
// CLI, the tests). It never blocks: it starts the kernel Worker and boots it
// with a control call (comlink), and then only reads and writes shared
// rings — console output, keyboard input, the trace — and status words. The
// few other control calls (replace a program, stop) are comlink calls too.

import { decodeTrace, TRACE_RECORD_BYTES, type TraceEvent } from '@oncrix/abi';
import { parseManifest, encodeBootRom, bootDevices, type Manifest } from '@oncrix/boot';
import { releaseProxy, transfer, type Remote } from 'comlink';
import { ByteRing, RecordRing, BELL, STATUS, MachineState, canShareMemory, channelBuffer, wakeSleeper, BELL_BYTES, type SharedChannels } from './shared.js';
import { HostRelay } from './relay.js';
import { initPlatform, isNode, type WorkerHandle } from './platform.js';
import { startKernelWorker, type KernelWorker } from './kernel-worker-start.js';
import type { BootRequest, KernelWorkerApi, ProgramSource, WasmSource, FileJob, FileAnswer } from './kernel-worker.js';
import type { HostIoConfig } from './devices/host.js';
import { parseInjectSpec, type InjectSpec, type Strike } from './inject.js';

export type { PackedWasm, ProgramSource, WasmSource, FileJob, FileAnswer } from './kernel-worker.js';
export type { InjectAction, InjectSpec, Strike } from './inject.js';
export { parseInjectSpec } from './inject.js';

export interface SystemOptions {
  /** kernel.wasm: its bytes, or an absolute URL the kernel Worker fetches it from (so do the programs'). */
  kernel: WasmSource;
  /** Program images; the first must be init. */
  programs: ProgramSource[];
  /** The boot manifest (JSON text or value); checked before boot. */
  manifest: string | unknown;
  /**
   * Shell start-up script: text lines, carried as the boot ROM's trailer.
   * Init gives it to programs with {"script": true}; sh runs each non-empty
   * line before its first prompt. Empty or absent: the ROM has no trailer.
   */
  script?: string;
  /** Override the manifest's CPU count / deterministic flag. */
  cpus?: number;
  deterministic?: boolean;
  /** Trace records kept for readers that fall behind (default 65,536). */
  traceSlots?: number;
  /** Warm process Workers (default 2). */
  poolSize?: number;
  /**
   * `oncrix run` (Node only): the machine gets the host device (devices/host.ts)
   * as its last device, with these arguments, environment and directories;
   * stdout, stderr and stdin are the streams of readStream / writeStdin.
   */
  host?: HostIoConfig;
  /**
   * The playground: the machine gets the files device (the page's file
   * browser asks the `files` driver through it) and the loader device (sh
   * runs .wasm files from the file system through it), after the others.
   */
  page?: boolean;
  /**
   * Faults to inject (`ACTION:PROGRAM[:POINT][:xTIMES]`, inject.ts), and the
   * seed of their random points (default 1).
   */
  inject?: (string | InjectSpec)[];
  seed?: number;
  /**
   * Solo mode: every process a fiber in the kernel Worker (process-fiber.ts),
   * programs loaded with the loader's 'solo' variant (Asyncify) — the web HAL
   * where processes cannot have shared memory. Prepared programs must then be
   * the 'solo' variant (userland build/solo/); raw ones are loaded as 'solo' on first spawn.
   */
  solo?: boolean;
  /**
   * How the host and the kernel Worker talk: 'shared' rings (the default where
   * SharedArrayBuffer is there), or 'messages' (relay.ts: the default without
   * it; needs `solo`, since process memories cannot be shared either).
   */
  transport?: 'shared' | 'messages';
  /**
   * A kernel Worker started ahead (kernel-worker-start.ts) to boot instead of
   * starting one; it is terminated if the boot fails.
   */
  worker?: KernelWorker;
}

export class OncrixSystem {
  readonly manifest: Manifest;
  private readonly bell: Int32Array;
  private readonly status: Int32Array;
  private readonly input: ByteRing;
  private readonly output: ByteRing;
  private readonly traceRing: RecordRing;
  private readonly streams: { stdin: ByteRing; stdout: ByteRing; stderr: ByteRing } | null;
  private panicMessage: string | null = null;
  /** Settles when the kernel Worker's machine has stopped. */
  private readonly stopped: Promise<void>;
  /** Trace records lost because nobody read them in time. */
  traceLost = 0;

  private constructor(
    private readonly worker: WorkerHandle,
    private readonly kernel: Remote<KernelWorkerApi>,
    manifest: Manifest,
    ch: SharedChannels,
    /** Without shared memory: the relay that fills this side's copies of the rings (relay.ts). */
    private readonly relay: HostRelay | null = null,
  ) {
    this.manifest = manifest;
    this.bell = new Int32Array(ch.bell);
    this.status = new Int32Array(ch.status);
    this.input = new ByteRing(ch.input);
    this.output = new ByteRing(ch.output);
    this.traceRing = new RecordRing(ch.trace, TRACE_RECORD_BYTES);
    this.streams = ch.host !== undefined
      ? { stdin: new ByteRing(ch.host.stdin), stdout: new ByteRing(ch.host.stdout), stderr: new ByteRing(ch.host.stderr) }
      : null;
    this.stopped = kernel.stopped().then(
      (panic) => {
        this.panicMessage = panic;
      },
      () => undefined, // the Worker went away: nothing more to learn
    );
  }

  /** Check the manifest, start the kernel Worker and boot. Rejects with a clear message on bad input. */
  static async boot(opts: SystemOptions): Promise<OncrixSystem> {
    const names = opts.programs.map((p) => p.name);
    if (names[0] !== 'init') throw new Error('the first program image must be init');
    // The kernel Worker's script loads while the manifest is checked below (a browser starts the Worker at
    // once; Node first makes sure of its platform).
    if (isNode) await initPlatform();
    const worker = opts.worker ?? startKernelWorker();
    try {
      return await OncrixSystem.bootOn(worker, opts, names);
    } catch (e) {
      worker.handle.terminate();
      throw e;
    }
  }

  private static async bootOn({ handle: worker, api: kernel }: KernelWorker, opts: SystemOptions, names: string[]): Promise<OncrixSystem> {
    const inject = (opts.inject ?? []).map((s) => (typeof s === 'string' ? parseInjectSpec(s) : s));
    for (const s of inject) if (!names.includes(s.target)) throw new Error(`inject: no program named ${s.target} (programs: ${names.join(', ')})`);
    // The ROM size decides the rom device's register count; encode once to learn it, then check against the real table.
    const withHost = { host: opts.host !== undefined, page: opts.page === true };
    const draft = parseManifest(opts.manifest, names, bootDevices(0, withHost));
    const manifest: Manifest = { ...draft };
    if (opts.cpus !== undefined) manifest.cpus = opts.cpus;
    if (opts.deterministic !== undefined) manifest.deterministic = opts.deterministic;
    const devices = bootDevices(0, withHost);
    const rom = encodeBootRom(manifest, names, devices, opts.script);
    const shared = (opts.transport ?? (canShareMemory() ? 'shared' : 'messages')) === 'shared';
    if (!shared && opts.solo !== true) throw new Error('without shared memory the machine can only run in solo mode (SystemOptions.solo)');
    if (!shared && opts.host !== undefined) throw new Error('the host device (oncrix run) needs shared memory');
    const channels: SharedChannels = {
      bell: channelBuffer(BELL_BYTES, shared),
      input: new ByteRing(1 << 16, shared).sab,
      output: new ByteRing(1 << 20, shared).sab,
      trace: new RecordRing(opts.traceSlots ?? 65536, TRACE_RECORD_BYTES, shared).sab,
      status: channelBuffer(64, shared),
    };
    if (opts.host !== undefined) {
      channels.host = { stdin: new SharedArrayBuffer(8 + (1 << 16)), stdout: new SharedArrayBuffer(8 + (1 << 20)), stderr: new SharedArrayBuffer(8 + (1 << 16)) };
    }
    // A Worker that fails to load answers no call: its error rejects the boot instead.
    const failed = new Promise<never>((_, reject) => worker.onError(reject));
    failed.catch(() => undefined); // after boot, an error has nobody waiting for it
    const request: BootRequest = {
      kernel: opts.kernel, programs: opts.programs, rom, cpus: manifest.cpus ?? 1,
      deterministic: manifest.deterministic ?? false, budgetPages: manifest.budgetPages ?? 4096, channels,
      poolSize: opts.poolSize ?? 2, bootProcesses: 1 + manifest.programs.length, inject, seed: opts.seed ?? 1,
    };
    if (opts.host !== undefined) request.host = opts.host;
    if (opts.page === true) request.page = true;
    if (opts.solo === true) request.solo = true;
    let relay: HostRelay | null = null;
    let boot: Promise<number>;
    if (shared) boot = kernel.boot(request);
    else {
      const pipe = new MessageChannel();
      relay = new HostRelay(pipe.port1, channels);
      request.port = pipe.port2;
      boot = kernel.boot(transfer(request, [pipe.port2]));
    }
    await Promise.race([boot, failed]);
    // The machine runs once boot() has answered; the relay's first copy of the status words may come later.
    if (relay !== null) Atomics.store(new Int32Array(channels.status), STATUS.STATE, MachineState.RUNNING);
    return new OncrixSystem(worker, kernel, manifest, channels, relay);
  }

  /**
   * Replace the program behind an image name that was in the boot image list
   * (raw WebAssembly; the kernel Worker runs it through the loader). Processes
   * spawned by that name afterwards run the new program. Rejects with the
   * loader's message when the module cannot be an ONCRIX program.
   */
  setProgram(name: string, bytes: Uint8Array): Promise<void> {
    this.control();
    return this.kernel.setProgram({ name, bytes, prepared: false });
  }

  /** Inject a fault now or later (a spec string or object, as SystemOptions.inject); `now` strikes at once. */
  async inject(spec: string | InjectSpec): Promise<void> {
    const s = typeof spec === 'string' ? parseInjectSpec(spec) : spec;
    this.control();
    await this.kernel.inject(s);
  }

  /**
   * A job for the `files` driver (machines booted with `page`): list a
   * directory, read a file, or write one, as that driver does it through
   * the vfs. Settles with its WASI errno and answer bytes.
   */
  files(job: FileJob): Promise<FileAnswer> {
    this.control();
    return this.kernel.files(job);
  }

  /** Every fault injected so far (which program, which pid, at which point). */
  strikes(): Promise<Strike[]> {
    this.control();
    return this.kernel.strikes();
  }

  /** A control call follows: ring the kernel Worker's control word, so its loop lets the call through at its next pass. */
  private control(): void {
    Atomics.add(this.bell, BELL.CONTROL, 1);
    this.ring();
  }

  /** Type into the console (keystrokes reach the UART). */
  write(data: string | Uint8Array): void {
    let bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    if (this.relay !== null) {
      this.relay.send(bytes);
      return;
    }
    while (bytes.length > 0) {
      const n = this.input.write(bytes);
      bytes = bytes.subarray(n);
      this.ring();
      if (bytes.length > 0 && n === 0) break; // the UART buffer is full: the rest is dropped, as on a real line
    }
  }

  private ring(): void {
    Atomics.add(this.bell, BELL.RING, 1);
    wakeSleeper(this.bell, BELL.RING, BELL.SLEEPING, BELL.STAMP);
  }

  /** Console output produced since the last call. */
  read(): Uint8Array {
    return this.output.read();
  }

  /** What the program behind the host device wrote to its stdout or stderr since the last call (empty without one). */
  readStream(which: 'stdout' | 'stderr'): Uint8Array {
    return this.streams?.[which].read() ?? new Uint8Array(0);
  }

  /** Feed the host device's stdin; returns how many bytes fit (the rest must wait for the program to read). */
  writeStdin(bytes: Uint8Array): number {
    const n = this.streams?.stdin.write(bytes) ?? 0;
    if (n > 0) this.ring();
    return n;
  }

  /** The host's stdin has ended: once the program has read what is left, it reads end of file. */
  endStdin(): void {
    Atomics.store(this.status, STATUS.STDIN_END, 1);
    this.ring();
  }

  /** init's exit code once it has exited (the session's: the shell's, or `oncrix run`'s program), else null. */
  exitCode(): number | null {
    return Atomics.load(this.status, STATUS.EXITED) === 1 ? Atomics.load(this.status, STATUS.EXIT_CODE) : null;
  }

  /** Trace events since the last call. */
  trace(): TraceEvent[] {
    const { bytes, lost } = this.traceRing.drain();
    this.traceLost += lost;
    return decodeTrace(bytes);
  }

  /**
   * Raw trace records since the last call, handed to `sink` in bulk (at
   * most two views of the trace ring, valid only during the call: copy what
   * you keep). Returns how many records that was.
   */
  drainTrace(sink: (bytes: Uint8Array) => void): number {
    let records = 0;
    this.traceLost += this.traceRing.drainTo((bytes) => {
      records += bytes.length / TRACE_RECORD_BYTES;
      sink(bytes);
    });
    return records;
  }

  /** Raw trace records since the last call (64 bytes each). */
  traceBytes(): Uint8Array {
    const { bytes, lost } = this.traceRing.drain();
    this.traceLost += lost;
    return bytes;
  }

  /**
   * Resolves when the machine has news for this host — console output not
   * read yet (and trace records, if `trace`), or a machine no longer
   * running — or after timeoutMs. A host that drains the rings only then
   * costs nothing while the machine idles.
   */
  async news(opts: { trace: boolean; timeoutMs?: number }): Promise<void> {
    const seen = Atomics.load(this.status, STATUS.NEWS);
    Atomics.store(this.status, STATUS.HOST_WAITS, opts.trace ? 2 : 1);
    // Checked after raising the flag: anything written before it is seen here, anything after it is announced.
    const streams = (this.streams?.stdout.available() ?? 0) + (this.streams?.stderr.available() ?? 0);
    const pending = this.output.available() > 0 || streams > 0 || (opts.trace && this.traceRing.unread() > 0) || this.state() !== 'running';
    if (!pending && this.relay !== null) await this.relay.next(opts.timeoutMs);
    else if (!pending) {
      const wait = Atomics.waitAsync(this.status, STATUS.NEWS, seen, opts.timeoutMs);
      if (wait.async) await wait.value;
    }
    Atomics.store(this.status, STATUS.HOST_WAITS, 0);
  }

  /** True while nothing can happen until input arrives. */
  idle(): boolean {
    return Atomics.load(this.status, STATUS.IDLE) === 1;
  }

  idleEpoch(): number {
    return Atomics.load(this.status, STATUS.IDLE_EPOCH);
  }

  state(): 'booting' | 'running' | 'panic' | 'stopped' {
    return (['booting', 'running', 'panic', 'stopped'] as const)[Atomics.load(this.status, STATUS.STATE)] ?? 'stopped';
  }

  /** The kernel panic message, if the machine panicked. */
  panic(): string | null {
    return this.panicMessage;
  }

  /** Stop the machine and its Workers. */
  async shutdown(): Promise<void> {
    if (Atomics.load(this.status, STATUS.STATE) === MachineState.RUNNING) {
      // The STOP word ends the loop at its next pass; the control call does the same when the loop next yields.
      Atomics.store(this.bell, BELL.STOP, 1);
      this.control();
      void this.kernel.stop();
      await Promise.race([this.stopped, new Promise((r) => setTimeout(r, 1000))]);
    }
    this.kernel[releaseProxy]();
    this.relay?.close();
    this.worker.terminate();
  }
}
