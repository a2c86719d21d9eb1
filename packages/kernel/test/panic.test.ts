// The panic path: assert_sound() is silent on a sound kernel; once kernel
// state is corrupted (here: an object's handle count, found by scanning the
// kernel memory for the object's first fields) it reports through the HAL
// panic import (KernelPanic in the test HAL) with a message naming the broken
// invariant, and leaves a PANIC record carrying the same text in the trace.
// A failed assertion inside the kernel takes the same road.

import { describe, expect, it } from 'vitest';
import { KernelPanic, TestMachine } from './harness';
import { OBJ, SYS } from '@oncrix/abi';

/**
 * Find the one notification object with this koid in kernel memory: every
 * kernel object starts with the i32 fields koid, type, handleCount, kernelRefs.
 * Returns the Int32Array index of its koid field.
 */
function findNotification(m: TestMachine, koid: number, handleCount: number, kernelRefs: number): number {
  const words = new Int32Array(m.k.memory.buffer);
  const hits: number[] = [];
  for (let i = 0; i + 3 < words.length; i++) {
    if (words[i] === koid && words[i + 1] === OBJ.NOTIFICATION && words[i + 2] === handleCount && words[i + 3] === kernelRefs) hits.push(i);
  }
  expect(hits, `objects [${koid}, NOTIFICATION, ${handleCount}, ${kernelRefs}] in kernel memory`).toHaveLength(1);
  return hits[0] ?? -1;
}

/** A machine whose init holds one notification; returns it with the notification's handle and koid. */
function withNotification(): { m: TestMachine; init: number; n: number; koid: number } {
  const m = TestMachine.boot();
  const init = m.rootPid;
  const n = m.notification(init);
  const info = m.handleInfo(init, n);
  if (typeof info === 'number') throw new Error(`HANDLE_INFO failed: ${info}`);
  return { m, init, n, koid: info.koid };
}

function panicText(m: TestMachine): string {
  const rec = m.eventsOf('PANIC');
  expect(rec).toHaveLength(1);
  return new TextDecoder().decode(rec[0]?.data);
}

describe('assert_sound', () => {
  it('does nothing on a sound kernel', () => {
    const { m, init, n } = withNotification();
    const [a, b] = m.channel(init);
    expect(m.write(init, a, 'still sound')).toBe(0);
    expect(m.sys(init, SYS.NOTIFY_SIGNAL, n, 1)).toBe(0);
    const records = m.stat('TRACE_RECORDS');
    expect(() => m.k.assert_sound()).not.toThrow();
    expect(m.panicMessage).toBeNull();
    expect(m.eventsOf('PANIC')).toHaveLength(0);
    expect(m.stat('TRACE_RECORDS')).toBe(records);
    // The kernel carries on as before.
    expect(m.read(init, b).text).toBe('still sound');
    m.check();
  });

  it('panics through the HAL naming the handle count when an object count is corrupted', () => {
    const { m, koid } = withNotification();
    const at = findNotification(m, koid, 1, 0);
    expect(m.k.debug_check()).toBe(0);
    const words = new Int32Array(m.k.memory.buffer);
    words[at + 2] = (words[at + 2] ?? 0) + 5;
    expect(m.k.debug_check()).not.toBe(0);

    expect(() => m.k.assert_sound()).toThrow(KernelPanic);
    expect(m.panicMessage).toBe('kernel panic: invariant 1: object handle count differs from the handles that exist');
    // The PANIC record carries the same text, without the HAL's prefix.
    expect(`kernel panic: ${panicText(m)}`).toBe(m.panicMessage);
    expect(m.eventsOf('PANIC')[0]?.pid).toBe(0);
  });

  it('the thrown error carries the message as well', () => {
    const { m, koid } = withNotification();
    const at = findNotification(m, koid, 1, 0);
    new Int32Array(m.k.memory.buffer)[at + 2] = 6;
    let caught: unknown = null;
    try {
      m.k.assert_sound();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(KernelPanic);
    expect((caught as KernelPanic).message).toBe(m.panicMessage);
    expect((caught as KernelPanic).message).toContain('handle count');
  });

  it('names a different invariant for a different corruption: an object with no references left', () => {
    const { m, init, n, koid } = withNotification();
    // A timer holds a kernel reference on the notification; its only handle closes: [koid, NOTIFICATION, 0, 1].
    expect(m.timer(init, n, 0)).toBeGreaterThan(0);
    expect(m.sys(init, SYS.HANDLE_CLOSE, n)).toBe(0);
    const at = findNotification(m, koid, 0, 1);
    expect(() => m.k.assert_sound()).not.toThrow();
    new Int32Array(m.k.memory.buffer)[at + 3] = 0;
    expect(() => m.k.assert_sound()).toThrow(KernelPanic);
    expect(m.panicMessage).toBe('kernel panic: invariant 2: an object with no references is still registered');
    expect(panicText(m)).toBe('invariant 2: an object with no references is still registered');
  });
});

describe('kernel assertions', () => {
  it('a failed assertion inside a syscall panics through the same path', () => {
    const { m, init, n, koid } = withNotification();
    const at = findNotification(m, koid, 1, 0);
    // The kernel believes no handle exists; closing the real one drives the count below zero.
    new Int32Array(m.k.memory.buffer)[at + 2] = 0;
    expect(() => m.sys(init, SYS.HANDLE_CLOSE, n)).toThrow(KernelPanic);
    expect(m.panicMessage).toContain('handle count below zero');
    expect(panicText(m)).toContain('handle count below zero');
  });
});
