// Memory accounting: MEM_GROW charged against the process quota and the
// system budget (and refused, without growing, beyond either), the MEM_INFO
// fields, kernel objects, handles and queued messages charged to whoever
// causes them and released when they go, a child's quota held in its
// parent's, PAGE_CHARGE / PAGE_RELEASE trace records that add up, and a
// budget back at zero once every process has exited.
//
// Every process pays for its own record (PROCESS_BYTES) and for each handle
// it holds (HANDLE_BYTES), so a fresh init with its SELF handle has
// PROCESS_BYTES + HANDLE_BYTES of kernel bytes: one page besides its image.

import { describe, expect, it } from 'vitest';
import { BLOCKED, PAGE, TestMachine } from './harness';
import { ERR, LIMIT, LIMITS, RIGHTS, SYS, TAG } from '@oncrix/abi';

const OBJ_BYTES = LIMITS.OBJECT_BYTES;
const H = LIMITS.HANDLE_BYTES;
/** A process's own record and its SELF handle. */
const SELF = LIMITS.PROCESS_BYTES + H;

function spawn(m: TestMachine, opts: Parameters<TestMachine['spawn']>[2] = {}): { pid: number; handle: number } {
  const r = m.spawn(m.rootPid, m.rootSelf(), opts);
  expect(r.result).toBe(0);
  return r;
}

function usedPages(m: TestMachine, pid: number, h: number): number {
  const r = m.processInfo(pid, h);
  if (typeof r === 'number') throw new Error(`PROCESS_INFO failed: ${r}`);
  return r.usedPages;
}

describe('MEM_INFO', () => {
  it('reports the caller quota, pages, object bytes and the system budget', () => {
    const m = TestMachine.boot({ budgetPages: 100, rootQuota: 40 });
    const init = m.rootPid;
    expect(m.memInfo(init)).toEqual({ quotaPages: 40, usedPages: 3, memoryPages: 2, objectBytes: SELF, budgetPages: 100, budgetUsed: 3, childPages: 0 });
    const child = spawn(m, { quota: 10 });
    // The child's quota is held in init's; init pays for its handle to the child, the child for its record.
    expect(m.memInfo(init)).toMatchObject({ usedPages: 3, objectBytes: SELF + H, budgetUsed: 5, childPages: 10 });
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    expect(m.memInfo(child.pid)).toEqual({ quotaPages: 10, usedPages: 2, memoryPages: 1, objectBytes: LIMITS.PROCESS_BYTES, budgetPages: 100, budgetUsed: 5, childPages: 0 });
    m.check();
  });
});

describe('MEM_GROW', () => {
  it('grows the memory, returns the old size and charges quota and budget', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    expect(m.sys(init, SYS.MEM_GROW, 3)).toBe(2);
    expect(m.proc(init).mem.length).toBe(5 * PAGE);
    expect(m.memInfo(init)).toMatchObject({ usedPages: 6, memoryPages: 5, objectBytes: SELF, budgetUsed: 6 });
    expect(m.stat('BUDGET_USED')).toBe(6);
    const charge = m.eventsOf('PAGE_CHARGE').at(-1);
    expect(charge?.pid).toBe(init);
    expect(charge?.args.slice(0, 3)).toEqual([3, 6, 6]);
    // Growing by 0 pages reports the size and charges nothing.
    const records = m.eventsOf('PAGE_CHARGE').length;
    expect(m.sys(init, SYS.MEM_GROW, 0)).toBe(5);
    expect(m.eventsOf('PAGE_CHARGE')).toHaveLength(records);
    m.check();
  });

  it('refuses with NO_MEMORY beyond the quota, and the memory does not grow', () => {
    const m = TestMachine.boot({ rootQuota: 8 });
    const init = m.rootPid;
    const before = m.memInfo(init);
    const charges = m.eventsOf('PAGE_CHARGE').length;
    expect(m.sys(init, SYS.MEM_GROW, 6)).toBe(ERR.NO_MEMORY);
    expect(m.proc(init).mem.length).toBe(2 * PAGE);
    expect(m.memInfo(init)).toEqual(before);
    expect(m.eventsOf('PAGE_CHARGE')).toHaveLength(charges);
    // The refusal names the limit that stopped it: init's quota (asked 6 more, holds 3 of 8).
    expect(m.eventsOf('LIMIT').at(-1)?.args.slice(0, 5)).toEqual([LIMIT.QUOTA, init, 6, 3, 8]);
    // Exactly up to the quota is fine (its record takes one page), one more page is not.
    expect(m.sys(init, SYS.MEM_GROW, 5)).toBe(2);
    expect(m.memInfo(init).usedPages).toBe(8);
    expect(m.sys(init, SYS.MEM_GROW, 1)).toBe(ERR.NO_MEMORY);
    expect(m.proc(init).mem.length).toBe(7 * PAGE);
    // A full quota leaves no room for another page of kernel objects either.
    expect(m.memobj(init, PAGE)).toBe(ERR.NO_MEMORY);
    expect(m.handles(init)).toHaveLength(1);
    m.check();
  });

  it('refuses with NO_MEMORY beyond the system budget, even within the quota', () => {
    const m = TestMachine.boot({ budgetPages: 10 });
    const init = m.rootPid;
    const child = spawn(m, { quota: 8 });
    expect(m.stat('BUDGET_USED')).toBe(5);
    expect(m.sys(init, SYS.MEM_GROW, 6)).toBe(ERR.NO_MEMORY);
    expect(m.eventsOf('LIMIT').at(-1)?.args.slice(0, 5)).toEqual([LIMIT.BUDGET, init, 6, 5, 10]);
    expect(m.proc(init).mem.length).toBe(2 * PAGE);
    expect(m.stat('BUDGET_USED')).toBe(5);
    expect(m.sys(init, SYS.MEM_GROW, 5)).toBe(2);
    expect(m.stat('BUDGET_USED')).toBe(10);
    // The child has quota left but the system has no pages.
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    expect(m.sys(child.pid, SYS.MEM_GROW, 1)).toBe(ERR.NO_MEMORY);
    expect(m.proc(child.pid).mem.length).toBe(PAGE);
    expect(m.memobj(child.pid, PAGE)).toBe(ERR.NO_MEMORY);
    expect(m.memInfo(child.pid)).toEqual({ quotaPages: 8, usedPages: 2, memoryPages: 1, objectBytes: LIMITS.PROCESS_BYTES, budgetPages: 10, budgetUsed: 10, childPages: 0 });
    m.check();
  });

  it('refuses a negative page count', () => {
    const m = TestMachine.boot();
    expect(m.sys(m.rootPid, SYS.MEM_GROW, -1)).toBe(ERR.INVALID_ARGS);
    expect(m.memInfo(m.rootPid).memoryPages).toBe(2);
    m.check();
  });

  it('charges nothing when the HAL cannot provide the memory', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    m.proc(init).maxPages = 3;
    expect(m.sys(init, SYS.MEM_GROW, 5)).toBe(ERR.NO_MEMORY);
    expect(m.memInfo(init)).toMatchObject({ usedPages: 3, memoryPages: 2, budgetUsed: 3 });
    expect(m.sys(init, SYS.MEM_GROW, 1)).toBe(2);
    expect(m.memInfo(init)).toMatchObject({ usedPages: 4, memoryPages: 3, budgetUsed: 4 });
    m.check();
  });
});

describe('kernel objects', () => {
  it('are charged to their creator and released when destroyed', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const self = m.rootSelf();
    const n1 = m.notification(init);
    expect(m.memInfo(init)).toMatchObject({ objectBytes: SELF + OBJ_BYTES + H, usedPages: 3, budgetUsed: 3 });
    expect(usedPages(m, init, self)).toBe(3);
    const n2 = m.notification(init);
    const [c0, c1] = m.channel(init);
    expect(m.memInfo(init)).toMatchObject({ objectBytes: SELF + 4 * (OBJ_BYTES + H), usedPages: 3 });
    const mo = m.memobj(init, 100_000);
    const bytes = SELF + 5 * (OBJ_BYTES + H) + 100_000;
    expect(m.memInfo(init)).toMatchObject({ objectBytes: bytes, usedPages: 4, budgetUsed: 4 });
    expect(m.eventsOf('PAGE_CHARGE').at(-1)?.args.slice(0, 3)).toEqual([1, 4, 4]);
    const t = m.timer(init, n1, 0);
    expect(m.memInfo(init).objectBytes).toBe(bytes + OBJ_BYTES + H);

    // A duplicate handle costs its holder HANDLE_BYTES; the object goes only with its last handle.
    const d = m.dup(init, mo, RIGHTS.READ);
    expect(m.memInfo(init).objectBytes).toBe(bytes + OBJ_BYTES + 2 * H);
    expect(m.sys(init, SYS.HANDLE_CLOSE, mo)).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(bytes + OBJ_BYTES + H);
    expect(m.sys(init, SYS.HANDLE_CLOSE, d)).toBe(0);
    expect(m.memInfo(init)).toMatchObject({ objectBytes: SELF + 5 * (OBJ_BYTES + H), usedPages: 3, budgetUsed: 3 });
    expect(m.eventsOf('PAGE_RELEASE').at(-1)?.args.slice(0, 3)).toEqual([1, 3, 3]);

    // The timer holds the notification: closing n1's handle frees only the handle.
    expect(m.sys(init, SYS.HANDLE_CLOSE, n1)).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(SELF + 5 * OBJ_BYTES + 4 * H);
    expect(m.sys(init, SYS.HANDLE_CLOSE, t)).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(SELF + 3 * (OBJ_BYTES + H));

    // A channel endpoint goes when its own handle closes, independent of its peer.
    expect(m.sys(init, SYS.HANDLE_CLOSE, c0)).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(SELF + 2 * (OBJ_BYTES + H));
    expect(m.sys(init, SYS.HANDLE_CLOSE, c1)).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, n2)).toBe(0);
    expect(m.memInfo(init)).toMatchObject({ objectBytes: SELF, usedPages: 3, budgetUsed: 3 });
    m.check();
  });

  it('refuses an object that does not fit the quota, and one beyond MEMOBJ_MAX_BYTES', () => {
    const m = TestMachine.boot({ rootQuota: 8 });
    const init = m.rootPid;
    const objects = m.stat('OBJECTS');
    // init's image takes 2 pages and its record and SELF handle part of a third: 6 pages of bytes are left.
    const room = 6 * PAGE - SELF;
    expect(m.memobj(init, room - OBJ_BYTES - H + 1)).toBe(ERR.NO_MEMORY);
    expect(m.memobj(init, LIMITS.MEMOBJ_MAX_BYTES + 1)).toBe(ERR.OUT_OF_RANGE);
    expect(m.stat('OBJECTS')).toBe(objects);
    expect(m.memInfo(init)).toMatchObject({ objectBytes: SELF, usedPages: 3 });
    const ok = m.memobj(init, room - OBJ_BYTES - H);
    expect(ok).toBeGreaterThan(0);
    expect(m.memInfo(init)).toMatchObject({ objectBytes: 6 * PAGE, usedPages: 8 });
    m.check();
  });

  it('stay charged to the creator when the handle moves to another process; the handle is charged to its holder', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const n = m.notification(init);
    const child = spawn(m, { handles: [{ handle: n, tag: TAG.MEMORY }] });
    // init pays for the object and for its handle to the child; the moved handle is now the child's to pay.
    expect(m.memInfo(init).objectBytes).toBe(SELF + OBJ_BYTES + H);
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    expect(m.memInfo(child.pid).objectBytes).toBe(LIMITS.PROCESS_BYTES + H);
    // What the child creates is the child's.
    const own = m.notification(child.pid);
    expect(m.memInfo(child.pid)).toMatchObject({ objectBytes: LIMITS.PROCESS_BYTES + OBJ_BYTES + 2 * H, usedPages: 2 });
    expect(m.sys(child.pid, SYS.HANDLE_CLOSE, own)).toBe(0);
    const moved = m.startup(child.pid).handles[0]?.handle ?? 0;
    expect(m.sys(child.pid, SYS.HANDLE_CLOSE, moved)).toBe(0);
    expect(m.memInfo(child.pid)).toMatchObject({ objectBytes: LIMITS.PROCESS_BYTES, usedPages: 2 });
    expect(m.sys(child.pid, SYS.YIELD)).toBe(BLOCKED);
    expect(m.memInfo(init)).toMatchObject({ objectBytes: SELF + H, usedPages: 3 });
    m.check();
  });

  it('queued message bytes are charged to the writer until read', () => {
    const m = TestMachine.boot();
    const init = m.rootPid;
    const [a, b] = m.channel(init);
    const channel = SELF + 2 * (OBJ_BYTES + H);
    expect(m.write(init, a, new Uint8Array(1000))).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(channel + LIMITS.MESSAGE_BYTES + 1000);
    // An empty message costs its writer too.
    expect(m.write(init, a, new Uint8Array(0))).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(channel + 2 * LIMITS.MESSAGE_BYTES + 1000);
    expect(m.read(init, b).result).toBe(1000);
    expect(m.read(init, b).result).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(channel);
    m.check();
  });
});

describe('accounting over a whole run', () => {
  it('PAGE_CHARGE and PAGE_RELEASE records add up, and everything is returned when all processes exited', () => {
    const m = TestMachine.boot({ budgetPages: 64 });
    const init = m.rootPid;
    const [, b] = m.channel(init);
    const child = spawn(m, { quota: 16, handles: [{ handle: b, tag: TAG.PEER }] });
    expect(m.sys(init, SYS.MEM_GROW, 1)).toBe(2);
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    // The child grows, makes objects and leaves a message with a handle queued for init.
    const peer = m.startup(child.pid).handles[0]?.handle ?? 0;
    expect(m.sys(child.pid, SYS.MEM_GROW, 3)).toBe(1);
    const n = m.notification(child.pid);
    const mo = m.memobj(child.pid, 70_000);
    expect(mo).toBeGreaterThan(0);
    expect(m.write(child.pid, peer, new Uint8Array(3000), [n])).toBe(0);
    expect(m.sys(child.pid, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    // Still charged to the exited child: the notification and the queued payload.
    expect(m.stat('BUDGET_USED')).toBeGreaterThan(m.memInfo(init).usedPages);
    expect(m.isRunning(init)).toBe(true);
    expect(m.sys(init, SYS.MEM_GROW, 2)).toBe(3);
    expect(m.stat('MSG_QUEUED')).toBe(1);
    expect(m.sys(init, SYS.PROCESS_EXIT, 0)).toBe(BLOCKED);
    expect(m.stat('MSG_DROPPED')).toBe(1);

    expect(m.stat('PROCESSES')).toBe(0);
    expect(m.stat('ZOMBIES')).toBe(0);
    expect(m.stat('BUDGET_USED')).toBe(0);
    expect(m.stat('OBJECTS')).toBe(0);
    expect(m.stat('HANDLES')).toBe(0);

    // Replay the records: per-process pages and the system total match every record.
    const used = new Map<number, number>();
    let total = 0;
    const records = m.events().filter((e) => e.kindName === 'PAGE_CHARGE' || e.kindName === 'PAGE_RELEASE');
    expect(records.length).toBeGreaterThan(6);
    for (const e of records) {
      const [pages = 0, usedAfter = 0, budgetAfter = 0] = e.args;
      const delta = e.kindName === 'PAGE_CHARGE' ? pages : -pages;
      expect(pages).toBeGreaterThan(0);
      used.set(e.pid, (used.get(e.pid) ?? 0) + delta);
      total += delta;
      expect(usedAfter).toBe(used.get(e.pid));
      expect(budgetAfter).toBe(total);
    }
    expect(total).toBe(0);
    expect([...used.values()].every((v) => v === 0)).toBe(true);
    expect(new Set(records.map((e) => e.pid))).toEqual(new Set([init, child.pid]));
    m.check();
  });
});
