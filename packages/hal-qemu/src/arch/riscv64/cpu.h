/* The inline CPU operations of hal/arch.h for riscv64 (S-mode under OpenSBI).
 * The idea: interrupts are sstatus.SIE, the counter is the time CSR (rdtime,
 * the platform's constant-rate timebase), and WFI wakes on an interrupt that
 * sie enables even while sstatus.SIE is clear — so "wait, then enable" is the
 * atomic idle that loses no wake-up. */
#ifndef ONCRIX_CPU_H
#define ONCRIX_CPU_H
#include <stdint.h>

#define ARCH_NAME "riscv64"
#define SSTATUS_SIE 0x2ul

static inline void arch_irq_disable(void) { __asm__ volatile("csrc sstatus, %0" : : "r"(SSTATUS_SIE) : "memory"); }
static inline void arch_irq_enable(void) { __asm__ volatile("csrs sstatus, %0" : : "r"(SSTATUS_SIE) : "memory"); }
static inline void arch_idle(void) { __asm__ volatile("wfi; csrs sstatus, %0" : : "r"(SSTATUS_SIE) : "memory"); }

static inline uintptr_t arch_irq_save(void) {
  uintptr_t old;
  __asm__ volatile("csrrc %0, sstatus, %1" : "=r"(old) : "r"(SSTATUS_SIE) : "memory");
  return old;
}

static inline void arch_irq_restore(uintptr_t old) {
  __asm__ volatile("csrs sstatus, %0" : : "r"(old & SSTATUS_SIE) : "memory");
}

static inline uint64_t arch_cycles(void) {
  uint64_t v;
  __asm__ volatile("rdtime %0" : "=r"(v));
  return v;
}

static inline uintptr_t arch_sp(void) {
  uintptr_t v;
  __asm__ volatile("mv %0, sp" : "=r"(v));
  return v;
}

#endif
