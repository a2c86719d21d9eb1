// Entropy: register 0 reads a fresh random u32. In deterministic mode the
// numbers come from a seeded generator (xorshift32), so a replay sees the same.

import type { Device } from './device.js';

export class Entropy implements Device {
  readonly name = 'entropy';
  readonly registers = 1;
  private state: number;

  constructor(private readonly deterministic: boolean, seed = 0x9e3779b9) {
    this.state = seed | 0 || 1;
  }

  read(): number {
    if (!this.deterministic) {
      const word = new Uint32Array(1); // an ordinary buffer: getRandomValues refuses shared ones
      crypto.getRandomValues(word);
      return (word[0] ?? 0) | 0;
    }
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x | 0;
    return this.state;
  }

  write(): void {
    // no writable registers
  }

  irqPending(): boolean {
    return false;
  }
}
