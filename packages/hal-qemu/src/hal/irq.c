/* Interrupt lines: from the PIC to the kernel's irq() entry.
 *
 * The idea: the kernel is not re-entrant, so an interrupt handler never calls
 * it. The timer interrupt counts time and raises hal_attention; a device
 * interrupt masks its line at the PIC, marks it pending and raises
 * hal_attention. The next safepoint, syscall or scheduler pass (hal_poll)
 * delivers pending lines to kernel.irq() — only lines the kernel has
 * unmasked (irq_mask import), as the web HAL does. The kernel masks a line
 * when it delivers it and unmasks it when the driver acknowledges; at that
 * moment the HAL asks the device whether it still asserts the line (the PC's
 * PIC is edge-triggered, the 16550 level-triggered), so no input is lost. */
#include <stdint.h>
#include "irq.h"
#include "clock.h"
#include "devices.h"
#include "kentry.h"
#include "../arch/io.h"
#include "../arch/pic.h"

volatile uint32_t hal_attention;
static volatile uint32_t pending;     /* lines raised and not yet delivered */
static uint32_t kernel_masked = 0xFFFF; /* lines the kernel wants masked (all, until it binds one) */

void irq_handle(int line) {
  if (pic_spurious(line)) return;
  if (line == 0) {
    clock_tick();
  } else {
    pic_mask(line);
    pending |= 1u << line;
  }
  hal_attention = 1;
  pic_eoi(line);
}

void irq_kernel_mask(int line, int masked) {
  if (line <= 0 || line > 15 || line == 2) return; /* the timer and the cascade belong to the HAL */
  uint32_t bit = 1u << line;
  uint32_t f = irq_save();
  if (masked) {
    kernel_masked |= bit;
    pending &= ~bit; /* asked again when unmasked */
    pic_mask(line);
  } else {
    kernel_masked &= ~bit;
    if (device_asserts_irq(line)) {
      pending |= bit;
      hal_attention = 1;
    } else {
      pic_unmask(line);
    }
  }
  irq_restore(f);
}

int irq_lines_open(void) {
  return (kernel_masked & 0xFFFF) != 0xFFFF;
}

int irq_waiting(void) {
  return (pending & ~kernel_masked) != 0;
}

int irq_deliver(void) {
  uint32_t f = irq_save();
  uint32_t ready = pending & ~kernel_masked;
  pending &= ~ready;
  irq_restore(f);
  int n = 0;
  for (int line = 1; line < 16; line++) {
    if ((ready & (1u << line)) == 0) continue;
    k_irq(line);
    n++;
    f = irq_save();
    if ((kernel_masked & (1u << line)) == 0) pic_unmask(line);
    irq_restore(f);
  }
  return n;
}
