// liboncrix: the ONCRIX user-space library, in one import.
//
// Programs write `import { println, startup, ... } from "../lib/index"` and
// take the ABI's numbers (TAG_*, RIGHT_*, ERR_* …) from
// "../../abi/assembly/index". Every wrapper returns a result — a value >= 0
// or a negative ERR_* code — and never throws; errorName() puts a code into
// words. Modules, from the bottom up:
//
//   sys       the one import, oncrix.syscall
//   handles   close, duplicate, revoke, list; type and rights names
//   wait      object waits, WaitSet, notifications, timers, sleep
//   channel   create, write, read, Call (call/reply)
//   memobj    shared memory objects
//   process   SpawnDesc, spawn, exit, kill, info, list, get-child
//   device    IRQs and device registers (drivers)
//   system    null call, DEBUG_LOG, clock, memory info
//   startup   the startup block: handles by tag, arguments
//   console   the console client: print, println, readBytes
//   images    the image table; spawn a program by name
//   script    the shell start-up script (tag SCRIPT) as lines
//   errors    error codes, faults and exit codes in words
//   bytes     a growable byte buffer; NUL-separated strings
//   fmt       padding, numbers, durations, word splitting
//   protocol  numbers of the user-space contract (console ops, ROM, rights sets)
//   fd        file descriptors: pipes, mounts, preopens and WASI calls (FD_CALL)
//   heartbeat answering the supervisor's heartbeat pings (tag HEARTBEAT)

export * from "./sys";
export * from "./handles";
export * from "./wait";
export * from "./channel";
export * from "./memobj";
export * from "./process";
export * from "./device";
export * from "./system";
export * from "./startup";
export * from "./console";
export * from "./images";
export * from "./script";
export * from "./errors";
export * from "./bytes";
export * from "./fmt";
export * from "./protocol";
export * from "./fd";
export * from "./heartbeat";
