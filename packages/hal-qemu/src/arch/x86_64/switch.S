/* Stack switching and non-local jumps on x86_64.
 *
 * The same cooperative scheme as on i386 (every switch happens at a C call),
 * with the callee-saved registers of the x86_64 System V ABI: rbx, rbp and
 * r12..r15, plus rsp. setjmp/longjmp save and restore the same registers and
 * the return address: wasm-rt's way for a trapping program to unwind to its
 * process entry. */

  .text

/* void ctx_switch(uintptr_t *save_sp, uintptr_t new_sp) */
  .global ctx_switch
ctx_switch:
  push %rbp
  push %rbx
  push %r12
  push %r13
  push %r14
  push %r15
  mov %rsp, (%rdi)
  mov %rsi, %rsp
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %rbx
  pop %rbp
  ret

/* void call_on_stack(void (*fn)(void *), void *arg, void *stack_top) */
  .global call_on_stack
call_on_stack:
  push %rbp
  mov %rsp, %rbp
  and $-16, %rdx
  mov %rdx, %rsp
  mov %rdi, %rax
  mov %rsi, %rdi
  call *%rax
  mov %rbp, %rsp
  pop %rbp
  ret

/* int setjmp(jmp_buf env): rbx, rbp, r12, r13, r14, r15, rsp, rip */
  .global setjmp
setjmp:
  mov %rbx, 0(%rdi)
  mov %rbp, 8(%rdi)
  mov %r12, 16(%rdi)
  mov %r13, 24(%rdi)
  mov %r14, 32(%rdi)
  mov %r15, 40(%rdi)
  lea 8(%rsp), %rdx
  mov %rdx, 48(%rdi)
  mov (%rsp), %rdx
  mov %rdx, 56(%rdi)
  xor %eax, %eax
  ret

/* void longjmp(jmp_buf env, int value): setjmp returns value (1 if 0) */
  .global longjmp
longjmp:
  mov %esi, %eax
  test %eax, %eax
  jnz 1f
  inc %eax
1:
  mov 0(%rdi), %rbx
  mov 8(%rdi), %rbp
  mov 16(%rdi), %r12
  mov 24(%rdi), %r13
  mov 32(%rdi), %r14
  mov 40(%rdi), %r15
  mov 48(%rdi), %rsp
  jmp *56(%rdi)
