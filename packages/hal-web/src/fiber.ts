// A fiber: one Asyncify'd process (a program loaded with the loader's 'solo'
// variant) run in the caller's thread, able to stop inside an import and go
// on later — what solo mode (no SharedArrayBuffer) uses instead of a Worker
// per process that sleeps in Atomics.wait.
//
// The idea: an import made with `fiber.suspending(handler)` asks its handler
// for an answer; a number is returned to the program at once, SUSPEND makes
// the program unwind (Asyncify saves its wasm stack and `_start` returns) and
// `run()` reports 'suspended'. Once the host has the answer it calls
// `resume(answer)` and `run()` again: `_start` is re-entered in rewind mode,
// the program's stack is rebuilt, and the same import returns the answer.
//
// Asyncify keeps its data in the program's own memory, which the program
// owns completely. So the fiber *borrows* the first bytes of that memory for
// the moment of the unwind or the rewind and hands them back unchanged: it
// saves them, lets Asyncify write its data there, moves the data to a side
// buffer and restores the program's bytes — no program code runs while they
// are borrowed (unwinding and rewinding only save and reload locals).

/** What a suspending import's handler returns to make the program wait. */
export const SUSPEND = Symbol('suspend');

/** The Asyncify exports of a program loaded with the 'solo' variant. */
interface AsyncifyExports {
  _start: () => void;
  asyncify_start_unwind: (ptr: number) => void;
  asyncify_stop_unwind: () => void;
  asyncify_start_rewind: (ptr: number) => void;
  asyncify_stop_rewind: () => void;
  asyncify_get_state: () => number;
}

const enum State {
  NORMAL = 0,
  UNWINDING = 1,
  REWINDING = 2,
}

/** Bytes of the program's memory borrowed for Asyncify's data: an 8-byte header, then the saved stack. */
export const FIBER_DATA_BYTES = 16384;

/** Where the fiber is: not started, running, stopped inside an import, or over. */
export type FiberState = 'new' | 'running' | 'suspended' | 'done';

export class Fiber {
  private exports: AsyncifyExports | null = null;
  private saved: Uint8Array | null = null; // Asyncify's data while suspended (header included)
  private borrowed: Uint8Array | null = null; // the program's own bytes while Asyncify's data is in their place
  private answer: number | null = null;
  private status: FiberState = 'new';

  constructor(private readonly memory: WebAssembly.Memory) {}

  get state(): FiberState {
    return this.status;
  }

  /** Bind the instance made with this fiber's imports (the imports exist before the instance does). */
  attach(instance: WebAssembly.Instance): void {
    const ex = instance.exports as Partial<AsyncifyExports>;
    for (const name of ['_start', 'asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind', 'asyncify_stop_rewind', 'asyncify_get_state'] as const) {
      if (typeof ex[name] !== 'function') throw new Error(`not a solo program: it does not export ${name}`);
    }
    this.exports = ex as AsyncifyExports;
  }

  /** An import that may make the program wait: `handler` answers now, or returns SUSPEND. */
  suspending<A extends unknown[]>(handler: (...args: A) => number | typeof SUSPEND): (...args: A) => number {
    return (...args: A): number => {
      const ex = this.ex();
      if (ex.asyncify_get_state() === State.REWINDING) {
        // Back in the import that unwound: the stack is rebuilt, give the program its bytes and the answer.
        ex.asyncify_stop_rewind();
        this.giveBack();
        const answer = this.answer ?? 0;
        this.answer = null;
        return answer;
      }
      const r = handler(...args);
      if (r !== SUSPEND) return r;
      const size = Math.min(FIBER_DATA_BYTES, this.memory.buffer.byteLength);
      if (size < 64) throw new Error('a solo program needs at least one page of memory to block');
      this.borrow(size);
      const view = new DataView(this.memory.buffer);
      view.setUint32(0, 8, true); // Asyncify's stack starts after the header
      view.setUint32(4, size, true); // and may grow to the end of the borrowed bytes
      ex.asyncify_start_unwind(0);
      return 0; // ignored: the program is unwinding
    };
  }

  /** Give the answer the suspended import will return when run() resumes the program. */
  resume(answer: number): void {
    if (this.status !== 'suspended') throw new Error(`resume of a fiber that is ${this.status}`);
    this.answer = answer;
  }

  /** Run (or go on running) the program until it suspends or ends; a trap propagates. */
  run(): FiberState {
    const ex = this.ex();
    if (this.status === 'done') throw new Error('run of a fiber that is over');
    if (this.status === 'suspended') {
      if (this.answer === null) throw new Error('run of a suspended fiber before resume()');
      const saved = this.saved as Uint8Array;
      this.borrow(saved.length);
      new Uint8Array(this.memory.buffer, 0, saved.length).set(saved);
      this.saved = null;
      ex.asyncify_start_rewind(0);
    }
    this.status = 'running';
    try {
      ex._start();
    } catch (e) {
      this.status = 'done';
      throw e;
    }
    if (ex.asyncify_get_state() === State.UNWINDING) {
      ex.asyncify_stop_unwind();
      const used = new DataView(this.memory.buffer).getUint32(0, true);
      this.saved = new Uint8Array(this.memory.buffer, 0, used).slice();
      this.giveBack();
      this.status = 'suspended';
    } else {
      this.status = 'done';
    }
    return this.status;
  }

  private ex(): AsyncifyExports {
    if (this.exports === null) throw new Error('fiber used before attach()');
    return this.exports;
  }

  private borrow(size: number): void {
    this.borrowed = new Uint8Array(this.memory.buffer, 0, size).slice();
  }

  private giveBack(): void {
    if (this.borrowed === null) return;
    new Uint8Array(this.memory.buffer, 0, this.borrowed.length).set(this.borrowed);
    this.borrowed = null;
  }
}
