// The derivation tree of handles (seL4's idea, which no browser OS has).
//
// Every handle is a node. Duplicating a handle makes a child node; moving it
// in a message or at spawn moves the node itself, so it keeps its place in
// the tree; a handle minted from authority over another object (a process
// handle over a descendant, a spawned child) is a child too. Revoking a node
// closes its whole subtree wherever the nodes are (cap/ops.ts), which lets a
// server take back every capability it ever handed out.
//
// Every operation here is O(1) (a revocation step walks at most
// DERIVE_MAX_DEPTH nodes down): the children of a node are a doubly linked
// list (object.ts's Kids), so a node leaves its list without a search. Closing
// a node alone keeps its children under its ancestors: with one child, the
// child takes its place; with two or more, the closed node stays as a
// placeholder (not live) until it is down to one. Every placeholder has at
// least two children, so there are fewer placeholders than live handles.

import { Handle, Kids } from '../object';

function pushFront(list: Kids, h: Handle): void {
  const first = list.first;
  h.up = list;
  h.prev = null;
  h.next = first;
  if (first !== null) first.prev = h;
  list.first = h;
  list.count++;
}

/** Take h out of the list it is in. */
function cut(h: Handle): void {
  const list = h.up;
  if (list === null) return;
  const prev = h.prev, next = h.next;
  if (prev !== null) prev.next = next;
  else list.first = next;
  if (next !== null) next.prev = prev;
  list.count--;
  h.up = null;
  h.prev = null;
  h.next = null;
}

/** Put h where old is, in old's list; old leaves it. */
function takePlace(old: Handle, h: Handle): void {
  const list = old.up;
  if (list === null) return;
  const prev = old.prev, next = old.next;
  h.up = list;
  h.prev = prev;
  h.next = next;
  if (prev !== null) prev.next = h;
  else list.first = h;
  if (next !== null) next.prev = h;
  old.up = null;
  old.prev = null;
  old.next = null;
}

/** Make child derive from parent. */
export function link(parent: Handle, child: Handle): void {
  let kids = parent.kids;
  if (kids === null) {
    kids = new Kids(parent);
    parent.kids = kids;
  }
  pushFront(kids, child);
  child.depth = parent.depth + 1;
}

/**
 * h was closed (it is no longer live): take it out of the tree, keeping what
 * derives from it under its ancestors. With none it leaves its list; with one,
 * that one takes its place; with more, it stays as a placeholder.
 */
export function unlinkFromTree(h: Handle): void {
  const kids = h.kids;
  const n = kids !== null ? kids.count : 0;
  if (n >= 2) return;
  h.kids = null;
  if (n == 1) {
    const only = changetype<Handle>(changetype<Kids>(kids).first);
    cut(only);
    if (h.up !== null) takePlace(h, only);
    return;
  }
  const list = h.up;
  if (list === null) return;
  cut(h);
  const holder = list.holder;
  // A placeholder left with one child (or none) goes the same way.
  if (holder !== null && !holder.live && list.count < 2) unlinkFromTree(holder);
}

/** Take over, in O(1), everything derived from h: a list that no handle holds any more, for revoking step by step. */
export function detachDerived(h: Handle): Kids | null {
  const kids = h.kids;
  if (kids === null) return null;
  h.kids = null;
  kids.holder = null;
  return kids;
}

/** One step of a revocation: take a leaf out of the forest `root` and return it (null when it is empty). */
export function takeLeaf(root: Kids): Handle | null {
  const first = root.first;
  if (first === null) return null;
  let n: Handle = first;
  for (;;) {
    const k = n.kids;
    if (k === null) break;
    const c = k.first;
    if (c === null) break;
    n = c;
  }
  n.kids = null;
  cut(n);
  return n;
}
