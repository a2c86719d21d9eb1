// The kernel host: kernel.wasm and its machine, running in the kernel Worker.
//
// This file is the machine's heartbeat; the parts it drives live beside it:
// the HAL imports the kernel calls (hal-imports.ts), the processes and the
// Workers they run on (process-pool.ts), the device models (devices/) and
// the console ring (console-out.ts). Each pass of the loop takes every
// pending syscall, safepoint or fault from the slots to the kernel; moves
// keystrokes into the UART; delivers interrupts while their lines are
// unmasked; ticks the kernel's clock; publishes the status words; then, with
// nothing to do, sleeps on the doorbell until someone rings it. A kernel
// panic stops the machine and says why on the console.

import { KERNEL, FAULT, LIMITS, TRACE_RECORD_BYTES, offsetOf, sizeOf, nameOf, spec, type KernelExports } from '@oncrix/abi';
import { SLOT, SLOT_BYTES, SlotState, BELL, ByteRing, RecordRing, STATUS, MachineState, type SharedChannels } from './shared.js';
import { nowMs, yieldToEventLoop } from './platform.js';
import { halImports, KernelMemory, KernelPanic } from './hal-imports.js';
import { ProcessPool, type HostImage, type HostProcess } from './process-pool.js';
import { ConsoleOut } from './console-out.js';
import type { Device } from './devices/device.js';
import { Uart } from './devices/uart.js';
import { BootRom } from './devices/rom.js';
import { Entropy } from './devices/entropy.js';

export type { HostImage } from './process-pool.js';

export interface HostConfig {
  kernel: WebAssembly.Module;
  /** The image table (entries may be replaced while the machine runs, never added). */
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
}

const TICK_MS = 10;
const SLICE_MS = 10;
/** How long the kernel Worker watches the doorbell before sleeping on it. */
const KERNEL_SPIN_MS = 0.2;

export class KernelHost {
  private readonly k: KernelExports;
  private readonly procs: ProcessPool;
  private readonly irqMasked = new Map<number, boolean>();
  private readonly bell: Int32Array;
  private readonly status: Int32Array;
  private readonly input: ByteRing;
  private readonly console: ConsoleOut;
  private readonly uart: Uart;
  readonly devices: Device[];
  private readonly bootMs = nowMs();
  private nextTickMs = 0;
  /** The kernel's next deadline (ns, -1: none) and when that is on this clock (ms), as of the last pass. */
  private deadline = -1;
  private deadlineMs = Infinity;
  /** What the status word says about idleness (kept here to avoid reading shared memory every pass). */
  private idleFlag = false;
  private stopped = false;
  /** Set when the machine panicked: the kernel's message. */
  panicMessage: string | null = null;
  /** init's pid, and whether it has ended: when init ends, the machine stops (as a PC does when its OS shuts down). */
  private rootPid = 0;
  private rootEnded = false;

  constructor(private readonly cfg: HostConfig) {
    const ch = cfg.channels;
    this.bell = new Int32Array(ch.bell);
    this.status = new Int32Array(ch.status);
    this.input = new ByteRing(ch.input);
    this.console = new ConsoleOut(new ByteRing(ch.output));
    this.uart = new Uart((b) => this.console.byte(b));
    this.devices = [this.uart, new BootRom(cfg.rom), new Entropy(cfg.deterministic)];
    this.procs = new ProcessPool({
      images: cfg.images, poolSize: cfg.poolSize, deterministic: cfg.deterministic, bell: ch.bell, log: (text) => this.log(text),
    });
    const kernel = new KernelMemory();
    const imports = halImports({
      kernel, processes: this.procs, devices: this.devices, irqMasked: this.irqMasked,
      trace: new RecordRing(ch.trace, TRACE_RECORD_BYTES), console: this.console, bootMs: this.bootMs,
      ended: (pid) => {
        if (pid === this.rootPid && !this.stopped) this.rootEnded = true; // the loop stops the machine after this entry
      },
    });
    const instance = new WebAssembly.Instance(cfg.kernel, { hal: imports });
    this.k = instance.exports as unknown as KernelExports;
    kernel.attach(this.k.memory);
  }

  /** A line from the HAL itself on the console (faults, load errors, panic). */
  log(text: string): void {
    this.console.log(text);
  }

  // ---- boot ------------------------------------------------------------------

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
    put('realtimeSec', this.cfg.deterministic ? 0 : Math.floor(Date.now() / 1000));
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
    this.panicMessage = message;
    Atomics.store(this.status, STATUS.STATE, MachineState.PANIC);
    this.stop();
  }

  // ---- serving the slots -----------------------------------------------------

  /** Enter the kernel for process p (its syscall, a WASI call's wide entry, or a safepoint); answer it unless it blocked. (A panic unwinds through here.) */
  private enter(p: HostProcess, state: number): void {
    const slot = p.words;
    Atomics.store(slot, SLOT.STATE, SlotState.IDLE); // taken: the kernel has it now
    p.inCall = true;
    p.resumedInCall = false;
    let r: number;
    if (state === SlotState.REQUEST) {
      r = this.k.syscall(p.pid, slot[SLOT.NR] ?? 0, slot[SLOT.ARGS] ?? 0, slot[SLOT.ARGS + 1] ?? 0, slot[SLOT.ARGS + 2] ?? 0,
        slot[SLOT.ARGS + 3] ?? 0, slot[SLOT.ARGS + 4] ?? 0, slot[SLOT.ARGS + 5] ?? 0);
    } else if (state === SlotState.REQUEST_WIDE) {
      new Uint32Array(this.k.memory.buffer, this.k.wide_args_area(), LIMITS.WIDE_ARGS * 2).set(slot.subarray(SLOT.TEXT, SLOT.TEXT + LIMITS.WIDE_ARGS * 2));
      r = this.k.syscall_wide(p.pid, slot[SLOT.NR] ?? 0);
    } else {
      r = this.k.safepoint(p.pid);
    }
    p.inCall = false;
    if (r !== KERNEL.BLOCKED) {
      this.procs.resume(p.pid, r);
    } else if (!p.resumedInCall) {
      this.procs.running.delete(p.pid);
      Atomics.compareExchange(slot, SLOT.STATE, SlotState.IDLE, SlotState.PARKED);
    }
  }

  /** Serve every slot that waits for the kernel. Returns whether anything happened. */
  private serviceSlots(): boolean {
    let progress = false;
    for (const p of this.procs.table.values()) {
      const slot = p.words;
      const state = Atomics.load(slot, SLOT.STATE);
      if (state === SlotState.REQUEST || state === SlotState.REQUEST_WIDE || state === SlotState.SAFEPOINT) {
        progress = true;
        this.enter(p, state);
      } else if (state === SlotState.FAULT) {
        progress = true;
        Atomics.store(slot, SLOT.STATE, SlotState.IDLE);
        const len = slot[SLOT.TEXT_LEN] ?? 0;
        const text = new TextDecoder().decode(new Uint8Array(this.procs.slots, p.slot * SLOT_BYTES + SLOT.TEXT * 4, len).slice());
        const reason = slot[SLOT.FAULT] ?? FAULT.TRAP;
        this.log(`pid ${p.pid} (${p.name}) ${nameOf(spec.Fault, reason)?.toLowerCase() ?? 'fault'}: ${text}`);
        this.k.fault(p.pid, reason);
      }
    }
    return progress;
  }

  // ---- devices and time ------------------------------------------------------

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

  // ---- the loop --------------------------------------------------------------

  /** One pass over everything that may need the kernel. */
  private step(): boolean {
    let progress = this.serviceSlots();
    const now = nowMs();
    const running = this.procs.running;
    const idle = running.size === 0 && !progress;
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
    if (this.console.waiting()) this.console.flush();
    this.deadline = this.k.next_deadline();
    this.deadlineMs = this.deadline >= 0 ? this.bootMs + this.deadline / 1e6 : Infinity;
    if (progress) {
      if (this.idleFlag) {
        this.idleFlag = false;
        Atomics.store(this.status, STATUS.IDLE, 0);
      }
      return true;
    }
    Atomics.store(this.status, STATUS.PROCESSES, this.procs.table.size);
    const quiet = running.size === 0 && this.input.available() === 0 && this.uart.pendingInput() === 0 && this.deadline < 0;
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
    if (this.procs.running.size === 0) return false; // nobody can ring soon: sleep now
    const until = nowMs() + KERNEL_SPIN_MS;
    while (nowMs() < until) if (Atomics.load(this.bell, BELL.RING) !== seen) return true;
    return false;
  }

  /** How long the loop may sleep on the doorbell. */
  private sleepMs(): number {
    if (this.cfg.deterministic) return this.procs.running.size === 0 ? 50 : 2;
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
      this.procs.reap();
    }
    this.console.flush();
  }

  /** Stop the machine: every process ends and every process Worker goes. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.procs.close();
    if (Atomics.load(this.status, STATUS.STATE) !== MachineState.PANIC) Atomics.store(this.status, STATUS.STATE, MachineState.STOPPED);
  }

  stat(which: number): number {
    return this.k.debug_stat(which);
  }
}
