/* The inline CPU operations of hal/arch.h for aarch64 (EL1).
 * The idea: interrupts are PSTATE.I (DAIF), the counter is the generic
 * timer's virtual count (CNTVCT_EL0, constant rate), and WFI wakes on a
 * pending interrupt even while PSTATE.I masks it — so "wait, then unmask"
 * is the atomic idle that loses no wake-up. */
#ifndef ONCRIX_CPU_H
#define ONCRIX_CPU_H
#include <stdint.h>

#define ARCH_NAME "aarch64"

static inline void arch_irq_disable(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }
static inline void arch_irq_enable(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline void arch_idle(void) { __asm__ volatile("wfi; msr daifclr, #2" ::: "memory"); }

static inline uintptr_t arch_irq_save(void) {
  uintptr_t flags;
  __asm__ volatile("mrs %0, daif; msr daifset, #2" : "=r"(flags) : : "memory");
  return flags;
}

static inline void arch_irq_restore(uintptr_t flags) { __asm__ volatile("msr daif, %0" : : "r"(flags) : "memory"); }

static inline uint64_t arch_cycles(void) {
  uint64_t v;
  __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
  return v;
}

static inline uintptr_t arch_sp(void) {
  uintptr_t v;
  __asm__ volatile("mov %0, sp" : "=r"(v));
  return v;
}

#endif
