// Deadlines: the kernel's one ordered list of "at time T, do X". Each kind of
// deadline says what X is by overriding fire(): a wait's deadline ends the
// wait with TIMED_OUT (ipc/wait.ts), a timer's fires the timer (ipc/timer.ts).
//
// Entries are kept sorted by (time, creation order), so two deadlines at the
// same instant always fire in the same order — a requirement of deterministic
// mode. The HAL asks next_deadline() after each kernel entry and calls tick()
// when that time comes.

export class Deadline {
  time: f64;
  order: u32;

  constructor(time: f64) {
    this.time = time;
    this.order = nextOrder++;
  }

  /** The time has come (the deadline is already off the list). */
  fire(): void {}
}

let nextOrder: u32 = 0;
const pending: Array<Deadline> = [];

function before(a: Deadline, b: Deadline): bool {
  return a.time < b.time || (a.time == b.time && a.order < b.order);
}

export function addDeadline(d: Deadline): void {
  pending.push(d);
  let i = pending.length - 1;
  while (i > 0 && before(d, pending[i - 1])) {
    pending[i] = pending[i - 1];
    i--;
  }
  pending[i] = d;
}

export function removeDeadline(d: Deadline): void {
  const i = pending.indexOf(d);
  if (i >= 0) pending.splice(i, 1);
}

/** Earliest pending deadline, or -1 when there is none. */
export function nextDeadline(): f64 {
  return pending.length > 0 ? pending[0].time : -1;
}

/** Remove and return the earliest deadline if it is due at t, else null. */
export function takeDue(t: f64): Deadline | null {
  if (pending.length == 0 || pending[0].time > t) return null;
  return pending.shift();
}

export function pendingDeadlines(): i32 {
  return pending.length;
}
