// Helpers shared by the kernel's unit tests: small wrappers over the test HAL
// (harness.ts) for things many tests need — a handle's info, a child process
// holding some handles, the trace since a mark.

import { expect } from 'vitest';
import { SYS, TAG, type TraceEvent } from '@oncrix/abi';
import type { TestMachine } from './harness';

export interface Info { handle: number; type: number; rights: number; koid: number }

/** HANDLE_INFO that must succeed. */
export function info(m: TestMachine, pid: number, h: number): Info {
  const i = m.handleInfo(pid, h);
  if (typeof i === 'number') throw new Error(`HANDLE_INFO(${h}) as ${pid} failed: ${i}`);
  return i;
}

/** HANDLE_INFO result code only (0 or an error). */
export function infoResult(m: TestMachine, pid: number, h: number): number {
  const i = m.handleInfo(pid, h);
  return typeof i === 'number' ? i : 0;
}

/** A handle value that must be a handle, not an error code. */
export function ok(h: number): number {
  expect(h).toBeGreaterThan(0);
  return h;
}

/** OBJECT_WAIT; `observed()` reads the out-parameter (valid once the wait has ended). */
export function waitOn(m: TestMachine, pid: number, h: number, mask: number, timeoutUs: number): { result: number; observed: () => number } {
  const out = m.alloc(pid, 4);
  m.setU32(pid, out, 0xdeadbeef);
  const result = m.sys(pid, SYS.OBJECT_WAIT, h, mask, timeoutUs, out);
  return { result, observed: () => m.u32(pid, out) };
}

/** Spawn a child of init that gets `handles` (moved); with a free CPU it runs at once. */
export function child(m: TestMachine, handles: number[] = []): { pid: number; handle: number; handles: number[] } {
  const s = m.spawn(m.rootPid, m.rootSelf(), { handles: handles.map((handle) => ({ handle, tag: TAG.PEER })) });
  expect(s.result).toBe(0);
  expect(m.isRunning(s.pid)).toBe(true);
  return { pid: s.pid, handle: s.handle, handles: m.startup(s.pid).handles.map((x) => x.handle) };
}

/** Trace events of a kind emitted after `mark` events. */
export function eventsSince(m: TestMachine, mark: number, kind: string): TraceEvent[] {
  return m.events().slice(mark).filter((e) => e.kindName === kind);
}
