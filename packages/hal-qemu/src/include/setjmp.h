/* setjmp.h for the bare-metal HAL: non-local jumps (src/arch/setjmp.S), used
 * to unwind a trapping WebAssembly program back to its process entry. A jmp_buf
 * holds the callee-saved registers of the i386 System V ABI plus esp and eip. */
#ifndef ONCRIX_SETJMP_H
#define ONCRIX_SETJMP_H

typedef unsigned long jmp_buf[6]; /* ebx, esi, edi, ebp, esp, eip */

__attribute__((returns_twice)) int setjmp(jmp_buf env);
__attribute__((noreturn)) void longjmp(jmp_buf env, int value);

#endif
