// Kernel objects: the things handles point at.
//
// Every object has a koid (kernel object id: unique, increasing, never reused,
// so traces can name objects), a type, a 32-bit signal state that waiters
// watch, and two reference counts: handles (live handles in tables or in
// flight inside messages) and kernel references (an IRQ binding or a timer
// holding a notification; a process that is still alive holding itself). An
// object is destroyed exactly when both reach zero — see release().

import { OBJ_PROCESS } from '../../abi/assembly/index';
import { Process } from './process/process';

export class KObject {
  koid: i32;
  type: i32;
  handleCount: i32 = 0;
  kernelRefs: i32 = 0;
  signals: u32 = 0;
  /** Processes blocked until some signal of this object changes. */
  waiters: Array<Process> = [];
  /** The process whose quota pays for this object, and how many bytes. */
  chargedTo: Process | null = null;
  chargedBytes: u32 = 0;
  destroyed: bool = false;

  constructor(type: i32) {
    this.type = type;
    this.koid = nextKoid++;
    registry.set(this.koid, this);
  }

  isProcess(): bool {
    return this.type == OBJ_PROCESS;
  }
}

let nextKoid: i32 = 1;

/** Every live object by koid (used by invariant checks and statistics). */
export const registry = new Map<i32, KObject>();
