/* Interrupt lines: from the interrupt controller to the kernel's irq() entry.
 *
 * The idea: the kernel is not re-entrant, so an interrupt handler never calls
 * it. The timer interrupt counts time and raises hal_attention; a device
 * interrupt masks its line at the controller (arch_irq_mask), marks it
 * pending and raises hal_attention. The next safepoint, syscall or scheduler
 * pass (hal_poll) delivers pending lines to kernel.irq() — only lines the
 * kernel has unmasked (irq_mask import), as the web HAL does. The kernel
 * masks a line when it delivers it and unmasks it when the driver
 * acknowledges; at that moment the HAL asks the device whether it still
 * asserts the line (the PC's PIC is edge-triggered, the 16550
 * level-triggered), so no input is lost — on a level-triggered controller
 * (GIC, PLIC) the check does no harm. Lines are the HAL's numbers 1..15;
 * each architecture maps them to its controller's. */
#include <stdint.h>
#include "irq.h"
#include "clock.h"
#include "devices.h"
#include "kentry.h"
#include "arch.h"

volatile uint32_t hal_attention;
static volatile uint32_t pending;     /* lines raised and not yet delivered */
static uint32_t kernel_masked = 0xFFFF; /* lines the kernel wants masked (all, until it binds one) */

void irq_timer(void) {
  clock_tick();
  hal_attention = 1;
}

void irq_device(int line) {
  if (line <= 0 || line > 15) return;
  arch_irq_mask(line);
  pending |= 1u << line;
  hal_attention = 1;
}

void irq_kernel_mask(int line, int masked) {
  if (line <= 0 || line > 15) return; /* line 0 is the timer's, the HAL's own */
  uint32_t bit = 1u << line;
  uintptr_t f = arch_irq_save();
  if (masked) {
    kernel_masked |= bit;
    pending &= ~bit; /* asked again when unmasked */
    arch_irq_mask(line);
  } else {
    kernel_masked &= ~bit;
    if (device_asserts_irq(line)) {
      pending |= bit;
      hal_attention = 1;
    } else {
      arch_irq_unmask(line);
    }
  }
  arch_irq_restore(f);
}

int irq_lines_open(void) {
  return (kernel_masked & 0xFFFF) != 0xFFFF;
}

int irq_waiting(void) {
  return (pending & ~kernel_masked) != 0;
}

int irq_deliver(void) {
  uintptr_t f = arch_irq_save();
  uint32_t ready = pending & ~kernel_masked;
  pending &= ~ready;
  arch_irq_restore(f);
  int n = 0;
  for (int line = 1; line < 16; line++) {
    if ((ready & (1u << line)) == 0) continue;
    k_irq(line);
    n++;
    f = arch_irq_save();
    if ((kernel_masked & (1u << line)) == 0) arch_irq_unmask(line);
    arch_irq_restore(f);
  }
  return n;
}
