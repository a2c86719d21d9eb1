// Devices and interrupts as capabilities: the DEVICE and IRQ handles init gets
// at boot (tags DEVICE_BASE+i, IRQ_BASE+i), DEV_READ / DEV_WRITE reaching the
// HAL registers with range and rights checks, IRQ_BIND routing a line to a
// notification bit and unmasking it, delivery masking the line until
// IRQ_ACK, IRQ_MASK, and lines with no binding staying masked.

import { describe, expect, it } from 'vitest';
import { BLOCKED, TestMachine } from './harness';
import { ERR, LIMITS, OBJ, RIGHTS, SYS, TAG, TRACE } from '@oncrix/abi';

const LINE = 4;

/** Boot with one device of 8 registers on IRQ line 4; return init's device and IRQ handles. */
function boot(): { m: TestMachine; init: number; dev: number; irq: number } {
  const m = TestMachine.boot({ devices: [{ registers: 8, irq: LINE }] });
  const init = m.rootPid;
  const hs = m.startup(init).handles;
  const dev = hs.find((h) => h.tag === TAG.DEVICE_BASE)?.handle ?? 0;
  const irq = hs.find((h) => h.tag === TAG.IRQ_BASE)?.handle ?? 0;
  return { m, init, dev, irq };
}

function hinfo(m: TestMachine, pid: number, h: number): Exclude<ReturnType<TestMachine['handleInfo']>, number> {
  const r = m.handleInfo(pid, h);
  if (typeof r === 'number') throw new Error(`HANDLE_INFO failed: ${r}`);
  return r;
}

/** NOTIFY_WAIT without blocking: the bits taken, or TIMED_OUT. The default mask is bits 0..30. */
function poll(m: TestMachine, pid: number, n: number, mask = 0x7fffffff): number {
  return m.sys(pid, SYS.NOTIFY_WAIT, n, mask, 0);
}

describe('boot handles', () => {
  it('init gets a DEVICE and an IRQ handle per device, tagged DEVICE_BASE+i and IRQ_BASE+i', () => {
    const { m, init, dev, irq } = boot();
    expect(m.startup(init).handles.map((h) => h.tag)).toEqual([TAG.DEVICE_BASE, TAG.IRQ_BASE, TAG.SELF]);
    expect(hinfo(m, init, dev)).toMatchObject({ type: OBJ.DEVICE, rights: RIGHTS.READ | RIGHTS.WRITE | RIGHTS.TRANSFER | RIGHTS.DUPLICATE });
    expect(hinfo(m, init, irq)).toMatchObject({ type: OBJ.IRQ, rights: RIGHTS.MANAGE | RIGHTS.TRANSFER | RIGHTS.DUPLICATE });
    // A line is masked from boot until someone binds it.
    expect(m.irqMasked.get(LINE)).toBe(true);
    m.check();
  });

  it('a device without an interrupt gets no IRQ handle; indexes follow the boot table', () => {
    const m = TestMachine.boot({ devices: [{ registers: 2, irq: -1 }, { registers: 4, irq: 7 }, { registers: 1, irq: -1 }] });
    const hs = m.startup(m.rootPid).handles;
    expect(hs.map((h) => h.tag)).toEqual([TAG.DEVICE_BASE, TAG.DEVICE_BASE + 1, TAG.IRQ_BASE + 1, TAG.DEVICE_BASE + 2, TAG.SELF]);
    expect(hs.map((h) => hinfo(m, m.rootPid, h.handle).type)).toEqual([OBJ.DEVICE, OBJ.DEVICE, OBJ.IRQ, OBJ.DEVICE, OBJ.PROCESS]);
    expect([...m.irqMasked.entries()]).toEqual([[7, true]]);
    m.check();
  });
});

describe('DEV_READ and DEV_WRITE', () => {
  it('reach the HAL registers of the device', () => {
    const { m, init, dev } = boot();
    expect(m.sys(init, SYS.DEV_WRITE, dev, 3, 0x1234)).toBe(0);
    expect(m.registers[0]?.[3]).toBe(0x1234);
    expect(m.devWrites).toEqual([{ dev: 0, reg: 3, value: 0x1234 }]);
    expect(m.devRead(init, dev, 3)).toBe(0x1234);
    const regs = m.registers[0];
    if (regs === undefined) throw new Error('no registers');
    regs[7] = 0x7fff0001;
    expect(m.devRead(init, dev, 7)).toBe(0x7fff0001);
    // Any 32 bits come back intact, also those that would read as an error code.
    regs[6] = -5;
    expect(m.devRead(init, dev, 6)).toBe(0xfffffffb);
    expect(m.sys(init, SYS.DEV_WRITE, dev, 0, -1)).toBe(0);
    expect(m.registers[0]?.[0]).toBe(-1);
    expect(m.devWrites).toHaveLength(2);
    m.check();
  });

  it('a register outside the window is OUT_OF_RANGE and never reaches the HAL', () => {
    const { m, init, dev } = boot();
    for (const reg of [8, 9, 1000, -1, 0x7fffffff]) {
      expect(m.devRead(init, dev, reg)).toBe(ERR.OUT_OF_RANGE);
      expect(m.sys(init, SYS.DEV_WRITE, dev, reg, 1)).toBe(ERR.OUT_OF_RANGE);
    }
    expect(m.devWrites).toEqual([]);
    m.check();
  });

  it('need READ and WRITE respectively, on a DEVICE handle', () => {
    const { m, init, dev, irq } = boot();
    const ro = m.dup(init, dev, RIGHTS.READ);
    const wo = m.dup(init, dev, RIGHTS.WRITE);
    expect(m.sys(init, SYS.DEV_WRITE, ro, 1, 5)).toBe(ERR.ACCESS_DENIED);
    expect(m.devRead(init, ro, 1)).toBe(0);
    expect(m.devRead(init, wo, 1)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.DEV_WRITE, wo, 1, 5)).toBe(0);
    expect(m.devWrites).toEqual([{ dev: 0, reg: 1, value: 5 }]);
    expect(m.devRead(init, irq, 0)).toBe(ERR.WRONG_TYPE);
    expect(m.sys(init, SYS.DEV_WRITE, m.rootSelf(), 0, 1)).toBe(ERR.WRONG_TYPE);
    expect(m.devRead(init, 0x5555, 0)).toBe(ERR.BAD_HANDLE);
    // A device can be given away only with TRANSFER.
    expect(m.dup(init, dev, RIGHTS.ALL)).toBe(ERR.INVALID_ARGS);
    m.check();
  });

  it('DEV_READ_BLOCK reads consecutive registers in order into memory, in one syscall', () => {
    const { m, init, dev } = boot();
    const regs = m.registers[0];
    if (regs === undefined) throw new Error('no registers');
    for (let i = 0; i < regs.length; i++) regs[i] = 0x1000 * (i + 1) + i;
    regs[5] = -5; // any 32 bits, also those that would read as an error code
    const out = m.alloc(init, 64);
    const syscallsBefore = m.events().filter((e) => e.kind === TRACE.SYSCALL_ENTER).length;
    expect(m.sys(init, SYS.DEV_READ_BLOCK, dev, 2, 5, out)).toBe(5);
    expect(m.events().filter((e) => e.kind === TRACE.SYSCALL_ENTER).length).toBe(syscallsBefore + 1);
    expect([0, 1, 2, 3, 4].map((i) => m.u32(init, out + 4 * i))).toEqual([0x3002, 0x4003, 0x5004, 0xfffffffb, 0x7006]);
    // The whole window, and nothing at all.
    expect(m.sys(init, SYS.DEV_READ_BLOCK, dev, 0, 8, out)).toBe(8);
    expect(m.u32(init, out + 28)).toBe(0x8007);
    expect(m.sys(init, SYS.DEV_READ_BLOCK, dev, 8, 0, out)).toBe(ERR.OUT_OF_RANGE);
    expect(m.sys(init, SYS.DEV_READ_BLOCK, dev, 7, 0, out)).toBe(0);
    expect(m.devWrites).toEqual([]);
    m.check();
  });

  it('DEV_READ_BLOCK refuses a block past the window, longer than DEV_BLOCK_MAX, or without READ, and reads nothing then', () => {
    const { m, init, dev, irq } = boot();
    const out = m.alloc(init, 64);
    m.writeBytes(init, out, 'untouched');
    for (const [reg, count] of [[7, 2], [0, 9], [8, 1], [-1, 1], [1, 0xffffffff]] as const) {
      expect(m.sys(init, SYS.DEV_READ_BLOCK, dev, reg, count, out), `reg ${reg} count ${count}`).toBe(count > LIMITS.DEV_BLOCK_MAX || count < 0 ? ERR.INVALID_ARGS : ERR.OUT_OF_RANGE);
    }
    expect(m.sys(init, SYS.DEV_READ_BLOCK, dev, 0, LIMITS.DEV_BLOCK_MAX + 1, out)).toBe(ERR.INVALID_ARGS);
    const wo = m.dup(init, dev, RIGHTS.WRITE);
    expect(m.sys(init, SYS.DEV_READ_BLOCK, wo, 0, 2, out)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.DEV_READ_BLOCK, irq, 0, 2, out)).toBe(ERR.WRONG_TYPE);
    expect(m.readText(init, out, 9)).toBe('untouched');
    m.check();
  });

  it('work in a driver process the device handle was moved to', () => {
    const { m, init, dev } = boot();
    const r = m.spawn(init, m.rootSelf(), { name: 'driver', handles: [{ handle: dev, tag: TAG.DEVICE_BASE }] });
    expect(r.result).toBe(0);
    expect(m.devRead(init, dev, 0)).toBe(ERR.BAD_HANDLE);
    expect(m.sys(init, SYS.YIELD)).toBe(BLOCKED);
    const mine = m.startup(r.pid).handles[0]?.handle ?? 0;
    expect(m.sys(r.pid, SYS.DEV_WRITE, mine, 2, 99)).toBe(0);
    expect(m.registers[0]?.[2]).toBe(99);
    m.check();
  });
});

describe('interrupts', () => {
  it('IRQ_BIND unmasks the line; an interrupt sets the bit and masks the line until IRQ_ACK', () => {
    const { m, init, irq } = boot();
    const n = m.notification(init);
    const nKoid = hinfo(m, init, n).koid;
    expect(m.sys(init, SYS.IRQ_BIND, irq, n, 3)).toBe(0);
    expect(m.irqMasked.get(LINE)).toBe(false);

    m.k.irq(LINE);
    expect(m.irqMasked.get(LINE)).toBe(true);
    const rec = m.eventsOf('IRQ').at(-1);
    expect(rec?.args.slice(0, 3)).toEqual([LINE, nKoid, 3]);
    expect(poll(m, init, n, 1 << 3)).toBe(1 << 3);
    // Taken: a second wait finds nothing.
    expect(poll(m, init, n, 1 << 3)).toBe(ERR.TIMED_OUT);
    expect(m.irqMasked.get(LINE)).toBe(true);

    expect(m.sys(init, SYS.IRQ_ACK, irq)).toBe(0);
    expect(m.irqMasked.get(LINE)).toBe(false);
    m.k.irq(LINE);
    expect(poll(m, init, n)).toBe(1 << 3);
    m.check();
  });

  it('wakes a driver blocked in NOTIFY_WAIT', () => {
    const { m, init, irq } = boot();
    const n = m.notification(init);
    expect(m.sys(init, SYS.IRQ_BIND, irq, n, 0)).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_WAIT, n, 1, -1)).toBe(BLOCKED);
    expect(m.isRunning(init)).toBe(false);
    m.k.irq(LINE);
    expect(m.isRunning(init)).toBe(true);
    expect(m.resumedWith(init)).toBe(1);
    m.check();
  });

  it('needs MANAGE on the IRQ and SIGNAL on the notification', () => {
    const { m, init, irq, dev } = boot();
    const n = m.notification(init);
    const weakIrq = m.dup(init, irq, RIGHTS.DUPLICATE | RIGHTS.TRANSFER);
    const weakN = m.dup(init, n, RIGHTS.WAIT);
    expect(m.sys(init, SYS.IRQ_BIND, weakIrq, n, 0)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.IRQ_BIND, irq, weakN, 0)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.IRQ_BIND, dev, n, 0)).toBe(ERR.WRONG_TYPE);
    expect(m.sys(init, SYS.IRQ_BIND, irq, dev, 0)).toBe(ERR.WRONG_TYPE);
    expect(m.sys(init, SYS.IRQ_BIND, irq, n, 32)).toBe(ERR.INVALID_ARGS);
    expect(m.irqMasked.get(LINE)).toBe(true);
    expect(m.sys(init, SYS.IRQ_ACK, weakIrq)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.IRQ_MASK, weakIrq, 0)).toBe(ERR.ACCESS_DENIED);
    expect(m.sys(init, SYS.IRQ_ACK, dev)).toBe(ERR.WRONG_TYPE);
    expect(m.irqMasked.get(LINE)).toBe(true);
    m.check();
  });

  it('IRQ_MASK masks and unmasks a bound line', () => {
    const { m, init, irq } = boot();
    const n = m.notification(init);
    expect(m.sys(init, SYS.IRQ_BIND, irq, n, 1)).toBe(0);
    expect(m.sys(init, SYS.IRQ_MASK, irq, 1)).toBe(0);
    expect(m.irqMasked.get(LINE)).toBe(true);
    expect(m.sys(init, SYS.IRQ_MASK, irq, 0)).toBe(0);
    expect(m.irqMasked.get(LINE)).toBe(false);
    m.check();
  });

  it('an unbound line stays masked: interrupts set nothing, ACK and unmask leave it masked', () => {
    const { m, init, irq } = boot();
    const n = m.notification(init);
    m.k.irq(LINE);
    expect(m.irqMasked.get(LINE)).toBe(true);
    expect(m.eventsOf('IRQ').at(-1)?.args.slice(0, 2)).toEqual([LINE, 0]);
    expect(m.eventsOf('SIGNAL')).toHaveLength(0);
    expect(poll(m, init, n)).toBe(ERR.TIMED_OUT);
    expect(m.sys(init, SYS.IRQ_ACK, irq)).toBe(0);
    expect(m.irqMasked.get(LINE)).toBe(true);
    expect(m.sys(init, SYS.IRQ_MASK, irq, 0)).toBe(0);
    expect(m.irqMasked.get(LINE)).toBe(true);
    // A line no IRQ object owns is masked as soon as it fires.
    m.k.irq(9);
    expect(m.irqMasked.get(9)).toBe(true);
    m.check();
  });

  it('rebinding moves the line to the new notification bit', () => {
    const { m, init, irq } = boot();
    const n1 = m.notification(init);
    const n2 = m.notification(init);
    expect(m.sys(init, SYS.IRQ_BIND, irq, n1, 0)).toBe(0);
    expect(m.sys(init, SYS.IRQ_BIND, irq, n2, 5)).toBe(0);
    m.k.irq(LINE);
    expect(poll(m, init, n1)).toBe(ERR.TIMED_OUT);
    expect(poll(m, init, n2)).toBe(1 << 5);
    // n1 is no longer held by the binding: its last handle frees it.
    const bytes = m.memInfo(init).objectBytes;
    expect(m.sys(init, SYS.HANDLE_CLOSE, n1)).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(bytes - LIMITS.OBJECT_BYTES - LIMITS.HANDLE_BYTES);
    m.check();
  });

  it('the binding keeps its notification alive; closing the IRQ handle masks the line and lets it go', () => {
    const { m, init, irq } = boot();
    const before = m.memInfo(init).objectBytes;
    const n = m.notification(init);
    const waiter = m.dup(init, n, RIGHTS.WAIT);
    expect(m.sys(init, SYS.IRQ_BIND, irq, n, 2)).toBe(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, n)).toBe(0);
    m.k.irq(LINE);
    expect(poll(m, init, waiter)).toBe(1 << 2);
    expect(m.sys(init, SYS.HANDLE_CLOSE, waiter)).toBe(0);
    expect(m.memInfo(init).objectBytes).toBe(before + LIMITS.OBJECT_BYTES);
    expect(m.sys(init, SYS.IRQ_ACK, irq)).toBe(0);
    expect(m.irqMasked.get(LINE)).toBe(false);

    const objects = m.stat('OBJECTS');
    expect(m.sys(init, SYS.HANDLE_CLOSE, irq)).toBe(0);
    expect(m.irqMasked.get(LINE)).toBe(true);
    expect(m.memInfo(init).objectBytes).toBe(before - LIMITS.HANDLE_BYTES);
    expect(m.stat('OBJECTS')).toBe(objects - 2);
    const signals = m.eventsOf('SIGNAL').length;
    m.k.irq(LINE);
    expect(m.irqMasked.get(LINE)).toBe(true);
    expect(m.eventsOf('SIGNAL')).toHaveLength(signals);
    m.check();
  });
});
