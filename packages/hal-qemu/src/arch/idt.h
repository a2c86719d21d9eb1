/* The IDT and the C side of interrupt entry (idt.c): exceptions stop the
 * machine with a register dump; hardware interrupts go to irq_handle. */
#ifndef ONCRIX_IDT_H
#define ONCRIX_IDT_H
#include <stdint.h>

/** What isr_common pushed (lowest address first). */
struct isr_frame {
  uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
  uint32_t vector, error;
  uint32_t eip, cs, eflags;
};

void idt_init(void);
void isr_dispatch(struct isr_frame *f);

#endif
