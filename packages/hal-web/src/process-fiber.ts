// A process in solo mode: the program runs as a fiber (fiber.ts) in the
// kernel's own thread instead of in a Worker of its own — what the web HAL
// does where there is no SharedArrayBuffer.
//
// The idea: the process side speaks the same slot protocol as
// process-worker.ts, so the kernel host's loop serves a fiber's syscalls,
// safepoints and faults exactly as a Worker's (one loop, one trace). Where a
// Worker would wait on its slot, the fiber's import writes the call into the
// slot and suspends; the loop's pass over the processes (ProcessPool.runFibers)
// runs every fiber whose slot says RESUME until it suspends again. A
// safepoint suspends when the kernel asked for the CPU back, always in
// deterministic mode (safepoints are the clock), and in real-time mode also
// when the fiber has had the thread for a slice (SLICE_MS): nothing else can
// take the thread from it, the kernel's clock included.

import { SYS, FAULT, ERR } from '@oncrix/abi';
import { SLOT, SLOT_BYTES, SLOT_TEXT_BYTES, SlotState } from './shared.js';
import { Fiber, SUSPEND } from './fiber.js';
import { nowMs } from './platform.js';
import { wasiImports } from './wasi-shim.js';

/** Real-time mode: the longest a fiber keeps the thread before its next safepoint enters the kernel. */
const SLICE_MS = 5;

/** Thrown through the program's stack once a fault is in the slot. */
class FaultReported extends Error {}

export interface FiberAssignment {
  pid: number;
  name: string;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  words: Int32Array;
  slots: ArrayBufferLike;
  slot: number;
  deterministic: boolean;
}

/** One process run as a fiber; the pool calls step() when its slot says RESUME (or TRAP / HANG from fault injection). */
export class ProcessFiber {
  private readonly fiber: Fiber;
  private instance: WebAssembly.Instance | null = null;
  private growRefused = false;
  private hung = false;
  private sliceEnd = 0;
  /** Applied to the kernel's answer before the suspended import returns it (grow turns it into memory.grow's). */
  private answerOf: (r: number) => number = (r) => r;

  constructor(private readonly a: FiberAssignment) {
    this.fiber = new Fiber(a.memory);
  }

  private get slot(): Int32Array {
    return this.a.words;
  }

  /** Put a call in the slot for the kernel and suspend. */
  private enter(kind: number, answerOf: (r: number) => number = (r) => r): typeof SUSPEND {
    this.answerOf = answerOf;
    Atomics.store(this.slot, SLOT.STATE, kind);
    return SUSPEND;
  }

  private syscall(nr: number, args: readonly number[]): typeof SUSPEND {
    this.growRefused = false;
    const s = this.slot;
    s[SLOT.NR] = nr;
    for (let i = 0; i < 6; i++) s[SLOT.ARGS + i] = args[i] ?? 0;
    return this.enter(SlotState.REQUEST);
  }

  private fault(reason: number, message: string): never {
    const text = new TextEncoder().encode(message).slice(0, SLOT_TEXT_BYTES);
    new Uint8Array(this.a.slots, this.a.slot * SLOT_BYTES + SLOT.TEXT * 4, SLOT_TEXT_BYTES).set(text);
    this.slot[SLOT.TEXT_LEN] = text.length;
    this.slot[SLOT.FAULT] = reason;
    Atomics.store(this.slot, SLOT.STATE, SlotState.FAULT);
    throw new FaultReported();
  }

  private asString(ptr: number): string {
    if (ptr === 0) return '';
    const buf = this.a.memory.buffer;
    if (ptr < 4 || ptr > buf.byteLength) return '?';
    const len = new DataView(buf).getUint32(ptr - 4, true);
    if (ptr + len > buf.byteLength) return '?';
    return new TextDecoder('utf-16le').decode(new Uint8Array(buf, ptr, len).slice());
  }

  private imports(): WebAssembly.Imports {
    const f = this.fiber;
    const a = this.a;
    const imports: WebAssembly.Imports = {
      oncrix: {
        syscall: f.suspending((nr: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number) =>
          this.syscall(nr, [a0, a1, a2, a3, a4, a5])),
        safepoint: f.suspending(() => {
          if (a.deterministic || Atomics.load(this.slot, SLOT.PREEMPT) !== 0 || nowMs() >= this.sliceEnd) {
            return this.enter(SlotState.SAFEPOINT, () => 0);
          }
          return 0;
        }),
        grow: f.suspending((pages: number) => {
          this.syscall(SYS.MEM_GROW, [pages]);
          return this.enter(SlotState.REQUEST, (r) => {
            this.growRefused = r === ERR.NO_MEMORY;
            return r < 0 ? -1 : r;
          });
        }),
      },
      env: {
        memory: a.memory,
        abort: (msg: number, file: number, line: number, col: number) =>
          this.fault(FAULT.ABORT, `abort: ${this.asString(msg)} at ${this.asString(file)}:${line}:${col}`),
      },
    };
    const calls = wasiImports<number | typeof SUSPEND>(a.module, a.slots, a.slot, {
      call: (nr, args) => this.syscall(nr, args),
      callWide: (nr) => {
        this.growRefused = false;
        this.slot[SLOT.NR] = nr;
        return this.enter(SlotState.REQUEST_WIDE);
      },
    });
    const wasi = Object.fromEntries(Object.entries(calls).map(([name, fn]) => [name, f.suspending(fn)]));
    if (Object.keys(wasi).length > 0) imports.wasi_snapshot_preview1 = wasi;
    return imports;
  }

  /**
   * The slot says the process may run (RESUME), or fault injection took the
   * resume over (TRAP, HANG): run it until it next needs the kernel.
   */
  step(): void {
    const s = Atomics.load(this.slot, SLOT.STATE);
    if (s === SlotState.TRAP) {
      this.report(new Error('injected trap (fault injection)'), 'InjectedTrap');
      return;
    }
    if (s === SlotState.HANG) this.hung = true;
    if (this.hung) {
      // Spins at safepoints, making no syscall, until it is killed: a safepoint is all the kernel sees of it.
      if (this.a.deterministic || Atomics.load(this.slot, SLOT.PREEMPT) !== 0) Atomics.store(this.slot, SLOT.STATE, SlotState.SAFEPOINT);
      else Atomics.store(this.slot, SLOT.STATE, SlotState.HANG);
      return;
    }
    if (s !== SlotState.RESUME) return;
    Atomics.store(this.slot, SLOT.STATE, SlotState.IDLE);
    this.sliceEnd = nowMs() + SLICE_MS;
    try {
      if (this.instance === null) {
        this.instance = new WebAssembly.Instance(this.a.module, this.imports());
        this.fiber.attach(this.instance);
      } else {
        this.fiber.resume(this.answerOf(this.slot[SLOT.RESULT] ?? 0));
      }
      if (this.fiber.run() === 'done') this.syscall(SYS.PROCESS_EXIT, [0]);
    } catch (e) {
      if (e instanceof FaultReported) return;
      this.report(e as Error, (e as Error).name);
    }
  }

  /** Whether the loop must run this fiber now. */
  due(): boolean {
    const s = Atomics.load(this.slot, SLOT.STATE);
    return s === SlotState.RESUME || s === SlotState.TRAP || (this.hung && s === SlotState.HANG) || (s === SlotState.HANG && !this.hung);
  }

  private report(err: Error, name: string): void {
    const isStack = err instanceof RangeError || /call stack/i.test(err.message);
    try {
      if (!isStack && this.growRefused) {
        this.fault(FAULT.QUOTA, `out of memory: the kernel refused to grow its memory past its quota (MEM_GROW: NO_MEMORY), then it trapped (${name}: ${err.message})`);
      }
      this.fault(isStack ? FAULT.STACK : FAULT.TRAP, `${name}: ${err.message}`);
    } catch (again) {
      if (!(again instanceof FaultReported)) throw again;
    }
  }
}
