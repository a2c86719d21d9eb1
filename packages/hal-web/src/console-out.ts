// The console as the kernel Worker writes it: the bytes the UART transmits
// and the lines the HAL itself prints (faults, programs that cannot load, the
// kernel log, a panic) go into the output ring the host reads. What does not
// fit waits here and goes out on a later pass of the loop, so output is
// never lost while the host is slow to read.

import type { ByteRing } from './shared.js';

export class ConsoleOut {
  private pending: number[] = [];

  constructor(private readonly ring: ByteRing) {}

  /** One byte from the UART's transmitter. */
  byte(b: number): void {
    this.pending.push(b);
    this.flush();
  }

  /** A line from the HAL itself, set apart from what programs print. */
  log(text: string): void {
    for (const b of new TextEncoder().encode(`\r\n[oncrix] ${text}\r\n`)) this.pending.push(b);
    this.flush();
  }

  /** True while some output waits for room in the ring. */
  waiting(): boolean {
    return this.pending.length > 0;
  }

  /** Move what waits into the ring, as much as fits. */
  flush(): void {
    if (this.pending.length === 0) return;
    const n = this.ring.write(Uint8Array.from(this.pending));
    this.pending = this.pending.slice(n);
  }
}
