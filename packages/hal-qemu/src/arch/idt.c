/* The IDT: 32 CPU exceptions and 16 hardware interrupts (PIC remapped to
 * vectors 32..47), all through the stubs in isr.S.
 *
 * The idea: a CPU exception can only come from a HAL or compiler bug — the
 * WebAssembly programs and the kernel cannot fault the CPU, since wasm2c's code
 * checks every memory access, division and conversion and turns a violation
 * into a wasm trap — so an exception stops the machine with a register dump
 * on the serial port. Hardware interrupts go to irq_handle (hal/irq.c). */
#include <stdint.h>
#include "idt.h"
#include "io.h"
#include "../hal/irq.h"
#include "../hal/panic.h"

struct idt_entry {
  uint16_t off_low, selector;
  uint8_t zero, flags;
  uint16_t off_high;
} __attribute__((packed));

struct idt_ptr {
  uint16_t limit;
  uint32_t base;
} __attribute__((packed));

extern const uint32_t isr_stubs[48];
static struct idt_entry idt[48];

static const char *const names[32] = {
  "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode", "no FPU",
  "double fault", "coprocessor overrun", "invalid TSS", "segment not present", "stack fault",
  "general protection", "page fault", "reserved", "x87 error", "alignment check", "machine check",
  "SIMD error", "virtualization", "control protection", "reserved", "reserved", "reserved", "reserved",
  "reserved", "reserved", "hypervisor injection", "VMM communication", "security", "reserved",
};

void idt_init(void) {
  for (int i = 0; i < 48; i++) {
    uint32_t a = isr_stubs[i];
    idt[i] = (struct idt_entry){ (uint16_t)a, 0x08, 0, 0x8E, (uint16_t)(a >> 16) }; /* present, ring 0, interrupt gate */
  }
  struct idt_ptr p = { sizeof idt - 1, (uint32_t)idt };
  __asm__ volatile("lidt %0" : : "m"(p) : "memory");
}

void isr_dispatch(struct isr_frame *f) {
  if (f->vector >= 32) {
    irq_handle((int)f->vector - 32);
    return;
  }
  hal_panic_fmt("CPU exception %u (%s) at eip %x, error %x, cr2 %x, eax %x ebx %x ecx %x edx %x esi %x edi %x ebp %x esp %x",
                f->vector, names[f->vector], f->eip, f->error, read_cr2(), f->eax, f->ebx, f->ecx, f->edx, f->esi,
                f->edi, f->ebp, f->esp + 20);
}
