// A 16550-style UART: the console's hardware. Received bytes wait in a FIFO
// and raise IRQ 4 while "received data available" interrupts are enabled
// (IER bit 0); transmitted bytes go straight out (the transmitter is always
// empty, LSR bits 5 and 6). The same register map as the real chip that
// hal-qemu drives, so one driver serves both.

import type { Device } from './device.js';

export const UART_REG = { RBR_THR: 0, IER: 1, IIR_FCR: 2, LCR: 3, MCR: 4, LSR: 5, MSR: 6, SCR: 7 } as const;
const LSR_DATA_READY = 0x01;
const LSR_THR_EMPTY = 0x20 | 0x40;
const IIR_NONE = 0x01;
const IIR_RX = 0x04;
const LCR_DLAB = 0x80;

export class Uart implements Device {
  readonly name = 'uart';
  readonly registers = 8;
  readonly irq = 4;
  private readonly rx: number[] = [];
  private readonly regs = new Uint8Array(8);
  private divisor = 1;

  constructor(private readonly transmit: (byte: number) => void) {}

  /** Bytes arriving on the line. */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) this.rx.push(b);
  }

  pendingInput(): number {
    return this.rx.length;
  }

  read(reg: number): number {
    const dlab = (this.regs[UART_REG.LCR] ?? 0) & LCR_DLAB;
    switch (reg) {
      case UART_REG.RBR_THR:
        if (dlab) return this.divisor & 0xff;
        return this.rx.shift() ?? 0;
      case UART_REG.IER:
        return dlab ? (this.divisor >> 8) & 0xff : this.regs[UART_REG.IER] ?? 0;
      case UART_REG.IIR_FCR:
        return this.irqPending() ? IIR_RX : IIR_NONE;
      case UART_REG.LSR:
        return (this.rx.length > 0 ? LSR_DATA_READY : 0) | LSR_THR_EMPTY;
      default:
        return this.regs[reg] ?? 0;
    }
  }

  write(reg: number, value: number): void {
    const dlab = (this.regs[UART_REG.LCR] ?? 0) & LCR_DLAB;
    if (reg === UART_REG.RBR_THR && !dlab) {
      this.transmit(value & 0xff);
    } else if (reg === UART_REG.RBR_THR) {
      this.divisor = (this.divisor & 0xff00) | (value & 0xff);
    } else if (reg === UART_REG.IER && dlab) {
      this.divisor = (this.divisor & 0xff) | ((value & 0xff) << 8);
    } else if (reg >= 0 && reg < 8 && reg !== UART_REG.LSR) {
      this.regs[reg] = value & 0xff;
    }
  }

  irqPending(): boolean {
    return ((this.regs[UART_REG.IER] ?? 0) & 1) !== 0 && this.rx.length > 0;
  }
}
