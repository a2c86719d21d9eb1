// What can happen to a handle: creation, duplication, closing, revocation —
// and what happens to an object when its last reference goes.
//
// Every one of these leaves a trace record, so the playground's capability
// graph is rebuilt from the trace alone.

import {
  OBJ_PROCESS, OBJ_CHANNEL, OBJ_NOTIFICATION, OBJ_IRQ, OBJ_MEMORY, OBJ_TIMER, TR_HANDLE_CREATE,
  TR_HANDLE_DUPLICATE, TR_HANDLE_CLOSE, TR_HANDLE_REVOKE, TR_OBJECT_DESTROY,
} from '../../../abi/assembly/index';
import { KObject, registry } from '../object';
import { Handle, handleDied, unlinkFromTree, subtree } from './handle';
import { Process, processes } from '../process/process';
import { cancelWaitsOn } from '../ipc/wait';
import { Endpoint, destroyEndpoint, dropMessage } from '../ipc/channel';
import { destroyTimer, Timer } from '../ipc/timer';
import { destroyIrq, Irq } from '../dev/irq';
import { releaseObject } from '../mm/charge';
import { emit } from '../trace';

/** A new root handle (no parent) to obj in p's table. Returns its value (table room was checked). */
export function newRootHandle(p: Process, obj: KObject, rights: u32): i32 {
  const h = new Handle(obj, rights, null);
  const v = p.table.install(h, p);
  assert(v != 0, 'handle table full after room check');
  emit(TR_HANDLE_CREATE, p.pid, p.cpu, v, obj.koid, obj.type, <i32>rights);
  return v;
}

/** A child of h with a subset of its rights, in p's table. Returns its value. */
export function duplicateHandle(p: Process, h: Handle, rights: u32): i32 {
  const d = new Handle(h.obj, rights & h.rights, h);
  const v = p.table.install(d, p);
  assert(v != 0, 'handle table full after room check');
  emit(TR_HANDLE_DUPLICATE, p.pid, p.cpu, v, h.value, h.obj.koid, <i32>d.rights);
  return v;
}

/**
 * A handle to `obj` (another object than h's) derived from h: it sits below h
 * in the derivation tree, so revoking h takes it back too. Used where
 * authority over one object implies authority over another (a process handle
 * over its descendants). Rights are a subset of h's.
 */
export function derivedHandle(p: Process, h: Handle, obj: KObject, rights: u32): i32 {
  const d = new Handle(obj, rights & h.rights, h);
  const v = p.table.install(d, p);
  assert(v != 0, 'handle table full after room check');
  emit(TR_HANDLE_DUPLICATE, p.pid, p.cpu, v, h.value, obj.koid, <i32>d.rights);
  return v;
}

/** Remove h from wherever it lives, without touching the derivation tree. */
function detach(h: Handle, reason: i32): void {
  cancelWaitsOn(h);
  const owner = h.owner;
  const pid = owner !== null ? owner.pid : 0;
  const value = h.value;
  if (owner !== null) {
    owner.table.remove(h);
  } else {
    const m = h.carrier;
    if (m !== null) {
      const i = m.handles.indexOf(h);
      if (i >= 0) m.handles[i] = null;
      h.carrier = null;
    }
  }
  h.live = false;
  handleDied();
  emit(TR_HANDLE_CLOSE, pid, owner !== null ? owner.cpu : -1, value, h.obj.koid, reason);
  dropRef(h.obj);
}

/** Close one handle; its children move up to its parent. */
export function closeHandle(h: Handle, reason: i32): void {
  unlinkFromTree(h);
  detach(h, reason);
}

/** Close every handle derived from h (not h itself). Returns how many closed. */
export function revokeHandle(p: Process, h: Handle, reason: i32): i32 {
  const doomed = subtree(h);
  for (let i = 0; i < doomed.length; i++) {
    doomed[i].children = [];
    doomed[i].parent = null;
  }
  h.children = [];
  emit(TR_HANDLE_REVOKE, p.pid, p.cpu, h.value, h.obj.koid, doomed.length);
  for (let i = 0; i < doomed.length; i++) if (doomed[i].live) detach(doomed[i], reason);
  return doomed.length;
}

/** One handle to obj went away; destroy obj if nothing refers to it any more. */
export function dropRef(obj: KObject): void {
  obj.handleCount--;
  assert(obj.handleCount >= 0, 'handle count below zero');
  maybeDestroy(obj);
}

/** A kernel reference (binding, timer, living process) to obj went away. */
export function dropKernelRef(obj: KObject): void {
  obj.kernelRefs--;
  assert(obj.kernelRefs >= 0, 'kernel refs below zero');
  maybeDestroy(obj);
}

function maybeDestroy(obj: KObject): void {
  if (obj.handleCount > 0 || obj.kernelRefs > 0 || obj.destroyed) return;
  obj.destroyed = true;
  registry.delete(obj.koid);
  emit(TR_OBJECT_DESTROY, 0, -1, obj.koid, obj.type);
  if (obj.type == OBJ_CHANNEL) destroyEndpoint(changetype<Endpoint>(obj));
  else if (obj.type == OBJ_TIMER) destroyTimer(changetype<Timer>(obj));
  else if (obj.type == OBJ_IRQ) destroyIrq(changetype<Irq>(obj));
  else if (obj.type == OBJ_PROCESS) processes.delete(changetype<Process>(obj).pid);
  else if (obj.type == OBJ_MEMORY || obj.type == OBJ_NOTIFICATION) { /* bytes go with the object */ }
  releaseObject(obj);
}

/**
 * Break cycles of handles in flight. A channel endpoint can end up reachable
 * only through messages queued on itself or on other unreachable endpoints
 * (A's handle queued on B, B's queued on A). Nothing can ever read those
 * messages, so their handles would never close. This marks every endpoint
 * reachable from a living process's table and drops the queues of the rest.
 * Runs when a process exits, the only time a table can lose its last way in.
 */
export function collectInFlightCycles(): void {
  const reached = new Set<i32>();
  const work: Array<KObject> = [];
  const all = registry.values();
  for (let i = 0; i < all.length; i++) {
    const o = all[i];
    if (o.type == OBJ_PROCESS && o.kernelRefs > 0) {
      const p = changetype<Process>(o);
      for (let s = 0; s < p.table.slots.length; s++) {
        const h = p.table.slots[s];
        if (h !== null) work.push(h.obj);
      }
    }
  }
  while (work.length > 0) {
    const o = work.pop();
    if (reached.has(o.koid)) continue;
    reached.add(o.koid);
    if (o.type != OBJ_CHANNEL) continue;
    const ep = changetype<Endpoint>(o);
    for (let m = 0; m < ep.queue.length; m++) {
      const hs = ep.queue[m].handles;
      for (let k = 0; k < hs.length; k++) {
        const h = hs[k];
        if (h !== null) work.push(h.obj);
      }
    }
  }
  for (let i = 0; i < all.length; i++) {
    const o = all[i];
    if (o.type != OBJ_CHANNEL || o.destroyed || reached.has(o.koid)) continue;
    const ep = changetype<Endpoint>(o);
    while (ep.queue.length > 0) dropMessage(ep.queue.shift());
  }
}

