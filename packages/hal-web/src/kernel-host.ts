// The kernel host: kernel.wasm and every HAL import it needs, running in the
// kernel Worker.
//
// The host owns the process memories (shared WebAssembly.Memory objects, each
// with maximum = the process quota), starts one Worker per process, and
// serves their slots. Its loop is the machine's heartbeat: take every pending
// syscall, safepoint or fault from the slots to the kernel; move keystrokes
// into the UART; deliver interrupts while their lines are unmasked; tick the
// kernel's clock; then sleep on the doorbell until someone rings it. Every
// copy between process memories happens here, after the kernel has validated
// it. A kernel panic stops the machine and says why on the console.

import { KERNEL, ERR, FAULT, LIMITS, TRACE, TRACE_RECORD_BYTES, offsetOf, sizeOf, nameOf, spec, type KernelExports } from '@oncrix/abi';
import { SLOT, SLOT_BYTES, SLOT_WORDS, SlotState, BELL, ByteRing, RecordRing } from './shared.js';
import { createWorker, nowMs, yieldToEventLoop, type Port } from './platform.js';
import type { Device } from './devices/device.js';
import { Uart } from './devices/uart.js';
import { BootRom } from './devices/rom.js';
import { Entropy } from './devices/entropy.js';
import type { Assignment } from './process-worker.js';

/** A program image ready to run: a compiled module, or the reason it cannot run. */
export interface HostImage {
  name: string;
  module?: WebAssembly.Module;
  initialPages: number;
  error?: string;
}

/** Shared buffers between the host page (or CLI) and the kernel Worker. */
export interface SharedChannels {
  bell: SharedArrayBuffer;
  input: SharedArrayBuffer;
  output: SharedArrayBuffer;
  trace: SharedArrayBuffer;
  status: SharedArrayBuffer;
}

/** Words of the status buffer the host reads. */
export const STATUS = {
  /** MachineState. */
  STATE: 0,
  /** 1 while nothing can happen until input arrives (all processes wait, no deadline). */
  IDLE: 1,
  /** Processes alive. */
  PROCESSES: 2,
  /** Bumped at every idle transition, so a host can wait for "idle after my input". */
  IDLE_EPOCH: 3,
} as const;

export const MachineState = { BOOTING: 0, RUNNING: 1, PANIC: 2, STOPPED: 3 } as const;

export interface HostConfig {
  kernel: WebAssembly.Module;
  images: HostImage[];
  rom: Uint32Array;
  cpus: number;
  deterministic: boolean;
  budgetPages: number;
  rootQuota: number;
  /** Real-time mode: time slice in microseconds. */
  sliceUs: number;
  /** Deterministic mode: safepoints per slice, and virtual ns per safepoint. */
  sliceSafepoints: number;
  safepointNs: number;
  channels: SharedChannels;
  /** Warm process Workers kept ready for spawn. */
  poolSize: number;
  /** Called for a panic (after the console shows it). */
  onPanic(message: string): void;
}

/** Thrown by the panic import to unwind out of the kernel. */
class KernelPanic extends Error {}

interface HostProcess {
  pid: number;
  name: string;
  slot: number;
  /** The slot's words (a view made once). */
  words: Int32Array;
  memory: WebAssembly.Memory;
  /** A view of the process memory; renewed after it grows (growth happens only through mem_grow). */
  bytes: Uint8Array;
  port: Port;
  /** Set when the kernel called run() for this process while it was in a syscall. */
  resumedInCall: boolean;
  inCall: boolean;
}

const TICK_MS = 10;
/** How long an ended process's Worker has to report itself free before it is terminated. */
const RETIRE_MS = 200;
const SLICE_MS = 10;
/** How long the kernel Worker watches the doorbell before sleeping on it. */
const KERNEL_SPIN_MS = 0.2;

export class KernelHost {
  private readonly k: KernelExports;
  private readonly procs = new Map<number, HostProcess>();
  private readonly slots: SharedArrayBuffer;
  private readonly freeSlots: number[] = [];
  private readonly pool: Port[] = [];
  /** Workers of ended processes: back to the pool when they say they are free, terminated if they do not in time. */
  private readonly retiring = new Map<Port, number>();
  private readonly running = new Set<number>();
  private readonly irqMasked = new Map<number, boolean>();
  private readonly bell: Int32Array;
  private readonly status: Int32Array;
  private readonly input: ByteRing;
  private readonly output: ByteRing;
  private readonly trace: RecordRing;
  private readonly uart: Uart;
  readonly devices: Device[];
  private readonly bootMs = nowMs();
  private nextTickMs = 0;
  /** The kernel's next deadline (ns, -1: none) and when that is on this clock (ms), as of the last pass. */
  private deadline = -1;
  private deadlineMs = Infinity;
  /** What the status word says about idleness (kept here to avoid reading shared memory every pass). */
  private idleFlag = false;
  private pendingOut: number[] = [];
  private stopped = false;
  /** init's pid, and whether it has ended: when init ends, the machine stops (as a PC does when its OS shuts down). */
  private rootPid = 0;
  private rootEnded = false;

  constructor(private readonly cfg: HostConfig) {
    const ch = cfg.channels;
    this.bell = new Int32Array(ch.bell);
    this.status = new Int32Array(ch.status);
    this.input = new ByteRing(ch.input);
    this.output = new ByteRing(ch.output);
    this.trace = new RecordRing(ch.trace, TRACE_RECORD_BYTES);
    this.slots = new SharedArrayBuffer(SLOT_BYTES * LIMITS.MAX_PROCESSES);
    for (let i = 0; i < LIMITS.MAX_PROCESSES; i++) this.freeSlots.push(i);
    this.uart = new Uart((b) => this.emitByte(b));
    this.devices = [this.uart, new BootRom(cfg.rom), new Entropy(cfg.deterministic)];
    const instance = new WebAssembly.Instance(cfg.kernel, { hal: this.imports() });
    this.k = instance.exports as unknown as KernelExports;
    for (let i = 0; i < cfg.poolSize; i++) this.pool.push(this.newProcessWorker());
  }

  // ---- the HAL imports -------------------------------------------------------

  private kmem = new Uint8Array(0);
  /** The same memory as words (trace records are copied word by word); renewed with kmem. */
  private kwords = new Int32Array(0);

  /** A view of the kernel's memory, renewed only when the memory has grown (which replaces its buffer). */
  private kernelBytes(): Uint8Array {
    if (this.kmem.buffer !== this.k.memory.buffer) {
      this.kmem = new Uint8Array(this.k.memory.buffer);
      this.kwords = new Int32Array(this.k.memory.buffer);
    }
    return this.kmem;
  }

  /** The process memory as bytes (the view is renewed in mem_grow, the only way it grows). */
  private userBytes(pid: number): Uint8Array | undefined {
    return this.procs.get(pid)?.bytes;
  }

  private imports(): Record<string, (...args: number[]) => number | void> {
    const inRange = (mem: Uint8Array | undefined, ptr: number, len: number): mem is Uint8Array =>
      mem !== undefined && ptr + len <= mem.length;
    /** Copy len bytes; small copies (the common syscall arguments) by hand, without making views. */
    const copy = (from: Uint8Array, src: number, to: Uint8Array, dst: number, len: number): void => {
      if (len <= 64) for (let i = 0; i < len; i++) to[dst + i] = from[src + i] ?? 0;
      else to.set(from.subarray(src, src + len), dst);
    };
    return {
      now: () => (nowMs() - this.bootMs) * 1e6,
      copy_from_user: (pid, uptr, kptr, len) => {
        const mem = this.userBytes(pid);
        if (!inRange(mem, uptr >>> 0, len >>> 0)) return -1;
        copy(mem, uptr >>> 0, this.kernelBytes(), kptr >>> 0, len >>> 0);
        return 0;
      },
      copy_to_user: (pid, kptr, uptr, len) => {
        const mem = this.userBytes(pid);
        if (!inRange(mem, uptr >>> 0, len >>> 0)) return -1;
        copy(this.kernelBytes(), kptr >>> 0, mem, uptr >>> 0, len >>> 0);
        return 0;
      },
      copy_between: (src, sptr, dst, dptr, len) => {
        const a = this.userBytes(src);
        const b = this.userBytes(dst);
        if (!inRange(a, sptr >>> 0, len >>> 0) || !inRange(b, dptr >>> 0, len >>> 0)) return -1;
        copy(a, sptr >>> 0, b, dptr >>> 0, len >>> 0);
        return 0;
      },
      mem_size: (pid) => this.procs.get(pid)?.bytes.length ?? 0,
      mem_grow: (pid, pages) => {
        const p = this.procs.get(pid);
        if (p === undefined) return -1;
        try {
          const old = p.memory.grow(pages);
          p.bytes = new Uint8Array(p.memory.buffer);
          return old;
        } catch {
          return -1;
        }
      },
      process_create: (pid, image, quota) => this.createProcess(pid, image, quota),
      process_destroy: (pid) => this.destroyProcess(pid),
      run: (pid, _cpu, result) => this.resume(pid, result),
      preempt: (pid) => {
        const p = this.procs.get(pid);
        if (p !== undefined) Atomics.store(this.slotOf(p), SLOT.PREEMPT, 1);
      },
      dev_read: (dev, reg) => this.devices[dev]?.read(reg) ?? 0,
      dev_write: (dev, reg, value) => this.devices[dev]?.write(reg, value),
      irq_mask: (line, masked) => {
        this.irqMasked.set(line, masked !== 0);
      },
      trace: (ptr, len) => {
        const bytes = this.kernelBytes();
        for (let at = ptr >>> 0, end = at + (len >>> 0); at + TRACE_RECORD_BYTES <= end; at += TRACE_RECORD_BYTES) {
          this.trace.push(this.kwords, at >> 2);
          this.watchLog(bytes, at);
        }
      },
      panic: (ptr, len) => {
        const text = new TextDecoder().decode(this.kernelBytes().slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0)));
        throw new KernelPanic(text);
      },
    };
  }

  // ---- processes -------------------------------------------------------------

  private newProcessWorker(): Port {
    const port = createWorker('./process-worker.js', () => new Worker(new URL('./process-worker.ts', import.meta.url), { type: 'module' }));
    port.onMessage((m) => {
      if ((m as { type?: string }).type === 'free') this.recycle(port);
    });
    port.onError((e) => this.log(`a process Worker failed: ${e.message}`));
    return port;
  }

  /**
   * A Worker whose process ended has unwound its program and is free: reuse
   * it for the next spawn (starting a Worker costs milliseconds). Workers
   * stuck in a program that never returns (killed while spinning) are
   * terminated by reapRetiring instead.
   */
  private recycle(port: Port): void {
    if (!this.retiring.delete(port)) return;
    if (this.stopped || this.pool.length >= 2 * this.cfg.poolSize) port.terminate();
    else this.pool.push(port);
  }

  private reapRetiring(): void {
    const now = nowMs();
    for (const [port, deadline] of this.retiring) {
      if (now < deadline) continue;
      this.retiring.delete(port);
      port.terminate();
    }
  }

  private slotOf(p: HostProcess): Int32Array {
    return p.words;
  }

  private createProcess(pid: number, image: number, quota: number): number {
    const img = this.cfg.images[image];
    if (img === undefined) return ERR.NOT_FOUND;
    if (img.module === undefined) {
      this.log(`cannot start ${img.name}: ${img.error ?? 'not loaded'}`);
      return ERR.INVALID_ARGS;
    }
    if (img.initialPages > quota) return img.initialPages; // the kernel refuses it (over quota)
    const slot = this.freeSlots.shift();
    if (slot === undefined) return ERR.LIMIT;
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: img.initialPages, maximum: quota, shared: true });
    } catch {
      this.freeSlots.push(slot);
      return ERR.NO_MEMORY;
    }
    const port = this.pool.shift() ?? this.newProcessWorker();
    if (this.pool.length < this.cfg.poolSize) this.pool.push(this.newProcessWorker());
    const words = new Int32Array(this.slots, slot * SLOT_BYTES, SLOT_WORDS);
    words.fill(0);
    const p: HostProcess = {
      pid, name: img.name, slot, words, memory, bytes: new Uint8Array(memory.buffer), port, resumedInCall: false, inCall: false,
    };
    this.procs.set(pid, p);
    const msg: Assignment = {
      type: 'assign', pid, name: img.name, module: img.module, memory, slots: this.slots, slot, bell: this.cfg.channels.bell,
      deterministic: this.cfg.deterministic,
    };
    port.post(msg);
    return img.initialPages;
  }

  private destroyProcess(pid: number): void {
    const p = this.procs.get(pid);
    if (p === undefined) return;
    if (pid === this.rootPid && !this.stopped) this.rootEnded = true; // the loop stops the machine after this entry
    const slot = this.slotOf(p);
    Atomics.store(slot, SLOT.STATE, SlotState.KILLED);
    Atomics.notify(slot, SLOT.STATE);
    this.retiring.set(p.port, nowMs() + RETIRE_MS);
    this.procs.delete(pid);
    this.running.delete(pid);
    // Slots are reused last-in-last: a dying Worker can never write into a slot someone else holds yet.
    this.freeSlots.push(p.slot);
  }

  private resume(pid: number, result: number): void {
    const p = this.procs.get(pid);
    if (p === undefined) return;
    if (p.inCall) p.resumedInCall = true;
    this.running.add(pid);
    const slot = this.slotOf(p);
    slot[SLOT.RESULT] = result;
    Atomics.store(slot, SLOT.PREEMPT, 0);
    Atomics.store(slot, SLOT.STATE, SlotState.RESUME);
    Atomics.notify(slot, SLOT.STATE);
  }

  /** Enter the kernel for process p (its syscall, or a safepoint); answer it unless it blocked. (A panic unwinds through here.) */
  private enter(p: HostProcess, syscall: boolean): void {
    const slot = p.words;
    Atomics.store(slot, SLOT.STATE, SlotState.IDLE); // taken: the kernel has it now
    p.inCall = true;
    p.resumedInCall = false;
    const r = syscall
      ? this.k.syscall(p.pid, slot[SLOT.NR] ?? 0, slot[SLOT.ARGS] ?? 0, slot[SLOT.ARGS + 1] ?? 0, slot[SLOT.ARGS + 2] ?? 0,
        slot[SLOT.ARGS + 3] ?? 0, slot[SLOT.ARGS + 4] ?? 0, slot[SLOT.ARGS + 5] ?? 0)
      : this.k.safepoint(p.pid);
    p.inCall = false;
    if (r !== KERNEL.BLOCKED) {
      this.resume(p.pid, r);
    } else if (!p.resumedInCall) {
      this.running.delete(p.pid);
      Atomics.compareExchange(slot, SLOT.STATE, SlotState.IDLE, SlotState.PARKED);
    }
  }

  /** Serve every slot that waits for the kernel. Returns whether anything happened. */
  private serviceSlots(): boolean {
    let progress = false;
    for (const p of this.procs.values()) {
      const slot = this.slotOf(p);
      const state = Atomics.load(slot, SLOT.STATE);
      if (state === SlotState.REQUEST) {
        progress = true;
        this.enter(p, true);
      } else if (state === SlotState.SAFEPOINT) {
        progress = true;
        this.enter(p, false);
      } else if (state === SlotState.FAULT) {
        progress = true;
        Atomics.store(slot, SLOT.STATE, SlotState.IDLE);
        const len = slot[SLOT.TEXT_LEN] ?? 0;
        const text = new TextDecoder().decode(new Uint8Array(this.slots, p.slot * SLOT_BYTES + SLOT.TEXT * 4, len).slice());
        const reason = slot[SLOT.FAULT] ?? FAULT.TRAP;
        this.log(`pid ${p.pid} (${p.name}) ${nameOf(spec.Fault, reason)?.toLowerCase() ?? 'fault'}: ${text}`);
        this.k.fault(p.pid, reason);
      }
    }
    return progress;
  }

  // ---- devices and time ------------------------------------------------------

  private emitByte(b: number): void {
    this.pendingOut.push(b);
    this.flushOutput();
  }

  private flushOutput(): void {
    if (this.pendingOut.length === 0) return;
    const n = this.output.write(Uint8Array.from(this.pendingOut));
    this.pendingOut = this.pendingOut.slice(n);
  }

  /** A line from the HAL itself on the console (faults, load errors, panic). */
  log(text: string): void {
    for (const b of new TextEncoder().encode(`\r\n[oncrix] ${text}\r\n`)) this.pendingOut.push(b);
    this.flushOutput();
  }

  /**
   * DEBUG_LOG lines are the kernel log: besides the trace, show them on the
   * console, as a kernel prints its log to its console. A LOG record is
   * followed by DATA records with the text.
   */
  private logLine: { pid: number; text: number[]; left: number } | null = null;

  private watchLog(bytes: Uint8Array, at: number): void {
    const kind = (bytes[at + 4] ?? 0) | ((bytes[at + 5] ?? 0) << 8);
    if (kind !== TRACE.LOG && (kind !== TRACE.DATA || this.logLine === null) && this.logLine === null) return;
    const view = new DataView(bytes.buffer, at, TRACE_RECORD_BYTES);
    if (kind === TRACE.LOG) {
      this.logLine = { pid: view.getInt32(16, true), text: [], left: view.getInt32(20, true) };
    } else if (kind === TRACE.DATA && this.logLine !== null) {
      const n = view.getUint8(7);
      for (let i = 0; i < n; i++) this.logLine.text.push(bytes[at + 20 + i] ?? 0);
      this.logLine.left -= n;
    }
    const line = this.logLine;
    if (line !== null && (line.left <= 0 || (kind !== TRACE.LOG && kind !== TRACE.DATA))) {
      this.logLine = null;
      this.log(`${new TextDecoder().decode(Uint8Array.from(line.text)).replace(/\n$/, '')}`);
    }
  }

  /** Deliver every asserted interrupt whose line is unmasked (the kernel masks it until ack). */
  private deliverIrqs(): boolean {
    let any = false;
    for (const d of this.devices) {
      if (d.irq === undefined || !d.irqPending() || this.irqMasked.get(d.irq) !== false) continue;
      this.k.irq(d.irq);
      any = true;
    }
    return any;
  }

  private kernelNs(): number {
    return this.cfg.deterministic ? this.k.kernel_time() : (nowMs() - this.bootMs) * 1e6;
  }

  // ---- boot and the loop -----------------------------------------------------

  /** Write the BootInfo and run the kernel's init(). Returns init's pid. */
  boot(): number {
    const base = this.k.boot_info_area();
    const v = new DataView(this.k.memory.buffer);
    const put = (field: Parameters<typeof offsetOf<'BootInfo'>>[1], value: number): void =>
      v.setUint32(base + offsetOf('BootInfo', field), value, true);
    put('cpus', this.cfg.cpus);
    put('flags', this.cfg.deterministic ? KERNEL.FLAG_DETERMINISTIC : 0);
    put('budgetPages', this.cfg.budgetPages);
    put('sliceSafepoints', this.cfg.sliceSafepoints);
    put('sliceUs', this.cfg.sliceUs);
    put('rootImage', 0);
    put('rootQuota', this.cfg.rootQuota);
    put('rootPriority', LIMITS.PRIORITY_MAX);
    put('numDevices', this.devices.length);
    put('safepointNs', this.cfg.safepointNs);
    this.devices.forEach((d, i) => {
      const at = base + sizeOf('BootInfo') + i * sizeOf('BootDevice');
      v.setUint32(at + offsetOf('BootDevice', 'device'), i, true);
      v.setUint32(at + offsetOf('BootDevice', 'registers'), d.registers, true);
      v.setInt32(at + offsetOf('BootDevice', 'irq'), d.irq ?? -1, true);
    });
    const pid = this.guard(() => this.k.init());
    if (pid < 0) throw new Error(`kernel refused to boot: ${nameOf(spec.Err, pid) ?? pid}`);
    this.rootPid = pid;
    Atomics.store(this.status, STATUS.STATE, MachineState.RUNNING);
    return pid;
  }

  /** Run a kernel entry; turn a panic into a stopped machine with the reason on the console. */
  private guard(entry: () => number): number {
    try {
      return entry();
    } catch (e) {
      if (e instanceof KernelPanic) {
        this.panicked(e.message);
        return KERNEL.BLOCKED;
      }
      throw e;
    }
  }

  private panicked(message: string): void {
    this.log(`*** ${message}`);
    this.log('*** the machine has stopped. Reset to start again.');
    Atomics.store(this.status, STATUS.STATE, MachineState.PANIC);
    this.stop();
    this.cfg.onPanic(message);
  }

  /** One pass over everything that may need the kernel. */
  private step(): boolean {
    let progress = this.serviceSlots();
    const now = nowMs();
    const idle = this.running.size === 0 && !progress;
    if (this.cfg.deterministic) {
      if (idle) {
        const d = this.k.next_deadline();
        if (d >= 0) {
          this.k.tick(d);
          progress = true;
        } else if (this.input.available() > 0) {
          this.uart.receive(this.input.read());
          progress = true;
        }
      }
    } else {
      if (this.input.available() > 0) {
        this.uart.receive(this.input.read());
        progress = true;
      }
      if (now >= this.nextTickMs || (this.deadline >= 0 && now >= this.deadlineMs)) {
        this.k.tick(this.kernelNs());
        this.nextTickMs = now + TICK_MS;
        progress = true;
      }
    }
    if (this.deliverIrqs()) progress = true;
    if (this.pendingOut.length > 0) this.flushOutput();
    this.deadline = this.k.next_deadline();
    this.deadlineMs = this.deadline >= 0 ? this.bootMs + this.deadline / 1e6 : Infinity;
    if (progress) {
      if (this.idleFlag) {
        this.idleFlag = false;
        Atomics.store(this.status, STATUS.IDLE, 0);
      }
      return true;
    }
    Atomics.store(this.status, STATUS.PROCESSES, this.procs.size);
    const quiet = this.running.size === 0 && this.input.available() === 0 && this.uart.pendingInput() === 0 && this.deadline < 0;
    if (quiet && !this.idleFlag) Atomics.add(this.status, STATUS.IDLE_EPOCH, 1);
    this.idleFlag = quiet;
    Atomics.store(this.status, STATUS.IDLE, quiet ? 1 : 0);
    return false;
  }

  /**
   * Before sleeping, watch the doorbell a little while: a process that just
   * got an answer often makes its next call within microseconds, and waking a
   * sleeping thread costs far more than that. Returns true if it rang.
   */
  private spinForBell(seen: number): boolean {
    if (this.running.size === 0) return false; // nobody can ring soon: sleep now
    const until = nowMs() + KERNEL_SPIN_MS;
    while (nowMs() < until) if (Atomics.load(this.bell, BELL.RING) !== seen) return true;
    return false;
  }

  /** How long the loop may sleep on the doorbell. */
  private sleepMs(): number {
    if (this.cfg.deterministic) return this.running.size === 0 ? 50 : 2;
    const now = nowMs();
    return Math.max(0, Math.min(TICK_MS, this.deadlineMs - now, this.nextTickMs - now));
  }

  /** The heartbeat: serve the machine until stop(), yielding to the event loop every few milliseconds. */
  async run(): Promise<void> {
    while (!this.stopped) {
      const sliceEnd = nowMs() + SLICE_MS;
      while (!this.stopped && nowMs() < sliceEnd) {
        const seen = Atomics.load(this.bell, BELL.RING);
        let progress: boolean;
        try {
          progress = this.step();
        } catch (e) {
          if (e instanceof KernelPanic) {
            this.panicked(e.message);
            break;
          }
          throw e;
        }
        if (Atomics.load(this.bell, BELL.STOP) !== 0) this.stop();
        if (this.rootEnded && !this.stopped) {
          this.log('init has ended: the machine stops.');
          this.stop();
        }
        if (!progress && !this.spinForBell(seen)) Atomics.wait(this.bell, BELL.RING, seen, Math.min(this.sleepMs(), sliceEnd - nowMs()));
      }
      await yieldToEventLoop();
      this.reapRetiring();
    }
    this.flushOutput();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const pid of [...this.procs.keys()]) this.destroyProcess(pid);
    for (const w of this.pool) w.terminate();
    this.pool.length = 0;
    for (const w of this.retiring.keys()) w.terminate();
    this.retiring.clear();
    if (Atomics.load(this.status, STATUS.STATE) !== MachineState.PANIC) Atomics.store(this.status, STATUS.STATE, MachineState.STOPPED);
  }

  stat(which: number): number {
    return this.k.debug_stat(which);
  }
}
