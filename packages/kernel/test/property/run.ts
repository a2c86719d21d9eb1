// The property tests' engine: random syscall sequences from several processes, with the
// kind of input a hostile or buggy program sends — pointers past the end of
// memory, pointer + length wrapping 32 bits, stale and forged handles, wrong
// rights, oversized messages, closing what others wait on, killing processes
// mid-call, faults — interleaved with safepoints, timer ticks and interrupts.
//
// After every step: the kernel did not trap, the result is a defined value,
// and the kernel's own invariant walk (handle and object counts agree, no
// object outlives its last reference, pages add up, queues and the scheduler
// are consistent) passes. At the end every process is ended and the kernel
// must be empty again: no object, handle, page, queued message or deadline
// left, and every message ever sent was either delivered or dropped — never
// lost, never delivered twice.
//
// The shard-*.test.ts files next to this one each check a share of the
// scenarios (vitest runs files on several workers), and `npm run bench`
// runs the same engine to measure syscalls per second.

import fc from 'fast-check';
import { ERR, OBJ, RIGHTS, SYS, TAG, LIMITS, FAULT, offsetOf, sizeOf } from '@oncrix/abi';
import { BLOCKED, PAGE, TestMachine } from '../harness';

// Per-process memory plan (every image here is one or two 64 KiB pages).
const STRUCTS = 1024; // argument blocks, handle lists, out-parameters
const RAW_END = 49152; // random "valid" pointers fall in [STRUCTS, RAW_END)
const TAG_SRC = 49152; // tagged payloads are written from here …
const TAG_DST = 53248; // … read into here …
const TAG_RD = 57344; // … and call replies land here
const LIST = 61440; // HANDLE_LIST output (256 entries)

// The plan above needs every process memory page to be 64 KiB, and the regions not to overlap.
if (PAGE !== LIMITS.PAGE_SIZE || TAG_RD + 512 >= LIST) throw new Error('the property tests memory plan does not fit a page');

const MAGIC = 0x0ddba11;
const VALID_RESULTS = new Set<number>([...Object.values(ERR), BLOCKED]);

/** One random step; the numbers are choices the interpreter maps onto the current state. */
interface Step {
  op: number;
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  op: fc.nat({ max: 99 }),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  d: fc.integer(),
  e: fc.nat(),
});

export interface Scenario {
  cpus: number;
  budget: number;
  steps: Step[];
}

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  cpus: fc.integer({ min: 1, max: 3 }),
  budget: fc.integer({ min: 24, max: 200 }),
  steps: fc.array(stepArb, { minLength: 300, maxLength: 700 }),
});

/** What the scenarios checked so far did, summed (printed by each shard, read by the bench). */
export const totals = { scenarios: 0, syscalls: 0, sent: 0, received: 0, spawned: 0, dropped: 0 };

/** A property that does not hold: the message says which. */
function fail(message: string): never {
  throw new Error(message);
}

function same(what: string, actual: number, expected: number): void {
  if (actual !== expected) fail(`${what}: ${actual}, expected ${expected}`);
}

/** Runs one scenario; throws on the first violated property. */
class Run {
  readonly m: TestMachine;
  readonly seenHandles: number[] = [];
  readonly sentTags = new Set<number>();
  readonly receivedTags = new Set<number>();
  /** Tags of writes whose result is not known yet (the writer was preempted at the end of the call). */
  readonly inFlightTags = new Set<number>();
  nextTag = 1;
  syscalls = 0;

  constructor(s: Scenario) {
    this.m = TestMachine.boot({
      cpus: s.cpus, budgetPages: s.budget, rootQuota: Math.min(64, s.budget), rootPriority: 6,
      sliceSafepoints: 3, devices: [{ registers: 8, irq: 4 }], images: { 0: 1, 1: 1, 2: 1, 3: 2, 4: 1 }, keepTrace: false,
    });
    if (this.m.rootPid <= 0) fail(`init did not start: ${this.m.rootPid}`);
    this.populate(this.m.rootPid, 3, 0);
  }

  /** From pid, start n workers (each with a handle to itself and a channel end), so there is traffic. */
  populate(pid: number, n: number, seed: number): void {
    const parents = this.ownHandlesOfType(pid, OBJ.PROCESS);
    const parent = parents[0];
    if (parent === undefined) return;
    for (let i = 0; i < n && this.m.isRunning(pid); i++) {
      if (this.sys(pid, SYS.CHANNEL_CREATE, STRUCTS) !== 0) return;
      const mine = this.m.u32(pid, STRUCTS);
      const theirs = this.m.u32(pid, STRUCTS + 4);
      this.remember([mine, theirs]);
      this.m.setU32(pid, STRUCTS + 8, theirs);
      this.m.setU32(pid, STRUCTS + 12, TAG.PEER);
      const desc = STRUCTS + 512;
      const set = (f: Parameters<typeof offsetOf<'SpawnDesc'>>[1], v: number): void => this.m.setU32(pid, desc + offsetOf('SpawnDesc', f), v);
      this.m.writeBytes(pid, STRUCTS + 256, 'worker');
      set('image', 1 + ((seed + i) % 4));
      set('quotaPages', 4);
      set('priority', (seed + i) % 5);
      set('namePtr', STRUCTS + 256);
      set('nameLen', 6);
      set('argsPtr', STRUCTS + 256);
      set('argsLen', 6);
      set('handlesPtr', STRUCTS + 8);
      set('numHandles', 1);
      set('selfRights', RIGHTS.ALL);
      if (this.sys(pid, SYS.PROCESS_SPAWN, parent, desc, STRUCTS + 128) === 0) this.remember([this.m.u32(pid, STRUCTS + 128)]);
    }
  }

  liveCount(): number {
    return [...this.m.procs.values()].filter((p) => !p.destroyed).length;
  }

  // ---- choosing arguments --------------------------------------------------

  pick<T>(xs: readonly T[], n: number): T | undefined {
    return xs.length === 0 ? undefined : xs[n % xs.length];
  }

  memSize(pid: number): number {
    return this.m.proc(pid).mem.length;
  }

  /** A pointer: mostly valid, sometimes just past the end, wrapping, or absurd. */
  pointer(pid: number, n: number): number {
    const size = this.memSize(pid);
    switch (n % 10) {
      case 0: return size - 2;
      case 1: return 0xfffffff0;
      case 2: return size;
      case 3: return (n * 7919) >>> 0;
      default: return STRUCTS + (n % (RAW_END - STRUCTS - 64));
    }
  }

  /** A length: mostly small, sometimes at or over the limits, or huge. */
  length(n: number): number {
    switch (n % 8) {
      case 0: return 0;
      case 1: return LIMITS.MSG_MAX_BYTES;
      case 2: return LIMITS.MSG_MAX_BYTES + 1;
      case 3: return 0x7fffffff;
      case 4: return 0x20;
      default: return n % 200;
    }
  }

  /** A handle value: one the caller holds, one someone else holds, a stale or a forged one. */
  handle(pid: number, n: number): number {
    const own = this.ownHandles(pid);
    switch (n % 6) {
      case 0: return this.pick(this.seenHandles, n >>> 3) ?? 0;
      case 1: return (this.pick(own, n >>> 3) ?? 0) ^ (1 << 10); // same slot, other generation
      case 2: return [0, -1, 1, 0x7fffffff, 1023][n % 5] ?? 0;
      default: return this.pick(own, n >>> 3) ?? 0;
    }
  }

  rights(n: number): number {
    return n % 4 === 0 ? RIGHTS.ALL : n % 4 === 1 ? (n >>> 2) & RIGHTS.ALL : n % 4 === 2 ? RIGHTS.READ | RIGHTS.WAIT : n >>> 2;
  }

  // ---- entering the kernel -------------------------------------------------

  sys(pid: number, nr: number, ...args: number[]): number {
    let r: number;
    try {
      r = this.m.sys(pid, nr, ...args);
    } catch (e) {
      throw new Error(`kernel trapped on syscall ${nr}(${args.join(', ')}) from ${pid}: ${String(e)}`);
    }
    this.syscalls++;
    if (r < 0 && !VALID_RESULTS.has(r)) throw new Error(`undefined result ${r} from syscall ${nr}`);
    return r;
  }

  /** The caller's handles, by HANDLE_LIST (itself a syscall). */
  ownHandles(pid: number): number[] {
    if (!this.m.isRunning(pid)) return [];
    const n = this.sys(pid, SYS.HANDLE_LIST, LIST, 256);
    const out: number[] = [];
    for (let i = 0; i < Math.min(n, 256); i++) out.push(this.m.u32(pid, LIST + i * sizeOf('HandleInfo')));
    return out;
  }

  ownHandlesOfType(pid: number, type: number): number[] {
    if (!this.m.isRunning(pid)) return [];
    const n = this.sys(pid, SYS.HANDLE_LIST, LIST, 256);
    const out: number[] = [];
    for (let i = 0; i < Math.min(n, 256); i++) {
      const at = LIST + i * sizeOf('HandleInfo');
      if (this.m.u32(pid, at + 4) === type) out.push(this.m.u32(pid, at));
    }
    return out;
  }

  remember(values: number[]): void {
    for (const v of values) if (v > 0 && this.seenHandles.length < 4096) this.seenHandles.push(v);
  }

  // ---- tagged messages (for the no-loss, no-duplicate property) ------------

  /** Zero a range a random read may have filled with a tagged payload, so it cannot be re-sent by a raw write. */
  scrub(pid: number, ptr: number, len: number): void {
    const p = this.m.procs.get(pid);
    if (p === undefined || p.destroyed) return;
    const start = Math.max(0, Math.min(ptr >>> 0, p.mem.length));
    p.mem.fill(0, start, Math.min(p.mem.length, start + Math.max(0, Math.min(len >>> 0, 8192))));
  }

  checkTagged(pid: number, ptr: number, len: number): void {
    if (len < 8 || this.m.u32(pid, ptr) !== MAGIC) return;
    const tag = this.m.u32(pid, ptr + 4);
    if (!this.sentTags.has(tag) && !this.inFlightTags.has(tag)) throw new Error(`message ${tag} received but never sent`);
    if (this.receivedTags.has(tag)) throw new Error(`message ${tag} delivered twice`);
    this.receivedTags.add(tag);
    this.scrub(pid, ptr, len);
  }

  taggedWrite(pid: number, h: number, extra: number, handles: number[]): void {
    const tag = this.nextTag++;
    const len = 8 + (extra % 64);
    this.m.setU32(pid, TAG_SRC, MAGIC);
    this.m.setU32(pid, TAG_SRC + 4, tag);
    handles.forEach((v, i) => this.m.setU32(pid, STRUCTS + 4 * i, v));
    const r = this.sys(pid, SYS.CHANNEL_WRITE, h, TAG_SRC, len, STRUCTS, handles.length);
    this.scrub(pid, TAG_SRC, len);
    // Preempted at the end of the write (BLOCKED): it may already be readable before we learn the result.
    if (r === BLOCKED) this.inFlightTags.add(tag);
    this.whenDone(pid, r, (result) => {
      this.inFlightTags.delete(tag);
      if (result === 0) this.sentTags.add(tag);
      else if (this.receivedTags.has(tag)) throw new Error(`message ${tag} received although its write failed (${result})`);
    });
  }

  taggedRead(pid: number, h: number, viaRecv = false, timeoutUs = -1): void {
    if (!viaRecv) {
      const r0 = this.sys(pid, SYS.CHANNEL_READ, h, TAG_DST, 4096, STRUCTS, 8, STRUCTS + 64);
      this.whenDone(pid, r0, (r) => this.readDone(pid, h, r));
      return;
    }
    // CHANNEL_RECV: the same buffers, described by a RecvArgs block; it may wait.
    const args = STRUCTS + 384;
    const set = (f: Parameters<typeof offsetOf<'RecvArgs'>>[1], v: number): void => this.m.setU32(pid, args + offsetOf('RecvArgs', f), v);
    set('bytes', TAG_DST);
    set('cap', 4096);
    set('handles', STRUCTS);
    set('handleCap', 8);
    const r0 = this.sys(pid, SYS.CHANNEL_RECV, h, args, timeoutUs);
    this.whenDone(pid, r0, (r) => {
      this.m.setU32(pid, STRUCTS + 64 + 4, this.m.u32(pid, args + offsetOf('RecvArgs', 'actualHandles')));
      this.readDone(pid, h, r);
    });
  }

  readDone(pid: number, h: number, r: number): void {
    if (r >= 0) {
      const n = this.m.u32(pid, STRUCTS + 64 + 4);
      const got: number[] = [];
      for (let i = 0; i < n; i++) got.push(this.m.u32(pid, STRUCTS + 4 * i));
      this.remember(got);
      if (this.m.u32(pid, TAG_DST) === MAGIC) this.checkTagged(pid, TAG_DST, r);
      else if (r >= 4 && (this.m.u32(pid, TAG_DST) & 0x80000000) !== 0 && r < 64) {
        // A call request: answer it with a tagged reply that carries the transaction id.
        const tag = this.nextTag++;
        this.m.setU32(pid, TAG_SRC, this.m.u32(pid, TAG_DST));
        this.m.setU32(pid, TAG_SRC + 4, tag);
        if (!this.m.isRunning(pid)) return;
        const w = this.sys(pid, SYS.CHANNEL_WRITE, h, TAG_SRC, 8, 0, 0);
        if (w === BLOCKED) this.inFlightTags.add(tag);
        this.whenDone(pid, w, (result) => {
          this.inFlightTags.delete(tag);
          if (result === 0) this.sentTags.add(tag);
        });
      }
    }
  }

  /**
   * What to do with a syscall's result once it is known. A syscall that
   * returned BLOCKED — because it waits, or because the process was preempted
   * at the end of it — delivers its real result when the process is resumed.
   */
  private readonly pending = new Map<number, (result: number) => void>();

  whenDone(pid: number, r: number, then: (result: number) => void): void {
    if (r === BLOCKED) this.pending.set(pid, then);
    else then(r);
  }

  noteResumed(): void {
    for (const [pid, then] of this.pending) {
      if (!this.m.isRunning(pid)) continue;
      this.pending.delete(pid);
      then(this.m.resumedWith(pid) ?? ERR.BAD_STATE);
    }
  }

  /** A call's reply has arrived (result 0) or the call failed. */
  callDone(pid: number, argsPtr: number, result: number): void {
    {
      if (result === 0) {
        const len = this.m.u32(pid, argsPtr + offsetOf('CallArgs', 'actualBytes'));
        const nh = this.m.u32(pid, argsPtr + offsetOf('CallArgs', 'actualHandles'));
        const got: number[] = [];
        for (let i = 0; i < nh; i++) got.push(this.m.u32(pid, TAG_RD + 256 + 4 * i));
        this.remember(got);
        const reply = this.m.readBytes(pid, TAG_RD, 8);
        const v = new DataView(reply.buffer);
        const tag = v.getUint32(4, true);
        if (len >= 8 && (this.sentTags.has(tag) || this.inFlightTags.has(tag))) {
          if (this.receivedTags.has(tag)) throw new Error(`reply ${tag} delivered twice`);
          this.receivedTags.add(tag);
        }
      }
      this.scrub(pid, TAG_RD, 512);
    }
  }

  // ---- one step ------------------------------------------------------------

  step(s: Step): void {
    const running = this.m.running();
    if (running.length === 0) {
      if (!this.m.idle()) {
        // Everyone waits for something that will never come: fault one of them.
        const live = [...this.m.procs.values()].filter((p) => !p.destroyed);
        const victim = this.pick(live, s.a);
        if (victim === undefined) return;
        this.m.k.fault(victim.pid, FAULT.TRAP);
      }
      this.noteResumed();
      return;
    }
    const pid = this.pick(running, s.a) ?? 0;
    if (this.liveCount() < 3) this.populate(pid, 2, s.b);
    if (!this.m.isRunning(pid)) return;
    const op = s.op;
    if (op < 6) {
      this.m.safepoint(pid);
    } else if (op < 8) {
      this.m.idle();
    } else if (op < 9) {
      this.m.k.irq(s.b % 2 === 0 ? 4 : 9);
    } else if (op < 10) {
      if (s.b % 5 === 0) this.m.k.fault(pid, 1 + (s.c % 6));
      else this.m.safepoint(pid);
    } else if (op < 28) {
      this.rawSyscall(pid, s);
    } else if (op < 36) {
      // create things
      const which = s.b % 4;
      const nr = [SYS.CHANNEL_CREATE, SYS.NOTIFY_CREATE, SYS.MEMOBJ_CREATE, SYS.TIMER_CREATE][which] ?? SYS.NULL;
      const r = which === 2 ? this.sys(pid, nr, s.c % 70000, STRUCTS)
        : which === 3 ? this.sys(pid, nr, this.handle(pid, s.c), s.d & 31, STRUCTS)
          : this.sys(pid, nr, STRUCTS);
      if (r === 0) this.remember([this.m.u32(pid, STRUCTS), this.m.u32(pid, STRUCTS + 4)]);
    } else if (op < 46) {
      const chans = this.ownHandlesOfType(pid, OBJ.CHANNEL);
      const h = this.pick(chans, s.b) ?? this.handle(pid, s.b);
      const moved = s.c % 4 === 0 ? [this.handle(pid, s.e)] : [];
      this.taggedWrite(pid, h, s.d >>> 0, moved);
    } else if (op < 56) {
      const chans = this.ownHandlesOfType(pid, OBJ.CHANNEL);
      this.taggedRead(pid, this.pick(chans, s.b) ?? this.handle(pid, s.b), s.c % 3 === 0, s.d % 4 === 0 ? -1 : Math.abs(s.d % 20000));
    } else if (op < 62) {
      this.taggedCall(pid, s);
    } else if (op < 68) {
      this.waitOp(pid, s);
    } else if (op < 74) {
      const h = this.handle(pid, s.b);
      const r = s.c % 3 === 0 ? this.sys(pid, SYS.HANDLE_REVOKE, h)
        : s.c % 3 === 1 ? this.sys(pid, SYS.HANDLE_CLOSE, h)
          : this.sys(pid, SYS.HANDLE_DUPLICATE, h, this.rights(s.d >>> 0), STRUCTS);
      if (s.c % 3 === 2 && r === 0) this.remember([this.m.u32(pid, STRUCTS)]);
    } else if (op < 82) {
      this.spawnOp(pid, s);
    } else if (op < 87) {
      const procs = this.ownHandlesOfType(pid, OBJ.PROCESS);
      this.sys(pid, SYS.PROCESS_KILL, this.pick(procs, s.b) ?? this.handle(pid, s.b));
    } else if (op < 90) {
      this.sys(pid, SYS.NOTIFY_SIGNAL, this.handle(pid, s.b), s.d);
    } else if (op < 93) {
      this.sys(pid, SYS.MEM_GROW, s.b % 3);
    } else if (op < 96) {
      this.sys(pid, SYS.SLEEP, s.b % 5000);
    } else if (op < 98) {
      this.sys(pid, SYS.YIELD);
    } else if (s.b % 3 === 0) {
      this.sys(pid, SYS.PROCESS_EXIT, s.d);
    } else {
      this.sys(pid, SYS.NULL);
    }
    this.noteResumed();
  }

  /** Any syscall number with arguments drawn from the hostile pools. */
  rawSyscall(pid: number, s: Step): void {
    const nr = s.b % 10 === 0 ? [SYS.FD_FIRST, SYS.WASI_FIRST + 3, 50, 1000, -1, 0x7fffffff][s.c % 6] ?? 0 : s.b % 40;
    const arg = (k: number): number => {
      switch ((s.c >>> (k * 3)) % 4) {
        case 0: return this.handle(pid, s.e + k);
        case 1: return this.pointer(pid, (s.e >>> k) + k);
        case 2: return this.length((s.d >>> k) >>> 0);
        default: return s.d ^ (k * 0x9e3779b9);
      }
    };
    const args = [arg(0), arg(1), arg(2), arg(3), arg(4), arg(5)];
    if (nr === SYS.CHANNEL_CALL || nr === SYS.PROCESS_SPAWN) this.randomBlock(pid, args[1] ?? 0, s);
    if (nr === SYS.PROCESS_EXIT || nr === SYS.PROCESS_KILL) args[0] = nr === SYS.PROCESS_EXIT ? s.d : this.handle(pid, s.e);
    const r = this.sys(pid, nr, ...args);
    if (nr === SYS.CHANNEL_READ) this.whenDone(pid, r, () => this.scrub(pid, args[1] ?? 0, args[2] ?? 0));
    if (nr === SYS.CHANNEL_CALL) {
      const argsPtr = (args[1] ?? 0) >>> 0;
      const rd = argsPtr + 44 <= this.memSize(pid) ? this.m.u32(pid, argsPtr + offsetOf('CallArgs', 'rdBytes')) : 0;
      this.whenDone(pid, r, () => this.scrub(pid, rd, 4096));
    }
  }

  /** Fill an argument block (CallArgs / SpawnDesc) at ptr with hostile values, if ptr is inside memory. */
  randomBlock(pid: number, p: number, s: Step): void {
    const ptr = p >>> 0;
    if (ptr + 64 > this.memSize(pid) || ptr < STRUCTS) return;
    for (let i = 0; i < 16; i++) {
      const k = (s.e >>> (i % 16)) + i;
      const v = i % 3 === 0 ? this.pointer(pid, k) : i % 3 === 1 ? this.length(k) : this.handle(pid, k);
      this.m.setU32(pid, ptr + 4 * i, v);
    }
  }

  taggedCall(pid: number, s: Step): void {
    const chans = this.ownHandlesOfType(pid, OBJ.CHANNEL);
    const h = this.pick(chans, s.b) ?? this.handle(pid, s.b);
    const args = STRUCTS + 512;
    const set = (f: Parameters<typeof offsetOf<'CallArgs'>>[1], v: number): void => this.m.setU32(pid, args + offsetOf('CallArgs', f), v);
    this.m.setU32(pid, TAG_SRC, 0);
    this.m.setU32(pid, TAG_SRC + 4, 0);
    set('wrBytes', TAG_SRC);
    set('wrLen', 8 + (s.c % 32));
    set('wrHandles', STRUCTS);
    set('wrNumHandles', 0);
    set('rdBytes', TAG_RD);
    set('rdCap', s.c % 5 === 0 ? 4 : 256);
    set('rdHandles', TAG_RD + 256);
    set('rdHandleCap', 8);
    set('timeoutUs', s.d % 3 === 0 ? -1 : Math.abs(s.d % 20000));
    const r = this.sys(pid, SYS.CHANNEL_CALL, h, args);
    this.whenDone(pid, r, (result) => this.callDone(pid, args, result));
  }

  waitOp(pid: number, s: Step): void {
    const h = this.handle(pid, s.b);
    const timeout = s.d % 4 === 0 ? -1 : Math.abs(s.d % 30000);
    switch (s.c % 3) {
      case 0: this.sys(pid, SYS.OBJECT_WAIT, h, (s.e % 31) + 1, timeout, STRUCTS); break;
      case 1: this.sys(pid, SYS.NOTIFY_WAIT, h, s.e | 1, timeout); break;
      default: {
        const n = 1 + (s.e % 4);
        for (let i = 0; i < n; i++) {
          this.m.setU32(pid, STRUCTS + 12 * i, this.handle(pid, s.e + i));
          this.m.setU32(pid, STRUCTS + 12 * i + 4, 1 + ((s.e >>> i) % 31));
        }
        this.sys(pid, SYS.OBJECT_WAIT_MANY, STRUCTS, s.c % 7 === 0 ? 17 : n, timeout);
      }
    }
  }

  spawnOp(pid: number, s: Step): void {
    const procs = this.ownHandlesOfType(pid, OBJ.PROCESS);
    const parent = this.pick(procs, s.b) ?? this.handle(pid, s.b);
    const desc = STRUCTS + 512;
    const set = (f: Parameters<typeof offsetOf<'SpawnDesc'>>[1], v: number): void => this.m.setU32(pid, desc + offsetOf('SpawnDesc', f), v);
    const moved = s.c % 3 === 0 ? [] : [this.handle(pid, s.e), this.handle(pid, s.e + 1)].slice(0, 1 + (s.c % 2));
    moved.forEach((h, i) => {
      this.m.setU32(pid, STRUCTS + 8 * i, h);
      this.m.setU32(pid, STRUCTS + 8 * i + 4, TAG.PEER);
    });
    this.m.writeBytes(pid, STRUCTS + 256, 'worker');
    set('image', s.c % 9 === 0 ? 77 : 1 + (s.c % 4));
    set('quotaPages', s.c % 11 === 0 ? 0 : 2 + (s.d & 7));
    set('priority', s.e % 8);
    set('namePtr', STRUCTS + 256);
    set('nameLen', 6);
    set('argsPtr', STRUCTS + 256);
    set('argsLen', s.c % 13 === 0 ? 5000 : 6);
    set('handlesPtr', STRUCTS);
    set('numHandles', moved.length);
    set('selfRights', s.c % 2 === 0 ? RIGHTS.ALL : 0);
    const r = this.sys(pid, SYS.PROCESS_SPAWN, parent, desc, STRUCTS + 128);
    if (r === 0) this.remember([this.m.u32(pid, STRUCTS + 128)]);
  }

  /** End every process the way the HAL would, then check that nothing is left. */
  drain(): void {
    for (const p of [...this.m.procs.values()]) if (!p.destroyed) this.m.k.fault(p.pid, FAULT.TRAP);
    this.m.settle(); // the rest of every teardown, in the kernel's bounded steps
    this.noteResumed();
    same('invariant broken after the drain', this.m.k.debug_check(), 0);
    for (const stat of ['PROCESSES', 'HANDLES', 'OBJECTS', 'BUDGET_USED', 'KERNEL_BYTES', 'MSG_QUEUED', 'DEADLINES', 'WORK'] as const) {
      same(`${stat} left after every process ended`, this.m.stat(stat), 0);
    }
    same('messages sent = delivered + dropped', this.m.stat('MSG_SENT'), this.m.stat('MSG_DELIVERED') + this.m.stat('MSG_DROPPED'));
    for (const t of this.receivedTags) if (!this.sentTags.has(t) && !this.inFlightTags.has(t)) fail(`message ${t} received but never sent`);
  }
}

/** Run one scenario, checking every invariant after every step; throws on the first property that does not hold. */
export function runScenario(s: Scenario): void {
  const run = new Run(s);
  for (const st of s.steps) {
    run.step(st);
    const broken = run.m.k.debug_check();
    if (broken !== 0) fail(`invariant ${broken} broken after step ${JSON.stringify(st)}`);
  }
  run.drain();
  totals.scenarios++;
  totals.syscalls += run.syscalls;
  totals.sent += run.sentTags.size;
  totals.received += run.receivedTags.size;
  totals.spawned += [...run.m.procs.keys()].length;
  totals.dropped += run.m.stat('MSG_DROPPED');
}

