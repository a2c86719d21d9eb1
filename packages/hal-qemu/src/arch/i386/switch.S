/* Stack switching and non-local jumps on i386.
 *
 * Every process has its own stack; the HAL's scheduler loop has the host
 * stack; the kernel runs on its own kernel stack. Switching is cooperative
 * (only at a syscall, a safepoint or process exit), always through a C call,
 * so only the callee-saved registers of the i386 System V ABI (ebp, ebx,
 * esi, edi) and esp need saving: everything else is dead across a call.
 * setjmp/longjmp (wasm-rt's contract for a trapping program, which unwinds to
 * its process entry) save and restore the same registers plus the return
 * address. */

  .text

/* void ctx_switch(uintptr_t *save_sp, uintptr_t new_sp) */
  .global ctx_switch
ctx_switch:
  mov 4(%esp), %eax
  mov 8(%esp), %ecx
  push %ebp
  push %ebx
  push %esi
  push %edi
  mov %esp, (%eax)
  mov %ecx, %esp
  pop %edi
  pop %esi
  pop %ebx
  pop %ebp
  ret

/* void call_on_stack(void (*fn)(void *), void *arg, void *stack_top) */
  .global call_on_stack
call_on_stack:
  push %ebp
  mov %esp, %ebp
  mov 8(%ebp), %eax
  mov 12(%ebp), %ecx
  mov 16(%ebp), %edx
  and $-16, %edx
  mov %edx, %esp
  sub $12, %esp
  push %ecx
  call *%eax
  mov %ebp, %esp
  pop %ebp
  ret

/* int setjmp(jmp_buf env): ebx, esi, edi, ebp, esp, eip */
  .global setjmp
setjmp:
  mov 4(%esp), %eax
  mov %ebx, 0(%eax)
  mov %esi, 4(%eax)
  mov %edi, 8(%eax)
  mov %ebp, 12(%eax)
  lea 4(%esp), %ecx
  mov %ecx, 16(%eax)
  mov (%esp), %ecx
  mov %ecx, 20(%eax)
  xor %eax, %eax
  ret

/* void longjmp(jmp_buf env, int value): setjmp returns value (1 if 0) */
  .global longjmp
longjmp:
  mov 4(%esp), %edx
  mov 8(%esp), %eax
  test %eax, %eax
  jnz 1f
  inc %eax
1:
  mov 0(%edx), %ebx
  mov 4(%edx), %esi
  mov 8(%edx), %edi
  mov 12(%edx), %ebp
  mov 16(%edx), %esp
  jmp *20(%edx)
