// init as the supervisor: it starts every program of the manifest and decides,
// by each entry's policy, what happens when one ends (docs/userland.md,
// "Supervision"; MINIX 3's reincarnation server and Hubris's supervisor are
// the models).
//
//   hold      log how it ended and leave it ended (the default)
//   restart   start it again with the same capabilities (grant.ts) and the
//             next generation number: the first restart within a window at
//             once, then after a delay that doubles (backoffMs, up to
//             maxBackoffMs); more than `limit` restarts within `windowMs`
//             and init gives up on it
//   critical  when init gives up on it (at once under hold), the machine
//             stops with a panic naming it (SYSTEM_PANIC)
//
// Deaths come from the kernel: each child is watched (PROCESS_WATCH) with a
// bit of one notification, which is set once the child has ended and its
// handles are closed — so init hears of any number of deaths in one wait,
// never polls, and restarts a program only after everything of its last
// instance is gone. A program with a heartbeat gets a channel tagged
// HEARTBEAT; init pings it every everyMs and kills it, as hung, when an
// answer is not back within deadlineMs. Init's single wait covers the
// notification and the heartbeat channels, with a timeout for the next
// ping, answer deadline or delayed restart.
//
// A program that may start others ({"spawn": true}: the shell) is the
// session: when the last session ends and is not restarted, init ends with
// its exit code and the HAL stops the machine. Giving up on a program that
// serves a service closes the service's channel, so its clients see
// PEER_CLOSED instead of waiting for an instance that will not come.

import {
  SIG_READABLE, SIG_TERMINATED, ERR_TIMED_OUT, ERR_SHOULD_WAIT, PS_EXITED, NOTIFY_BITS, TAG_HEARTBEAT,
} from "../../../abi/assembly/index";
import {
  Handle, debugLog, errorName, processExit, processSpawn, processInfo, processKill, processWatch, ProcessInfo,
  channelCreate, channelRead, channelWrite, handleClose, notifyCreate, notifyWait, objectWait, WaitSet, clockUs,
  exitStatus, systemPanic, CAP_SPAWN, FOREVER, HEARTBEAT_BYTES,
} from "../../lib/index";
import { Program } from "./rom";
import { Grants } from "./grant";

function log(text: string): void {
  debugLog("init: " + text);
}

/** Every bit a death notification may carry. */
const ALL_BITS: i32 = <i32>((<u32>1 << <u32>NOTIFY_BITS) - 1);

/** One manifest entry and its current instance. */
class Entry {
  index: i32;
  p: Program;
  /** May start others: the session (see above). */
  session: bool;
  /** The running instance (0: none), its pid and generation (-1 before the first start). */
  h: Handle = 0;
  pid: i32 = 0;
  generation: i32 = -1;
  /** When the restarts within the last window happened (µs), oldest first. */
  restarts: Array<f64> = [];
  /** A restart waits until then (µs; negative: none pending). */
  restartAt: f64 = -1;
  /** Init has given up on it: it stays ended. */
  done: bool = false;
  /** Heartbeat: init's end of the channel, the last ping's number, whether its answer is awaited, and when. */
  beat: Handle = 0;
  seq: u32 = 0;
  awaiting: bool = false;
  nextPing: f64 = 0;
  answerDue: f64 = 0;
  /** Killed for missing its heartbeat. */
  hung: bool = false;

  constructor(index: i32, p: Program) {
    this.index = index;
    this.p = p;
    this.session = p.capKinds.includes(CAP_SPAWN);
  }

  get bit(): i32 {
    return this.index % NOTIFY_BITS;
  }

  get hasHeartbeat(): bool {
    return this.p.policy.everyUs > 0;
  }

  /** "uart (pid 4, generation 2)" */
  get label(): string {
    return this.p.name + " (pid " + this.pid.toString() + ", generation " + this.generation.toString() + ")";
  }
}

/** A time span in µs, as whole milliseconds for the log. */
function msText(us: f64): string {
  return (<i64>Math.round(us / 1000)).toString() + " ms";
}

export class Supervisor {
  g: Grants;
  entries: Array<Entry> = [];
  deaths: Handle = 0;
  sessionsLeft: i32 = 0;
  private set: WaitSet = new WaitSet();
  private ping: ArrayBuffer = new ArrayBuffer(16);
  private info: ProcessInfo = new ProcessInfo();

  constructor(g: Grants) {
    this.g = g;
    for (let i = 0; i < g.m.programs.length; i++) {
      const e = new Entry(i, g.m.programs[i]);
      this.entries.push(e);
      if (e.session) this.sessionsLeft++;
    }
  }

  /** Start every program in manifest order, then supervise them forever (or until the session ends). */
  run(): void {
    this.deaths = notifyCreate();
    if (this.deaths < 0) {
      log("cannot create the death notification: " + errorName(this.deaths));
      processExit(1);
    }
    for (let i = 0; i < this.entries.length; i++) this.start(this.entries[i], clockUs());
    while (true) this.turn();
  }

  /** One turn: act on what is due, then wait for a death, an answer, or the next deadline. */
  private turn(): void {
    const now = clockUs();
    let next: f64 = -1;
    let alive = false;
    this.set.clear();
    this.set.add(this.deaths, ALL_BITS);
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e.restartAt >= 0 && now >= e.restartAt) {
        e.restartAt = -1;
        this.start(e, now);
      }
      if (e.h > 0 && e.beat > 0) this.heartbeat(e, now);
      if (e.h > 0 || e.restartAt >= 0) alive = true;
      const due = e.restartAt >= 0 ? e.restartAt : e.h > 0 && e.beat > 0 ? (e.awaiting ? e.answerDue : e.nextPing) : -1;
      if (due >= 0 && (next < 0 || due < next)) next = due;
      if (e.h > 0 && e.beat > 0 && e.awaiting) this.set.add(e.beat, SIG_READABLE);
    }
    if (!alive) {
      log("every program has ended");
      objectWait(this.g.self, SIG_TERMINATED); // init stays: waits for its own end, which never comes
      return;
    }
    const timeout = next < 0 ? FOREVER : <i32>Math.max(1, Math.ceil(next - clockUs()));
    const r = this.set.wait(timeout);
    if (r == ERR_TIMED_OUT) return;
    if (r < 0) {
      log("wait: " + errorName(r));
      processExit(1);
    }
    const bits = notifyWait(this.deaths, ALL_BITS, 0);
    if (bits <= 0) return;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e.h > 0 && (bits & (1 << e.bit)) != 0 && this.hasEnded(e)) this.ended(e);
    }
  }

  /** Has e's instance ended (its record says EXITED)? */
  private hasEnded(e: Entry): bool {
    return processInfo(e.h, this.info) == 0 && this.info.state == PS_EXITED;
  }

  /** Start (or restart) entry e as its next generation. */
  private start(e: Entry, now: f64): void {
    e.generation++;
    const d = this.g.describe(e.p, e.index);
    d.generation = e.generation;
    e.beat = 0;
    if (e.hasHeartbeat) {
      const pair = channelCreate();
      if (pair.error < 0) {
        log(e.p.name + ": no heartbeat channel: " + errorName(pair.error));
      } else {
        e.beat = pair.a;
        d.give(pair.b, TAG_HEARTBEAT);
      }
    }
    const h = processSpawn(this.g.self, d);
    if (h < 0) {
      d.closeHandles(); // every handle was a duplicate (or the heartbeat end): nothing is lost
      if (e.beat > 0) handleClose(e.beat);
      e.beat = 0;
      this.decide(e, "could not be started (" + errorName(h) + ")", 1, now);
      return;
    }
    e.h = h;
    e.hung = false;
    e.awaiting = false;
    e.nextPing = now + e.p.policy.everyUs;
    const info = this.info;
    e.pid = processInfo(h, info) == 0 ? info.pid : 0;
    const w = processWatch(h, this.deaths, e.bit);
    if (w < 0) log(e.p.name + ": cannot watch it: " + errorName(w));
  }

  /** Send a ping when one is due; take the answer; kill e when it is late. */
  private heartbeat(e: Entry, now: f64): void {
    const buf = changetype<usize>(this.ping);
    if (e.awaiting) {
      while (true) {
        const n = channelRead(e.beat, buf, 16);
        if (n == ERR_SHOULD_WAIT || n < 0) break;
        if (n >= HEARTBEAT_BYTES && load<u32>(buf) == e.seq) {
          e.awaiting = false;
          e.nextPing = now + e.p.policy.everyUs;
        }
      }
      if (e.awaiting && now >= e.answerDue) {
        log(e.label + " did not answer its heartbeat within " + msText(e.p.policy.deadlineUs) + ": hung; killing it");
        e.hung = true;
        e.awaiting = false;
        processKill(e.h);
      }
    } else if (now >= e.nextPing) {
      e.seq++;
      store<u32>(buf, e.seq);
      if (channelWrite(e.beat, buf, HEARTBEAT_BYTES) == 0) {
        e.awaiting = true;
        e.answerDue = now + e.p.policy.deadlineUs;
      } else {
        e.nextPing = now + e.p.policy.everyUs;
      }
    }
  }

  /** e's instance has ended: say how, then act on its policy. */
  private ended(e: Entry): void {
    const code = this.info.exitCode;
    handleClose(e.h);
    e.h = 0;
    if (e.beat > 0) handleClose(e.beat);
    e.beat = 0;
    let how = e.hung ? "was killed (hung)" : exitStatus(code);
    if (how.length == 0) how = "exited";
    if (!e.p.policy.restart && !e.p.policy.critical) {
      log(e.p.name + " exited with " + code.toString()); // held: the plain report
    }
    this.decide(e, how, code, clockUs());
  }

  /** Restart e if its policy and limit allow, else give up on it. */
  private decide(e: Entry, how: string, code: i32, now: f64): void {
    const policy = e.p.policy;
    if (!policy.restart) {
      this.giveUp(e, how, "held", code);
      return;
    }
    const from = now - policy.windowUs;
    while (e.restarts.length > 0 && e.restarts[0] < from) e.restarts.shift();
    const count = e.restarts.length;
    if (count >= policy.limit) {
      this.giveUp(e, how, "restarted " + count.toString() + " times within " + msText(policy.windowUs) + ": given up", code);
      return;
    }
    let delay: f64 = 0;
    if (count > 0) delay = Math.min(policy.backoffUs * Math.pow(2, <f64>(count - 1)), policy.maxBackoffUs);
    e.restarts.push(now);
    e.restartAt = now + delay;
    log(e.label + " " + how + "; restarting it as generation " + (e.generation + 1).toString() + " in " + msText(delay));
  }

  /** e stays ended: its services close; a critical program stops the machine; the last session ends the system. */
  private giveUp(e: Entry, how: string, why: string, code: i32): void {
    e.done = true;
    this.g.dropKept(e.index);
    const services = this.g.servicesOf(e.index);
    for (let i = 0; i < services.length; i++) this.g.closeService(services[i]);
    if (e.p.policy.critical) {
      const text = "critical program " + e.label + " " + how + "; " + why;
      log(text + ": the system stops");
      systemPanic(this.g.self, text);
      processExit(1); // only if the kernel refused the panic
    }
    if (e.p.policy.restart) log(e.label + " " + how + "; " + why);
    if (e.session && --this.sessionsLeft == 0) {
      // The session (the program that may start others: the shell) is what the
      // machine is for; when the last one ends, init ends, and the HAL stops.
      log("the session ended: the system stops");
      processExit(code >= 0 ? code : 1); // killed or faulted: 1
    }
  }
}
