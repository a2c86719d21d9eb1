// The boot ROM: the encoded boot manifest as a read-only register window.
// Register 0 holds the number of words; register i + 1 holds word i. Init
// reads it through a device handle like any other hardware.

import type { Device } from './device.js';

export class BootRom implements Device {
  readonly name = 'rom';
  readonly registers: number;

  constructor(private readonly words: Uint32Array) {
    this.registers = words.length + 1;
  }

  read(reg: number): number {
    return reg === 0 ? this.words.length : (this.words[reg - 1] ?? 0) | 0;
  }

  write(): void {
    // read-only
  }

  irqPending(): boolean {
    return false;
  }
}
