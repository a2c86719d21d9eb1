// Cycles of handles in flight: channel endpoints that only messages queued on
// each other can still reach.
//
// Handles in a message stay alive until someone reads it. An endpoint whose
// every handle sits in queued messages is "stuck"; if every one of those
// messages is queued on an endpoint that is itself stuck, and so on, nothing
// can ever read any of them (an endpoint sent through itself; A's handle
// queued on B and B's on A) and they would never close. Reference counts
// cannot see that, so this module looks for it — locally and in steps, with
// no global scan:
//
// - an endpoint that becomes stuck, or that is stuck and loses a handle in
//   flight, is a candidate (ipc/channel.ts calls `suspect`);
// - a CycleScan walks backwards from it: for every handle in flight to a
//   member of its set, the endpoint whose queue carries it must be stuck too,
//   and joins the set. Meeting one that is not (a process holds it) proves the
//   candidate reachable, and the scan ends. If the set closes, it is exactly
//   the set of endpoints that can reach the candidate, none of them reachable
//   from any process: their queues are dropped, which closes the handles, and
//   the endpoints die of their last reference;
// - each step follows one handle, so the walk spreads over kernel entries
//   (as background work: teardowns go first, work.ts). If
//   in between a handle to a member enters a table, goes into flight or closes
//   (object.ts marks the scan disturbed), the scan gives up and, when its
//   candidate is still stuck, starts over. Garbage is never disturbed, since
//   nothing can touch it; a reachable set that is disturbed will trigger a
//   new candidate the next time one of its endpoints becomes stuck.

import { KObject, Handle, beginScan, endScan, scanDisturbed } from '../object';
import { Work, deferBackground } from '../work';

let nextScan: i32 = 1;

/** Every handle to o sits in a queued message, and nothing in the kernel holds it. */
function stuck(o: KObject): bool {
  return !o.destroyed && o.handleCount > 0 && o.flightCount == o.handleCount && o.kernelRefs == 0;
}

/** A search for the set of stuck endpoints that can reach one candidate. */
class CycleScan extends Work {
  candidate: KObject;
  id: i32 = 0;
  members: Array<KObject> = [];
  /** Member whose handles in flight are being followed, and the next of them. */
  at: i32 = 0;
  cursor: Handle | null = null;
  /** The set closed: its queues are being dropped, one member per step. */
  collecting: bool = false;

  constructor(candidate: KObject) {
    super();
    this.candidate = candidate;
  }

  /** Add o to the set (it is stuck and not in yet). */
  private add(o: KObject): void {
    o.scan = this.id;
    this.members.push(o);
  }

  step(): bool {
    if (this.collecting) {
      if (this.at >= this.members.length) return true;
      this.members[this.at++].release();
      return this.at >= this.members.length;
    }
    if (this.id == 0) {
      const c = this.candidate;
      c.scanQueued = false;
      if (!stuck(c)) return true;
      this.id = nextScan++;
      beginScan(this.id);
      this.add(c);
      this.cursor = c.flight;
      return false;
    }
    if (scanDisturbed) {
      endScan();
      if (stuck(this.candidate)) suspect(this.candidate);
      return true;
    }
    const h = this.cursor;
    if (h === null) {
      this.at++;
      if (this.at < this.members.length) {
        this.cursor = this.members[this.at].flight;
        return false;
      }
      // The set is closed: none of it can be reached. Drop every member's queue.
      endScan();
      this.collecting = true;
      this.at = 0;
      return false;
    }
    this.cursor = h.flightNext;
    const carrier = h.carrier;
    const q = carrier !== null ? carrier.queuedOn : null;
    if (q === null || !stuck(q)) {
      // Carried by a queue something can still read (or a message being dropped right now): reachable.
      endScan();
      return true;
    }
    if (q.scan != this.id) this.add(q);
    return false;
  }
}

/** o may have become unreachable except through queued messages: check it (once per change, in steps). */
export function suspect(o: KObject): void {
  if (o.scanQueued || !stuck(o)) return;
  o.scanQueued = true;
  deferBackground(new CycleScan(o));
}
