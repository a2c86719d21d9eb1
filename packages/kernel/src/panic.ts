// The panic path: a broken kernel invariant is reported, never ignored.
//
// `panic` puts a PANIC record with the message into the trace and then calls
// the HAL, which shows the message (terminal, playground, serial port) and
// stops the machine. AssemblyScript's own aborts (a failed assert, an array
// index out of bounds inside the kernel) are routed here as well by the build
// flag `--use abort=...abortHandler`, so every way the kernel can fail ends in
// one readable message.

import * as hal from './hal';
import { emit, emitText, flushTrace } from './trace';
import { TR_PANIC } from '../../abi/assembly/index';

export function kernelPanic(message: string): void {
  stop('kernel panic: ', message);
}

/** A panic user space asked for (SYSTEM_PANIC: a critical service died): the same stop, with the caller's message. */
export function userPanic(message: string): void {
  stop('system panic: ', message);
}

/** Record the PANIC event with the message, then have the HAL show "<what><message>" and stop the machine. */
function stop(what: string, message: string): void {
  emit(TR_PANIC, 0, -1);
  emitText(0, message);
  flushTrace();
  const bytes = String.UTF8.encode(what + message);
  hal.panic(changetype<usize>(bytes), <u32>bytes.byteLength);
  unreachable();
}

/** Replacement for AssemblyScript's abort(): a failed kernel assertion is a panic. */
export function abortHandler(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const what = message !== null ? message : 'assertion failed';
  const where = fileName !== null ? fileName : '?';
  kernelPanic(what + ' at ' + where + ':' + line.toString() + ':' + column.toString());
}
