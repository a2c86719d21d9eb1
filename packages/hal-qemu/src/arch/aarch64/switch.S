/* Stack switching and non-local jumps on aarch64.
 *
 * Switching is cooperative — always at a C call — so only what the AAPCS64
 * preserves across a call is saved: x19..x28, the frame pointer x29, the link
 * register x30 (where ctx_switch returns to), sp, and the low halves d8..d15
 * of v8..v15. A fresh stack (arch_stack_init in cpu.c) holds such a frame
 * with x30 = the process entry. setjmp/longjmp save and restore the same
 * registers: wasm-rt's way for a trapping program to unwind to its process
 * entry. */

#define SWITCH_FRAME 160

  .text

/* void ctx_switch(uintptr_t *save_sp, uintptr_t new_sp) */
  .global ctx_switch
ctx_switch:
  sub sp, sp, #SWITCH_FRAME
  stp x19, x20, [sp, #0]
  stp x21, x22, [sp, #16]
  stp x23, x24, [sp, #32]
  stp x25, x26, [sp, #48]
  stp x27, x28, [sp, #64]
  stp x29, x30, [sp, #80]
  stp d8, d9, [sp, #96]
  stp d10, d11, [sp, #112]
  stp d12, d13, [sp, #128]
  stp d14, d15, [sp, #144]
  mov x2, sp
  str x2, [x0]
  mov sp, x1
  ldp x19, x20, [sp, #0]
  ldp x21, x22, [sp, #16]
  ldp x23, x24, [sp, #32]
  ldp x25, x26, [sp, #48]
  ldp x27, x28, [sp, #64]
  ldp x29, x30, [sp, #80]
  ldp d8, d9, [sp, #96]
  ldp d10, d11, [sp, #112]
  ldp d12, d13, [sp, #128]
  ldp d14, d15, [sp, #144]
  add sp, sp, #SWITCH_FRAME
  ret

/* void call_on_stack(void (*fn)(void *), void *arg, void *stack_top) */
  .global call_on_stack
call_on_stack:
  stp x29, x30, [sp, #-16]!
  mov x29, sp
  and x2, x2, #~15
  mov sp, x2
  mov x3, x0
  mov x0, x1
  blr x3
  mov sp, x29
  ldp x29, x30, [sp], #16
  ret

/* int setjmp(jmp_buf env): x19..x30, sp, d8..d15 */
  .global setjmp
setjmp:
  stp x19, x20, [x0, #0]
  stp x21, x22, [x0, #16]
  stp x23, x24, [x0, #32]
  stp x25, x26, [x0, #48]
  stp x27, x28, [x0, #64]
  stp x29, x30, [x0, #80]
  mov x2, sp
  str x2, [x0, #96]
  stp d8, d9, [x0, #104]
  stp d10, d11, [x0, #120]
  stp d12, d13, [x0, #136]
  stp d14, d15, [x0, #152]
  mov w0, #0
  ret

/* void longjmp(jmp_buf env, int value): setjmp returns value (1 if 0) */
  .global longjmp
longjmp:
  ldp x19, x20, [x0, #0]
  ldp x21, x22, [x0, #16]
  ldp x23, x24, [x0, #32]
  ldp x25, x26, [x0, #48]
  ldp x27, x28, [x0, #64]
  ldp x29, x30, [x0, #80]
  ldr x2, [x0, #96]
  mov sp, x2
  ldp d8, d9, [x0, #104]
  ldp d10, d11, [x0, #120]
  ldp d12, d13, [x0, #136]
  ldp d14, d15, [x0, #152]
  cmp w1, #0
  csinc w0, w1, wzr, ne
  ret
