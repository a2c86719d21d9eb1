// A device model: a window of registers behind the same interface real
// hardware has. The kernel reaches it only through dev_read/dev_write on
// behalf of a process holding the device handle; an interrupt is a level the
// kernel host samples (irqPending) and delivers while the line is unmasked.

export interface Device {
  readonly name: string;
  readonly registers: number;
  /** Interrupt line, if any. */
  readonly irq?: number;
  read(reg: number): number;
  write(reg: number, value: number): void;
  /** Is the device asserting its interrupt? */
  irqPending(): boolean;
}
