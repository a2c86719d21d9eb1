/* Interrupts between the hardware and the kernel (irq.c). */
#ifndef ONCRIX_IRQ_H
#define ONCRIX_IRQ_H
#include <stdint.h>

/** Set by any interrupt: something may need the kernel (a tick, a device). Cleared by hal_poll. */
extern volatile uint32_t hal_attention;

/** The periodic timer interrupted (called by the architecture's handler, interrupts off; only sets flags). */
void irq_timer(void);
/** Device line 1..15 interrupted: masked until delivered (called like irq_timer). */
void irq_device(int line);
/** The kernel's irq_mask import. */
void irq_kernel_mask(int line, int masked);
/** Hand every pending interrupt on a line the kernel has unmasked to kernel.irq. Returns how many. */
int irq_deliver(void);
/** Has the kernel unmasked any interrupt line (could an interrupt still wake someone)? */
int irq_lines_open(void);
/** Is an interrupt waiting for the kernel? */
int irq_waiting(void);

#endif
