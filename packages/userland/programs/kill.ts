// kill PID: end a process the shell started (or any of its descendants).
//
// The shell gives every child a handle to the shell itself with
// INSPECT|MANAGE (tag PEER). PROCESS_GET_CHILD derives from it a handle with
// MANAGE to process PID — the kernel refuses if PID is not a descendant of the
// shell — and PROCESS_KILL ends it. No handle, no kill: authority is the
// handle, not the number.

import { TAG_PEER, TAG_SELF, OBJ_PROCESS, RIGHT_MANAGE, ERR_NOT_FOUND, ERR_BAD_STATE } from "../../abi/assembly/index";
import {
  Handle, println, startup, parseDecimal, processGetChild, processKill, handleInfo, HandleInfo, handleClose,
  errorName, processExit,
} from "../lib/index";

/** The process handle that gives authority: the shell's (PEER), else our own SELF. */
function authority(): Handle {
  const s = startup();
  const peers = s.handlesWith(TAG_PEER);
  const info = new HandleInfo();
  for (let i = 0; i < peers.length; i++) {
    if (handleInfo(peers[i], info) == 0 && info.type == OBJ_PROCESS) return peers[i];
  }
  return s.handle(TAG_SELF);
}

export function _start(): void {
  const args = startup().args;
  const pid = parseDecimal(args.length > 1 ? args[1] : "");
  if (args.length != 2 || pid <= 0) {
    println("usage: kill PID");
    processExit(2);
  }
  const from = authority();
  if (from <= 0) {
    println("kill: no process handle to act through");
    processExit(1);
  }
  const target = processGetChild(from, pid, RIGHT_MANAGE);
  if (target < 0) {
    println(target == ERR_NOT_FOUND ? "kill: no such process (or not ours): " + pid.toString()
      : "kill: " + pid.toString() + ": " + errorName(target));
    processExit(1);
  }
  const r = processKill(target);
  handleClose(target);
  if (r < 0) {
    println(r == ERR_BAD_STATE ? "kill: " + pid.toString() + ": already exited" : "kill: " + pid.toString() + ": " + errorName(r));
    processExit(1);
  }
}
