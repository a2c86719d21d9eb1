// lines N [WORD]: print N numbered lines, "WORD 1" to "WORD N" (WORD: line),
// each one an acknowledged console write.
//
// Console.writeAcknowledged is a call the UART driver answers once every
// byte is on the line, and it asks again when the driver dies holding it; so
// the next line is written only after this one is out, and a line whose
// write returned is never lost, whatever happens to the driver afterwards
// (it may show twice, if the driver died in the middle of it). The soak test
// runs this while faults are injected into the driver and checks exactly
// that: each write's answer is in the trace (the call's result), and each
// answered line must be on the console.

import { println, startup, stdConsole, parseDecimal, errorName, processExit } from "../lib/index";

export function _start(): void {
  const args = startup().args;
  const count = args.length > 1 ? parseDecimal(args[1]) : -1;
  if (count <= 0) {
    println("lines: usage: lines N [WORD], N a positive number");
    processExit(2);
  }
  const word = args.length > 2 ? args[2] : "line";
  const con = stdConsole();
  if (con === null) processExit(1);
  const c = con!;
  for (let i = 1; i <= count; i++) {
    const text = String.UTF8.encode(word + " " + i.toString() + "\n");
    const r = c.writeAcknowledged(changetype<usize>(text), text.byteLength);
    if (r < 0) {
      println("lines: line " + i.toString() + ": " + errorName(r));
      processExit(1);
    }
  }
}
