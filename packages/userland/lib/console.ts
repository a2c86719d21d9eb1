// liboncrix: the console client.
//
// The UART driver serves the console on one channel; every client holds a
// duplicate of the same client end (docs/userland.md, "The console service").
// Output is a one-way write — [0][WRITE][bytes] — so printing never waits for
// the driver, unless the driver's queue is full: then the write gets
// SHOULD_WAIT and we wait for WRITABLE and try again (flow control). Input is
// a call — [txid][READ][max] — answered as soon as at least one byte is
// there. Input is raw: programs echo and edit themselves.
//
// The module-level print/println/readBytes use the console this process was
// started with (tag CONSOLE); consoleInForeground tells whether it may read it. Without one, or when writing fails, text goes to
// the kernel trace with DEBUG_LOG instead, so it is never silently lost.
//
// The client reconnects across a driver restart. Init keeps the console
// channel's server end, so the channel outlives the driver and a restarted
// driver serves the same one: writes queued while no driver runs wait for
// the next, and every handle to the console stays good. A call the dead
// driver had taken (a READ waiting for a key, most often) ends at once with
// PEER_CLOSED while the channel itself is still open; the client then
// registers its Ctrl-C notification again (the new driver knows nothing of
// the old one's) and asks again, so a program blocked reading the console —
// the shell at its prompt — never notices. Only a channel that is really
// closed (init gave up on the driver) reports PEER_CLOSED to the program.
// `writeAcknowledged` is a write the driver confirms once every byte is on
// the line; a write interrupted by a restart is sent again, whole (it may
// then appear twice, never not at all).

import {
  MSG_MAX_BYTES, SIG_WRITABLE, SIG_PEER_CLOSED, ERR_SHOULD_WAIT, ERR_BAD_HANDLE, ERR_PEER_CLOSED, ERR_TIMED_OUT,
  TAG_CONSOLE, RIGHT_SIGNAL, RIGHT_TRANSFER, RIGHT_READ,
} from "../../abi/assembly/index";
import { CONSOLE_WRITE, CONSOLE_READ, CONSOLE_INTERRUPT, CONSOLE_SIZE, CONSOLE_HEADER } from "./protocol";
import { Handle, handleDuplicate, handleClose, handleInfo, HandleInfo } from "./handles";
import { channelWrite, Call } from "./channel";
import { objectWait } from "./wait";
import { debugLog } from "./system";
import { startup } from "./startup";

/** Most payload bytes in one console message. */
const CHUNK: i32 = MSG_MAX_BYTES - CONSOLE_HEADER;

export class Console {
  h: Handle;
  /** The last error a write or read met (0 if none yet). */
  lastError: i32 = 0;
  /** Calls asked again because the driver died holding them (each a driver restart this client lived through). */
  reconnects: i32 = 0;
  private out: ArrayBuffer = new ArrayBuffer(MSG_MAX_BYTES);
  private reply: ArrayBuffer = new ArrayBuffer(MSG_MAX_BYTES);
  private request: ArrayBuffer = new ArrayBuffer(16);
  private call: Call = new Call();
  /** The Ctrl-C registration to make again with a restarted driver (intrNotify 0: none). */
  private intrNotify: Handle = 0;
  private intrBit: i32 = 0;
  private intrRequest: ArrayBuffer = new ArrayBuffer(16);
  private intrCall: Call = new Call();

  constructor(h: Handle) {
    this.h = h;
  }

  /** Is the console channel itself still open (true also while its driver is being restarted)? */
  channelOpen(): bool {
    return objectWait(this.h, SIG_PEER_CLOSED, 0) == ERR_TIMED_OUT;
  }

  /**
   * Make a call, asking again as long as it ends with PEER_CLOSED while the
   * channel is open: the driver died holding it, and a new one will answer.
   */
  private invoke(c: Call): i32 {
    while (true) {
      const r = c.invoke(this.h);
      if (r != ERR_PEER_CLOSED || !this.channelOpen()) return r;
      this.reconnects++;
      if (this.intrNotify > 0) this.register(this.intrNotify, this.intrBit);
    }
    return 0;
  }

  /**
   * Write len bytes from src and wait until the driver has put all of them on
   * the line. Returns the bytes written or an error. A write the driver died
   * in the middle of is sent again whole, so its bytes may appear twice but
   * are never lost once this returns.
   */
  writeAcknowledged(src: usize, len: i32): i32 {
    const msg = changetype<usize>(this.out);
    const rep = changetype<usize>(this.reply);
    let done = 0;
    while (done < len) {
      const n = min(len - done, CHUNK);
      store<u32>(msg, 0); // the kernel writes the transaction id here
      store<u32>(msg + 4, CONSOLE_WRITE);
      memory.copy(msg + CONSOLE_HEADER, src + <usize>done, n);
      const r = this.invoke(this.call.request(msg, n + CONSOLE_HEADER).moving(0, 0).replyInto(rep, CONSOLE_HEADER));
      if (r < 0) {
        this.lastError = r;
        return done > 0 ? done : r;
      }
      done += n;
    }
    return done;
  }

  /** Write len bytes from src; returns the bytes written or an error. */
  write(src: usize, len: i32): i32 {
    const msg = changetype<usize>(this.out);
    let done = 0;
    while (done < len) {
      const n = min(len - done, CHUNK);
      store<u32>(msg, 0); // one-way: no transaction id, no reply
      store<u32>(msg + 4, CONSOLE_WRITE);
      memory.copy(msg + CONSOLE_HEADER, src + <usize>done, n);
      let r = channelWrite(this.h, msg, n + CONSOLE_HEADER);
      while (r == ERR_SHOULD_WAIT) {
        // The driver's queue is full: wait until it has room (or is gone), then retry.
        const seen = objectWait(this.h, SIG_WRITABLE | SIG_PEER_CLOSED);
        r = seen < 0 ? seen : channelWrite(this.h, msg, n + CONSOLE_HEADER);
      }
      if (r < 0) {
        this.lastError = r;
        return done > 0 ? done : r;
      }
      done += n;
    }
    return done;
  }

  /** Write a string as UTF-8; returns the bytes written or an error. */
  print(s: string): i32 {
    const utf8 = String.UTF8.encode(s);
    return this.write(changetype<usize>(utf8), utf8.byteLength);
  }

  println(s: string): i32 {
    return this.print(s + "\n");
  }

  /** Wait for input: up to limit bytes into dst. Returns the count (0: interrupted by Ctrl-C) or an error. */
  read(dst: usize, limit: i32): i32 {
    const want = min(limit, CHUNK);
    if (want <= 0) return 0;
    const req = changetype<usize>(this.request);
    const rep = changetype<usize>(this.reply);
    store<u32>(req, 0); // the kernel writes the transaction id here
    store<u32>(req + 4, CONSOLE_READ);
    store<u32>(req + 8, <u32>want);
    const r = this.invoke(this.call.request(req, 12).moving(0, 0).replyInto(rep, CONSOLE_HEADER + want));
    if (r < 0) {
      this.lastError = r;
      return r;
    }
    const got = this.call.replyBytes - CONSOLE_HEADER;
    if (got <= 0) return 0;
    const count = min(min(<i32>load<u32>(rep + 4), got), want);
    memory.copy(dst, rep + CONSOLE_HEADER, count);
    return count;
  }

  /** Wait for input and return it (up to limit bytes; empty when interrupted or on an error). */
  readBytes(limit: i32): Uint8Array {
    const buf = new Uint8Array(max(limit, 0));
    const n = this.read(buf.dataStart, limit);
    return buf.subarray(0, n > 0 ? n : 0);
  }

  /**
   * The terminal's width in columns, as it last reported it to the console
   * driver; `fallback` when it never did (a serial line that cannot tell) or
   * the call fails.
   */
  columns(fallback: i32 = DEFAULT_COLUMNS): i32 {
    const req = changetype<usize>(this.request);
    const rep = changetype<usize>(this.reply);
    store<u32>(req, 0);
    store<u32>(req + 4, CONSOLE_SIZE);
    const r = this.invoke(this.call.request(req, CONSOLE_HEADER).moving(0, 0).replyInto(rep, CONSOLE_HEADER + 4));
    if (r < 0 || this.call.replyBytes < CONSOLE_HEADER + 4) return fallback;
    const cols = <i32>load<u32>(rep + 4); // [txid][columns][rows]
    return cols > 0 ? cols : fallback;
  }

  /**
   * Ask the console to set `bit` on the notification when Ctrl-C is typed,
   * instead of delivering 0x03 as input. A duplicate (SIGNAL|TRANSFER) is
   * moved to the driver; the caller keeps `notify` to wait on.
   */
  onInterrupt(notify: Handle, bit: i32): i32 {
    let r = this.register(notify, bit);
    while (r == ERR_PEER_CLOSED && this.channelOpen()) {
      this.reconnects++;
      r = this.register(notify, bit);
    }
    if (r < 0) this.lastError = r;
    else {
      this.intrNotify = notify;
      this.intrBit = bit;
    }
    return r;
  }

  /** One INTERRUPT call: a duplicate (SIGNAL|TRANSFER) of notify moves to the driver. */
  private register(notify: Handle, bit: i32): i32 {
    const dup = handleDuplicate(notify, RIGHT_SIGNAL | RIGHT_TRANSFER);
    if (dup < 0) return dup;
    const req = changetype<usize>(this.intrRequest);
    store<u32>(req, 0);
    store<u32>(req + 4, CONSOLE_INTERRUPT);
    store<u32>(req + 8, <u32>bit);
    store<u32>(req + 12, <u32>dup); // the handle array: one entry
    const r = this.intrCall.request(req, 12).moving(req + 12, 1).replyInto(changetype<usize>(this.reply), 64)
      .invoke(this.h);
    if (r < 0) handleClose(dup); // still ours if the call failed before sending (closing a moved one fails harmlessly)
    return r;
  }
}

/** The width programs assume when the terminal never said its own (a VT100's). */
export const DEFAULT_COLUMNS: i32 = 80;

/** The console's width in columns (DEFAULT_COLUMNS without a console, or when the terminal never said). */
export function consoleColumns(): i32 {
  const c = stdConsole();
  return c === null ? DEFAULT_COLUMNS : c.columns();
}

let std: Console | null = null;
let looked = false;

/** The console this process was started with (tag CONSOLE), or null. */
export function stdConsole(): Console | null {
  if (!looked) {
    looked = true;
    const h = startup().handle(TAG_CONSOLE);
    if (h > 0) std = new Console(h);
  }
  return std;
}

/**
 * True when this process may read its console. A shell gives READ only to the
 * program it runs in the foreground, the one Ctrl-C stops; a background job
 * may print but not read the terminal, as in Unix (BACKGROUND_CONSOLE_RIGHTS).
 * False without a console.
 */
export function consoleInForeground(): bool {
  const c = stdConsole();
  if (c === null) return false;
  const info = new HandleInfo();
  return handleInfo(c.h, info) >= 0 && (info.rights & RIGHT_READ) != 0;
}

/** Print to the console (to the trace when there is none or it fails). Returns bytes written or an error. */
export function print(s: string): i32 {
  const c = stdConsole();
  if (c === null) {
    debugLog(s);
    return ERR_BAD_HANDLE;
  }
  const r = c.print(s);
  if (r < 0) debugLog(s);
  return r;
}

export function println(s: string): i32 {
  return print(s + "\n");
}

/** Wait for console input (up to limit bytes; empty when interrupted, on an error, or without a console). */
export function readBytes(limit: i32): Uint8Array {
  const c = stdConsole();
  return c === null ? new Uint8Array(0) : c.readBytes(limit);
}
