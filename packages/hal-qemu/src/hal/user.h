/* A program's way into the kernel (user.c), shared by its oncrix imports and
 * its WASI imports (wasi.c): enter on the kernel stack, park if the call
 * blocked, and return what the kernel finally answered. */
#ifndef ONCRIX_USER_H
#define ONCRIX_USER_H
#include <stdint.h>
#include "proc.h"
#include "oncrix_abi.h"

/** Syscall nr with six i32 arguments. */
int32_t user_syscall(proc_t *p, int32_t nr, const int32_t a[6]);
/** A WASI call through the wide entry: its parameters as ONCRIX_WIDE_ARGS u64 words. */
int32_t user_syscall_wide(proc_t *p, int32_t nr, const uint64_t w[ONCRIX_WIDE_ARGS]);

#endif
