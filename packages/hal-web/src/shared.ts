// Shared-memory layouts between the threads of the web HAL.
//
// Every process has a *slot*: a few Int32 words in one SharedArrayBuffer
// through which its Worker asks the kernel Worker for a syscall or a
// safepoint and waits for the answer (spin briefly, then Atomics.wait). The
// kernel Worker sleeps on one *doorbell* word that anyone with news rings:
// a process with a request, the host with keystrokes or a command.
//
// Byte streams (UART output, keyboard input) and the trace travel in
// single-producer single-consumer rings, also in SharedArrayBuffers, so no
// thread ever waits for another's event loop; a few status words tell the
// host what the machine is doing. Control calls (boot, stop, replace a
// program) go over comlink instead: they are rare, and none is on a hot path.
//
// Where there is no SharedArrayBuffer (solo mode in a page that is not
// cross-origin isolated) the same layouts live in plain ArrayBuffers, one
// copy on each side, and relay.ts carries their news by postMessage.

/** A buffer for a ring or status words: shared where the platform can, else plain (relay.ts mirrors it). */
export function channelBuffer(bytes: number, shared: boolean): ArrayBufferLike {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** Whether this thread can share memory with another (SharedArrayBuffer exists and may be sent). */
export function canShareMemory(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return typeof SharedArrayBuffer === 'function' && isolated !== false;
}

/** Shared buffers between the host page (or CLI) and the kernel Worker. */
export interface SharedChannels {
  bell: ArrayBufferLike;
  input: ArrayBufferLike;
  output: ArrayBufferLike;
  trace: ArrayBufferLike;
  status: ArrayBufferLike;
  /** `oncrix run` only: the host device's streams (devices/host.ts). */
  host?: import('./devices/host.js').HostRings;
}

/** Words of the status buffer: the kernel Worker writes them, the host reads them. */
export const STATUS = {
  /** MachineState. */
  STATE: 0,
  /** 1 while nothing can happen until input arrives (all processes wait, no deadline). */
  IDLE: 1,
  /** Processes alive. */
  PROCESSES: 2,
  /** Bumped at every idle transition, so a host can wait for "idle after my input". */
  IDLE_EPOCH: 3,
  /** Bumped (and notified) by the kernel Worker when it has news for a host that waits: console output or trace records unread, a new state. */
  NEWS: 4,
  /** Nonzero while the host waits for NEWS (so the kernel Worker notifies only then): 1 for console and state, 2 for trace records too. */
  HOST_WAITS: 5,
  /** init's exit code, once it has exited (EXITED is 1 then): what the machine's session ended with. */
  EXIT_CODE: 6,
  EXITED: 7,
  /** Set by the host when the stdin it feeds the host device (`oncrix run`) has ended. */
  STDIN_END: 8,
} as const;

export const MachineState = { BOOTING: 0, RUNNING: 1, PANIC: 2, STOPPED: 3 } as const;

/** Words of one process slot. */
export const SLOT = {
  /** What the slot holds now (SlotState). */
  STATE: 0,
  NR: 1,
  ARGS: 2, // six words: 2..7
  RESULT: 8,
  /** Nonzero: the kernel asked this process to stop at its next safepoint. */
  PREEMPT: 9,
  /** Fault reason (Fault.*) when STATE is FAULT. */
  FAULT: 10,
  /** Bytes of the fault message in the text area. */
  TEXT_LEN: 11,
  /** When the kernel last woke the sleeping process (sharedClockUs, written before its notify): how long the wake-up took (SpinBudget). */
  STAMP: 12,
  /** Nonzero while the process Worker sleeps on STATE (sleepOn): only then does the kernel stamp and notify (wakeSleeper). */
  SLEEPING: 13,
  /** Start of a text area (fault messages), in words. */
  TEXT: 16,
} as const;

export const SLOT_TEXT_BYTES = 448;
export const SLOT_WORDS = SLOT.TEXT + SLOT_TEXT_BYTES / 4;
export const SLOT_BYTES = SLOT_WORDS * 4;

/** Slot states. Process writes REQUEST/SAFEPOINT/FAULT/EXITED; the kernel writes RESUME/KILLED. */
export const SlotState = {
  IDLE: 0,
  /** A syscall is waiting for the kernel. */
  REQUEST: 1,
  /** A safepoint is waiting for the kernel. */
  SAFEPOINT: 2,
  /** The kernel answered: RESULT holds the value; the process may go on. */
  RESUME: 3,
  /** The process trapped; FAULT and the text area say why. */
  FAULT: 4,
  /** The process is gone for good; its Worker must stop. */
  KILLED: 5,
  /** The process Worker is loaded and waits for its first RESUME. */
  READY: 6,
  /** The kernel took the call and it blocked: stop spinning and sleep until RESUME. */
  PARKED: 7,
  /** A WASI call through syscall_wide is waiting: its u64 arguments are in the text area, lo/hi words. */
  REQUEST_WIDE: 8,
  /** Fault injection: instead of an answer, the program traps inside the syscall it waits in (inject.ts). */
  TRAP: 9,
  /** Fault injection: instead of an answer, the program hangs: it spins at safepoints and never makes another syscall. */
  HANG: 10,
} as const;

/** Doorbell words (an Int32Array over its own SharedArrayBuffer). */
export const BELL = {
  /** Bumped by anyone who wants the kernel Worker to look around. */
  RING: 0,
  /** Nonzero: the host asks the kernel Worker to stop. */
  STOP: 1,
  /** Bumped by the host before each control call (comlink): the kernel Worker's loop lets its event loop run at the next pass. */
  CONTROL: 2,
  /** When a ring last woke the sleeping kernel Worker (sharedClockUs, written before the notify): how long its wake-up took (SpinBudget). */
  STAMP: 3,
  /** Nonzero while the kernel Worker sleeps on RING (sleepOn, or its event loop's waitAsync): only then does a ringer stamp and notify. */
  SLEEPING: 4,
} as const;

/** Bytes of the doorbell buffer. */
export const BELL_BYTES = 32;

/**
 * A single-producer single-consumer byte ring over a SharedArrayBuffer:
 * two monotonically increasing 32-bit counters (written, read) and the data.
 */
export class ByteRing {
  readonly sab: ArrayBufferLike;
  private readonly idx: Int32Array;
  private readonly data: Uint8Array;
  readonly capacity: number;

  constructor(sabOrCapacity: ArrayBufferLike | number, shared = true) {
    this.sab = typeof sabOrCapacity === 'number' ? channelBuffer(8 + sabOrCapacity, shared) : sabOrCapacity;
    this.idx = new Int32Array(this.sab, 0, 2);
    this.data = new Uint8Array(this.sab, 8);
    this.capacity = this.data.length;
  }

  /** Bytes waiting to be read. */
  available(): number {
    return (Atomics.load(this.idx, 0) - Atomics.load(this.idx, 1)) >>> 0;
  }

  /** Append as many bytes as fit; returns how many were written. */
  write(bytes: Uint8Array): number {
    const w = Atomics.load(this.idx, 0);
    const room = this.capacity - ((w - Atomics.load(this.idx, 1)) >>> 0);
    const n = Math.min(room, bytes.length);
    for (let i = 0; i < n; i++) this.data[((w + i) >>> 0) % this.capacity] = bytes[i] ?? 0;
    Atomics.store(this.idx, 0, (w + n) | 0);
    return n;
  }

  /** Take up to max bytes (a copy, never a view of shared memory). */
  read(max = Infinity): Uint8Array {
    const r = Atomics.load(this.idx, 1);
    const n = Math.min(max, (Atomics.load(this.idx, 0) - r) >>> 0);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.data[((r + i) >>> 0) % this.capacity] ?? 0;
    Atomics.store(this.idx, 1, (r + n) | 0);
    return out;
  }
}

/** Pieces of a push up to this many words are copied by hand (RecordRing.push). */
const SMALL_PUSH_WORDS = 64;

/**
 * The trace ring: fixed-size records; the kernel Worker appends, a reader
 * copies them out. When the reader falls behind by more than the capacity,
 * the oldest records are overwritten and the reader learns how many it lost
 * (sequence numbers in the records make the gap visible too).
 */
export class RecordRing {
  readonly sab: ArrayBufferLike;
  private readonly idx: Int32Array;
  private readonly data: Uint8Array;
  private readonly words: Int32Array;
  readonly recordBytes: number;
  readonly slots: number;
  private readPos = 0;

  constructor(sabOrSlots: ArrayBufferLike | number, recordBytes: number, shared = true) {
    this.recordBytes = recordBytes;
    this.sab = typeof sabOrSlots === 'number' ? channelBuffer(8 + sabOrSlots * recordBytes, shared) : sabOrSlots;
    this.idx = new Int32Array(this.sab, 0, 2);
    this.data = new Uint8Array(this.sab, 8);
    this.slots = Math.floor(this.data.length / recordBytes);
    this.words = new Int32Array(this.sab, 8, (this.slots * recordBytes) >> 2);
  }

  /**
   * Writer: append `count` records from src starting at word index `word`,
   * in bulk (one copy per piece of the ring). The few records of one kernel
   * entry (the common case) are copied word by word: a view to copy them
   * through would cost more than the copy.
   */
  push(src: Int32Array, word: number, count: number): void {
    const w = Atomics.load(this.idx, 0) >>> 0;
    const n = this.recordBytes >> 2;
    for (let done = 0; done < count;) {
      const slot = (w + done) % this.slots;
      const k = Math.min(count - done, this.slots - slot);
      const from = word + done * n;
      const words = k * n;
      if (words <= SMALL_PUSH_WORDS) {
        const to = slot * n;
        for (let i = 0; i < words; i++) this.words[to + i] = src[from + i] ?? 0;
      } else {
        this.words.set(src.subarray(from, from + words), slot * n);
      }
      done += k;
    }
    Atomics.store(this.idx, 0, (w + count) | 0);
  }

  /** Records written since boot. */
  written(): number {
    return Atomics.load(this.idx, 0) >>> 0;
  }

  /** Records the reader has not taken yet (the reader publishes its position; the writer never waits for it). */
  unread(): number {
    return (Atomics.load(this.idx, 0) - Atomics.load(this.idx, 1)) >>> 0;
  }

  /**
   * Reader: hand every record not yet read to `sink`, as at most two views
   * of the ring (valid only during the call: the sink copies what it keeps).
   * Returns how many records were lost to overwriting since the last read.
   */
  drainTo(sink: (bytes: Uint8Array) => void): number {
    const w = this.written();
    let lost = 0;
    if (w - this.readPos > this.slots) {
      lost = w - this.readPos - this.slots;
      this.readPos = w - this.slots;
    }
    while (this.readPos !== w) {
      const slot = this.readPos % this.slots;
      const k = Math.min(w - this.readPos, this.slots - slot);
      sink(this.data.subarray(slot * this.recordBytes, (slot + k) * this.recordBytes));
      this.readPos += k;
    }
    Atomics.store(this.idx, 1, this.readPos | 0);
    return lost;
  }

  /** Reader: copy out every record not yet read, and how many were lost to overwriting. */
  drain(): { bytes: Uint8Array; lost: number } {
    const parts: Uint8Array[] = [];
    const lost = this.drainTo((b) => parts.push(b.slice()));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return { bytes, lost };
  }
}

/**
 * A clock every thread of a page (or of a Node process) reads alike:
 * microseconds since the epoch, modulo 2^32, so that an Int32 word holds a
 * time stamp and the difference of two stamps is right across the wrap.
 */
export function sharedClockUs(): number {
  return Math.round((TIME_ORIGIN + performance.now()) * 1000) | 0;
}
/** This thread's time origin (a getter that is not free in Node: read once). */
const TIME_ORIGIN = performance.timeOrigin;

/**
 * Waking a thread that sleeps on a shared word, at the cost of a wake-up
 * only when it sleeps. Most answers find their waiter still spinning
 * (SpinBudget), and a notify nobody waits for is not free (V8 takes a
 * process-wide lock for it), nor is the clock read of the stamp; so the
 * sleeper raises a flag word around its wait and the waker, after it has
 * changed the watched word, stamps and notifies only if the flag is up.
 * Nothing is missed: both sides use sequentially consistent atomics, and
 * Atomics.wait compares the word before it sleeps, so either the waker sees
 * the flag or the sleeper sees the changed word and does not sleep.
 */
export function wakeSleeper(w: Int32Array, index: number, sleeping: number, stamp: number): void {
  if (Atomics.load(w, sleeping) === 0) return;
  Atomics.store(w, stamp, sharedClockUs());
  Atomics.notify(w, index);
}

/** Atomics.wait on word `index` of w while it holds `value`, with the flag word `sleeping` up for wakeSleeper. */
export function sleepOn(w: Int32Array, index: number, value: number, sleeping: number, timeoutMs?: number): void {
  Atomics.store(w, sleeping, 1);
  Atomics.wait(w, index, value, timeoutMs);
  Atomics.store(w, sleeping, 0);
}

/** Loads of the word between two reads of the clock while spinning (a load takes a nanosecond or two). */
const LOADS_PER_CLOCK_READ = 32;
/** The smallest budget worth spinning, in µs: below it, sleep at once. */
const MIN_SPIN_US = 2;
/**
 * A wake-up that took longer than this (from the notify to the woken thread
 * running, in µs) is worth a spin instead: on an idle machine a sleeping
 * core takes some tens of microseconds to run a woken thread, on a busy one
 * a few.
 */
const WAKE_WORTH_A_SPIN_US = 20;

/** Waits over which a try (the budget set to its most after a slow wake-up) is judged. */
const TRY_WAITS = 64;
/** The most slow wake-ups a thread lets pass before it tries spinning again, after tries that did not pay. */
const TRY_MAX_COOLDOWN = 1024;

/**
 * How long a thread watches a shared word before it sleeps on it, learnt.
 * Sleeping costs a wake-up later; spinning costs a core, which on a small
 * machine busy with other work is the very core the awaited thread needs
 * (and a scheduler lets a thread that sleeps and wakes run before one that
 * spins). So:
 *
 * - an answer caught spinning doubles the budget (up to `maxUs`), one that
 *   did not come within it halves it, down to none: on a busy machine the
 *   thread soon sleeps at once and hands its core over, as the platform's
 *   plain wait/notify relay does;
 * - after a sleep the thread learns what the wake-up cost: whoever answers
 *   writes the shared clock into a stamp word next to the one it changes,
 *   before its notify (`stamp`, see sharedClockUs and wakeSleeper). An answer that came
 *   within `maxUs` of the wait's start, followed by a wake-up slower than
 *   WAKE_WORTH_A_SPIN_US, says a spin might have been faster: the budget is
 *   set to its most again, on trial. So a budget of none is not stuck there
 *   once the machine is idle again.
 * - A slow wake-up has two causes, though: an idle core that takes long to
 *   wake (spinning pays) or cores all busy (spinning costs). A try pays if
 *   its TRY_WAITS waits took less, on average, than the sleeps before it;
 *   one that does not (or whose budget is back to none before that) makes
 *   the thread let twice as many slow wake-ups pass before the next try (up
 *   to TRY_MAX_COOLDOWN); one that pays resets that count.
 *
 * The clock is read every few dozen loads, not on every one.
 */
export class SpinBudget {
  /** The current budget, µs. */
  private us: number;
  /** When the wait in progress began (this.clock()). */
  private began = 0;
  /** How long waits slept through took lately (µs, a running average; -1 before the first). */
  private sleptUs = -1;
  /** The try on trial: its waits so far (-1: none on trial) and how long they took in all (µs). */
  private tryWaits = -1;
  private tryUs = 0;
  /** Slow wake-ups to let pass before the next try, and how many are left. */
  private cooldown = 0;
  private skip = 0;

  /** maxUs: the longest spin, about what a wake-up costs on an idle machine; clock: sharedClockUs (a test gives its own). */
  constructor(private readonly maxUs: number, private readonly clock: () => number = sharedClockUs) {
    this.us = maxUs;
  }

  /**
   * Watch word i of w while it holds `value`, within the budget. Returns
   * the word's value when it changed, or `value` when the budget ran out:
   * the caller then sleeps on it and calls woke() when it wakes.
   */
  spin(w: Int32Array, i: number, value: number): number {
    const began = this.clock();
    this.began = began;
    const us = this.us;
    if (us > 0) {
      do {
        for (let n = 0; n < LOADS_PER_CLOCK_READ; n++) {
          const v = Atomics.load(w, i);
          if (v !== value) {
            this.us = Math.min(this.maxUs, us * 2 + MIN_SPIN_US);
            if (this.tryWaits >= 0) this.tried((this.clock() - began) | 0);
            return v;
          }
        }
      } while (((this.clock() - began) | 0) < us);
      this.us = us / 2 < MIN_SPIN_US ? 0 : us / 2;
      if (this.us === 0 && this.tryWaits >= 0) this.judge(false);
    }
    return value;
  }

  /** The sleep after spin() ran out has ended; `stamp` is the stamp word (sharedClockUs) its waker wrote. */
  woke(stamp: number): void {
    const now = this.clock();
    const waited = (now - this.began) | 0;
    if (this.tryWaits >= 0) {
      this.tried(waited);
      return;
    }
    if (this.us > 0) return;
    this.sleptUs = this.sleptUs < 0 ? waited : this.sleptUs + (waited - this.sleptUs) / 4;
    const answered = (stamp - this.began) | 0;
    const wake = (now - stamp) | 0;
    if (answered < 0 || answered > this.maxUs || wake <= WAKE_WORTH_A_SPIN_US) return;
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    this.us = this.maxUs;
    this.tryWaits = 0;
    this.tryUs = 0;
  }

  /** One wait of the try on trial took `us`. */
  private tried(us: number): void {
    this.tryWaits++;
    this.tryUs += us;
    if (this.tryWaits >= TRY_WAITS) this.judge(this.tryUs / this.tryWaits < this.sleptUs);
  }

  private judge(paid: boolean): void {
    this.tryWaits = -1;
    this.cooldown = paid ? 0 : Math.min(TRY_MAX_COOLDOWN, this.cooldown * 2 + 1);
    this.skip = this.cooldown;
  }
}
