// Long teardowns in bounded steps: how every kernel entry stays short.
//
// Some consequences of one syscall are unbounded in size: revoking a handle
// with 400,000 derived handles, a process exiting with 1,000 handles whose
// objects hold queues of messages that carry more handles, a cycle scan over
// channels reachable only through each other's queues. Such work is a Work
// item: it does one small step at a time (close one handle, drop one emptied
// message), and every kernel entry runs at most STEPS_PER_ENTRY steps before
// it returns. What is left waits for the next entry; while anything is left,
// next_deadline() answers "now", so an idle HAL enters again at once.
//
// Cycle scans are background work: they run only with what an entry's budget
// leaves after the teardowns, so a program that keeps making scans (by moving
// endpoints into messages) cannot delay anyone's revoke or exit.
//
// A process waiting for such work (a revoke) is woken by the work's done().
// Until a step reaches it, a doomed handle still works: the guarantee is that
// when the revoke returns, every derived handle is gone (seL4's revoke is
// preemptible the same way).

import { gcEntryBegin } from './rt/collector';

/** Steps one kernel entry may run; each is O(1) apart from a derivation-tree walk of at most DERIVE_MAX_DEPTH hops. */
export const STEPS_PER_ENTRY: i32 = 256;

/** Something the kernel must finish, in steps. */
export class Work {
  /** Do one step; true when nothing is left (then done() runs). */
  step(): bool {
    return true;
  }

  /** All steps are done. */
  done(): void {}
}

/** A FIFO of work items (a head index, so taking the oldest is O(1)). */
class WorkQueue {
  items: Array<Work> = [];
  head: i32 = 0;

  get pending(): i32 {
    return this.items.length - this.head;
  }

  push(w: Work): void {
    this.items.push(w);
  }

  /** Run the oldest items while the entry has budget; true when the queue is empty. */
  run(): bool {
    if (this.head == this.items.length) return true; // empty (run leaves no finished items behind): most entries
    while (this.head < this.items.length && budgetLeft()) {
      if (!advance(unchecked(this.items[this.head]))) break;
      this.head++;
    }
    if (this.head == this.items.length) {
      this.items.length = 0;
      this.head = 0;
      return true;
    }
    if (this.head >= 64 && this.head * 2 >= this.items.length) {
      // Drop the finished prefix now and then, so the queue does not grow with the work ever done.
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return false;
  }
}

const teardown = new WorkQueue();
const background = new WorkQueue();
let stepsThisEntry: i32 = 0;
let stepsMax: i32 = 0;

/** A kernel entry begins: it has its whole step budget (and the collector counts its work in it afresh). */
export function beginEntry(): void {
  stepsThisEntry = 0;
  gcEntryBegin();
}

/** Steps left to this entry. */
function budgetLeft(): bool {
  return stepsThisEntry < STEPS_PER_ENTRY;
}

/** Run w's steps while the entry has budget; true if it finished (its done() has run). */
function advance(w: Work): bool {
  while (budgetLeft()) {
    stepsThisEntry++;
    if (stepsThisEntry > stepsMax) stepsMax = stepsThisEntry;
    if (w.step()) {
      w.done();
      return true;
    }
  }
  return false;
}

/** Start w now, behind the teardowns already waiting: run as far as this entry allows and queue the rest. True if it finished at once. */
export function startWork(w: Work): bool {
  if (teardown.run() && advance(w)) return true;
  teardown.push(w);
  return false;
}

/** Queue a teardown behind those already waiting (it runs at the end of this entry or later). */
export function deferWork(w: Work): void {
  teardown.push(w);
}

/** Queue background work (a cycle scan): it gets only what the teardowns leave of an entry's budget. */
export function deferBackground(w: Work): void {
  background.push(w);
}

/** Run queued work, oldest first, teardowns before background work, until it is all done or this entry's budget is used. */
export function runWork(): void {
  if (teardown.run()) background.run();
}

/** Work items not yet finished. */
export function pendingWork(): i32 {
  return teardown.pending + background.pending;
}

/** The most steps one entry has run since boot. */
export function maxEntrySteps(): i32 {
  return stepsMax;
}
