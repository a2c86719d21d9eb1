/* The inline CPU operations of hal/arch.h for the PC, i386 and x86_64 alike
 * (only the flags push and the stack pointer's name differ).
 * The idea: the shared HAL's hot paths (every syscall checks the stack, the
 * clock reads the TSC with interrupts off) compile to a few instructions. */
#ifndef ONCRIX_CPU_H
#define ONCRIX_CPU_H
#include <stdint.h>

#if defined(__x86_64__)
#define ARCH_NAME "x86_64"
#else
#define ARCH_NAME "i386"
#endif

static inline void arch_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void arch_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }

/** sti takes effect after the next instruction, so no interrupt can slip in between it and hlt. */
static inline void arch_idle(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline uintptr_t arch_irq_save(void) {
  uintptr_t flags;
#if defined(__x86_64__)
  __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
#else
  __asm__ volatile("pushfl; popl %0; cli" : "=r"(flags) : : "memory");
#endif
  return flags;
}

static inline void arch_irq_restore(uintptr_t flags) {
#if defined(__x86_64__)
  __asm__ volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
#else
  __asm__ volatile("pushl %0; popfl" : : "r"(flags) : "memory", "cc");
#endif
}

/** The time-stamp counter. */
static inline uint64_t arch_cycles(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

static inline uintptr_t arch_sp(void) {
  uintptr_t v;
#if defined(__x86_64__)
  __asm__ volatile("mov %%rsp, %0" : "=r"(v));
#else
  __asm__ volatile("mov %%esp, %0" : "=r"(v));
#endif
  return v;
}

static inline uintptr_t read_cr2(void) {
  uintptr_t v;
  __asm__ volatile("mov %%cr2, %0" : "=r"(v));
  return v;
}

#endif
