// fsprobe: a hostile client of a filesystem service, for teaching (and the
// tests of ramfs's restarts). It holds a channel of its own to the service
// (its PEER handle) and speaks the vfs protocol on it directly, forging
// open-file ids — (generation << 16) | slot, the first generations of the
// first slots — as if it could name the files other clients (the kernel's
// vfs, on its own channel) have open. Open-file ids are per client channel,
// so every forged id is refused with EBADF, before and after the service is
// restarted. It says so each round, `rounds` times (its first argument, 1 by
// default), 200 ms apart, and exits with the number of ids that were *not*
// refused (0: the wall held).

import { TAG_PEER, VFS_FSTAT, VFS_READ, VFS_REQUEST_SIZE, VFS_REQUEST_OP, VFS_REQUEST_FILE, VFS_REQUEST_COUNT,
  VFS_REPLY_ERRNO, WASI_EBADF } from "../../abi/assembly/index";
import { startup, println, processExit, sleep, Call, errorName } from "../lib/index";

const GENERATIONS = 4;
const SLOTS = 16;

export function _start(): void {
  const s = startup();
  const peers = s.handlesWith(TAG_PEER);
  if (peers.length == 0) {
    println("fsprobe: needs a PEER channel to a filesystem service");
    processExit(1);
  }
  const h = peers[0];
  const rounds = s.argc > 1 ? max(1, I32.parseInt(s.arg(1))) : 1;
  const msg = new ArrayBuffer(VFS_REQUEST_SIZE);
  const answer = new ArrayBuffer(4096);
  let leaked = 0;
  for (let round = 1; round <= rounds; round++) {
    let refused = 0;
    let other = "";
    for (let gen = 1; gen <= GENERATIONS; gen++) {
      for (let slot = 1; slot <= SLOTS; slot++) {
        for (let k = 0; k < 2; k++) {
          const m = changetype<usize>(msg);
          memory.fill(m, 0, VFS_REQUEST_SIZE);
          store<u32>(m + VFS_REQUEST_OP, k == 0 ? VFS_FSTAT : VFS_READ);
          store<u32>(m + VFS_REQUEST_FILE, <u32>((gen << 16) | slot));
          store<u32>(m + VFS_REQUEST_COUNT, 64);
          const c = new Call().request(m, VFS_REQUEST_SIZE).replyInto(changetype<usize>(answer), 4096);
          const r = c.invoke(h);
          if (r < 0) {
            other = "the call failed: " + errorName(r);
            continue;
          }
          const errno = load<u32>(changetype<usize>(answer) + VFS_REPLY_ERRNO);
          if (errno == WASI_EBADF) refused++;
          else {
            leaked++;
            other = "id " + ((gen << 16) | slot).toString() + " answered errno " + errno.toString();
          }
        }
      }
    }
    const tries = GENERATIONS * SLOTS * 2;
    println("fsprobe round " + round.toString() + ": " + refused.toString() + " of " + tries.toString()
      + " forged open-file ids refused with EBADF" + (other.length > 0 ? " (" + other + ")" : ""));
    if (round < rounds) sleep(200_000);
  }
  processExit(leaked);
}
