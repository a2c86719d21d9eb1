/* Port I/O and a few privileged instructions, as inline functions.
 * The idea: everything that talks to PC hardware (PIC, PIT, 16550, the
 * isa-debug-exit port) goes through these one-liners, so the rest of the HAL
 * is plain C. Inline only: the interrupt path uses them without calls. */
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

static inline void cpu_cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void cpu_sti(void) { __asm__ volatile("sti" ::: "memory"); }

/** Enable interrupts and halt until the next one (atomic: no wake-up is lost). */
static inline void cpu_sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

/** Save EFLAGS and disable interrupts; restore with irq_restore. */
static inline uint32_t irq_save(void) {
  uint32_t flags;
  __asm__ volatile("pushfl; popl %0; cli" : "=r"(flags) : : "memory");
  return flags;
}

static inline void irq_restore(uint32_t flags) {
  __asm__ volatile("pushl %0; popfl" : : "r"(flags) : "memory", "cc");
}

static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

static inline uint32_t read_cr2(void) {
  uint32_t v;
  __asm__ volatile("mov %%cr2, %0" : "=r"(v));
  return v;
}

static inline uint32_t read_esp(void) {
  uint32_t v;
  __asm__ volatile("mov %%esp, %0" : "=r"(v));
  return v;
}

#endif
