/* The architecture seam of the bare-metal HAL: everything the shared HAL
 * (src/hal) needs from a CPU and its machine, and nothing more.
 *
 * The idea: the process table, the copies between memories, the kernel
 * entries, the boot package, the console, the clock and the safepoint
 * preemption are written once, in C that does not know which CPU runs it.
 * Each architecture (src/arch/<arch>/, with src/arch/pc/ shared by the two PC
 * ones) implements this header: boot, interrupts, a periodic timer, a UART
 * seen as a 16550, stopping the machine, and switching stacks. Its cpu.h
 * supplies the few operations the hot paths need inline (listed first).
 * packages/hal-qemu/README.md ("Adding an architecture") walks through it. */
#ifndef ONCRIX_ARCH_H
#define ONCRIX_ARCH_H
#include <stdint.h>

/* ---- inline CPU operations, from the architecture's cpu.h ----------------
 *   ARCH_NAME                          "x86_64", "aarch64", ... (the boot banner says it)
 *   uintptr_t arch_irq_save(void)      interrupts off; returns the previous state
 *   void arch_irq_restore(uintptr_t)   back to that state
 *   void arch_irq_enable(void), arch_irq_disable(void)
 *   void arch_idle(void)               with interrupts off: enable them and wait for one,
 *                                      atomically (no wake-up lost between the two)
 *   uint64_t arch_cycles(void)         a free-running counter (any constant rate; clock.c measures it)
 *   uintptr_t arch_sp(void)            the stack pointer */
#include "cpu.h"

/* ---- boot ------------------------------------------------------------------
 * The entry (boot.S) runs first, with interrupts off: it sets up a stack in
 * BSS (host_stack_top), turns the FP unit on (and the MMU where the
 * architecture needs it for normal memory), zeroes BSS and calls
 *   void kmain(uintptr_t boot0, uintptr_t boot1)            (hal/main.c)
 * with the two words its boot protocol hands over (multiboot magic and info;
 * the device tree's address). The image starts with the architecture's boot
 * header and, at file offset 32, the ONCRIX image header
 * (ONCRIX_IMAGE_HEADER in image_header.h); the linker script defines _load_start, _load_end,
 * _package_offset, _package_window, _bss_start, _bss_end (see the README). */

/** CPU tables, interrupt controller, exception vectors; the RAM range that holds the image (the heap
 * gets what lies above _bss_end). Runs after arch_uart_init; panics with the reason if the boot words
 * are wrong. */
void arch_init(uintptr_t boot0, uintptr_t boot1, uintptr_t *ram_start, uintptr_t *ram_end);

/* ---- UART: the console, seen as a 16550 ------------------------------------
 * The uart device of both HALs is a 16550 (docs/userland.md: 0 RBR/THR,
 * 1 IER, 2 IIR/FCR, 3 LCR, 4 MCR, 5 LSR, 6 MSR, 7 SCR), so the same user-space
 * driver runs everywhere: a machine with a 16550 passes registers through;
 * another (the PL011 of aarch64's virt) models these registers over its own. */

/** 115200 8N1, FIFOs on, interrupts off: polled output works from here on. */
void arch_uart_init(void);
uint8_t arch_uart_read(uint32_t reg);
void arch_uart_write(uint32_t reg, uint8_t value);

/* ---- interrupts ------------------------------------------------------------
 * Device interrupt lines have the HAL's numbers (1..15; the uart's is
 * UART_IRQ, devices.h), whatever the controller calls them. The
 * architecture's interrupt handler calls irq_timer() for the periodic timer
 * and irq_device(line) for a device line (hal/irq.h), with interrupts off,
 * and acknowledges the controller itself. A CPU exception is a HAL or
 * compiler bug (WebAssembly code traps through wasm-rt instead): it calls
 * hal_panic_fmt with the registers that explain it. */

void arch_irq_mask(int line);
void arch_irq_unmask(int line);

/** Start the periodic timer at about hz interrupts a second (its interrupt enabled, interrupts still off
 * at the CPU). Returns nanoseconds per interrupt. */
double arch_timer_start(uint32_t hz);

/* ---- stopping ------------------------------------------------------------- */

/** Power off with status `code` (EXIT_HALTED, EXIT_PANIC): QEMU's exit status becomes code * 2 + 1
 * where the machine can say it (the README lists how each does); otherwise stop the CPU for good. */
__attribute__((noreturn)) void arch_stop(uint8_t code);

/* ---- stacks (switch.S) -------------------------------------------------------
 * Switches are cooperative — always at a C call — so only the registers the
 * architecture's C calling convention preserves across a call are saved. */

/** Save this context's callee-saved registers on its stack and its stack pointer in *save_sp, then
 * continue the context whose stack pointer is new_sp (saved by ctx_switch, or made by arch_stack_init). */
void ctx_switch(uintptr_t *save_sp, uintptr_t new_sp);
/** Run fn(arg) with the stack pointer at stack_top (16-byte aligned down), then come back. */
void call_on_stack(void (*fn)(void *), void *arg, void *stack_top);
/** Lay out a fresh stack [lo, lo + bytes) so that the first ctx_switch to the result runs entry(),
 * which never returns. */
uintptr_t arch_stack_init(uint8_t *lo, uintptr_t bytes, void (*entry)(void));
/* setjmp and longjmp (include/setjmp.h) come from the same file. */

#endif
