// A process Worker: one user program, its memory, and the syscall shim.
//
// The Worker starts empty (so a pool of them can be warmed up in advance)
// and exposes one control call over comlink, run(assignment): the pid, the
// compiled program, its shared memory and its slot. It waits until the
// kernel first runs the process, and the call returns when the process is
// over and its stack unwound — the kernel Worker may then reuse this Worker
// for the next process (process-pool.ts). While it runs, the program's
// imports are the whole world: `oncrix.syscall` writes the call into
// the slot, rings the kernel's doorbell and waits for the answer (spinning
// within a learnt budget, then Atomics.wait; once the kernel says the call
// blocked, it spins a little more within a second, shorter budget — in a
// conversation the answer is often on its way — then sleeps); `oncrix.safepoint` enters the kernel only
// when a preemption was requested (or always, in deterministic mode, where
// safepoints are the clock). A trap is reported through the slot as a fault —
// QUOTA when it comes right after the kernel refused a MEM_GROW, since that is
// how an allocator that cannot grow gives up. Fault injection (inject.ts) may
// answer a syscall with TRAP (the program traps right there) or HANG (it
// spins at safepoints from then on, making no syscall, until it is killed).

import { SYS, FAULT, ERR } from '@oncrix/abi';
import { expose } from 'comlink';
import { SLOT, SLOT_BYTES, SLOT_WORDS, SLOT_TEXT_BYTES, SlotState, BELL, SpinBudget, sleepOn, wakeSleeper } from './shared.js';
import { parentEndpoint } from './platform.js';
import { wasiImports } from './wasi-shim.js';

/** What a process Worker runs: one process, from its first run to its end. */
export interface Assignment {
  pid: number;
  name: string;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  slots: SharedArrayBuffer;
  slot: number;
  bell: SharedArrayBuffer;
  deterministic: boolean;
}

/** Thrown through the program's stack when the kernel has ended this process. */
class ProcessEnded extends Error {}

const WASM_PAGE = 65536;
/** Short waits for a grown memory's new length to show in this Worker before that counts as a fault (about 100 ms). */
const GROW_SEEN_POLLS = 10000;
/** A word nobody writes: Atomics.wait on it is a short sleep. */
const nap = new Int32Array(new SharedArrayBuffer(4));
/** Thrown through the program's stack when fault injection makes it trap. */
class InjectedTrap extends Error {
  override name = 'InjectedTrap';
}

/** The longest spin on the slot for an answer before sleeping, in µs: about what a wake-up from Atomics.wait costs (see SpinBudget). */
const SPIN_MAX_US = 50;
/**
 * The longest spin once the call has blocked (PARKED), in µs: a reply that
 * another process is about to send (a server's next request, a client's
 * answer) comes within a few tens of µs; a longer wait (a shell waiting for
 * a key) soon halves this budget to none, and the thread sleeps at once.
 */
const PARKED_SPIN_MAX_US = 20;

function runProcess(a: Assignment): void {
  const slot = new Int32Array(a.slots, a.slot * SLOT_BYTES, SLOT_WORDS);
  const bell = new Int32Array(a.bell);

  const budget = new SpinBudget(SPIN_MAX_US);
  const parkedBudget = new SpinBudget(PARKED_SPIN_MAX_US);

  /** Wait until the kernel answers (RESUME) and return the result. */
  function awaitResume(): number {
    let s = Atomics.load(slot, SLOT.STATE);
    // Spin while the kernel works on the call (a learnt budget: see SpinBudget). Once it says the call
    // blocked (PARKED), spin on within the shorter budget of parked calls, then sleep and leave the core
    // to threads that have work. Each budget learns from its own waits.
    let spunOut: SpinBudget | null = null;
    while (s === SlotState.REQUEST || s === SlotState.SAFEPOINT || s === SlotState.IDLE) {
      const next = budget.spin(slot, SLOT.STATE, s);
      if (next === s) {
        spunOut = budget;
        break;
      }
      s = next;
    }
    if (s === SlotState.PARKED && spunOut === null) {
      const next = parkedBudget.spin(slot, SLOT.STATE, s);
      if (next === s) spunOut = parkedBudget;
      s = next;
    }
    while (s !== SlotState.RESUME) {
      if (s === SlotState.KILLED) throw new ProcessEnded();
      if (s === SlotState.TRAP) throw new InjectedTrap('injected trap (fault injection)');
      if (s === SlotState.HANG) hang();
      sleepOn(slot, SLOT.STATE, s, SLOT.SLEEPING);
      s = Atomics.load(slot, SLOT.STATE);
      // The first wake after a spin ran out tells that budget what the wake-up cost.
      spunOut?.woke(Atomics.load(slot, SLOT.STAMP));
      spunOut = null;
    }
    return slot[SLOT.RESULT] ?? 0;
  }

  /** Fault injection's hang: spin at safepoints forever, as a program stuck in a loop does, until the process is ended. */
  function hang(): never {
    for (;;) {
      if (Atomics.load(slot, SLOT.STATE) === SlotState.KILLED) throw new ProcessEnded();
      if (a.deterministic || Atomics.load(slot, SLOT.PREEMPT) !== 0) enter(SlotState.SAFEPOINT);
    }
  }

  function enter(kind: number): number {
    Atomics.store(slot, SLOT.STATE, kind);
    Atomics.add(bell, BELL.RING, 1);
    wakeSleeper(bell, BELL.RING, BELL.SLEEPING, BELL.STAMP);
    return awaitResume();
  }

  /** True while the last syscall was a MEM_GROW the kernel refused: a trap now means the program ran out of quota. */
  let growRefused = false;

  function syscall(nr: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): number {
    growRefused = false;
    slot[SLOT.NR] = nr;
    slot[SLOT.ARGS] = a0;
    slot[SLOT.ARGS + 1] = a1;
    slot[SLOT.ARGS + 2] = a2;
    slot[SLOT.ARGS + 3] = a3;
    slot[SLOT.ARGS + 4] = a4;
    slot[SLOT.ARGS + 5] = a5;
    return enter(SlotState.REQUEST);
  }

  function safepoint(): void {
    if (!a.deterministic && Atomics.load(slot, SLOT.PREEMPT) === 0) return;
    enter(SlotState.SAFEPOINT);
  }

  function grow(pages: number): number {
    const r = syscall(SYS.MEM_GROW, pages, 0, 0, 0, 0, 0);
    growRefused = r === ERR.NO_MEMORY;
    if (r < 0) return -1;
    // The kernel Worker grew the shared memory. Before the program goes on (and its allocator adds the new
    // pages), this Worker must see the new length; if it never does, say so rather than let the heap break.
    const want = (r + pages) * WASM_PAGE;
    for (let i = 0; a.memory.buffer.byteLength < want; i++) {
      if (i === GROW_SEEN_POLLS) {
        fault(FAULT.TRAP, `MEM_GROW answered ${r} (+${pages} pages) but this process's memory is ${a.memory.buffer.byteLength / WASM_PAGE} pages`);
      }
      Atomics.wait(nap, 0, 0, 0.01);
    }
    return r;
  }

  /** Report a fault through the slot and wait to be ended. */
  function fault(reason: number, message: string): never {
    const text = new TextEncoder().encode(message).slice(0, SLOT_TEXT_BYTES);
    new Uint8Array(a.slots, a.slot * SLOT_BYTES + SLOT.TEXT * 4, SLOT_TEXT_BYTES).set(text);
    slot[SLOT.TEXT_LEN] = text.length;
    slot[SLOT.FAULT] = reason;
    enter(SlotState.FAULT);
    throw new ProcessEnded();
  }

  /** AssemblyScript's abort(message, file, line, column): strings are UTF-16 with their byte length before them. */
  function asString(ptr: number): string {
    if (ptr === 0) return '';
    const buf = a.memory.buffer;
    if (ptr < 4 || ptr > buf.byteLength) return '?';
    const len = new DataView(buf).getUint32(ptr - 4, true);
    if (ptr + len > buf.byteLength) return '?';
    const copy = new Uint8Array(len);
    copy.set(new Uint8Array(buf, ptr, len));
    return new TextDecoder('utf-16le').decode(copy);
  }

  function abort(msg: number, file: number, line: number, col: number): void {
    fault(FAULT.ABORT, `abort: ${asString(msg)} at ${asString(file)}:${line}:${col}`);
  }

  const imports: WebAssembly.Imports = {
    oncrix: { syscall, safepoint, grow },
    env: { memory: a.memory, abort },
  };
  const wasi = wasiImports(a.module, a.slots, a.slot, {
    call: (nr, args) => syscall(nr, args[0] ?? 0, args[1] ?? 0, args[2] ?? 0, args[3] ?? 0, args[4] ?? 0, args[5] ?? 0),
    callWide: (nr) => {
      growRefused = false;
      slot[SLOT.NR] = nr;
      return enter(SlotState.REQUEST_WIDE);
    },
  });
  if (Object.keys(wasi).length > 0) imports.wasi_snapshot_preview1 = wasi;

  try {
    awaitResume(); // the kernel runs us for the first time
    const instance = new WebAssembly.Instance(a.module, imports);
    const start = instance.exports._start;
    if (typeof start !== 'function') fault(FAULT.BAD_MODULE, `${a.name}: no _start export`);
    (start as () => void)();
    syscall(SYS.PROCESS_EXIT, 0, 0, 0, 0, 0, 0);
  } catch (e) {
    if (e instanceof ProcessEnded) return;
    const err = e as Error;
    const isStack = err instanceof RangeError || /call stack/i.test(err.message);
    try {
      // An allocator that cannot grow (AssemblyScript's traps with unreachable) ran out of quota: say so.
      if (!isStack && growRefused) fault(FAULT.QUOTA, `out of memory: the kernel refused to grow its memory past its quota (MEM_GROW: NO_MEMORY), then it trapped (${err.name}: ${err.message})`);
      else fault(isStack ? FAULT.STACK : FAULT.TRAP, `${err.name}: ${err.message}`);
    } catch (again) {
      if (!(again instanceof ProcessEnded)) throw again;
    }
  }
}

/** The control calls the kernel Worker makes (comlink). */
export interface ProcessWorkerApi {
  /** Answers once this Worker has started (the pool counts Workers still starting). */
  ready(): boolean;
  /** Returns once the process is over and this Worker is free. */
  run(a: Assignment): void;
}

const api: ProcessWorkerApi = { ready: () => true, run: runProcess };
expose(api, await parentEndpoint());
