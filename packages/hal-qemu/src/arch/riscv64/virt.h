/* QEMU's riscv64 virt board as the HAL uses it: addresses and interrupt
 * numbers (the board's device tree lists the same), MMIO access, SBI calls,
 * and what the files of this folder offer each other. */
#ifndef ONCRIX_VIRT_H
#define ONCRIX_VIRT_H
#include <stdint.h>

#define TEST_BASE 0x00100000u  /* sifive,test: a write ends QEMU with a status */
#define PLIC_BASE 0x0C000000u
#define UART_BASE 0x10000000u  /* ns16550a, byte registers */
#define UART_SOURCE 10u        /* its PLIC interrupt source */

static inline uint32_t mmio_read32(uintptr_t addr) { return *(volatile uint32_t *)addr; }
static inline void mmio_write32(uintptr_t addr, uint32_t value) { *(volatile uint32_t *)addr = value; }

/** An SBI call: extension, function, two arguments; returns a0 (the error, 0 on success). */
static inline long sbi_call(unsigned long ext, unsigned long fn, unsigned long arg0, unsigned long arg1) {
  register unsigned long a0 __asm__("a0") = arg0;
  register unsigned long a1 __asm__("a1") = arg1;
  register unsigned long a6 __asm__("a6") = fn;
  register unsigned long a7 __asm__("a7") = ext;
  __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
  return (long)a0;
}

/** The boot hart (a0 at entry): its S-mode PLIC context is 2 * hart + 1. */
extern uint32_t riscv_hart;
/** The timebase frequency (the device tree's /cpus timebase-frequency). */
extern uint32_t riscv_timebase_hz;

void plic_init(void);
/** A supervisor external interrupt: claim, dispatch (the UART), complete. */
void plic_dispatch(void);
/** The supervisor timer interrupt: set the next deadline. */
void timer_interrupt(void);

#endif
