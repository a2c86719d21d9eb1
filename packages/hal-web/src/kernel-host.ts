// The kernel host: kernel.wasm and its machine, running in the kernel Worker.
//
// This file is the machine's heartbeat; the parts it drives live beside it:
// the HAL imports the kernel calls (hal-imports.ts), the processes and the
// Workers they run on (process-pool.ts), the device models (devices/) and
// the console ring (console-out.ts). Each pass of the loop takes every
// pending syscall, safepoint or fault from the slots to the kernel; moves
// keystrokes into the UART; delivers interrupts while their lines are
// unmasked; ticks the kernel's clock while processes run; publishes the
// status words. A kernel panic stops the machine and says why on the console.
//
// Between passes the loop waits for the doorbell as the platform's fastest
// hand-over between Workers does (a relay over Atomics.wait/notify): it
// watches the doorbell only within a learnt budget (SpinBudget: none once
// spinning stops paying, as on a small machine shared with other work) and
// then sleeps in Atomics.wait, so the core it leaves is there for the
// process it just woke. While processes run it never yields to the event loop — a
// comlink control call rings a word of its own (BELL.CONTROL) and is taken at
// the next pass, and the loop takes a turn at least every TURN_MS for the
// process Workers' own messages. When nothing runs and nothing waits for a
// core, the loop returns to the event loop and waits for the doorbell with
// Atomics.waitAsync, until the next deadline at most: an idle machine costs
// no CPU at all.
//
// In solo mode (HostConfig.solo: no SharedArrayBuffer for the processes)
// every process is a fiber in this thread (process-fiber.ts): each pass also
// runs the fibers the kernel let run, until each needs the kernel again, and
// the loop never sleeps in Atomics.wait — with nothing to run it returns to
// the event loop.
//
// Fault injection (inject.ts) hooks in where the loop already is: before a
// syscall goes to the kernel, when it blocks, and when a result goes back to
// the process (at once, or when the kernel resumes a parked one). A kill
// decided inside a kernel entry waits for the entry to end (entries never
// nest) and is made at the next pass.

import { KERNEL, FAULT, LIMITS, TRACE_RECORD_BYTES, offsetOf, sizeOf, nameOf, spec, type KernelExports } from '@oncrix/abi';
import { SLOT, SLOT_BYTES, SlotState, BELL, ByteRing, RecordRing, STATUS, MachineState, SpinBudget, sleepOn, type SharedChannels } from './shared.js';
import { nowMs, yieldToEventLoop } from './platform.js';
import { halImports, KernelMemory, KernelPanic } from './hal-imports.js';
import { ProcessPool, type HostImage, type HostProcess, type ProcessWorker } from './process-pool.js';
import { Injector, type Blow, type InjectSpec, type Strike } from './inject.js';
import { ConsoleOut } from './console-out.js';
import type { Device } from './devices/device.js';
import { Uart } from './devices/uart.js';
import { BootRom } from './devices/rom.js';
import { Entropy } from './devices/entropy.js';
import { HostDevice, type HostIoConfig } from './devices/host.js';
import { FilesDevice } from './devices/files.js';
import { LoaderDevice, type LoadFn } from './devices/loader.js';
import { WorkerRelay } from './relay.js';

export type { HostImage } from './process-pool.js';

export interface HostConfig {
  kernel: WebAssembly.Module;
  /** The image table (entries may be replaced while the machine runs; the loader device appends). */
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
  /** Solo mode: every process a fiber in this thread (no process Workers, no shared process memory). */
  solo?: boolean;
  /** `oncrix run`: the host device, last in the device table (its rings are channels.host), and node:fs for it. */
  host?: { config: HostIoConfig; fs: typeof import('node:fs') };
  /**
   * The playground: the files and loader devices, last in the device table
   * (devices/files.ts, devices/loader.ts), and how to load the program loader.
   */
  page?: { loader: () => Promise<LoadFn> };
  /** Process Workers started ahead of the host (the boot's), warm from the start. */
  started?: ProcessWorker[];
  /** Without shared memory with the host: the port of the relay (relay.ts) that carries the channels' news. */
  port?: MessagePort;
  /** Faults to inject, and the seed of their random points. */
  inject?: readonly InjectSpec[];
  seed?: number;
}

/** The arguments recorded for a call when no fault is being injected. */
const NO_ARGS: readonly number[] = [];

/** Deterministic mode: keys typed while processes run go in at the next multiple of this much virtual time. */
const KEY_SLICE_NS = 10_000_000;
/** The kernel's clock tick while processes run (time slices, preemption); none while nothing runs. */
const TICK_MS = 10;
/** While processes run, the loop still takes an event-loop turn this often (the process Workers' messages: a Worker freed, failed, started). */
const TURN_MS = 50;
/** ... and this often while a process waits for its Worker to start (a nested Worker starts only through its parent's event loop). */
const TURN_POOL_MS = 1;
/** The longest spin on the doorbell before sleeping on it, in µs: about what a wake-up from Atomics.wait costs (see SpinBudget). */
const BELL_SPIN_MAX_US = 100;

export class KernelHost {
  private readonly k: KernelExports;
  private readonly procs: ProcessPool;
  private readonly irqMasked = new Map<number, boolean>();
  private readonly bell: Int32Array;
  private readonly bellSpin = new SpinBudget(BELL_SPIN_MAX_US);
  private readonly status: Int32Array;
  private readonly input: ByteRing;
  private readonly output: ByteRing;
  private readonly trace: RecordRing;
  private readonly console: ConsoleOut;
  private readonly uart: Uart;
  private readonly hostDevice: HostDevice | null = null;
  /** The playground's door to the file system (null without `page`). */
  readonly files: FilesDevice | null = null;
  readonly devices: Device[];
  /** The process whose syscall the kernel is serving now (the host device reads and writes its memory). */
  private caller: HostProcess | null = null;
  private readonly bootMs = nowMs();
  private nextTickMs = 0;
  /** The kernel's next deadline (ns, -1: none) and when that is on this clock (ms), as of the last pass. */
  private deadline = -1;
  private deadlineMs = Infinity;
  /** What the status word says about idleness (kept here to avoid reading shared memory every pass). */
  private idleFlag = false;
  /** Deterministic mode: the virtual time (ns) at which keys waiting while processes run go in (-1: none wait). */
  private keysDueNs = -1;
  private stopped = false;
  /** Set when the machine panicked: the kernel's message. */
  panicMessage: string | null = null;
  /** init's pid, and whether it has ended: when init ends, the machine stops (as a PC does when its OS shuts down). */
  private rootPid = 0;
  private rootEnded = false;
  /** Fault injection: the injector, the blocked syscall of each parked process, hangs due at the next resume, kills due after this entry. */
  private readonly injector: Injector;
  private readonly parkedIn = new Map<number, { nr: number; args: readonly number[] }>();
  private readonly hangAtResume = new Set<number>();
  private readonly killAfterEntry: number[] = [];
  /** Without shared memory with the host: the relay, and what ends the loop's idle wait (a message or a control call). */
  private readonly relay: WorkerRelay | null = null;
  private wakeUp: () => void = () => undefined;

  constructor(private readonly cfg: HostConfig) {
    const ch = cfg.channels;
    this.bell = new Int32Array(ch.bell);
    this.status = new Int32Array(ch.status);
    this.input = new ByteRing(ch.input);
    this.output = new ByteRing(ch.output);
    this.trace = new RecordRing(ch.trace, TRACE_RECORD_BYTES);
    this.console = new ConsoleOut(this.output);
    this.uart = new Uart((b) => this.console.byte(b));
    this.devices = [this.uart, new BootRom(cfg.rom), new Entropy(cfg.deterministic)];
    this.injector = new Injector(cfg.inject ?? [], cfg.seed ?? 1);
    if (cfg.port !== undefined) this.relay = new WorkerRelay(cfg.port, ch, () => this.wake());
    if (cfg.host !== undefined && ch.host !== undefined) {
      this.hostDevice = new HostDevice(cfg.host.config, ch.host, cfg.host.fs, () => this.caller?.bytes,
        () => Atomics.load(this.status, STATUS.STDIN_END) !== 0, (text) => this.log(text));
      this.devices.push(this.hostDevice);
    }
    if (cfg.page !== undefined) {
      // A job may arrive while the loop sleeps on the doorbell: ring it, so the next pass delivers the interrupt.
      const ring = (): void => {
        Atomics.add(this.bell, BELL.RING, 1);
        Atomics.notify(this.bell, BELL.RING);
      };
      this.files = new FilesDevice(() => this.caller?.bytes, ring, () => this.caller?.pid ?? -1);
      this.devices.push(this.files, new LoaderDevice(cfg.images, () => this.caller?.bytes, cfg.page.loader, (text) => this.log(text)));
    }
    this.procs = new ProcessPool({
      images: cfg.images, poolSize: cfg.poolSize, ...(cfg.started !== undefined ? { started: cfg.started } : {}), deterministic: cfg.deterministic, solo: cfg.solo === true, bell: ch.bell, log: (text) => this.log(text),
      takeOver: (pid, result) => this.resumeInjected(pid, result),
    });
    const kernel = new KernelMemory();
    const imports = halImports({
      kernel, processes: this.procs, devices: this.devices, irqMasked: this.irqMasked,
      trace: this.trace, console: this.console, bootMs: this.bootMs,
      ended: (pid) => {
        if (pid === this.rootPid && !this.stopped) this.rootEnded = true; // the loop stops the machine after this entry
        this.files?.processEnded(pid);
      },
      exited: (pid, code) => {
        if (pid !== this.rootPid) return;
        Atomics.store(this.status, STATUS.EXIT_CODE, code);
        Atomics.store(this.status, STATUS.EXITED, 1);
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
    const nr = state === SlotState.SAFEPOINT ? -1 : slot[SLOT.NR] ?? 0;
    // The call's words, kept only for fault injection (a point that looks at them); none on the hot path otherwise.
    const injecting = this.injector.active();
    const args = injecting ? [0, 1, 2, 3, 4, 5].map((i) => slot[SLOT.ARGS + i] ?? 0) : NO_ARGS;
    if (injecting) {
      const blow = this.injector.beforeSyscall(p.pid, p.name, nr);
      if (blow !== null) {
        this.strike(p, blow, false);
        return;
      }
    }
    p.inCall = true;
    p.resumedInCall = false;
    this.caller = p;
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
    this.caller = null;
    p.inCall = false;
    if (r !== KERNEL.BLOCKED) {
      const blow = injecting && nr >= 0 ? this.injector.returned(p.pid, p.name, nr, args, r, (ptr) => this.word(p, ptr)) : null;
      if (blow !== null) this.strike(p, blow, false);
      else this.procs.resume(p.pid, r);
    } else if (!p.resumedInCall) {
      this.procs.running.delete(p.pid);
      Atomics.compareExchange(slot, SLOT.STATE, SlotState.IDLE, SlotState.PARKED);
      if (injecting && nr >= 0) {
        const blow = this.injector.blocked(p.pid, p.name, nr);
        if (blow !== null) this.strike(p, blow, true);
        else this.parkedIn.set(p.pid, { nr, args });
      }
    }
  }

  // ---- fault injection -------------------------------------------------------

  /** A u32 of process p's memory (0 outside it). */
  private word(p: HostProcess, ptr: number): number {
    const b = p.bytes;
    const at = ptr >>> 0;
    return at + 4 <= b.length ? ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0 : 0;
  }

  /**
   * Strike p, between kernel entries. A running process (in a syscall the
   * kernel has not seen, or whose result it has not got) is killed by the
   * kernel, or made to trap or hang by its Worker; a parked one is killed, or
   * reported as trapped where it waits, or hangs when it is next resumed.
   */
  private strike(p: HostProcess, blow: Blow, parked: boolean): void {
    this.log(`inject: ${blow.action} ${p.name} (pid ${p.pid}) at ${blow.point}`);
    this.parkedIn.delete(p.pid);
    if (blow.action === 'kill') this.k.fault(p.pid, FAULT.INJECTED);
    else if (blow.action === 'trap' && parked) this.k.fault(p.pid, FAULT.TRAP);
    else if (parked) this.hangAtResume.add(p.pid);
    else this.procs.sabotage(p.pid, blow.action === 'trap' ? SlotState.TRAP : SlotState.HANG);
  }

  /**
   * The kernel resumes pid (inside an entry): a hang due now, or the
   * holding-reply point of a blocked receive, takes the resume over. A kill
   * waits for the entry to end.
   */
  private resumeInjected(pid: number, result: number): boolean {
    if (this.hangAtResume.delete(pid)) {
      this.procs.sabotage(pid, SlotState.HANG);
      return true;
    }
    const parked = this.parkedIn.get(pid);
    if (parked === undefined) return false;
    this.parkedIn.delete(pid);
    const p = this.procs.get(pid);
    if (p === undefined) return false;
    const blow = this.injector.returned(pid, p.name, parked.nr, parked.args, result, (ptr) => this.word(p, ptr));
    if (blow === null) return false;
    this.log(`inject: ${blow.action} ${p.name} (pid ${pid}) at ${blow.point}`);
    if (blow.action === 'kill') this.killAfterEntry.push(pid);
    else this.procs.sabotage(pid, blow.action === 'trap' ? SlotState.TRAP : SlotState.HANG);
    return true;
  }

  /** Kills decided inside the last entry. */
  private killDeferred(): boolean {
    if (this.killAfterEntry.length === 0) return false;
    for (const pid of this.killAfterEntry.splice(0)) this.k.fault(pid, FAULT.INJECTED);
    return true;
  }

  /** Inject a fault while the machine runs (the playground's buttons): a `now` spec strikes a parked target at once. */
  inject(spec: InjectSpec): void {
    this.injector.add(spec);
    if (spec.point.kind !== 'now') return;
    for (const p of this.procs.table.values()) {
      if (p.name !== spec.target || !this.procs.parked(p.pid)) continue;
      const blow = this.injector.nowFor(p.pid, p.name);
      if (blow !== null) this.strike(p, blow, true);
    }
  }

  /** Every strike made so far. */
  strikes(): Strike[] {
    return [...this.injector.strikes];
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
    if (this.killDeferred()) progress = true;
    if (this.cfg.solo === true && this.procs.runFibers()) progress = true;
    const now = nowMs();
    const running = this.procs.running;
    const idle = running.size === 0 && !progress;
    if (this.cfg.deterministic) {
      // When nothing runs: keys that are waiting first, then virtual time jumps to the next deadline. (The
      // other way round, a periodic deadline — a heartbeat — would keep the console from ever getting a key.)
      // While something runs, keys go in at the next whole KEY_SLICE_NS of virtual time: a program that never
      // blocks (spin) must not keep the console from ever getting one, and the keys land on a boundary of
      // virtual time rather than wherever the kernel happened to be when they arrived.
      const keys = this.input.available() > 0;
      if (keys && !idle) {
        const t = this.k.kernel_time();
        if (this.keysDueNs < 0) this.keysDueNs = (Math.floor(t / KEY_SLICE_NS) + 1) * KEY_SLICE_NS;
        else if (t >= this.keysDueNs) {
          this.keysDueNs = -1;
          this.uart.receive(this.input.read());
          progress = true;
        }
      }
      if (idle) {
        if (keys) {
          this.keysDueNs = -1;
          this.uart.receive(this.input.read());
          progress = true;
        } else {
          const d = this.k.next_deadline();
          if (d >= 0) {
            this.k.tick(d);
            progress = true;
          }
        }
      }
    } else {
      if (this.input.available() > 0) {
        this.uart.receive(this.input.read());
        progress = true;
      }
      if ((running.size > 0 && now >= this.nextTickMs) || (this.deadline >= 0 && now >= this.deadlineMs)) {
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
    if (quiet && !this.idleFlag) {
      Atomics.add(this.status, STATUS.IDLE_EPOCH, 1);
      this.procs.warmUp(); // the boot is over (or waits on nothing): now the pool's warm Workers may start
    }
    this.idleFlag = quiet;
    Atomics.store(this.status, STATUS.IDLE, quiet ? 1 : 0);
    return false;
  }

  /** How long the loop may sleep on the doorbell while processes run. */
  private sleepMs(): number {
    if (this.cfg.deterministic) return 2;
    const now = nowMs();
    return Math.max(0, Math.min(TICK_MS, this.deadlineMs - now, this.nextTickMs - now));
  }

  /** Nothing runs and nothing waits for the kernel: the loop may leave for the event loop and wait there. */
  private quiet(): boolean {
    return this.procs.running.size === 0 && this.input.available() === 0 && this.uart.pendingInput() === 0;
  }

  /**
   * Serve the machine synchronously until it is quiet, a control call
   * waits, an event-loop turn is due, or it stops. Returns the doorbell's
   * value as of the last pass that found nothing to do (a ring since then
   * must wake whoever waits next).
   */
  private serve(control: number): number {
    const start = nowMs();
    let turnAt = start + (this.procs.settling() ? TURN_POOL_MS : TURN_MS);
    for (;;) {
      const seen = Atomics.load(this.bell, BELL.RING);
      let progress: boolean;
      try {
        progress = this.step();
      } catch (e) {
        if (!(e instanceof KernelPanic)) throw e;
        this.panicked(e.message);
        return seen;
      }
      if (Atomics.load(this.bell, BELL.STOP) !== 0) this.stop();
      if (this.rootEnded && !this.stopped) {
        this.log('init has ended: the machine stops.');
        this.stop();
      }
      this.announce();
      if (this.stopped) return seen;
      const now = nowMs();
      if (this.procs.settling()) turnAt = Math.min(turnAt, start + TURN_POOL_MS);
      if (progress && now < turnAt) continue;
      if (progress || this.quiet() || Atomics.load(this.bell, BELL.CONTROL) !== control || now >= turnAt) return seen;
      if (this.cfg.solo === true) return seen; // nothing else can ring while this thread waits: back to the event loop
      if (this.bellSpin.spin(this.bell, BELL.RING, seen) !== seen) continue;
      sleepOn(this.bell, BELL.RING, seen, BELL.SLEEPING, Math.min(this.sleepMs(), turnAt - now));
      this.bellSpin.woke(Atomics.load(this.bell, BELL.STAMP));
    }
  }

  /**
   * A host that waits for news (OncrixSystem.news) learns of console output
   * and trace records it has not read, and of a stopped machine: one load
   * per pass while nobody waits.
   */
  private announce(): void {
    const waits = Atomics.load(this.status, STATUS.HOST_WAITS);
    if (waits === 0) return;
    const state = Atomics.load(this.status, STATUS.STATE);
    const unread = this.output.available() + (this.hostDevice?.unread() ?? 0);
    if (unread === 0 && (waits < 2 || this.trace.unread() === 0) && state === MachineState.RUNNING) return;
    Atomics.store(this.status, STATUS.HOST_WAITS, 0);
    Atomics.add(this.status, STATUS.NEWS, 1);
    Atomics.notify(this.status, STATUS.NEWS);
  }

  /** End the loop's idle wait (a control call or keystrokes arrived by message). */
  wake(): void {
    this.wakeUp();
  }

  /** Wait in the event loop for the doorbell (or the next deadline, or a Worker due to be retired). */
  private async sleep(seen: number): Promise<void> {
    let ms = this.procs.nextRetireMs() - nowMs();
    if (!this.cfg.deterministic && this.deadline >= 0) ms = Math.min(ms, this.deadlineMs - nowMs());
    if (ms <= 0) return;
    if (this.relay !== null) {
      // No shared doorbell: a message (keystrokes, a control call) or the deadline ends the wait.
      await new Promise<void>((resolve) => {
        const timer = ms === Infinity ? undefined : setTimeout(resolve, ms);
        this.wakeUp = () => {
          if (timer !== undefined) clearTimeout(timer);
          this.wakeUp = () => undefined;
          resolve();
        };
      });
      return;
    }
    Atomics.store(this.bell, BELL.SLEEPING, 1); // a ring must notify (wakeSleeper)
    const wait = Atomics.waitAsync(this.bell, BELL.RING, seen, ms === Infinity ? undefined : ms);
    if (wait.async) await wait.value;
    Atomics.store(this.bell, BELL.SLEEPING, 0);
  }

  /** The heartbeat: serve the machine until stop(); between busy spells, the event loop (control calls) and an idle wait. */
  async run(): Promise<void> {
    while (!this.stopped) {
      const control = Atomics.load(this.bell, BELL.CONTROL);
      const seen = this.serve(control);
      this.relay?.flush();
      if (this.stopped) break;
      await yieldToEventLoop();
      this.procs.reap();
      if (!this.stopped && this.quiet() && Atomics.load(this.bell, BELL.CONTROL) === control) await this.sleep(seen);
    }
    this.console.flush();
    this.announce();
    this.relay?.close();
  }

  /** Stop the machine: every process ends and every process Worker goes. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.procs.close();
    this.files?.close();
    if (Atomics.load(this.status, STATUS.STATE) !== MachineState.PANIC) Atomics.store(this.status, STATUS.STATE, MachineState.STOPPED);
  }

  stat(which: number): number {
    return this.k.debug_stat(which);
  }
}
