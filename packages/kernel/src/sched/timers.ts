// Deadlines: the kernel's one ordered set of "at time T, do X". Each kind of
// deadline says what X is by overriding fire(): a wait's deadline ends the
// wait with TIMED_OUT (ipc/wait.ts), a timer's fires the timer (ipc/timer.ts).
//
// A binary heap ordered by (time, creation order), so two deadlines at the
// same instant always fire in the same order — a requirement of deterministic
// mode — and adding, removing and taking the earliest cost O(log n) however
// many timers processes create (each deadline knows its place in the heap).
// The HAL asks next_deadline() after each kernel entry and calls tick() when
// that time comes.

export class Deadline {
  time: f64;
  order: u32;
  /** Index in the heap, or -1 when not pending. */
  at: i32 = -1;

  constructor(time: f64) {
    this.time = time;
    this.order = nextOrder++;
  }

  /** The time has come (the deadline is already off the heap). */
  fire(): void {}
}

let nextOrder: u32 = 0;
const heap: Array<Deadline> = [];

function before(a: Deadline, b: Deadline): bool {
  return a.time < b.time || (a.time == b.time && a.order < b.order);
}

function put(i: i32, d: Deadline): void {
  heap[i] = d;
  d.at = i;
}

/** Move the deadline at i up while it comes before its parent. */
function siftUp(i: i32): void {
  const d = heap[i];
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent];
    if (!before(d, p)) break;
    put(i, p);
    i = parent;
  }
  put(i, d);
}

/** Move the deadline at i down while a child comes before it. */
function siftDown(i: i32): void {
  const n = heap.length;
  const d = heap[i];
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && before(heap[r], heap[l]) ? r : l;
    if (!before(heap[c], d)) break;
    put(i, heap[c]);
    i = c;
  }
  put(i, d);
}

export function addDeadline(d: Deadline): void {
  heap.push(d);
  siftUp(heap.length - 1);
}

export function removeDeadline(d: Deadline): void {
  const i = d.at;
  if (i < 0 || i >= heap.length || heap[i] !== d) return;
  d.at = -1;
  const last = heap.pop();
  if (i == heap.length) return;
  put(i, last);
  siftDown(i);
  siftUp(last.at);
}

/** Earliest pending deadline, or -1 when there is none. */
export function nextDeadline(): f64 {
  return heap.length > 0 ? heap[0].time : -1;
}

/** Remove and return the earliest deadline if it is due at t, else null. */
export function takeDue(t: f64): Deadline | null {
  if (heap.length == 0 || heap[0].time > t) return null;
  const d = heap[0];
  removeDeadline(d);
  return d;
}

export function pendingDeadlines(): i32 {
  return heap.length;
}
