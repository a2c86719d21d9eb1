/* The PC platform, shared by i386 and x86_64: multiboot memory, the 16550 at
 * COM1, interrupt lines on the 8259s, and leaving QEMU.
 *
 * The idea: both x86 architectures boot the same way (a multiboot loader
 * starts them in 32-bit protected mode and hands over a memory count) on the
 * same board, so everything that is about the board and not about the CPU
 * mode lives here once; i386/ and x86_64/ add only their entry, descriptor
 * tables, interrupt stubs and stack switching. The uart device is the real
 * 16550, so the 16550 register view of arch.h is one inb/outb per register. */
#include <stdint.h>
#include "arch.h"
#include "pc.h"
#include "io.h"
#include "pic.h"
#include "../../hal/irq.h"
#include "../../hal/panic.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u
/** isa-debug-exit (QEMU -device isa-debug-exit,iobase=0xf4): status = value * 2 + 1. */
#define DEBUG_EXIT_PORT 0xF4

struct multiboot_info {
  uint32_t flags, mem_lower, mem_upper;
};

void arch_init(uintptr_t magic, uintptr_t info, uintptr_t *ram_start, uintptr_t *ram_end) {
  if (magic != MULTIBOOT_BOOTLOADER_MAGIC) hal_panic_fmt("not started by a multiboot loader (magic %lx)", (unsigned long)magic);
  const struct multiboot_info *mbi = (const struct multiboot_info *)info;
  uint32_t upper_kib = (mbi->flags & 1) ? mbi->mem_upper : 32u * 1024u;
  if (upper_kib > 3u * 1024u * 1024u) upper_kib = 3u * 1024u * 1024u; /* stay below the PCI hole */
  *ram_start = 0x100000u; /* the image is loaded at 1 MiB, at the start of upper memory */
  *ram_end = 0x100000u + (uintptr_t)upper_kib * 1024u;
  x86_tables_init();
  pic_init();
}

/* ---- the 16550 at COM1 ---- */

void arch_uart_init(void) {
  outb(COM1 + 1, 0x00); /* no interrupts until the driver asks */
  outb(COM1 + 3, 0x80); /* DLAB: divisor follows */
  outb(COM1 + 0, 0x01); /* 115200 baud */
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03); /* 8N1 */
  outb(COM1 + 2, 0xC7); /* FIFOs on and cleared */
  outb(COM1 + 4, 0x0B); /* DTR, RTS, OUT2 (routes the interrupt to the PIC) */
}

uint8_t arch_uart_read(uint32_t reg) { return reg < 8 ? inb((uint16_t)(COM1 + reg)) : 0; }

void arch_uart_write(uint32_t reg, uint8_t value) {
  if (reg < 8) outb((uint16_t)(COM1 + reg), value);
}

/* ---- interrupt lines: the HAL's line numbers are the PIC's ---- */

void arch_irq_mask(int line) {
  if (line > 0 && line < 16 && line != 2) pic_mask(line); /* 0 is the timer's, 2 the cascade */
}

void arch_irq_unmask(int line) {
  if (line > 0 && line < 16 && line != 2) pic_unmask(line);
}

void pc_irq(int line) {
  if (pic_spurious(line)) return;
  if (line == 0) irq_timer();
  else irq_device(line);
  pic_eoi(line);
}

static const char *const names[32] = {
  "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode", "no FPU",
  "double fault", "coprocessor overrun", "invalid TSS", "segment not present", "stack fault",
  "general protection", "page fault", "reserved", "x87 error", "alignment check", "machine check",
  "SIMD error", "virtualization", "control protection", "reserved", "reserved", "reserved", "reserved",
  "reserved", "reserved", "hypervisor injection", "VMM communication", "security", "reserved",
};

const char *pc_exception_name(uint32_t v) { return v < 32 ? names[v] : "interrupt"; }

void arch_stop(uint8_t code) {
  outb(DEBUG_EXIT_PORT, code);
  for (;;) __asm__ volatile("cli; hlt");
}
