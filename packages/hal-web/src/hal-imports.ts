// The HAL imports of the web HAL: every function kernel.wasm calls on its
// host (KernelImports, @oncrix/abi), running in the kernel Worker.
//
// The kernel never touches a process memory; it asks for copies, and only
// after its front door has checked the range against mem_size. So the
// copies here check again only that the range lies in the memory (a process
// that ended has none), and move small copies — the common syscall
// arguments — by hand, without making views. Process creation, ending,
// resuming and preemption are the pool's (process-pool.ts); device
// registers are the device models'; each batch of trace records goes into
// the trace ring in one copy, and the kernel's log lines also to the console; a panic unwinds
// out of the kernel as a KernelPanic, which the loop turns into a stopped
// machine.

import { TRACE, TRACE_RECORD_BYTES, offsetOf, type KernelImports } from '@oncrix/abi';
import type { RecordRing } from './shared.js';
import type { ProcessPool } from './process-pool.js';
import type { Device } from './devices/device.js';
import type { ConsoleOut } from './console-out.js';
import { nowMs } from './platform.js';

/** Thrown by the panic import to unwind out of the kernel. */
export class KernelPanic extends Error {}

/** Views of the kernel's own memory, renewed only when it has grown (which replaces its buffer). */
export class KernelMemory {
  private memory: WebAssembly.Memory | null = null;
  private bytes = new Uint8Array(0);
  /** The same memory as words (trace records are copied word by word); renewed with bytes. */
  words = new Int32Array(0);

  /** The kernel's memory, once it is instantiated (the imports exist before it does). */
  attach(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  view(): Uint8Array {
    const buffer = this.memory?.buffer;
    if (buffer !== undefined && this.bytes.buffer !== buffer) {
      this.bytes = new Uint8Array(buffer);
      this.words = new Int32Array(buffer);
    }
    return this.bytes;
  }
}

/** What the imports act on. */
export interface HalMachine {
  kernel: KernelMemory;
  processes: ProcessPool;
  devices: readonly Device[];
  /** Interrupt lines by number: masked or not (the loop delivers only unmasked ones). */
  irqMasked: Map<number, boolean>;
  trace: RecordRing;
  console: ConsoleOut;
  /** When the machine booted, on the nowMs() clock. */
  bootMs: number;
  /** A process ended (the host stops the machine when init ends). */
  ended(pid: number): void;
  /** A process exited with this code (its EXIT trace record passed by). */
  exited(pid: number, code: number): void;
}

/** Where the kernel log reads a trace record (layout TraceRecord). */
const KIND = offsetOf('TraceRecord', 'kind');
const FLAGS = offsetOf('TraceRecord', 'flags');
const ARGS = offsetOf('TraceRecord', 'args');
const PID = offsetOf('TraceRecord', 'pid');

/**
 * DEBUG_LOG lines are the kernel log: besides the trace, they are shown on the
 * console, as a kernel prints its log to its console. A LOG record is
 * followed by DATA records with the text.
 */
class KernelLog {
  private line: { text: number[]; left: number } | null = null;

  constructor(private readonly console: ConsoleOut) {}

  /** Look at the trace record at `at`. */
  watch(bytes: Uint8Array, at: number): void {
    const kind = (bytes[at + KIND] ?? 0) | ((bytes[at + KIND + 1] ?? 0) << 8);
    if (kind !== TRACE.LOG && this.line === null) return;
    if (kind === TRACE.LOG) {
      // The first argument of a LOG record is the length of its text.
      this.line = { text: [], left: new DataView(bytes.buffer, at, TRACE_RECORD_BYTES).getInt32(ARGS, true) };
    } else if (kind === TRACE.DATA && this.line !== null) {
      const n = bytes[at + FLAGS] ?? 0;
      for (let i = 0; i < n; i++) this.line.text.push(bytes[at + ARGS + i] ?? 0);
      this.line.left -= n;
    }
    const line = this.line;
    if (line !== null && (line.left <= 0 || (kind !== TRACE.LOG && kind !== TRACE.DATA))) {
      this.line = null;
      this.console.log(`${new TextDecoder().decode(Uint8Array.from(line.text)).replace(/\n$/, '')}`);
    }
  }
}

/** The kernel's `hal` import object for this machine. */
export function halImports(m: HalMachine): KernelImports {
  const { kernel, processes, devices } = m;
  const log = new KernelLog(m.console);
  /** The process memory as bytes (the view is renewed in grow, the only way it grows). */
  const user = (pid: number): Uint8Array | undefined => processes.get(pid)?.bytes;
  const inRange = (mem: Uint8Array | undefined, ptr: number, len: number): mem is Uint8Array =>
    mem !== undefined && ptr + len <= mem.length;
  /** Copy len bytes; small copies (the common syscall arguments) by hand, without making views. */
  const copy = (from: Uint8Array, src: number, to: Uint8Array, dst: number, len: number): void => {
    if (len <= 64) for (let i = 0; i < len; i++) to[dst + i] = from[src + i] ?? 0;
    else to.set(from.subarray(src, src + len), dst);
  };
  return {
    now: () => (nowMs() - m.bootMs) * 1e6,
    copy_from_user: (pid, uptr, kptr, len) => {
      const mem = user(pid);
      if (!inRange(mem, uptr >>> 0, len >>> 0)) return -1;
      copy(mem, uptr >>> 0, kernel.view(), kptr >>> 0, len >>> 0);
      return 0;
    },
    copy_to_user: (pid, kptr, uptr, len) => {
      const mem = user(pid);
      if (!inRange(mem, uptr >>> 0, len >>> 0)) return -1;
      copy(kernel.view(), kptr >>> 0, mem, uptr >>> 0, len >>> 0);
      return 0;
    },
    copy_between: (src, sptr, dst, dptr, len) => {
      const a = user(src);
      const b = user(dst);
      if (!inRange(a, sptr >>> 0, len >>> 0) || !inRange(b, dptr >>> 0, len >>> 0)) return -1;
      copy(a, sptr >>> 0, b, dptr >>> 0, len >>> 0);
      return 0;
    },
    mem_size: (pid) => user(pid)?.length ?? 0,
    mem_grow: (pid, pages) => processes.grow(pid, pages),
    process_create: (pid, image, quota) => processes.create(pid, image, quota),
    process_destroy: (pid) => {
      processes.destroy(pid);
      m.ended(pid);
    },
    run: (pid, _cpu, result) => processes.resume(pid, result),
    preempt: (pid) => processes.preempt(pid),
    dev_read: (dev, reg) => devices[dev]?.read(reg) ?? 0,
    dev_write: (dev, reg, value) => devices[dev]?.write(reg, value),
    irq_mask: (line, masked) => {
      m.irqMasked.set(line, masked !== 0);
    },
    trace: (ptr, len) => {
      const bytes = kernel.view();
      const count = Math.floor((len >>> 0) / TRACE_RECORD_BYTES);
      m.trace.push(kernel.words, (ptr >>> 0) >> 2, count);
      for (let i = 0, at = ptr >>> 0; i < count; i++, at += TRACE_RECORD_BYTES) {
        log.watch(bytes, at);
        if (((bytes[at + KIND] ?? 0) | ((bytes[at + KIND + 1] ?? 0) << 8)) === TRACE.EXIT) {
          const v = new DataView(bytes.buffer, at, TRACE_RECORD_BYTES);
          m.exited(v.getInt32(PID, true), v.getInt32(ARGS, true));
        }
      }
    },
    panic: (ptr, len) => {
      const text = new TextDecoder().decode(kernel.view().slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0)));
      throw new KernelPanic(text);
    },
  };
}
