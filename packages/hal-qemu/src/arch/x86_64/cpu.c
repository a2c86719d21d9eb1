/* x86_64 interrupt descriptor table, exception dispatch and fresh stacks.
 *
 * The GDT (flat 64-bit code and data, ring 0) and the identity-mapped page
 * tables are set up by boot.S on the way into long mode. Here the IDT sends
 * the 32 CPU exceptions and the 16 PIC lines (vectors 32..47) through the
 * stubs in isr.S to isr_dispatch. A CPU exception — a page fault, #GP, a
 * divide error — can only come from a HAL or compiler bug: wasm2c's code
 * checks every memory access, division and conversion of a program and turns
 * a violation into a trap that ends only that process. So an exception stops
 * the machine with a register dump. */
#include <stdint.h>
#include "arch.h"
#include "pc.h"
#include "../../hal/panic.h"

struct idt_entry {
  uint16_t off_low, selector;
  uint8_t ist, flags;
  uint16_t off_mid;
  uint32_t off_high, reserved;
} __attribute__((packed));

struct idt_ptr {
  uint16_t limit;
  uint64_t base;
} __attribute__((packed));

/** What isr_common pushed (lowest address first), then what the CPU pushed. */
struct isr_frame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector, error;
  uint64_t rip, cs, rflags, rsp, ss;
};

extern const uint64_t isr_stubs[48];
static struct idt_entry idt[48];

void x86_tables_init(void) {
  for (int i = 0; i < 48; i++) {
    uint64_t a = isr_stubs[i];
    /* selector 0x08 (boot.S's code segment); present, ring 0, 64-bit interrupt gate */
    idt[i] = (struct idt_entry){ (uint16_t)a, 0x08, 0, 0x8E, (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0 };
  }
  struct idt_ptr p = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
  __asm__ volatile("lidt %0" : : "m"(p) : "memory");
}

void isr_dispatch(struct isr_frame *f);
void isr_dispatch(struct isr_frame *f) {
  if (f->vector >= 32) {
    pc_irq((int)f->vector - 32);
    return;
  }
  hal_panic_fmt("CPU exception %lu (%s) at rip %lx, error %lx, cr2 %lx, rsp %lx, rax %lx rbx %lx rcx %lx rdx %lx "
                "rsi %lx rdi %lx rbp %lx r8 %lx r9 %lx",
                f->vector, pc_exception_name((uint32_t)f->vector), f->rip, f->error, read_cr2(), f->rsp, f->rax, f->rbx,
                f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->r8, f->r9);
}

/* ctx_switch pops r15, r14, r13, r12, rbx, rbp and returns: a fresh stack holds six zeros and entry's
 * address, above it a dummy return address, so that rsp + 8 is 16-byte aligned on entry (the ABI). */
uintptr_t arch_stack_init(uint8_t *lo, uintptr_t bytes, void (*entry)(void)) {
  uint64_t *sp = (uint64_t *)(((uintptr_t)lo + bytes) & ~(uintptr_t)15);
  *--sp = 0;
  *--sp = (uint64_t)(uintptr_t)entry;
  for (int i = 0; i < 6; i++) *--sp = 0;
  return (uintptr_t)sp;
}
