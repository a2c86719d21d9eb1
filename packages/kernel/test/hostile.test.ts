// Hostile programs against the kernel's resources: what each tried, and the
// limit that stopped it.
//
// A fork bomb, an object bomb, a message flood and a stuffed channel are each
// stopped by a limit that the trace names (LIMIT records) and that only the
// attacker's own quota pays for; a handle cycle (an endpoint sent through
// itself, then both processes exit) is reclaimed; when the attacker is gone,
// nothing it made is left. Long teardowns (a revoke of thousands of handles,
// a kill of a process holding hundreds) run in bounded steps across kernel
// entries instead of one unbounded entry.

import { describe, expect, it } from 'vitest';
import { ERR, LIMIT, LIMITS, OBJ, PROC_STATE, RIGHTS, SIGNAL, SYS, TAG, type TraceEvent } from '@oncrix/abi';
import { readFileSync } from 'node:fs';
import { BLOCKED, KERNEL_WASM, PAGE, TestMachine } from './harness';
import { ok } from './helpers';

interface Holdings { objects: number; handles: number; budget: number; queued: number; deadlines: number; kernelBytes: number; processes: number }

/** What the kernel holds system-wide: stats that must come back once an attacker is gone. */
function holdings(m: TestMachine): Holdings {
  m.settle();
  return {
    objects: m.stat('OBJECTS'), handles: m.stat('HANDLES'), budget: m.stat('BUDGET_USED'), queued: m.stat('MSG_QUEUED'),
    deadlines: m.stat('DEADLINES'), kernelBytes: m.stat('KERNEL_BYTES'), processes: m.stat('PROCESSES'),
  };
}

/** The SELF handle a process was started with. */
function selfOf(m: TestMachine, pid: number): number {
  return m.startup(pid).handles.find((h) => h.tag === TAG.SELF)?.handle ?? 0;
}

/** LIMIT records since `mark`, as [limit, payerPid]. */
function limitsSince(m: TestMachine, mark: number): [number, number][] {
  return m.events().slice(mark).filter((e: TraceEvent) => e.kindName === 'LIMIT').map((e) => [e.args[0] ?? 0, e.args[1] ?? 0]);
}

describe('a fork bomb', () => {
  it('stops at its own quota; init can still spawn and grow; killing its root ends every descendant and gives everything back', () => {
    const m = TestMachine.boot({ cpus: 8, budgetPages: 512, rootQuota: 256 });
    const init = m.rootPid;
    const before = holdings(m);
    const mark = m.events().length;
    const root = m.spawn(init, m.rootSelf(), { name: 'bomb', quota: 8, selfRights: RIGHTS.ALL });
    expect(root.result).toBe(0);
    // Every bomb process spawns copies of itself (quota 2: an image page and its record) until refused.
    const bombs = [root.pid];
    const refusals: number[] = [];
    for (let i = 0; i < bombs.length && bombs.length < 300; i++) {
      const pid = bombs[i] ?? 0;
      if (!m.isRunning(pid)) continue;
      const self = selfOf(m, pid);
      for (;;) {
        const c = m.spawn(pid, self, { name: 'bomb', quota: 2, selfRights: RIGHTS.ALL });
        if (c.result !== 0) {
          refusals.push(c.result);
          break;
        }
        bombs.push(c.pid);
      }
    }
    // 8 pages hold the root (2) and three children of 2; a child of 2 pages has no room for one of its own.
    expect(bombs).toHaveLength(4);
    expect(refusals.every((r) => r === ERR.NO_MEMORY)).toBe(true);
    const limits = limitsSince(m, mark);
    expect(limits.length).toBe(refusals.length);
    expect(limits.every(([limit, payer]) => limit === LIMIT.QUOTA && bombs.includes(payer))).toBe(true);

    // The rest of the machine is untouched: init spawns and grows as before.
    const other = m.spawn(init, m.rootSelf(), { name: 'other', quota: 8 });
    expect(other.result).toBe(0);
    expect(m.sys(init, SYS.MEM_GROW, 1)).toBe(2);

    // Killing the root takes the whole bomb.
    expect(m.sys(init, SYS.PROCESS_KILL, root.handle)).toBe(0);
    for (const pid of bombs) expect(m.proc(pid).destroyed).toBe(true);
    expect(m.processInfo(init, root.handle)).toMatchObject({ state: PROC_STATE.EXITED });
    expect(m.sys(init, SYS.HANDLE_CLOSE, root.handle)).toBe(0);
    expect(m.sys(init, SYS.PROCESS_KILL, other.handle)).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, other.handle)).toBe(0);
    expect(holdings(m)).toEqual({ ...before, budget: before.budget + 1 }); // + init's grown page
    m.check();
  });
});

describe('an object bomb', () => {
  it('creating channels, timers, notifications and memory objects in a loop stops at the quota, and all of it goes with the bomb', () => {
    const m = TestMachine.boot({ cpus: 2, budgetPages: 512, rootQuota: 256 });
    const init = m.rootPid;
    const before = holdings(m);
    const bomb = m.spawn(init, m.rootSelf(), { name: 'objects', quota: 16 });
    const pid = bomb.pid;
    const mark = m.events().length;
    const n = ok(m.notification(pid));
    let made = 0;
    let refusal = 0;
    for (let i = 0; refusal === 0 && i < 100_000; i++) {
      const kind = i % 4;
      const r = kind === 0 ? m.sys(pid, SYS.CHANNEL_CREATE, m.alloc(pid, 8))
        : kind === 1 ? m.timer(pid, n, i % 31)
          : kind === 2 ? m.notification(pid)
            : m.memobj(pid, 8192);
      if (r < 0 || (kind === 0 && r !== 0)) refusal = r;
      else made++;
      if (m.proc(pid).heap > m.proc(pid).mem.length - 64 * 1024) m.proc(pid).heap = 1024; // reuse the test heap
    }
    expect(refusal).toBe(ERR.NO_MEMORY);
    expect(made).toBeGreaterThan(40);
    expect(limitsSince(m, mark)).toEqual([[LIMIT.QUOTA, pid]]);
    const info = m.memInfo(pid);
    expect(info.usedPages).toBeLessThanOrEqual(16);
    // Everything it made is charged to it: the kernel holds no more than its quota on its behalf.
    expect(m.stat('KERNEL_BYTES') - before.kernelBytes).toBeLessThanOrEqual(16 * PAGE);
    expect(m.sys(init, SYS.PROCESS_KILL, bomb.handle)).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, bomb.handle)).toBe(0);
    expect(holdings(m)).toEqual(before);
    m.check();
  });
});

describe('a message flood', () => {
  it('fills a peer queue up to QUEUE_DEPTH, then its own quota across many channels; the victim pays nothing', () => {
    const m = TestMachine.boot({ cpus: 3, budgetPages: 512, rootQuota: 256 });
    const init = m.rootPid;
    const before = holdings(m);
    const [a, b] = m.channel(init);
    const victim = m.spawn(init, m.rootSelf(), { name: 'victim', quota: 8, handles: [{ handle: b, tag: TAG.PEER }] });
    const flooder = m.spawn(init, m.rootSelf(), { name: 'flood', quota: 24, handles: [{ handle: a, tag: TAG.PEER }] });
    const end = m.startup(flooder.pid).handles[0]?.handle ?? 0;
    const victimBytes = m.memInfo(victim.pid).objectBytes;
    const mark = m.events().length;
    const payload = m.put(flooder.pid, new Uint8Array(4096));
    let sent = 0;
    while (m.sys(flooder.pid, SYS.CHANNEL_WRITE, end, payload, 4096, 0, 0) === 0) sent++;
    expect(sent).toBe(LIMITS.QUEUE_DEPTH);
    expect(m.sys(flooder.pid, SYS.CHANNEL_WRITE, end, payload, 4096, 0, 0)).toBe(ERR.SHOULD_WAIT);
    expect(limitsSince(m, mark).at(-1)).toEqual([LIMIT.QUEUE, flooder.pid]);
    // More channels, more queues: the flooder's quota stops it.
    let result = 0;
    for (let i = 0; i < 100 && result === 0; i++) {
      const out = m.alloc(flooder.pid, 8);
      result = m.sys(flooder.pid, SYS.CHANNEL_CREATE, out);
      const w = m.u32(flooder.pid, out);
      for (let k = 0; k < LIMITS.QUEUE_DEPTH && result === 0; k++) result = m.sys(flooder.pid, SYS.CHANNEL_WRITE, w, payload, 4096, 0, 0);
    }
    expect(result).toBe(ERR.NO_MEMORY);
    expect(limitsSince(m, mark).at(-1)).toEqual([LIMIT.QUOTA, flooder.pid]);
    expect(m.memInfo(flooder.pid).usedPages).toBeLessThanOrEqual(24);
    expect(m.memInfo(victim.pid).objectBytes).toBe(victimBytes);
    // The flooder dies; its messages in the victim's queue stay readable, and stay charged to the flooder.
    expect(m.sys(init, SYS.PROCESS_KILL, flooder.handle)).toBe(0);
    m.settle();
    expect(m.stat('MSG_QUEUED')).toBe(LIMITS.QUEUE_DEPTH);
    expect(m.processInfo(init, flooder.handle)).toMatchObject({ state: PROC_STATE.EXITED });
    const held = m.processInfo(init, flooder.handle);
    expect(typeof held !== 'number' && held.usedPages).toBeGreaterThan(1);
    expect(m.read(victim.pid, m.startup(victim.pid).handles[0]?.handle ?? 0).result).toBe(4096);
    // When the victim goes too, nothing is left.
    expect(m.sys(init, SYS.PROCESS_KILL, victim.handle)).toBe(0);
    for (const h of [flooder.handle, victim.handle]) expect(m.sys(init, SYS.HANDLE_CLOSE, h)).toBe(0);
    expect(holdings(m)).toEqual(before);
    m.check();
  });
});

describe('a stuffed channel', () => {
  it('charges every handle and message it makes the kernel hold: the kernel grows no more than the attacker pays for', () => {
    const m = TestMachine.boot({ cpus: 2, budgetPages: 4096, rootQuota: 2048, keepTrace: false });
    const init = m.rootPid;
    const stuffer = m.spawn(init, m.rootSelf(), { name: 'stuff', quota: 96 });
    const pid = stuffer.pid;
    const kernelBefore = m.stat('KERNEL_PAGES');
    const n = ok(m.notification(pid));
    const outs = m.alloc(pid, 8 * 4);
    const hlist = m.alloc(pid, 8 * 4);
    let result = 0;
    let messages = 0;
    while (result === 0 && messages < 100_000) {
      const co = m.alloc(pid, 8);
      result = m.sys(pid, SYS.CHANNEL_CREATE, co);
      if (result !== 0) break;
      const w = m.u32(pid, co);
      for (let k = 0; k < LIMITS.QUEUE_DEPTH && result === 0; k++) {
        // Eight fresh duplicates ride in every empty message.
        for (let j = 0; j < 8 && result === 0; j++) {
          result = m.sys(pid, SYS.HANDLE_DUPLICATE, n, RIGHTS.READ | RIGHTS.TRANSFER, outs + 4 * j);
          m.setU32(pid, hlist + 4 * j, m.u32(pid, outs + 4 * j));
        }
        if (result === 0) result = m.sys(pid, SYS.CHANNEL_WRITE, w, 0, 0, hlist, 8);
        if (result === 0) messages++;
      }
      if (m.proc(pid).heap > m.proc(pid).mem.length - 1024) m.proc(pid).heap = 1024;
    }
    expect([ERR.NO_MEMORY, ERR.LIMIT]).toContain(result);
    expect(messages).toBeGreaterThan(500);
    const charged = m.memInfo(pid).usedPages;
    const grown = m.stat('KERNEL_PAGES') - kernelBefore;
    // Before every handle and message was charged, 400 such channels grew the kernel by 2,047 pages for 4 charged.
    expect(grown).toBeLessThanOrEqual(3 * charged + 16);
    expect(m.sys(init, SYS.PROCESS_KILL, stuffer.handle)).toBe(0);
    m.settle();
    expect(m.stat('HANDLES')).toBe(m.handles(init).length);
    m.check();
  });
});

describe('a handle cycle', () => {
  it('an endpoint sent through itself, then both processes exit: the cycle is found and reclaimed', () => {
    const m = TestMachine.boot({ cpus: 3 });
    const init = m.rootPid;
    const before = holdings(m);
    const [a, b] = m.channel(init);
    const p = m.spawn(init, m.rootSelf(), { name: 'p', handles: [{ handle: a, tag: TAG.PEER }] });
    const q = m.spawn(init, m.rootSelf(), { name: 'q', handles: [{ handle: b, tag: TAG.PEER }] });
    const pa = m.startup(p.pid).handles[0]?.handle ?? 0;
    const qb = m.startup(q.pid).handles[0]?.handle ?? 0;
    // Each sends a copy of its own endpoint through itself: it lands in the other's queue.
    expect(m.write(p.pid, pa, 'me', [ok(m.dup(p.pid, pa, RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER))])).toBe(0);
    expect(m.write(q.pid, qb, 'me', [ok(m.dup(q.pid, qb, RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER))])).toBe(0);
    expect(m.sys(p.pid, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    expect(m.sys(q.pid, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    for (const h of [p.handle, q.handle]) expect(m.sys(init, SYS.HANDLE_CLOSE, h)).toBe(0);
    // a is reachable only from b's queue and b only from a's: both are dropped, and everything they held.
    expect(holdings(m)).toEqual(before);
    expect(m.stat('MSG_SENT')).toBe(m.stat('MSG_DELIVERED') + m.stat('MSG_DROPPED'));
    m.check();
  });

  it('an endpoint that only a queue reaches is kept while someone can still read that queue', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const [c, d] = m.channel(init);
    // c travels in b's queue; init still holds a way to read it (b) and its peer (d).
    expect(m.write(init, a, 'c', [c])).toBe(0);
    m.settle();
    expect(m.write(init, d, 'still there')).toBe(0);
    const r = m.read(init, b);
    expect(r.result).toBe(1);
    const [c2] = r.handles as [number];
    expect(m.read(init, c2).text).toBe('still there');
    m.check();
  });

  it('a ring of 300 endpoints, each carried by the last, is collected in steps: no entry runs more than its budget', () => {
    const m = TestMachine.boot({ cpus: 1, keepTrace: false });
    const init = m.rootPid;
    const ring = 300;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < ring; i++) {
      const [x, y] = m.channel(init);
      xs.push(x);
      ys.push(y);
    }
    // y[i]'s queue carries y[i+1]: once the last is sent, only the ring itself reaches any y.
    for (let i = 0; i < ring; i++) expect(m.write(init, xs[i] ?? 0, 'next', [ys[(i + 1) % ring] ?? 0])).toBe(0);
    m.settle();
    // Every y died of its last reference, so every x sees its peer gone.
    for (const x of xs) expect(m.sys(init, SYS.OBJECT_WAIT, x, SIGNAL.PEER_CLOSED, 0, 0)).toBe(0);
    expect(m.stat('OBJECTS')).toBe(ring + 1); // the x ends and init itself
    expect(m.stat('ENTRY_STEPS_MAX')).toBeLessThanOrEqual(256);
    m.check();
  });
});

/**
 * A process stuffs channels with empty messages that each carry eight
 * handles, until `handles` are in flight (or it is refused): fresh duplicates
 * of one notification, or with `objects`, each a new notification's. Returns
 * the kernel's machine, and how many it made.
 */
function stuffHandles(handles: number, objects = false): { m: TestMachine; made: number } {
  const m = TestMachine.boot({ cpus: 2, budgetPages: 4096, rootQuota: 2048, keepTrace: false });
  const pid = m.spawn(m.rootPid, m.rootSelf(), { name: 'stuff', quota: 1024 }).pid;
  const n = ok(m.notification(pid));
  const list = m.alloc(pid, 8 * 4);
  let made = 0;
  for (let r = 0; r === 0 && made < handles;) {
    const co = m.alloc(pid, 8);
    r = m.sys(pid, SYS.CHANNEL_CREATE, co);
    const w = m.u32(pid, co);
    for (let k = 0; k < LIMITS.QUEUE_DEPTH && r === 0 && made < handles; k++) {
      for (let j = 0; j < 8 && r === 0; j++) {
        r = objects ? m.sys(pid, SYS.NOTIFY_CREATE, list + 4 * j) : m.sys(pid, SYS.HANDLE_DUPLICATE, n, RIGHTS.READ | RIGHTS.TRANSFER, list + 4 * j);
      }
      if (r === 0) r = m.sys(pid, SYS.CHANNEL_WRITE, w, 0, 0, list, 8);
      if (r === 0) made += 8;
    }
    if (m.proc(pid).heap > m.proc(pid).mem.length - 1024) m.proc(pid).heap = 1024;
  }
  return { m, made };
}

describe('bounded kernel entries', () => {
  /** HANDLE_CLOSE records emitted by one kernel entry. */
  function closesIn(m: TestMachine, entry: () => void): number {
    const mark = m.traceMark();
    entry();
    return m.eventsAfter(mark).filter((e) => e.kindName === 'HANDLE_CLOSE').length;
  }

  it('revoking 4,000 derived handles closes at most 256 per entry; the revoker waits and then gets the count', () => {
    const m = TestMachine.boot({ cpus: 6 }); // init and the four holders all run
    const init = m.rootPid;
    const n = ok(m.notification(init));
    const holders: number[] = [];
    for (let i = 0; i < 4; i++) {
      const give = ok(m.dup(init, n, RIGHTS.DUPLICATE | RIGHTS.TRANSFER | RIGHTS.WAIT));
      holders.push(m.spawn(init, m.rootSelf(), { name: 'holder', quota: 8, handles: [{ handle: give, tag: TAG.PEER }] }).pid);
    }
    for (const pid of holders) {
      const h = m.startup(pid).handles[0]?.handle ?? 0;
      const out = m.alloc(pid, 4);
      for (let k = 0; k < 999; k++) expect(m.sys(pid, SYS.HANDLE_DUPLICATE, h, RIGHTS.WAIT, out)).toBe(0);
    }
    const derived = 4 * 1000;
    let first = 0;
    expect(closesIn(m, () => { first = m.sys(init, SYS.HANDLE_REVOKE, n); })).toBeLessThanOrEqual(256);
    expect(first).toBe(BLOCKED);
    // The holders go on making syscalls; each of their entries closes at most 256 more.
    let entries = 1;
    const holder = holders[0] ?? 0;
    while (m.stat('WORK') > 0) {
      expect(closesIn(m, () => m.sys(holder, SYS.NULL))).toBeLessThanOrEqual(256);
      entries++;
    }
    expect(entries).toBeGreaterThanOrEqual(derived / 256);
    // init was parked until the last one closed; then its revoke returned the count.
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(derived);
    for (const pid of holders) expect(m.handles(pid)).toHaveLength(0);
    expect(m.stat('ENTRY_STEPS_MAX')).toBeLessThanOrEqual(256);
    m.check();
  });

  it('killing a process that holds 1,000 handles ends it at once and closes them over several entries; TERMINATED comes last', () => {
    const m = TestMachine.boot({ cpus: 2 });
    const init = m.rootPid;
    const victim = m.spawn(init, m.rootSelf(), { name: 'hoarder', quota: 16 });
    const pid = victim.pid;
    const n = ok(m.notification(pid));
    const out = m.alloc(pid, 4);
    for (let k = 0; k < 999; k++) expect(m.sys(pid, SYS.HANDLE_DUPLICATE, n, RIGHTS.WAIT, out)).toBe(0);
    const mark = m.events().length;
    expect(m.sys(init, SYS.PROCESS_KILL, victim.handle)).toBe(0);
    expect(m.proc(pid).destroyed).toBe(true);
    expect(m.events().slice(mark).filter((e) => e.kindName === 'HANDLE_CLOSE').length).toBeLessThanOrEqual(256);
    expect(m.sys(init, SYS.OBJECT_WAIT, victim.handle, SIGNAL.TERMINATED, 0, 0)).toBe(ERR.TIMED_OUT);
    m.settle();
    expect(m.sys(init, SYS.OBJECT_WAIT, victim.handle, SIGNAL.TERMINATED, 0, 0)).toBe(0);
    expect(m.events().slice(mark).filter((e) => e.kindName === 'HANDLE_CLOSE' && e.pid === pid)).toHaveLength(1000);
    expect(m.handleInfo(init, victim.handle)).toMatchObject({ type: OBJ.PROCESS });
    m.check();
  });
});

/** LEB128 of an unsigned number. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/**
 * kernel.wasm with its memory given a maximum of `maxPages`: what the
 * bare-metal HAL's fixed region amounts to (memory.grow fails past it). The
 * memory section (id 5) is rewritten; every other byte is kept.
 */
function cappedKernel(maxPages: number): { module: WebAssembly.Module; initialPages: number } {
  const bytes = readFileSync(KERNEL_WASM);
  const out: number[] = [...bytes.subarray(0, 8)];
  let pos = 8;
  let initialPages = -1;
  const readLeb = (): number => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++] ?? 0;
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return r;
    }
  };
  while (pos < bytes.length) {
    const id = bytes[pos++] ?? 0;
    const size = readLeb();
    const end = pos + size;
    if (id === 5) {
      const count = readLeb();
      const flags = readLeb();
      initialPages = readLeb();
      if (count !== 1 || (flags !== 0 && flags !== 1)) throw new Error(`unexpected memory section (${count} memories, flags ${flags})`);
      if (flags === 1) readLeb(); // a maximum of its own, replaced
      const body = [...leb(1), 0x01, ...leb(initialPages), ...leb(maxPages)];
      out.push(5, ...leb(body.length), ...body);
    } else {
      out.push(id, ...leb(size), ...bytes.subarray(pos, end));
    }
    pos = end;
  }
  if (initialPages < 0) throw new Error('kernel.wasm has no memory section');
  return { module: new WebAssembly.Module(new Uint8Array(out)), initialPages };
}

describe('kernel memory that cannot grow', () => {
  it('is refused with NO_MEMORY before the kernel allocates, never an allocator trap, and the kernel recovers', () => {
    const cap = 96;
    const { module } = cappedKernel(cap);
    // Quotas and budget far larger than the kernel memory: only the kernel's own limit can stop the attackers.
    const m = TestMachine.boot({ cpus: 4, budgetPages: 60_000, rootQuota: 50_000, kernelPages: cap, keepTrace: false }, module);
    const init = m.rootPid;
    const before = holdings(m);
    const attackers = [0, 1, 2].map(() => m.spawn(init, m.rootSelf(), { name: 'hog', quota: 10_000 }));
    const refusals = new Set<number>();
    for (let round = 0; round < 400; round++) {
      for (const a of attackers) {
        const pid = a.pid;
        m.proc(pid).heap = 1024;
        // Memory objects, channels stuffed with payloads, and duplicated handles, until refused.
        const r1 = m.memobj(pid, 60_000);
        if (r1 < 0) refusals.add(r1);
        const out = m.alloc(pid, 8);
        const r2 = m.sys(pid, SYS.CHANNEL_CREATE, out);
        if (r2 < 0) refusals.add(r2);
        else {
          const w = m.u32(pid, out);
          const payload = m.alloc(pid, 4096);
          for (let k = 0; k < 8; k++) {
            const r3 = m.sys(pid, SYS.CHANNEL_WRITE, w, payload, 4096, 0, 0);
            if (r3 < 0) refusals.add(r3);
          }
          const r4 = m.sys(pid, SYS.HANDLE_DUPLICATE, w, RIGHTS.READ, out);
          if (r4 < 0) refusals.add(r4);
        }
      }
    }
    expect([...refusals]).toEqual([ERR.NO_MEMORY]);
    expect(m.k.memory.buffer.byteLength).toBeLessThanOrEqual(cap * PAGE);
    m.check();
    // The attackers go; what they held comes back, and the kernel serves requests again.
    for (const a of attackers) expect(m.sys(init, SYS.PROCESS_KILL, a.handle)).toBe(0);
    for (const a of attackers) expect(m.sys(init, SYS.HANDLE_CLOSE, a.handle)).toBe(0);
    expect(holdings(m)).toEqual(before);
    expect(m.memobj(init, 60_000)).toBeGreaterThan(0);
    m.check();
  });

  it('the garbage collector does as much in one entry with 40,000 handles in flight as with 512: its work follows what the entry allocates, not what the kernel holds', () => {
    // AssemblyScript's own collector charged a marking step only for the objects it newly reached, so with
    // 40,000 handles naming one notification a single HANDLE_DUPLICATE scanned 35,757 objects (1.2 ms).
    const small = stuffHandles(512);
    const large = stuffHandles(40_000);
    expect(small.made).toBe(512);
    expect(large.made).toBe(40_000);
    // Work units: one per object scanned plus one per reference examined, or 10 per object freed.
    const smallWork = small.m.stat('ENTRY_GC_MAX');
    const largeWork = large.m.stat('ENTRY_GC_MAX');
    expect(smallWork).toBeGreaterThan(0); // a collection ran in the small case too
    expect(largeWork).toBeLessThan(2 * smallWork);
    large.m.check();
  });

  it('nor with 20,000 objects alive: no kernel structure holds every object in one piece the collector must scan at once', () => {
    // A map of every object by koid was one such piece: the collector examined all its entries in one step.
    const small = stuffHandles(512, true);
    const large = stuffHandles(20_000, true);
    expect(large.made).toBe(20_000);
    expect(large.m.stat('OBJECTS')).toBeGreaterThan(20_000);
    expect(large.m.stat('ENTRY_GC_MAX')).toBeLessThan(2 * small.m.stat('ENTRY_GC_MAX'));
    large.m.check();
  });

  it('the collector gives back what closed channels held: 50,000 created and closed leave the kernel memory as 1,000 did', () => {
    const pagesAfter = (channels: number): number => {
      const m = TestMachine.boot({ keepTrace: false });
      const init = m.rootPid;
      const out = m.alloc(init, 8);
      for (let i = 0; i < channels; i++) {
        expect(m.sys(init, SYS.CHANNEL_CREATE, out)).toBe(0);
        for (const at of [out, out + 4]) expect(m.sys(init, SYS.HANDLE_CLOSE, m.u32(init, at))).toBe(0);
      }
      m.settle();
      expect(m.stat('OBJECTS')).toBe(1); // init itself
      return m.stat('KERNEL_PAGES');
    };
    expect(pagesAfter(50_000)).toBeLessThanOrEqual(pagesAfter(1_000) + 1);
  });
});
