// Long teardowns in bounded steps: how every kernel entry stays short.
//
// Some consequences of one syscall are unbounded in size: revoking a handle
// with 400,000 derived handles, a process exiting with 1,000 handles whose
// objects hold queues of messages that carry more handles, a cycle scan over
// channels reachable only through each other's queues. Such work is a Work
// item: it does one small step at a time (close one handle, drop one
// message), and every kernel entry runs at most STEPS_PER_ENTRY steps before
// it returns. What is left waits for the next entry; while anything is left,
// next_deadline() answers "now", so an idle HAL enters again at once.
//
// A process waiting for such work (a revoke) is woken by the work's done().
// Until a step reaches it, a doomed handle still works: the guarantee is that
// when the revoke returns, every derived handle is gone (seL4's revoke is
// preemptible the same way).

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

const queue: Array<Work> = [];
let head: i32 = 0;
let stepsThisEntry: i32 = 0;
let stepsMax: i32 = 0;

/** A kernel entry begins: it has its whole step budget. */
export function beginEntry(): void {
  stepsThisEntry = 0;
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

/** Start w now, behind the work already waiting: run as far as this entry allows and queue the rest. True if it finished at once. */
export function startWork(w: Work): bool {
  runWork();
  if (head == queue.length && advance(w)) return true;
  queue.push(w);
  return false;
}

/** Queue w behind the work already waiting (it runs at the end of this entry or later). */
export function deferWork(w: Work): void {
  queue.push(w);
}

/** Run queued work, oldest first, until it is all done or this entry's budget is used. */
export function runWork(): void {
  while (head < queue.length && budgetLeft()) {
    if (!advance(unchecked(queue[head]))) break;
    head++;
  }
  if (head == queue.length) {
    queue.length = 0;
    head = 0;
  } else if (head >= 64 && head * 2 >= queue.length) {
    // Drop the finished prefix now and then, so the queue does not grow with the work ever done.
    queue.splice(0, head);
    head = 0;
  }
}

/** Work items not yet finished. */
export function pendingWork(): i32 {
  return queue.length - head;
}

/** The most steps one entry has run since boot. */
export function maxEntrySteps(): i32 {
  return stepsMax;
}
