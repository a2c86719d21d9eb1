/* The console UART of the riscv64 virt board: a real NS16550A at 0x10000000.
 * The idea: the uart device is a 16550 on every HAL, and this board has one,
 * so the 16550 register view of arch.h is one byte load or store per
 * register (stride 1), exactly as port I/O is on the PC. */
#include <stdint.h>
#include "arch.h"
#include "virt.h"

static inline volatile uint8_t *reg(uint32_t r) { return (volatile uint8_t *)(uintptr_t)(UART_BASE + r); }

void arch_uart_init(void) {
  *reg(1) = 0x00; /* no interrupts until the driver asks */
  *reg(3) = 0x80; /* DLAB: divisor follows */
  *reg(0) = 0x01; /* 115200 baud (QEMU's line has no speed; the divisor is what a 16550 needs) */
  *reg(1) = 0x00;
  *reg(3) = 0x03; /* 8N1 */
  *reg(2) = 0xC7; /* FIFOs on and cleared */
  *reg(4) = 0x0B; /* DTR, RTS, OUT2 */
}

uint8_t arch_uart_read(uint32_t r) { return r < 8 ? *reg(r) : 0; }

void arch_uart_write(uint32_t r, uint8_t value) {
  if (r < 8) *reg(r) = value;
}
