/* Calls into kernel.wasm (kentry.c): each export, run on the kernel stack. */
#ifndef ONCRIX_KENTRY_H
#define ONCRIX_KENTRY_H
#include <stdint.h>
#include "oncrix_abi.h"

void k_instantiate(void);
uint32_t k_boot_info_area(void);
int32_t k_init(void);
int32_t k_syscall(int32_t pid, int32_t nr, const int32_t a[6]);
/** A WASI call whose arguments are ONCRIX_WIDE_ARGS u64 words (written to the kernel's wide_args_area). */
int32_t k_syscall_wide(int32_t pid, int32_t nr, const uint64_t w[ONCRIX_WIDE_ARGS]);
int32_t k_safepoint(int32_t pid);
void k_irq(int32_t line);
void k_tick(double t);
void k_fault(int32_t pid, int32_t reason);
double k_next_deadline(void);
int32_t k_debug_stat(int32_t which);

/** Is the kernel running right now (a trap there is a kernel bug)? */
int kernel_active(void);
/** The kernel's linear memory. */
uint8_t *kernel_mem(void);
uint32_t kernel_mem_size(void);

#endif
