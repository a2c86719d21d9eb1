/* Context switching between native stacks.
 *
 * Every process has its own stack; the HAL's scheduler loop has the host
 * stack; the kernel runs on its own kernel stack. Switching is cooperative
 * (only at a syscall, a safepoint or process exit), always through a C call,
 * so only the callee-saved registers of the i386 System V ABI (ebp, ebx,
 * esi, edi) and esp need saving: everything else is dead across a call. */

  .text

/* void ctx_switch(uint32_t *save_esp, uint32_t new_esp)
 * Save this context's registers on its stack and its esp in *save_esp, then
 * continue the context whose esp is new_esp (saved by ctx_switch, or a fresh
 * stack prepared by proc_stack_init). */
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

/* void call_on_stack(void (*fn)(void *), void *arg, void *stack_top)
 * Run fn(arg) with esp at stack_top (the kernel stack), then come back. */
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
