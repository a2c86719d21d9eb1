/* setjmp.h for the bare-metal HAL: non-local jumps (each architecture's
 * switch.S), used to unwind a trapping WebAssembly program back to its process
 * entry. A jmp_buf holds the callee-saved registers of the architecture's C
 * calling convention, its stack pointer and the return address: at most 26
 * words (riscv64: ra, sp, s0..s11, fs0..fs11), so 32 fit every one. */
#ifndef ONCRIX_SETJMP_H
#define ONCRIX_SETJMP_H

typedef unsigned long jmp_buf[32] __attribute__((aligned(16)));

__attribute__((returns_twice)) int setjmp(jmp_buf env);
__attribute__((noreturn)) void longjmp(jmp_buf env, int value);

#endif
