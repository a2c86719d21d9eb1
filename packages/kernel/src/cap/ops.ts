// What can happen to a handle: creation, duplication, closing, revocation —
// and what happens to an object when its last reference goes.
//
// Every one of these leaves a trace record, so the playground's capability
// graph is rebuilt from the trace alone. None of them knows what kind of
// object a handle names: an object that dies runs its own destroy(), and a
// wait that names a closing handle is ended by the waiting layer above
// (ipc/wait.ts registers that through onHandleClosing).

import {
  TR_HANDLE_CREATE, TR_HANDLE_DUPLICATE, TR_HANDLE_CLOSE, TR_HANDLE_REVOKE, TR_OBJECT_DESTROY,
} from '../../../abi/assembly/index';
import { Actor, Handle, KObject, handleDied, registry } from '../object';
import { unlinkFromTree, subtree } from './tree';
import { refundObject } from '../account';
import { emit } from '../trace';

/** Called with every handle that is about to leave a table (ends a wait that names it); set by ipc/wait.ts. */
let closing: (h: Handle) => void = (h: Handle): void => {};

/** Install what must happen to a handle just before it closes (the waiting layer cancels waits on it). */
export function onHandleClosing(fn: (h: Handle) => void): void {
  closing = fn;
}

/** A new root handle (no parent) to obj in p's table. Returns its value (table room was checked). */
export function newRootHandle(p: Actor, obj: KObject, rights: u32): i32 {
  const h = new Handle(obj, rights, null);
  const v = p.table.install(h, p);
  assert(v != 0, 'handle table full after room check');
  emit(TR_HANDLE_CREATE, p.pid, p.cpu, v, obj.koid, obj.type, <i32>rights);
  return v;
}

/** A child of h with a subset of its rights, in p's table. Returns its value. */
export function duplicateHandle(p: Actor, h: Handle, rights: u32): i32 {
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
export function derivedHandle(p: Actor, h: Handle, obj: KObject, rights: u32): i32 {
  const d = new Handle(obj, rights & h.rights, h);
  const v = p.table.install(d, p);
  assert(v != 0, 'handle table full after room check');
  emit(TR_HANDLE_DUPLICATE, p.pid, p.cpu, v, h.value, obj.koid, <i32>d.rights);
  return v;
}

/** Remove h from wherever it lives, without touching the derivation tree. */
function detach(h: Handle, reason: i32): void {
  closing(h);
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

/** Close every handle derived from h (not h itself), as process p asked. Returns how many closed. */
export function revokeHandle(p: Actor, h: Handle, reason: i32): i32 {
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
  obj.destroy();
  refundObject(obj);
}
