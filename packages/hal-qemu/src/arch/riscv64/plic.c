/* The PLIC (platform-level interrupt controller) of the virt board, and the
 * HAL's lines on it.
 *
 * The idea: the HAL's interrupt lines are its own numbers (the uart's is
 * UART_IRQ, as on the PC); here each maps to a PLIC source (the NS16550 is
 * source 10). The HAL's hart takes them in its S-mode context (2 * hart + 1)
 * as supervisor external interrupts. Masking a line is clearing its enable
 * bit in that context; the PLIC samples the level-triggered UART again when
 * the bit is set, so an interrupt still asserted is not lost. A claim names
 * the source; after irq_device has taken note (it only sets flags), the
 * source is completed. */
#include <stdint.h>
#include "arch.h"
#include "virt.h"
#include "../../hal/irq.h"
#include "../../hal/devices.h"

#define PRIORITY(src) (PLIC_BASE + 4u * (src))
#define ENABLE(ctx) (PLIC_BASE + 0x2000u + 0x80u * (ctx))
#define THRESHOLD(ctx) (PLIC_BASE + 0x200000u + 0x1000u * (ctx))
#define CLAIM(ctx) (PLIC_BASE + 0x200004u + 0x1000u * (ctx))
#define SIE_SEIE (1ul << 9)

static uint32_t context(void) { return 2 * riscv_hart + 1; }

void plic_init(void) {
  mmio_write32(PRIORITY(UART_SOURCE), 1);
  mmio_write32(ENABLE(context()), 0); /* sources 0..31 off */
  mmio_write32(THRESHOLD(context()), 0);
  __asm__ volatile("csrs sie, %0" : : "r"(SIE_SEIE));
}

static void set_enabled(uint32_t src, int on) {
  uintptr_t reg = ENABLE(context()) + 4 * (src / 32);
  uint32_t bit = 1u << (src % 32);
  mmio_write32(reg, on ? mmio_read32(reg) | bit : mmio_read32(reg) & ~bit);
}

void plic_dispatch(void) {
  uint32_t src = mmio_read32(CLAIM(context()));
  if (src == 0) return; /* another context took it */
  if (src == UART_SOURCE) irq_device(UART_IRQ);
  mmio_write32(CLAIM(context()), src);
}

void arch_irq_mask(int line) {
  if (line == UART_IRQ) set_enabled(UART_SOURCE, 0);
}

void arch_irq_unmask(int line) {
  if (line == UART_IRQ) set_enabled(UART_SOURCE, 1);
}
