// poll_oneoff: wait until a clock subscription's time comes or an fd is
// ready, then write one event per subscription that is.
//
// The subscriptions are copied into the kernel when the call begins (the
// front door checked both arrays). A pipe is ready to read when it holds
// bytes or its last writer is gone (HANGUP), ready to write when it has room
// or its last reader is gone; files, directories and devices are always
// ready (reading a device may still wait, as POSIX says of terminals). When
// nothing is ready the call waits in the list of every pipe it names and
// until the earliest clock: whichever comes first ends it.

import {
  K_BLOCKED, PS_EXITED, WASI_SUBSCRIPTION_SIZE, WASI_SUBSCRIPTION_USERDATA, WASI_SUBSCRIPTION_TAG,
  WASI_SUBSCRIPTION_CLOCK_ID, WASI_SUBSCRIPTION_TIMEOUT, WASI_SUBSCRIPTION_CLOCK_FLAGS, WASI_EVENT_SIZE,
  WASI_EVENT_USERDATA, WASI_EVENT_ERROR, WASI_EVENT_TYPE, WASI_EVENT_NBYTES, WASI_EVENT_FLAGS, WASI_EVENT_CLOCK,
  WASI_EVENT_FD_READ, WASI_EVENT_FD_WRITE, WASI_SUBCLOCK_ABSTIME, WASI_EVENT_FD_READWRITE_HANGUP, WASI_EBADF,
  WASI_EINVAL, WASI_ENOTCAPABLE, WASI_RIGHT_POLL_FD_READWRITE, WASI_CLOCK_REALTIME,
} from '../../../abi/assembly/index';
import { now, Config } from '../clock';
import { Deadline, addDeadline } from '../sched/timers';
import { copyOut, putU32 } from '../mm/user';
import { Process } from '../process/process';
import { Op, park, finish, live } from './call';
import { Pipe, pipeReady } from './pipe';
import { getFd, F_PIPE_READ, F_PIPE_WRITE } from './fd';

/** A poll: its subscriptions (copied in), and when each clock one is due (kernel time; +inf for fds). */
class PollOp extends Op {
  subs: Uint8Array = new Uint8Array(0);
  count: u32 = 0;
  due: Array<f64> = [];
}

/** The earliest clock of a waiting poll. */
class PollDeadline extends Deadline {
  constructor(time: f64, public op: PollOp) {
    super(time);
  }

  fire(): void {
    this.op.p.deadline = null;
    if (live(this.op) && this.op.p.state != PS_EXITED) finish(this.op, check(this.op));
  }
}

const event = new Uint8Array(WASI_EVENT_SIZE);

/** The kernel time at which the clock subscription at `at` is due. */
function dueAt(at: usize): f64 {
  const t = <f64>load<u64>(at + WASI_SUBSCRIPTION_TIMEOUT);
  if ((load<u16>(at + WASI_SUBSCRIPTION_CLOCK_FLAGS) & WASI_SUBCLOCK_ABSTIME) == 0) return now() + t;
  return load<u32>(at + WASI_SUBSCRIPTION_CLOCK_ID) == WASI_CLOCK_REALTIME ? t - <f64>Config.realtimeSec * 1e9 : t;
}

/** Write the events of every ready subscription; K_BLOCKED when none is. */
function check(op: PollOp): i32 {
  let n: u32 = 0;
  const t = now();
  for (let i: u32 = 0; i < op.count; i++) {
    const at = op.subs.dataStart + <usize>(i * WASI_SUBSCRIPTION_SIZE);
    const tag = load<u8>(at + WASI_SUBSCRIPTION_TAG);
    memory.fill(event.dataStart, 0, WASI_EVENT_SIZE);
    let ready = false;
    let err: u16 = 0;
    if (tag == WASI_EVENT_CLOCK) {
      ready = op.due[i] <= t;
    } else if (tag == WASI_EVENT_FD_READ || tag == WASI_EVENT_FD_WRITE) {
      const fd = getFd(op.p, <u64>load<u32>(at + WASI_SUBSCRIPTION_CLOCK_ID));
      ready = true;
      if (fd === null) err = <u16>WASI_EBADF;
      else if ((fd.base & <u64>WASI_RIGHT_POLL_FD_READWRITE) == 0) err = <u16>WASI_ENOTCAPABLE;
      else if (fd.file.kind == F_PIPE_READ || fd.file.kind == F_PIPE_WRITE) {
        const pipe = changetype<Pipe>(fd.file.pipe);
        const write = tag == WASI_EVENT_FD_WRITE;
        const gone = write ? pipe.readers == 0 : pipe.writers == 0;
        const bytes = pipeReady(pipe, write);
        ready = gone || bytes > 0;
        store<u64>(event.dataStart + WASI_EVENT_NBYTES, <u64>bytes);
        if (gone) store<u16>(event.dataStart + WASI_EVENT_FLAGS, WASI_EVENT_FD_READWRITE_HANGUP);
      }
    } else {
      ready = true;
      err = <u16>WASI_EINVAL;
    }
    if (!ready) continue;
    store<u64>(event.dataStart + WASI_EVENT_USERDATA, load<u64>(at + WASI_SUBSCRIPTION_USERDATA));
    store<u16>(event.dataStart + WASI_EVENT_ERROR, err);
    store<u8>(event.dataStart + WASI_EVENT_TYPE, tag);
    copyOut(op.p, event.dataStart, op.out + n * WASI_EVENT_SIZE, WASI_EVENT_SIZE);
    n++;
  }
  if (n == 0) return K_BLOCKED;
  putU32(op.p, op.out2, n);
  return 0;
}

function retry(op: Op): i32 { return check(changetype<PollOp>(op)); }

/** poll_oneoff over count subscriptions (copied in); events to out, their count to nout (both checked). */
export function poll(op: Op, subs: Uint8Array, count: u32): i32 {
  const po = changetype<PollOp>(op);
  po.subs = subs;
  po.count = count;
  let earliest = Infinity;
  for (let i: u32 = 0; i < count; i++) {
    const at = subs.dataStart + <usize>(i * WASI_SUBSCRIPTION_SIZE);
    po.due.push(load<u8>(at + WASI_SUBSCRIPTION_TAG) == WASI_EVENT_CLOCK ? dueAt(at) : Infinity);
    earliest = min(earliest, po.due[i]);
  }
  const r = check(po);
  if (r != K_BLOCKED) return r;
  for (let i: u32 = 0; i < count; i++) {
    const fd = getFd(op.p, <u64>load<u32>(subs.dataStart + <usize>(i * WASI_SUBSCRIPTION_SIZE) + WASI_SUBSCRIPTION_CLOCK_ID));
    if (po.due[i] == Infinity && fd !== null && fd.file.pipe !== null) changetype<Pipe>(fd.file.pipe).ops.push(op);
  }
  op.retry = retry;
  if (earliest < Infinity) {
    const d = new PollDeadline(earliest, po);
    op.p.deadline = d;
    addDeadline(d);
  }
  return park(op, 0);
}

/** A new Op that poll() can use. */
export function pollOp(p: Process): Op { return new PollOp(p); }
