// The derivation tree of handles (seL4's idea, which no browser OS has).
//
// Every handle is a node. Duplicating a handle makes a child node; moving it
// in a message or at spawn moves the node itself, so it keeps its place in
// the tree; a handle minted from authority over another object (a process
// handle over a descendant) is a child too. Revoking a node closes its whole
// subtree wherever the nodes are (cap/ops.ts), which lets a server take back
// every capability it ever handed out. Closing a node alone reparents its
// children, so an ancestor can still revoke them.

import { Handle } from '../object';

/** Detach h from the derivation tree; its children move up to h's parent. */
export function unlinkFromTree(h: Handle): void {
  const parent = h.parent;
  for (let i = 0; i < h.children.length; i++) {
    const c = h.children[i];
    c.parent = parent;
    if (parent !== null) parent.children.push(c);
  }
  h.children = [];
  if (parent !== null) {
    const i = parent.children.indexOf(h);
    assert(i >= 0, 'derivation tree broken');
    parent.children.splice(i, 1);
  }
  h.parent = null;
}

/** Every node below h (not h itself), parents before children. */
export function subtree(h: Handle): Array<Handle> {
  const out: Array<Handle> = [];
  const stack: Array<Handle> = [];
  for (let i = h.children.length - 1; i >= 0; i--) stack.push(h.children[i]);
  while (stack.length > 0) {
    const n = stack.pop();
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}
