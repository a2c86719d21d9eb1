/* The GDT: one flat 4 GiB code segment and one flat data segment, ring 0.
 * The idea: ONCRIX needs no segmentation and no paging for isolation (every
 * program access is bounds-checked by the wasm2c code, the same guarantee
 * WebAssembly gives in the browser), so the GDT is the minimum protected mode
 * requires, loaded once at boot. */
#include <stdint.h>
#include "gdt.h"

struct gdt_entry {
  uint16_t limit_low, base_low;
  uint8_t base_mid, access, gran, base_high;
} __attribute__((packed));

struct gdt_ptr {
  uint16_t limit;
  uint32_t base;
} __attribute__((packed));

static struct gdt_entry gdt[3];

static void set_entry(int i, uint8_t access) {
  gdt[i] = (struct gdt_entry){ 0xFFFF, 0, 0, access, 0xCF, 0 }; /* base 0, limit 4 GiB, 4 KiB granular, 32-bit */
}

void gdt_init(void) {
  gdt[0] = (struct gdt_entry){ 0, 0, 0, 0, 0, 0 };
  set_entry(1, 0x9A); /* code: present, ring 0, executable, readable */
  set_entry(2, 0x92); /* data: present, ring 0, writable */
  struct gdt_ptr p = { sizeof gdt - 1, (uint32_t)gdt };
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
