// The test HAL: kernel.wasm driven from TypeScript, with process memories
// simulated as plain byte arrays and every HAL import implemented in a few
// lines. Tests play the part of the processes: while the kernel says a process
// is on a CPU, the test may make syscalls on its behalf (`sys`), and it sees
// exactly what a process would see — results, bytes in its memory, handles —
// plus what the trace says.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERR, KERNEL, OBJ, SYS, STAT, WASI, WasiFunctions, decodeTrace, offsetOf, sizeOf, type KernelExports, type KernelImports, type TraceEvent } from '@oncrix/abi';

/** The kernel under test: the build's, or another (ONCRIX_KERNEL_WASM, e.g. an older build, to see a test fail without a fix). */
export const KERNEL_WASM = process.env.ONCRIX_KERNEL_WASM ?? fileURLToPath(new URL('../build/kernel.wasm', import.meta.url));
export const PAGE = 65536;
export const BLOCKED = KERNEL.BLOCKED;

/** Thrown by the test HAL's panic import: the kernel found a broken invariant. */
export class KernelPanic extends Error {}

/** One simulated process: its memory and what the HAL knows about its thread. */
export interface SimProcess {
  pid: number;
  image: number;
  mem: Uint8Array;
  maxPages: number;
  running: boolean;
  cpu: number;
  started: boolean;
  destroyed: boolean;
  /** The result the kernel gave this process when it last resumed it. */
  lastResult: number | undefined;
  preemptRequested: boolean;
  heap: number;
  /** A view of mem, made when first needed. */
  view?: DataView;
}

export interface DeviceSpec {
  registers: number;
  irq: number;
}

export interface BootOptions {
  cpus?: number;
  deterministic?: boolean;
  budgetPages?: number;
  sliceSafepoints?: number;
  sliceUs?: number;
  safepointNs?: number;
  rootImage?: number;
  rootQuota?: number;
  rootPriority?: number;
  devices?: DeviceSpec[];
  /** Initial pages of each program image id; ids not listed do not exist. */
  images?: Record<number, number>;
  /** BootInfo.kernelPages: the most pages the kernel memory may grow to (0: no limit). */
  kernelPages?: number;
  /** Keep the trace (default). Long hostile runs turn it off: millions of records would fill the host's memory. */
  keepTrace?: boolean;
  /** Time every kernel entry (`entryTimes`): for the bench's longest-entry figure, never for assertions. */
  timeEntries?: boolean;
}

/** One timed kernel entry: which entry point (a syscall by its ABI name), its arguments, and its wall and CPU time in ms. */
export interface TimedEntry {
  kind: string;
  args: number[];
  ms: number;
  cpuMs: number;
}

/**
 * Kernel entries as the HAL sees them, in order: wall time, and the
 * process's CPU time over the same call — which a loaded machine does not
 * inflate by descheduling the process mid-entry. The test HAL's own work
 * (its copies, its trace import) is inside each entry, as a HAL's is.
 */
export class EntryTimes {
  readonly entries: TimedEntry[] = [];

  add(kind: string, args: number[], ms: number, cpuMs: number): void {
    this.entries.push({ kind, args, ms, cpuMs });
  }
}

const SYSCALL_NAMES = new Map<number, string>(Object.entries(SYS).map(([name, nr]) => [nr, name]));

/** The kernel's exports with every entry point timed into `times`. */
function timed(k: KernelExports, times: EntryTimes): KernelExports {
  const wrap = <A extends number[], R>(name: string, f: (...a: A) => R) => (...a: A): R => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = f(...a);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const kind = name === 'syscall' ? `syscall ${SYSCALL_NAMES.get(a[1] ?? -1) ?? String(a[1])}` : name;
    times.add(kind, a.slice(), ms, (c.user + c.system) / 1000);
    return r;
  };
  return {
    ...k,
    init: wrap('init', k.init),
    syscall: wrap('syscall', k.syscall),
    safepoint: wrap('safepoint', k.safepoint),
    irq: wrap('irq', k.irq),
    tick: wrap('tick', k.tick),
    fault: wrap('fault', k.fault),
  };
}

/**
 * Call the entry points the workloads use 1,100 times each, with arguments
 * that do nothing (no such process; a tick at the current time with nothing
 * due). V8 calls a fresh instance's export through a generic wrapper and
 * compiles a specialised one at its 1,000th call — about 0.3 ms inside that
 * call, every fresh instance. A HAL pays that once at boot; a timed
 * workload on a fresh machine must not count it as a kernel entry.
 */
function warmHostCalls(k: KernelExports): void {
  for (let i = 0; i < 1100; i++) {
    k.syscall(0, SYS.NULL, 0, 0, 0, 0, 0, 0);
    k.safepoint(0);
    k.fault(0, 0);
    k.tick(k.kernel_time());
  }
}

let compiled: WebAssembly.Module | undefined;
export function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(KERNEL_WASM));
  return compiled;
}

const HEAP_START = 1024;

export class TestMachine {
  readonly k: KernelExports;
  readonly procs = new Map<number, SimProcess>();
  readonly runLog: { pid: number; cpu: number; result: number }[] = [];
  readonly devWrites: { dev: number; reg: number; value: number }[] = [];
  readonly registers: number[][] = [];
  readonly irqMasked = new Map<number, boolean>();
  readonly images: Record<number, number>;
  /** Host clock for real-time mode, in ns. */
  clock = 0;
  panicMessage: string | null = null;
  rootPid = 0;
  /** Processes whose memory the HAL fails to copy to or from, although the ranges are fine (a HAL fault the kernel must report). */
  readonly failCopies = new Set<number>();
  private traceChunks: Uint8Array[] = [];

  private readonly keepTrace: boolean;
  /** Kernel entries timed, when booted with timeEntries. */
  readonly entryTimes = new EntryTimes();

  private readonly timeEntries: boolean;

  private constructor(images: Record<number, number>, keepTrace: boolean, module: WebAssembly.Module, extra: WebAssembly.Imports,
    timeEntries: boolean) {
    this.images = images;
    this.keepTrace = keepTrace;
    this.timeEntries = timeEntries;
    const instance = new WebAssembly.Instance(module, { ...extra, hal: this.halImports() });
    this.raw = instance.exports as unknown as KernelExports;
    this.k = timeEntries ? timed(this.raw, this.entryTimes) : this.raw;
  }

  /** The exports unwrapped (for warming the host's call path before timing). */
  private readonly raw: KernelExports;

  /** Instantiate a kernel, write the boot info and run init(). */
  static boot(opts: BootOptions = {}, module: WebAssembly.Module = kernelModule(), extra: WebAssembly.Imports = {}): TestMachine {
    const m = new TestMachine(opts.images ?? { 0: 2, 1: 1, 2: 1, 3: 1, 4: 1 }, opts.keepTrace ?? true, module, extra, opts.timeEntries ?? false);
    const devices = opts.devices ?? [];
    for (const d of devices) m.registers.push(new Array<number>(d.registers).fill(0));
    const base = m.k.boot_info_area();
    const v = new DataView(m.k.memory.buffer);
    const put = (field: Parameters<typeof offsetOf<'BootInfo'>>[1], value: number): void =>
      v.setUint32(base + offsetOf('BootInfo', field), value, true);
    put('cpus', opts.cpus ?? 1);
    put('flags', opts.deterministic === false ? 0 : KERNEL.FLAG_DETERMINISTIC);
    put('budgetPages', opts.budgetPages ?? 256);
    put('sliceSafepoints', opts.sliceSafepoints ?? 10);
    put('sliceUs', opts.sliceUs ?? 1000);
    put('rootImage', opts.rootImage ?? 0);
    put('rootQuota', opts.rootQuota ?? 128);
    put('rootPriority', opts.rootPriority ?? 4);
    put('numDevices', devices.length);
    put('safepointNs', opts.safepointNs ?? 1000);
    put('kernelPages', opts.kernelPages ?? 0);
    devices.forEach((d, i) => {
      const at = base + sizeOf('BootInfo') + i * sizeOf('BootDevice');
      v.setUint32(at + offsetOf('BootDevice', 'device'), i, true);
      v.setUint32(at + offsetOf('BootDevice', 'registers'), d.registers, true);
      v.setInt32(at + offsetOf('BootDevice', 'irq'), d.irq, true);
    });
    m.rootPid = m.raw.init();
    if (m.timeEntries) warmHostCalls(m.raw);
    return m;
  }

  private kernelView: Uint8Array = new Uint8Array(0);

  /** The kernel's memory (a fresh view after it grew: growing detaches the old buffer). */
  private kernelBytes(): Uint8Array {
    const buffer = this.k.memory.buffer;
    if (this.kernelView.buffer !== buffer) this.kernelView = new Uint8Array(buffer);
    return this.kernelView;
  }

  /** The simulated process pid (throws if the HAL never created it). */
  proc(pid: number): SimProcess {
    const p = this.procs.get(pid);
    if (p === undefined) throw new Error(`no process ${pid}`);
    return p;
  }

  private halImports(): KernelImports {
    const inRange = (p: SimProcess | undefined, ptr: number, len: number): p is SimProcess =>
      p !== undefined && !p.destroyed && ptr >= 0 && len >= 0 && ptr + len <= p.mem.length;
    return {
      now: () => this.clock,
      copy_from_user: (pid, uptr, kptr, len) => {
        const p = this.procs.get(pid);
        if (this.failCopies.has(pid) || !inRange(p, uptr >>> 0, len >>> 0)) return -1;
        this.kernelBytes().set(p.mem.subarray(uptr >>> 0, (uptr >>> 0) + (len >>> 0)), kptr >>> 0);
        return 0;
      },
      copy_to_user: (pid, kptr, uptr, len) => {
        const p = this.procs.get(pid);
        if (this.failCopies.has(pid) || !inRange(p, uptr >>> 0, len >>> 0)) return -1;
        p.mem.set(this.kernelBytes().subarray(kptr >>> 0, (kptr >>> 0) + (len >>> 0)), uptr >>> 0);
        return 0;
      },
      copy_between: (src, sptr, dst, dptr, len) => {
        const a = this.procs.get(src);
        const b = this.procs.get(dst);
        if (this.failCopies.has(src) || this.failCopies.has(dst)) return -1;
        if (!inRange(a, sptr >>> 0, len >>> 0) || !inRange(b, dptr >>> 0, len >>> 0)) return -1;
        b.mem.set(a.mem.subarray(sptr >>> 0, (sptr >>> 0) + (len >>> 0)), dptr >>> 0);
        return 0;
      },
      mem_size: (pid) => this.procs.get(pid)?.mem.length ?? 0,
      mem_grow: (pid, pages) => {
        const p = this.procs.get(pid);
        if (p === undefined || p.destroyed) return -1;
        const old = p.mem.length / PAGE;
        if (old + pages > p.maxPages) return -1;
        const grown = new Uint8Array((old + pages) * PAGE);
        grown.set(p.mem);
        p.mem = grown;
        return old;
      },
      process_create: (pid, image, quota) => {
        const pages = this.images[image];
        if (pages === undefined) return ERR.NOT_FOUND;
        this.procs.set(pid, {
          pid, image, mem: new Uint8Array(pages * PAGE), maxPages: quota, running: false, cpu: -1,
          started: false, destroyed: false, lastResult: undefined, preemptRequested: false, heap: HEAP_START,
        });
        return pages;
      },
      process_destroy: (pid) => {
        const p = this.procs.get(pid);
        if (p === undefined) return;
        p.destroyed = true;
        p.running = false;
        p.mem = new Uint8Array(0);
      },
      run: (pid, cpu, result) => {
        const p = this.proc(pid);
        p.running = true;
        p.started = true;
        p.cpu = cpu;
        p.lastResult = result;
        p.preemptRequested = false;
        this.runLog.push({ pid, cpu, result });
      },
      preempt: (pid) => {
        this.proc(pid).preemptRequested = true;
      },
      dev_read: (dev, reg) => this.registers[dev]?.[reg] ?? 0,
      dev_write: (dev, reg, value) => {
        const regs = this.registers[dev];
        if (regs !== undefined) regs[reg] = value;
        this.devWrites.push({ dev, reg, value });
      },
      irq_mask: (line, masked) => {
        this.irqMasked.set(line, masked !== 0);
      },
      trace: (ptr, len) => {
        if (this.keepTrace) this.traceChunks.push(this.kernelBytes().slice(ptr >>> 0, (ptr >>> 0) + len));
      },
      panic: (ptr, len) => {
        this.panicMessage = new TextDecoder().decode(this.kernelBytes().slice(ptr >>> 0, (ptr >>> 0) + len));
        throw new KernelPanic(this.panicMessage);
      },
    };
  }

  // ---- entering the kernel as a process --------------------------------------

  /** Make syscall nr as process pid. Marks the process parked when the kernel says BLOCKED. */
  sys(pid: number, nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
    const r = this.k.syscall(pid, nr, a0 | 0, a1 | 0, a2 | 0, a3 | 0, a4 | 0, a5 | 0);
    if (r === BLOCKED) {
      const p = this.procs.get(pid);
      if (p !== undefined) p.running = false;
    }
    return r;
  }

  /**
   * WASI function `name` as process pid, through the wide entry (the way the
   * HALs' shims call it): i64 parameters take a bigint or a number.
   */
  wasi(pid: number, name: keyof typeof WasiFunctions, ...args: (number | bigint)[]): number {
    const area = new BigUint64Array(this.k.memory.buffer, this.k.wide_args_area(), 10);
    area.fill(0n);
    args.forEach((a, i) => { area[i] = BigInt.asUintN(64, typeof a === 'bigint' ? a : BigInt(a >>> 0)); });
    const params = WasiFunctions[name].params;
    params.split('').forEach((t, i) => { if (t === 'I' && typeof args[i] === 'number') area[i] = BigInt.asUintN(64, BigInt(args[i] as number)); });
    const r = this.k.syscall_wide(pid, WASI[name.toUpperCase() as keyof typeof WASI]);
    if (r === BLOCKED) {
      const p = this.procs.get(pid);
      if (p !== undefined) p.running = false;
    }
    return r;
  }

  /** Process pid reaches a safepoint. */
  safepoint(pid: number): number {
    const r = this.k.safepoint(pid);
    if (r === BLOCKED) this.proc(pid).running = false;
    return r;
  }

  isRunning(pid: number): boolean {
    return this.procs.get(pid)?.running === true;
  }

  /** The result the kernel handed pid when it last resumed it (after a BLOCKED syscall). */
  resumedWith(pid: number): number | undefined {
    return this.proc(pid).lastResult;
  }

  /** Pids currently on a CPU. */
  running(): number[] {
    return [...this.procs.values()].filter((p) => p.running && !p.destroyed).map((p) => p.pid);
  }

  /** Let the kernel finish its pending teardown steps (as a HAL does, entering again while next_deadline() is now). */
  settle(): void {
    while (this.k.debug_stat(STAT.WORK) > 0) this.k.tick(this.k.kernel_time());
  }

  /** Deterministic mode: jump virtual time to the next deadline (as an idle HAL does). Returns false if none. */
  idle(): boolean {
    const d = this.k.next_deadline();
    if (d < 0) return false;
    this.k.tick(d);
    return true;
  }

  // ---- process memory --------------------------------------------------------

  /** Reserve n bytes in pid's memory (a bump allocator). */
  alloc(pid: number, n: number, align = 8): number {
    const p = this.proc(pid);
    const at = Math.ceil(p.heap / align) * align;
    if (at + n > p.mem.length) throw new Error(`process ${pid} out of test heap`);
    p.heap = at + n;
    return at;
  }

  writeBytes(pid: number, ptr: number, bytes: Uint8Array | string): void {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    this.proc(pid).mem.set(data, ptr);
  }

  readBytes(pid: number, ptr: number, len: number): Uint8Array {
    return this.proc(pid).mem.slice(ptr, ptr + len);
  }

  readText(pid: number, ptr: number, len: number): string {
    return new TextDecoder().decode(this.readBytes(pid, ptr, len));
  }

  /** A DataView of pid's memory (kept while the memory is the same array). */
  private view(pid: number): DataView {
    const p = this.proc(pid);
    if (p.view?.buffer !== p.mem.buffer) p.view = new DataView(p.mem.buffer, p.mem.byteOffset, p.mem.byteLength);
    return p.view;
  }

  u32(pid: number, ptr: number): number {
    return this.view(pid).getUint32(ptr, true);
  }

  i32(pid: number, ptr: number): number {
    return this.view(pid).getInt32(ptr, true);
  }

  setU32(pid: number, ptr: number, v: number): void {
    this.view(pid).setUint32(ptr, v >>> 0, true);
  }

  /** Put bytes in pid's memory and return the pointer. */
  put(pid: number, bytes: Uint8Array | string): number {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    const ptr = this.alloc(pid, Math.max(data.length, 1));
    this.writeBytes(pid, ptr, data);
    return ptr;
  }

  /** Put u32 values in pid's memory and return the pointer. */
  putU32s(pid: number, values: number[]): number {
    const ptr = this.alloc(pid, Math.max(values.length * 4, 4));
    values.forEach((v, i) => this.setU32(pid, ptr + 4 * i, v));
    return ptr;
  }

  // ---- observing the kernel --------------------------------------------------

  /** The raw trace so far. */
  rawTrace(): Uint8Array {
    const total = this.traceChunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.traceChunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** The decoded trace so far. */
  events(): TraceEvent[] {
    return decodeTrace(this.rawTrace());
  }

  /** A point in the trace, for `eventsAfter` (cheaper than counting decoded events when the trace is long). */
  traceMark(): number {
    return this.traceChunks.length;
  }

  /** The events recorded after a traceMark(). */
  eventsAfter(mark: number): TraceEvent[] {
    return this.traceChunks.slice(mark).flatMap((c) => decodeTrace(c));
  }

  /** Decoded events of one kind ("MSG_SEND", …). */
  eventsOf(kindName: string): TraceEvent[] {
    return this.events().filter((e) => e.kindName === kindName);
  }

  stat(name: keyof typeof STAT): number {
    return this.k.debug_stat(STAT[name]);
  }

  /** Throw unless every kernel invariant holds. */
  check(): void {
    const broken = this.k.debug_check();
    if (broken !== 0) throw new Error(`kernel invariant ${broken} broken`);
  }

  // ---- syscall wrappers that return what a process would see ----------------

  /** CHANNEL_CREATE; returns the two handle values. */
  channel(pid: number): [number, number] {
    const out = this.alloc(pid, 8);
    const r = this.sys(pid, SYS.CHANNEL_CREATE, out);
    if (r !== 0) throw new Error(`channel create failed: ${r}`);
    return [this.u32(pid, out), this.u32(pid, out + 4)];
  }

  /** CHANNEL_WRITE of bytes (or text) moving handles. */
  write(pid: number, h: number, bytes: Uint8Array | string, handles: number[] = []): number {
    const ptr = this.put(pid, bytes);
    const len = typeof bytes === 'string' ? new TextEncoder().encode(bytes).length : bytes.length;
    return this.sys(pid, SYS.CHANNEL_WRITE, h, ptr, len, this.putU32s(pid, handles), handles.length);
  }

  /** CHANNEL_READ into fresh buffers. */
  read(pid: number, h: number, cap = 4096, hcap = 8): { result: number; bytes: Uint8Array; text: string; handles: number[]; actualBytes: number; actualHandles: number } {
    const buf = this.alloc(pid, Math.max(cap, 1));
    const hbuf = this.alloc(pid, Math.max(hcap * 4, 4));
    const actual = this.alloc(pid, 8);
    const result = this.sys(pid, SYS.CHANNEL_READ, h, buf, cap, hbuf, hcap, actual);
    const n = result > 0 ? result : 0;
    const bytes = this.readBytes(pid, buf, n);
    const actualHandles = this.u32(pid, actual + 4);
    const handles = result >= 0 ? [...Array(actualHandles).keys()].map((i) => this.u32(pid, hbuf + 4 * i)) : [];
    return { result, bytes, text: new TextDecoder().decode(bytes), handles, actualBytes: this.u32(pid, actual), actualHandles };
  }

  /** CHANNEL_CALL; returns the syscall result and a reader for the reply once it arrives. */
  call(pid: number, h: number, request: Uint8Array | string, opts: { handles?: number[]; rdCap?: number; rdHandleCap?: number; timeoutUs?: number } = {}) {
    const req = typeof request === 'string' ? new TextEncoder().encode(request) : request;
    const args = this.alloc(pid, sizeOf('CallArgs'));
    const rdCap = opts.rdCap ?? 256;
    const rdHandleCap = opts.rdHandleCap ?? 8;
    const rd = this.alloc(pid, Math.max(rdCap, 1));
    const rdH = this.alloc(pid, Math.max(rdHandleCap * 4, 4));
    const handles = opts.handles ?? [];
    const set = (f: Parameters<typeof offsetOf<'CallArgs'>>[1], v: number): void => this.setU32(pid, args + offsetOf('CallArgs', f), v);
    set('wrBytes', this.put(pid, req));
    set('wrLen', req.length);
    set('wrHandles', this.putU32s(pid, handles));
    set('wrNumHandles', handles.length);
    set('rdBytes', rd);
    set('rdCap', rdCap);
    set('rdHandles', rdH);
    set('rdHandleCap', rdHandleCap);
    set('timeoutUs', opts.timeoutUs ?? -1);
    const result = this.sys(pid, SYS.CHANNEL_CALL, h, args);
    return {
      result,
      reply: () => {
        const len = this.u32(pid, args + offsetOf('CallArgs', 'actualBytes'));
        const nh = this.u32(pid, args + offsetOf('CallArgs', 'actualHandles'));
        const bytes = this.readBytes(pid, rd, Math.min(len, rdCap));
        return { bytes, text: new TextDecoder().decode(bytes), handles: [...Array(nh).keys()].map((i) => this.u32(pid, rdH + 4 * i)), len };
      },
    };
  }

  /** An out-parameter syscall that yields one handle (NOTIFY_CREATE, MEMOBJ_CREATE …). */
  private oneHandle(pid: number, nr: number, args: number[]): number {
    const out = this.alloc(pid, 4);
    const r = this.sys(pid, nr, ...[...args, out]);
    return r === 0 ? this.u32(pid, out) : r;
  }

  /** HANDLE_DUPLICATE; returns the new handle value or an error code. */
  dup(pid: number, h: number, rights: number): number {
    return this.oneHandle(pid, SYS.HANDLE_DUPLICATE, [h, rights]);
  }

  notification(pid: number): number {
    return this.oneHandle(pid, SYS.NOTIFY_CREATE, []);
  }

  memobj(pid: number, size: number): number {
    return this.oneHandle(pid, SYS.MEMOBJ_CREATE, [size]);
  }

  timer(pid: number, notify: number, bit: number): number {
    return this.oneHandle(pid, SYS.TIMER_CREATE, [notify, bit]);
  }

  /** HANDLE_INFO as an object, or the error code. */
  handleInfo(pid: number, h: number): { handle: number; type: number; rights: number; koid: number } | number {
    const out = this.alloc(pid, sizeOf('HandleInfo'));
    const r = this.sys(pid, SYS.HANDLE_INFO, h, out);
    if (r !== 0) return r;
    const f = (n: 'handle' | 'type' | 'rights' | 'koid'): number => this.u32(pid, out + offsetOf('HandleInfo', n));
    return { handle: f('handle'), type: f('type'), rights: f('rights'), koid: f('koid') };
  }

  /** HANDLE_LIST of pid's own handles. */
  handles(pid: number): { handle: number; type: number; rights: number; koid: number }[] {
    const cap = 64;
    const out = this.alloc(pid, cap * sizeOf('HandleInfo'));
    const n = this.sys(pid, SYS.HANDLE_LIST, out, cap);
    const list = [];
    for (let i = 0; i < Math.min(n, cap); i++) {
      const at = out + i * sizeOf('HandleInfo');
      list.push({ handle: this.u32(pid, at), type: this.u32(pid, at + 4), rights: this.u32(pid, at + 8), koid: this.u32(pid, at + 12) });
    }
    return list;
  }

  /** The first handle of pid with the given object type (e.g. its SELF process handle). */
  handleOfType(pid: number, type: number): number {
    const h = this.handles(pid).find((x) => x.type === type);
    if (h === undefined) throw new Error(`process ${pid} holds no handle of type ${type}`);
    return h.handle;
  }

  /** PROCESS_SPAWN under the process behind parentH. */
  spawn(pid: number, parentH: number, opts: { image?: number; quota?: number; priority?: number; name?: string; args?: string; handles?: { handle: number; tag: number }[]; selfRights?: number; fds?: [number, number][]; env?: string; generation?: number } = {}): { result: number; handle: number; pid: number } {
    const desc = this.alloc(pid, sizeOf('SpawnDesc'));
    const name = opts.name ?? 'child';
    const args = opts.args ?? '';
    const hs = opts.handles ?? [];
    const hptr = this.alloc(pid, Math.max(hs.length * 8, 8));
    hs.forEach((h, i) => {
      this.setU32(pid, hptr + 8 * i, h.handle);
      this.setU32(pid, hptr + 8 * i + 4, h.tag);
    });
    const set = (f: Parameters<typeof offsetOf<'SpawnDesc'>>[1], v: number): void => this.setU32(pid, desc + offsetOf('SpawnDesc', f), v);
    set('image', opts.image ?? 1);
    set('quotaPages', opts.quota ?? 8);
    set('priority', opts.priority ?? 4);
    const nameBytes = new TextEncoder().encode(name);
    set('namePtr', this.put(pid, nameBytes));
    set('nameLen', nameBytes.length);
    const argBytes = new TextEncoder().encode(args);
    set('argsPtr', this.put(pid, argBytes));
    set('argsLen', argBytes.length);
    set('handlesPtr', hptr);
    set('numHandles', hs.length);
    set('selfRights', opts.selfRights ?? 0);
    const fds = opts.fds ?? [];
    set('fdsPtr', this.putU32s(pid, fds.flat()));
    set('numFds', fds.length);
    const env = new TextEncoder().encode(opts.env ?? '');
    set('envPtr', this.put(pid, env));
    set('envLen', env.length);
    set('generation', opts.generation ?? 0);
    const out = this.alloc(pid, 4);
    const result = this.sys(pid, SYS.PROCESS_SPAWN, parentH, desc, out);
    if (result !== 0) return { result, handle: 0, pid: 0 };
    const handle = this.u32(pid, out);
    return { result, handle, pid: Math.max(...this.procs.keys()) };
  }

  /** STARTUP_INFO of pid: its tagged handles and argument text. */
  startup(pid: number): { handles: { handle: number; tag: number }[]; args: string } {
    const cap = 2048;
    const buf = this.alloc(pid, cap);
    const size = this.sys(pid, SYS.STARTUP_INFO, buf, cap);
    if (size < 0 || size > cap) throw new Error(`startup info failed: ${size}`);
    const n = this.u32(pid, buf);
    const argsLen = this.u32(pid, buf + 4);
    const handles = [...Array(n).keys()].map((i) => ({ handle: this.u32(pid, buf + 8 + 8 * i), tag: this.u32(pid, buf + 12 + 8 * i) }));
    return { handles, args: this.readText(pid, buf + 8 + 8 * n, argsLen) };
  }

  /** PROCESS_INFO as an object, or the error code. */
  processInfo(pid: number, h: number): Record<'pid' | 'parent' | 'state' | 'priority' | 'exitCode' | 'quotaPages' | 'usedPages' | 'handles' | 'syscalls' | 'image' | 'generation', number> & { name: string; cpuTimeUs: number } | number {
    const out = this.alloc(pid, sizeOf('ProcessInfo'));
    const r = this.sys(pid, SYS.PROCESS_INFO, h, out);
    if (r !== 0) return r;
    return decodeProcessInfo(this.readBytes(pid, out, sizeOf('ProcessInfo')));
  }

  /** MEM_INFO of pid. */
  memInfo(pid: number): Record<MemField, number> {
    const out = this.alloc(pid, sizeOf('MemInfo'));
    const r = this.sys(pid, SYS.MEM_INFO, out);
    if (r !== 0) throw new Error(`mem info failed: ${r}`);
    const f = (n: MemField): number => this.u32(pid, out + offsetOf('MemInfo', n));
    return {
      quotaPages: f('quotaPages'), usedPages: f('usedPages'), memoryPages: f('memoryPages'), objectBytes: f('objectBytes'),
      budgetPages: f('budgetPages'), budgetUsed: f('budgetUsed'), childPages: f('childPages'),
    };
  }

  /** DEV_READ: the register value (as a u32), or the error code. */
  devRead(pid: number, h: number, reg: number): number {
    const out = this.alloc(pid, 4);
    const r = this.sys(pid, SYS.DEV_READ, h, reg, out);
    return r === 0 ? this.u32(pid, out) : r;
  }

  /** init's handle to itself (tag SELF, every right). */
  rootSelf(): number {
    return this.handleOfType(this.rootPid, OBJ.PROCESS);
  }
}

type MemField = 'quotaPages' | 'usedPages' | 'memoryPages' | 'objectBytes' | 'budgetPages' | 'budgetUsed' | 'childPages';

/** Decode one ProcessInfo record. */
export function decodeProcessInfo(bytes: Uint8Array) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f = (n: Parameters<typeof offsetOf<'ProcessInfo'>>[1]): number => v.getUint32(offsetOf('ProcessInfo', n), true);
  const nameStart = offsetOf('ProcessInfo', 'name');
  const raw = bytes.slice(nameStart, nameStart + 16);
  const end = raw.indexOf(0);
  return {
    pid: f('pid'), parent: f('parent'), state: f('state'), priority: f('priority'),
    exitCode: v.getInt32(offsetOf('ProcessInfo', 'exitCode'), true), quotaPages: f('quotaPages'),
    usedPages: f('usedPages'), handles: f('handles'), syscalls: f('syscalls'), image: f('image'), generation: f('generation'),
    cpuTimeUs: v.getFloat64(offsetOf('ProcessInfo', 'cpuTimeUs'), true),
    name: new TextDecoder().decode(end >= 0 ? raw.slice(0, end) : raw),
  };
}
