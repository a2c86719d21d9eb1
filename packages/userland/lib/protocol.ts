// liboncrix: numbers of the user-space contract that the kernel never sees.
//
// The ABI (packages/abi) owns every number that crosses the kernel boundary;
// this file holds the few that only programs agree on, as written in
// docs/userland.md: the console service's operations, the boot ROM header and
// its capability kinds, and the boot devices' order. Keep it in step with
// that document and with packages/boot/src/manifest.ts (encodeBootRom).

import {
  RIGHT_READ, RIGHT_WRITE, RIGHT_TRANSFER, RIGHT_DUPLICATE, RIGHT_WAIT, RIGHT_MANAGE, RIGHT_SPAWN, RIGHT_INSPECT,
} from "../../abi/assembly/index";

// The console service: a request is [txid u32][op u32][operands].
/** Bytes follow; a reply [txid][count] only when sent with CHANNEL_CALL. */
export const CONSOLE_WRITE: u32 = 1;
/** [max u32]; reply [txid][count u32][bytes] once at least one byte is there. */
export const CONSOLE_READ: u32 = 2;
/** [bit u32] with one notification handle moved; reply [txid][0]; Ctrl-C then sets that bit. */
export const CONSOLE_INTERRUPT: u32 = 3;
/** No operands; reply [txid][columns u32][rows u32]: the terminal's size as it last reported it (0, 0: never). */
export const CONSOLE_SIZE: u32 = 4;
/** Bytes before the payload of a console request: txid and op. */
export const CONSOLE_HEADER: i32 = 8;

// The boot ROM.
/** "ONCX" as a little-endian u32. */
export const ROM_MAGIC: u32 = 0x58434e4f;
export const ROM_VERSION: u32 = 3;

// Supervision policies in the ROM (after each program's capabilities): what
// init does when the program ends (docs/userland.md, "Supervision").
/** Leave it ended (the default). */
export const POLICY_HOLD: u32 = 0;
/** Start it again, with the same capabilities, after a backoff; within a limit per time window. */
export const POLICY_RESTART: u32 = 1;
/** Flag bit on the policy word: when init gives up on the program (at once under hold), the system panics. */
export const POLICY_CRITICAL: u32 = 0x100;
/** The bytes of one heartbeat ping (a u32 sequence number); the program writes them back. */
export const HEARTBEAT_BYTES: i32 = 4;

// Capability kinds in the ROM (docs/userland.md, "The boot ROM").
export const CAP_DEVICE: u32 = 1;
export const CAP_IRQ: u32 = 2;
export const CAP_SERVE: u32 = 3;
export const CAP_CONNECT: u32 = 4;
export const CAP_SPAWN: u32 = 5;
export const CAP_INSPECT: u32 = 6;
export const CAP_IMAGES: u32 = 7;
/** The start-up script from the ROM's trailer (nothing is given when the ROM has none). */
export const CAP_SCRIPT: u32 = 8;
/** fds 0, 1, 2: a stream service (the console) as an fd. */
export const CAP_STDIO: u32 = 9;
/** A preopened directory fd (3, 4, …) for a path of the ROM's path table. */
export const CAP_PREOPEN: u32 = 10;
/** A memory object of `arg` pages that init makes once and gives to every instance: state that outlives the process. */
export const CAP_KEEP: u32 = 11;

// Boot devices, in the order both HALs offer them.
export const DEVICE_UART: i32 = 0;
export const DEVICE_ROM: i32 = 1;
export const DEVICE_ENTROPY: i32 = 2;

/** The service whose clients get the CONSOLE tag (all others: PEER). */
export const CONSOLE_SERVICE = "console";

// Rights user space hands on. Rights only shrink along the way, so each set
// below is what the receiver needs, plus DUPLICATE|TRANSFER where it passes
// the handle on to its own children (a shell giving ps the system handle).

/** A client end of a service channel: call, write, wait for room, pass on. */
export const CLIENT_RIGHTS: i32 = RIGHT_READ | RIGHT_WRITE | RIGHT_WAIT | RIGHT_DUPLICATE | RIGHT_TRANSFER;
/**
 * The console as a shell gives it to a background job: it may print (and wait
 * for room) but not read the terminal, as in Unix; only the program in the
 * foreground gets CLIENT_RIGHTS. That READ is missing is also how a program
 * knows it runs in the background (consoleInForeground).
 */
export const BACKGROUND_CONSOLE_RIGHTS: i32 = RIGHT_WRITE | RIGHT_WAIT | RIGHT_DUPLICATE | RIGHT_TRANSFER;
/** The image table: read-only, but may be passed on. */
export const IMAGES_RIGHTS: i32 = RIGHT_READ | RIGHT_DUPLICATE | RIGHT_TRANSFER;
/** The start-up script: read-only; TRANSFER only because a handle given at spawn is moved. */
export const SCRIPT_RIGHTS: i32 = RIGHT_READ | RIGHT_TRANSFER;
/** Kept memory (CAP_KEEP): read and write; TRANSFER only because a handle given at spawn is moved. */
export const KEEP_RIGHTS: i32 = RIGHT_READ | RIGHT_WRITE | RIGHT_TRANSFER;
/** The SYSTEM handle: INSPECT is its only power; DUPLICATE|TRANSFER let a shell pass it to ps. */
export const SYSTEM_RIGHTS: i32 = RIGHT_INSPECT | RIGHT_DUPLICATE | RIGHT_TRANSFER;
/** A process's handle to itself when it may start, list, wait for and kill its children (manifest `spawn: true`). */
export const SPAWN_RIGHTS: i32 = RIGHT_SPAWN | RIGHT_INSPECT | RIGHT_MANAGE | RIGHT_WAIT | RIGHT_DUPLICATE | RIGHT_TRANSFER;
/**
 * Job control: a handle to a shell that lets `kill` find and end the shell's
 * descendants. (TRANSFER because a handle given at spawn is moved, and moving
 * needs it.)
 */
export const JOB_CONTROL_RIGHTS: i32 = RIGHT_INSPECT | RIGHT_MANAGE | RIGHT_TRANSFER;
