/* Port I/O on the PC, as inline functions.
 * The idea: everything that talks to PC hardware (PIC, PIT, the 16550 at
 * COM1, the isa-debug-exit port) goes through these one-liners, the same on
 * i386 and x86_64, so the rest is plain C. Inline only: the interrupt path
 * uses them without calls. */
#ifndef ONCRIX_IO_H
#define ONCRIX_IO_H
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value) {
  __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port) {
  uint8_t v;
  __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}

/** A short delay: a write to an unused port (lets an old PIC settle). */
static inline void io_wait(void) { outb(0x80, 0); }

#endif
