// The scheduler: strict priorities, preemption of a lower-priority process at
// its next safepoint or syscall end, round-robin by safepoint-counted slices
// in deterministic mode, several CPUs, YIELD, SLEEP, blocked processes giving
// up their CPU, the run order the HAL sees, and byte-identical traces for
// identical runs in deterministic mode.

import { describe, expect, it } from 'vitest';
import { BLOCKED, TestMachine } from './harness';
import { ERR, RIGHTS, RUN_REASON, SYS, TAG } from '@oncrix/abi';

/** init spawns a child under itself and expects success. */
function spawn(m: TestMachine, name: string, priority: number, opts: Parameters<TestMachine['spawn']>[2] = {}): number {
  const r = m.spawn(m.rootPid, m.rootSelf(), { name, priority, ...opts });
  expect(r.result).toBe(0);
  return r.pid;
}

/** pid blocks for good (no timeout) waiting on a fresh notification of its own; returns the handle. */
function blockForever(m: TestMachine, pid: number): number {
  const n = m.notification(pid);
  expect(m.sys(pid, SYS.NOTIFY_WAIT, n, 1, -1)).toBe(BLOCKED);
  expect(m.isRunning(pid)).toBe(false);
  return n;
}

/** The pids the HAL was told to run, in order, from `from` on in the run log. */
function runOrder(m: TestMachine, from = 0): number[] {
  return m.runLog.slice(from).map((r) => r.pid);
}

/** SCHED_RUN reasons given to pid, in order. */
function runReasons(m: TestMachine, pid: number): number[] {
  return m.eventsOf('SCHED_RUN').filter((e) => e.pid === pid).map((e) => e.args[1] ?? -1);
}

describe('priorities', () => {
  it('the highest-priority ready process runs first, FIFO within a priority', () => {
    const m = TestMachine.boot({ rootPriority: 6 });
    const init = m.rootPid;
    const low = spawn(m, 'low', 2);
    const hi1 = spawn(m, 'hi1', 5);
    const mid = spawn(m, 'mid', 3);
    const hi2 = spawn(m, 'hi2', 5);
    expect(m.stat('READY')).toBe(4);
    expect(runOrder(m)).toEqual([init]);

    blockForever(m, init);
    for (const pid of [hi1, hi2, mid, low]) {
      expect(m.isRunning(pid)).toBe(true);
      expect(m.running()).toEqual([pid]);
      expect(m.sys(pid, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    }
    expect(runOrder(m)).toEqual([init, hi1, hi2, mid, low]);
    expect(m.running()).toEqual([]);
    expect(m.stat('READY')).toBe(0);
    // The CPU went idle once everyone was blocked or gone.
    expect(m.eventsOf('SCHED_IDLE').at(-1)?.args[0]).toBe(0);
    m.check();
  });

  it('a lower-priority ready process waits while a higher one keeps running', () => {
    const m = TestMachine.boot({ sliceSafepoints: 2 });
    const init = m.rootPid;
    spawn(m, 'low', 3);
    for (let i = 0; i < 20; i++) expect(m.safepoint(init)).toBe(0);
    for (let i = 0; i < 5; i++) expect(m.sys(init, SYS.NULL)).toBe(0);
    expect(m.proc(init).preemptRequested).toBe(false);
    expect(m.eventsOf('SCHED_PREEMPT')).toHaveLength(0);
    expect(m.running()).toEqual([init]);
    m.check();
  });
});

describe('preemption', () => {
  /** init (priority 6) waits for IRQ line 3 on bit 0; a priority-2 process runs meanwhile. */
  function irqSetup(): { m: TestMachine; init: number; low: number; n: number } {
    const m = TestMachine.boot({ rootPriority: 6, devices: [{ registers: 1, irq: 3 }] });
    const init = m.rootPid;
    const irq = m.startup(init).handles.find((h) => h.tag === TAG.IRQ_BASE)?.handle ?? 0;
    const n = m.notification(init);
    expect(m.sys(init, SYS.IRQ_BIND, irq, n, 0)).toBe(0);
    const low = spawn(m, 'low', 2);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, -1)).toBe(BLOCKED);
    expect(m.isRunning(low)).toBe(true);
    expect(m.safepoint(low)).toBe(0);
    return { m, init, low, n };
  }

  it('a higher-priority process becoming ready makes the HAL preempt the lower one at its next safepoint', () => {
    const { m, init, low } = irqSetup();
    const runs = m.runLog.length;
    m.k.irq(3);
    // Asked, not forced: low is still on the CPU until it reaches a safepoint.
    expect(m.proc(low).preemptRequested).toBe(true);
    expect(m.isRunning(low)).toBe(true);
    expect(m.isRunning(init)).toBe(false);
    const pre = m.eventsOf('SCHED_PREEMPT');
    expect(pre).toHaveLength(1);
    expect(pre[0]?.pid).toBe(low);
    expect(pre[0]?.args.slice(0, 2)).toEqual([0, init]);

    expect(m.safepoint(low)).toBe(BLOCKED);
    expect(m.isRunning(low)).toBe(false);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(1);
    expect(runOrder(m, runs)).toEqual([init]);

    // When init blocks again, low continues where it was parked.
    expect(m.sys(init, SYS.SLEEP, 10)).toBe(BLOCKED);
    expect(m.isRunning(low)).toBe(true);
    expect(m.resumedWith(low)).toBe(0);
    expect(runReasons(m, low)).toEqual([RUN_REASON.START, RUN_REASON.RESUME]);
    expect(runReasons(m, init).at(-1)).toBe(RUN_REASON.WAKE);
    m.check();
  });

  it('or at the end of its next syscall, which later returns its real result', () => {
    const { m, init, low } = irqSetup();
    m.k.irq(3);
    expect(m.sys(low, SYS.HANDLE_CLOSE, 0x4242)).toBe(BLOCKED);
    // The syscall itself completed (it is in the trace with its result) …
    const exit = m.eventsOf('SYSCALL_EXIT').at(-1);
    expect(exit?.pid).toBe(low);
    expect(exit?.args.slice(0, 2)).toEqual([SYS.HANDLE_CLOSE, ERR.BAD_HANDLE]);
    expect(m.isRunning(init)).toBe(true);
    // … and low gets that result when it runs again.
    expect(m.sys(init, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    expect(m.isRunning(low)).toBe(true);
    expect(m.resumedWith(low)).toBe(ERR.BAD_HANDLE);
    m.check();
  });

  it('a syscall that wakes a higher-priority process parks its caller at once', () => {
    const m = TestMachine.boot({ rootPriority: 6 });
    const init = m.rootPid;
    const n = m.notification(init);
    const signaller = m.dup(init, n, RIGHTS.SIGNAL | RIGHTS.TRANSFER);
    const low = spawn(m, 'low', 1, { handles: [{ handle: signaller, tag: 50 }] });
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 0b110, -1)).toBe(BLOCKED);
    const h = m.startup(low).handles[0]?.handle ?? 0;
    expect(m.sys(low, SYS.NOTIFY_SIGNAL, h, 0b100)).toBe(BLOCKED);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0b100);
    expect(m.sys(init, SYS.SLEEP, 5)).toBe(BLOCKED);
    expect(m.resumedWith(low)).toBe(0);
    m.check();
  });

  it('on two CPUs the lowest-priority process is the one asked to give way', () => {
    const m = TestMachine.boot({ cpus: 2, rootPriority: 6 });
    const init = m.rootPid;
    const n = m.notification(init);
    const waker = m.dup(init, n, RIGHTS.SIGNAL | RIGHTS.TRANSFER);
    const p2 = spawn(m, 'p2', 2);
    expect(m.running().sort((x, y) => x - y)).toEqual([init, p2]);
    const p3 = spawn(m, 'p3', 3, { handles: [{ handle: waker, tag: 50 }] });
    expect(m.proc(p2).preemptRequested).toBe(true);
    expect(m.proc(init).preemptRequested).toBe(false);
    expect(m.safepoint(p2)).toBe(BLOCKED);
    expect(m.isRunning(p3)).toBe(true);
    expect(m.proc(p3).cpu).toBe(1);
    expect(m.running().sort((x, y) => x - y)).toEqual([init, p3]);
    m.check();
  });

  it('a process that wakes onto an idle CPU asks nobody to give way', () => {
    const m = TestMachine.boot({ cpus: 2, rootPriority: 6 });
    const init = m.rootPid;
    const n = m.notification(init);
    const signaller = m.dup(init, n, RIGHTS.SIGNAL | RIGHTS.TRANSFER);
    const low = spawn(m, 'low', 1, { handles: [{ handle: signaller, tag: 50 }] });
    expect(m.isRunning(low)).toBe(true);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, -1)).toBe(BLOCKED);
    const h = m.startup(low).handles[0]?.handle ?? 0;
    expect(m.sys(low, SYS.NOTIFY_SIGNAL, h, 1)).toBe(0);
    expect(m.running().sort((x, y) => x - y)).toEqual([init, low]);
    expect(m.resumedWith(init)).toBe(1);
    expect(m.proc(low).preemptRequested).toBe(false);
    expect(m.eventsOf('SCHED_PREEMPT')).toHaveLength(0);
    expect(m.safepoint(low)).toBe(0);
    m.check();
  });
});

describe('round-robin', () => {
  it('rotates equal priorities every sliceSafepoints safepoints in deterministic mode', () => {
    const m = TestMachine.boot({ sliceSafepoints: 3 });
    const init = m.rootPid;
    const a = spawn(m, 'a', 4);
    const b = spawn(m, 'b', 4);
    const c = spawn(m, 'c', 4);
    blockForever(m, init);
    for (const pid of [a, b, c, a, b]) {
      expect(m.isRunning(pid)).toBe(true);
      expect(m.safepoint(pid)).toBe(0);
      expect(m.safepoint(pid)).toBe(0);
      expect(m.safepoint(pid)).toBe(BLOCKED);
      expect(m.resumedWith(pid)).toBe(0);
    }
    expect(runOrder(m)).toEqual([init, a, b, c, a, b, c]);
    expect(runReasons(m, a)).toEqual([RUN_REASON.START, RUN_REASON.RESUME]);
    m.check();
  });

  it('a process alone at its priority keeps the CPU past its slice', () => {
    const m = TestMachine.boot({ sliceSafepoints: 3 });
    const init = m.rootPid;
    const a = spawn(m, 'a', 4);
    const b = spawn(m, 'b', 4);
    blockForever(m, init);
    expect(m.sys(a, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    expect(m.isRunning(b)).toBe(true);
    for (let i = 0; i < 12; i++) expect(m.safepoint(b)).toBe(0);
    expect(runOrder(m)).toEqual([init, a, b]);
    m.check();
  });

  it('counts the slice from the moment the process got the CPU', () => {
    const m = TestMachine.boot({ sliceSafepoints: 4 });
    const init = m.rootPid;
    const a = spawn(m, 'a', 4);
    for (let i = 0; i < 3; i++) expect(m.safepoint(init)).toBe(0);
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    // a's slice is fresh: 3 safepoints are fine, the 4th ends it.
    for (let i = 0; i < 3; i++) expect(m.safepoint(a)).toBe(0);
    expect(m.safepoint(a)).toBe(BLOCKED);
    expect(m.isRunning(init)).toBe(true);
    m.check();
  });
});

describe('real-time mode', () => {
  it('slices are wall time: a tick past the slice asks the runner to yield to an equal-priority process', () => {
    const m = TestMachine.boot({ deterministic: false, sliceUs: 100 });
    const init = m.rootPid;
    const a = spawn(m, 'a', 4);
    m.clock = 50_000;
    m.k.tick(m.clock);
    expect(m.proc(init).preemptRequested).toBe(false);
    expect(m.safepoint(init)).toBe(0);
    m.clock = 150_000;
    m.k.tick(m.clock);
    expect(m.proc(init).preemptRequested).toBe(true);
    expect(m.eventsOf('SCHED_PREEMPT').at(-1)?.pid).toBe(init);
    expect(m.safepoint(init)).toBe(BLOCKED);
    expect(m.isRunning(a)).toBe(true);
    // The kernel clock is the HAL clock here.
    expect(m.k.kernel_time()).toBe(150_000);
    m.check();
  });

  it('a tick does not preempt a process that is alone at its priority', () => {
    const m = TestMachine.boot({ deterministic: false, sliceUs: 100 });
    const init = m.rootPid;
    spawn(m, 'lower', 2);
    m.clock = 10_000_000;
    m.k.tick(m.clock);
    expect(m.proc(init).preemptRequested).toBe(false);
    expect(m.safepoint(init)).toBe(0);
    expect(m.eventsOf('SCHED_PREEMPT')).toHaveLength(0);
    m.check();
  });
});

describe('several CPUs', () => {
  it('cpus: 2 runs two processes at once and fills a freed CPU at once', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const a = spawn(m, 'a', 4);
    expect(m.runLog.at(-1)).toEqual({ pid: a, cpu: 1, result: 0 });
    const b = spawn(m, 'b', 4);
    expect(m.running().sort((x, y) => x - y)).toEqual([init, a]);
    expect(m.isRunning(b)).toBe(false);
    // Both make syscalls in any interleaving.
    expect(m.sys(a, SYS.NULL)).toBe(0);
    expect(m.sys(init, SYS.NULL)).toBe(0);
    expect(m.sys(a, SYS.NULL)).toBe(0);
    expect(m.sys(b, SYS.NULL)).toBe(ERR.BAD_STATE);
    // a blocks: b takes CPU 1.
    expect(m.sys(a, SYS.SLEEP, 100)).toBe(BLOCKED);
    expect(m.runLog.at(-1)).toEqual({ pid: b, cpu: 1, result: 0 });
    expect(m.running().sort((x, y) => x - y)).toEqual([init, b]);
    m.check();
  });

  it('with more CPUs than processes, the spare CPUs stay idle', () => {
    const m = TestMachine.boot({ cpus: 4 });
    const init = m.rootPid;
    const a = spawn(m, 'a', 1);
    const b = spawn(m, 'b', 2);
    expect(m.running().sort((x, y) => x - y)).toEqual([init, a, b]);
    expect(new Set([init, a, b].map((p) => m.proc(p).cpu))).toEqual(new Set([0, 1, 2]));
    expect(m.stat('READY')).toBe(0);
    m.check();
  });
});

describe('YIELD', () => {
  it('hands the CPU to a ready process of the same priority, and resumes the yielder after it', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const a = spawn(m, 'a', 4);
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    expect(m.isRunning(a)).toBe(true);
    expect(m.sys(a, SYS.YIELD)).toBe(BLOCKED);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    expect(runReasons(m, init)).toEqual([RUN_REASON.START, RUN_REASON.RESUME]);
    expect(runOrder(m)).toEqual([init, a, init]);
    m.check();
  });

  it('returns 0 and keeps the CPU when nobody of the same priority is ready', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    expect(m.sys(init, SYS.YIELD)).toBe(0);
    spawn(m, 'lower', 3);
    expect(m.sys(init, SYS.YIELD)).toBe(0);
    expect(m.isRunning(init)).toBe(true);
    expect(runOrder(m)).toEqual([init]);
    m.check();
  });
});

describe('SLEEP', () => {
  it('blocks for the time given, frees the CPU, and wakes at the deadline', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    expect(m.sys(init, SYS.SLEEP, 100)).toBe(BLOCKED);
    const asleepAt = m.k.kernel_time();
    expect(m.isRunning(init)).toBe(false);
    expect(m.stat('DEADLINES')).toBe(1);
    expect(m.k.next_deadline()).toBe(asleepAt + 100_000);
    const block = m.eventsOf('SYSCALL_BLOCK').at(-1);
    expect(block?.args[0]).toBe(SYS.SLEEP);
    expect(m.eventsOf('SCHED_IDLE').at(-1)?.args[0]).toBe(0);

    expect(m.idle()).toBe(true);
    expect(m.k.kernel_time()).toBe(asleepAt + 100_000);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    expect(m.eventsOf('SYSCALL_WAKE').at(-1)?.args.slice(0, 2)).toEqual([SYS.SLEEP, 0]);
    expect(m.stat('DEADLINES')).toBe(0);
    expect(m.idle()).toBe(false);
    m.check();
  });

  it('0 or a negative time returns at once', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    expect(m.sys(init, SYS.SLEEP, 0)).toBe(0);
    expect(m.sys(init, SYS.SLEEP, -5)).toBe(0);
    expect(m.isRunning(init)).toBe(true);
    expect(m.stat('DEADLINES')).toBe(0);
    m.check();
  });

  it('lets others run meanwhile; virtual time advances with their syscalls', () => {
    const m = TestMachine.boot({ rootPriority: 5 });
    const init = m.rootPid;
    const a = spawn(m, 'a', 4);
    expect(m.sys(init, SYS.SLEEP, 3)).toBe(BLOCKED);
    const deadline = m.k.next_deadline();
    expect(m.isRunning(a)).toBe(true);
    const results: number[] = [];
    while (results.length < 20) {
      const r = m.sys(a, SYS.NULL);
      results.push(r);
      if (r === BLOCKED) break;
    }
    // a ran until the sleeper's deadline passed, then gave way at its next syscall end.
    expect(results.at(-1)).toBe(BLOCKED);
    expect(results.slice(0, -1).every((r) => r === 0)).toBe(true);
    expect(results.length).toBeGreaterThan(1);
    expect(m.k.kernel_time()).toBeGreaterThanOrEqual(deadline);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(0);
    m.check();
  });
});

describe('blocked processes', () => {
  it('free their CPU for the next ready process', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const a = spawn(m, 'a', 4);
    const b = spawn(m, 'b', 4);
    blockForever(m, init);
    expect(m.running()).toEqual([a]);
    const na = blockForever(m, a);
    expect(na).toBeGreaterThan(0);
    expect(m.running()).toEqual([b]);
    blockForever(m, b);
    expect(m.running()).toEqual([]);
    expect(m.stat('READY')).toBe(0);
    expect(m.stat('PROCESSES')).toBe(3);
    expect(runOrder(m)).toEqual([init, a, b]);
    m.check();
  });
});

describe('determinism', () => {
  /** A run touching spawn, IPC, timers, sleep, idle, slices, yield and exit. */
  function scenario(m: TestMachine, sleepUs: number): void {
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const n = m.notification(init);
    const t = m.timer(init, n, 2);
    expect(m.sys(init, SYS.TIMER_SET, t, 400)).toBe(0);
    const w1 = spawn(m, 'w1', 4, { handles: [{ handle: b, tag: TAG.PEER }], args: 'x=1' });
    const w2 = spawn(m, 'w2', 4, { args: 'y=2' });
    expect(m.write(init, a, 'hello')).toBe(0);
    expect(m.sys(init, SYS.SLEEP, sleepUs)).toBe(BLOCKED);
    const peer = m.startup(w1).handles[0]?.handle ?? 0;
    expect(m.read(w1, peer).text).toBe('hello');
    for (let i = 0; i < 20 && m.isRunning(w1); i++) m.safepoint(w1);
    expect(m.isRunning(w2)).toBe(true);
    expect(m.sys(w2, SYS.YIELD)).toBe(BLOCKED);
    expect(m.sys(w1, SYS.PROCESS_EXIT, 1)).toBe(BLOCKED);
    expect(m.sys(w2, SYS.PROCESS_EXIT, 2)).toBe(BLOCKED);
    while (!m.isRunning(init) && m.idle()) { /* jump to the next deadline */ }
    expect(m.isRunning(init)).toBe(true);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1 << 2, -1)).toBe(BLOCKED);
    expect(m.idle()).toBe(true);
    expect(m.resumedWith(init)).toBe(1 << 2);
    expect(m.sys(init, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
  }

  it('the same calls on two fresh machines give byte-identical traces', () => {
    const m1 = TestMachine.boot();
    const m2 = TestMachine.boot();
    scenario(m1, 50);
    scenario(m2, 50);
    const t1 = m1.rawTrace();
    const t2 = m2.rawTrace();
    expect(t1.length).toBeGreaterThan(50 * 64);
    expect(t2).toEqual(t1);
    expect(Buffer.from(t1).equals(Buffer.from(t2))).toBe(true);
    expect(m1.runLog).toEqual(m2.runLog);
    m1.check();
    m2.check();
  });

  it('a different input gives a different trace (the comparison can tell)', () => {
    const m1 = TestMachine.boot();
    const m2 = TestMachine.boot();
    scenario(m1, 50);
    scenario(m2, 51);
    expect(Buffer.from(m1.rawTrace()).equals(Buffer.from(m2.rawTrace()))).toBe(false);
    m1.check();
    m2.check();
  });
});
