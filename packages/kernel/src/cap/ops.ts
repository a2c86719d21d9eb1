// What can happen to a handle: creation, duplication, closing, revocation —
// and what happens to an object when its last reference goes.
//
// Every one of these leaves a trace record, so the playground's capability
// graph is rebuilt from the trace alone. None of them knows what kind of
// object a handle names: an object that dies runs its own destroy(), and a
// wait that names a closing handle is ended by the waiting layer above
// (ipc/wait.ts registers that through onHandleClosing).
//
// A new handle is paid for by the process whose table it enters (account.ts;
// the syscall checked the charge and the table room). Closing is O(1);
// revoking takes the derived subtree over in O(1) and closes it one handle
// per step (work.ts), so no kernel entry closes more than its step budget.

import {
  TR_HANDLE_CREATE, TR_HANDLE_DUPLICATE, TR_HANDLE_CLOSE, TR_HANDLE_REVOKE, TR_OBJECT_DESTROY, DERIVE_MAX_DEPTH,
  LIMIT_DEPTH, LIMIT_HANDLES, MAX_HANDLES,
} from '../../../abi/assembly/index';
import { Actor, Handle, Kids, KObject, handleDied, registry, takeFromFlight } from '../object';
import { link, unlinkFromTree, detachDerived, takeLeaf } from './tree';
import { payForHandle, refundHandle, refundObject, refused } from '../account';
import { Work } from '../work';
import { emit } from '../trace';

/** Called with every handle that is about to leave a table (ends a wait that names it); set by ipc/wait.ts. */
let closing: (h: Handle) => void = (h: Handle): void => {};

/** Install what must happen to a handle just before it closes (the waiting layer cancels waits on it). */
export function onHandleClosing(fn: (h: Handle) => void): void {
  closing = fn;
}

/** Put a new handle in p's table, paid for by p. Returns its value (room and charge were checked). */
function place(p: Actor, h: Handle): i32 {
  payForHandle(p, h);
  const v = p.table.install(h, p);
  assert(v != 0, 'handle table full after room check');
  return v;
}

/** A new root handle (no parent) to obj in p's table. Returns its value. */
export function newRootHandle(p: Actor, obj: KObject, rights: u32): i32 {
  const v = place(p, new Handle(obj, rights));
  emit(TR_HANDLE_CREATE, p.pid, p.cpu, v, obj.koid, obj.type, <i32>rights);
  return v;
}

/** Can p's table take n more handles? (MAX_HANDLES; a refusal is traced as a LIMIT) */
export function tableHasRoom(p: Actor, n: i32): bool {
  if (p.table.hasRoom(n)) return true;
  refused(LIMIT_HANDLES, p, n, p.table.count + p.table.retired, MAX_HANDLES);
  return false;
}

/** May another handle derive from h? (DERIVE_MAX_DEPTH; a refusal is traced as a LIMIT) */
export function canDerive(p: Actor, h: Handle): bool {
  if (h.depth < DERIVE_MAX_DEPTH) return true;
  refused(LIMIT_DEPTH, p, 1, h.depth, DERIVE_MAX_DEPTH);
  return false;
}

/** A child of h with a subset of its rights, in p's table. Returns its value. */
export function duplicateHandle(p: Actor, h: Handle, rights: u32): i32 {
  const d = new Handle(h.obj, rights & h.rights);
  link(h, d);
  const v = place(p, d);
  emit(TR_HANDLE_DUPLICATE, p.pid, p.cpu, v, h.value, h.obj.koid, <i32>d.rights);
  return v;
}

/**
 * A handle to `obj` (another object than h's) derived from h: it sits below h
 * in the derivation tree, so revoking h takes it back too. Used where
 * authority over one object implies authority over another (a process handle
 * over its descendants, a child spawned through it). Rights are a subset of h's.
 */
export function derivedHandle(p: Actor, h: Handle, obj: KObject, rights: u32): i32 {
  const d = new Handle(obj, rights & h.rights);
  link(h, d);
  const v = place(p, d);
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
      const i = m.handles.indexOf(h); // at most MSG_MAX_HANDLES entries
      if (i >= 0) m.handles[i] = null;
      takeFromFlight(h);
    }
  }
  h.live = false;
  handleDied();
  refundHandle(h);
  emit(TR_HANDLE_CLOSE, pid, owner !== null ? owner.cpu : -1, value, h.obj.koid, reason);
  const obj = h.obj;
  dropRef(obj);
  if (!obj.destroyed) obj.handlesChanged();
}

/** Close one handle; what derives from it stays under its ancestors. */
export function closeHandle(h: Handle, reason: i32): void {
  detach(h, reason);
  unlinkFromTree(h);
}

/**
 * A revocation in progress: every handle derived from one handle, taken over
 * at once and closed one per step. `closed` counts the live handles it has
 * closed; the HANDLE_REVOKE record is emitted when it is done.
 */
export class Revocation extends Work {
  forest: Kids | null;
  closed: i32 = 0;
  reason: i32;
  by: Actor;
  value: i32;
  koid: i32;

  constructor(by: Actor, h: Handle, reason: i32) {
    super();
    this.by = by;
    this.value = h.value;
    this.koid = h.obj.koid;
    this.reason = reason;
    this.forest = detachDerived(h);
  }

  step(): bool {
    const forest = this.forest;
    if (forest === null) return true;
    const n = takeLeaf(forest);
    if (n === null) return true;
    if (n.live) {
      detach(n, this.reason);
      this.closed++;
    }
    return forest.first === null;
  }

  done(): void {
    emit(TR_HANDLE_REVOKE, this.by.pid, this.by.cpu, this.value, this.koid, this.closed);
  }
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
  registry.leave(obj);
  emit(TR_OBJECT_DESTROY, 0, -1, obj.koid, obj.type);
  obj.destroy();
  refundObject(obj);
}
