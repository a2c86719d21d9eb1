/* i386 descriptor tables, exception dispatch and fresh stacks.
 *
 * The GDT is one flat 4 GiB code segment and one flat data segment, ring 0:
 * ONCRIX needs no segmentation and no paging for isolation (every program
 * access is bounds-checked by the wasm2c code, the same guarantee WebAssembly
 * gives in the browser), so it is the minimum protected mode requires. The
 * IDT sends the 32 CPU exceptions and the 16 PIC lines (vectors 32..47)
 * through the stubs in isr.S to isr_dispatch: a CPU exception can only come
 * from a HAL or compiler bug, since wasm2c's code checks every memory access,
 * division and conversion, so it stops the machine with a register dump. */
#include <stdint.h>
#include "arch.h"
#include "pc.h"
#include "../../hal/panic.h"

struct gdt_entry {
  uint16_t limit_low, base_low;
  uint8_t base_mid, access, gran, base_high;
} __attribute__((packed));

struct idt_entry {
  uint16_t off_low, selector;
  uint8_t zero, flags;
  uint16_t off_high;
} __attribute__((packed));

struct table_ptr {
  uint16_t limit;
  uint32_t base;
} __attribute__((packed));

/** What isr_common pushed (lowest address first). */
struct isr_frame {
  uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
  uint32_t vector, error;
  uint32_t eip, cs, eflags;
};

extern const uint32_t isr_stubs[48];
static struct gdt_entry gdt[3];
static struct idt_entry idt[48];

static void gdt_init(void) {
  gdt[0] = (struct gdt_entry){ 0, 0, 0, 0, 0, 0 };
  gdt[1] = (struct gdt_entry){ 0xFFFF, 0, 0, 0x9A, 0xCF, 0 }; /* code: present, ring 0, executable; 4 KiB granular, 32-bit */
  gdt[2] = (struct gdt_entry){ 0xFFFF, 0, 0, 0x92, 0xCF, 0 }; /* data: present, ring 0, writable */
  struct table_ptr p = { sizeof gdt - 1, (uint32_t)gdt };
  __asm__ volatile(
      "lgdt %0\n"
      "ljmp $0x08, $1f\n"
      "1:\n"
      "mov $0x10, %%ax\n"
      "mov %%ax, %%ds\n"
      "mov %%ax, %%es\n"
      "mov %%ax, %%fs\n"
      "mov %%ax, %%gs\n"
      "mov %%ax, %%ss\n"
      : : "m"(p) : "eax", "memory");
}

void x86_tables_init(void) {
  gdt_init();
  for (int i = 0; i < 48; i++) {
    uint32_t a = isr_stubs[i];
    idt[i] = (struct idt_entry){ (uint16_t)a, 0x08, 0, 0x8E, (uint16_t)(a >> 16) }; /* present, ring 0, interrupt gate */
  }
  struct table_ptr p = { sizeof idt - 1, (uint32_t)idt };
  __asm__ volatile("lidt %0" : : "m"(p) : "memory");
}

void isr_dispatch(struct isr_frame *f);
void isr_dispatch(struct isr_frame *f) {
  if (f->vector >= 32) {
    pc_irq((int)f->vector - 32);
    return;
  }
  hal_panic_fmt("CPU exception %u (%s) at eip %x, error %x, cr2 %lx, eax %x ebx %x ecx %x edx %x esi %x edi %x ebp %x esp %x",
                f->vector, pc_exception_name(f->vector), f->eip, f->error, (unsigned long)read_cr2(), f->eax, f->ebx, f->ecx,
                f->edx, f->esi, f->edi, f->ebp, f->esp + 20);
}

/* ctx_switch pops edi, esi, ebx, ebp and returns: a fresh stack holds four zeros and entry's address,
 * above it a dummy return address for entry, so that esp + 4 is 16-byte aligned on entry (the ABI). */
uintptr_t arch_stack_init(uint8_t *lo, uintptr_t bytes, void (*entry)(void)) {
  uint32_t *sp = (uint32_t *)(((uintptr_t)lo + bytes) & ~(uintptr_t)15);
  *--sp = 0;
  *--sp = (uint32_t)entry;
  for (int i = 0; i < 4; i++) *--sp = 0;
  return (uintptr_t)sp;
}
