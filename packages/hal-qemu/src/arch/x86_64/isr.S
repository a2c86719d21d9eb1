/* Interrupt and exception entry stubs of x86_64 (vectors 0..47).
 *
 * The same scheme as on i386: each stub pushes a uniform frame (vector and
 * error code, 0 when the CPU pushes none), the common part saves the general
 * registers and the FPU/SSE state (fxsave: an interrupt may land in the middle
 * of floating-point code of the kernel or a program) and calls
 * isr_dispatch(frame) in C with a 16-byte aligned stack. Interrupts run on
 * whatever stack was current — which is why everything is compiled with
 * -mno-red-zone: below rsp there is nothing the CPU may not overwrite. */

  .text

.macro STUB_NOERR n
isr_\n:
  push $0
  push $\n
  jmp isr_common
.endm

.macro STUB_ERR n
isr_\n:
  push $\n
  jmp isr_common
.endm

STUB_NOERR 0
STUB_NOERR 1
STUB_NOERR 2
STUB_NOERR 3
STUB_NOERR 4
STUB_NOERR 5
STUB_NOERR 6
STUB_NOERR 7
STUB_ERR 8
STUB_NOERR 9
STUB_ERR 10
STUB_ERR 11
STUB_ERR 12
STUB_ERR 13
STUB_ERR 14
STUB_NOERR 15
STUB_NOERR 16
STUB_ERR 17
STUB_NOERR 18
STUB_NOERR 19
STUB_NOERR 20
STUB_ERR 21
STUB_NOERR 22
STUB_NOERR 23
STUB_NOERR 24
STUB_NOERR 25
STUB_NOERR 26
STUB_NOERR 27
STUB_NOERR 28
STUB_ERR 29
STUB_ERR 30
STUB_NOERR 31
STUB_NOERR 32
STUB_NOERR 33
STUB_NOERR 34
STUB_NOERR 35
STUB_NOERR 36
STUB_NOERR 37
STUB_NOERR 38
STUB_NOERR 39
STUB_NOERR 40
STUB_NOERR 41
STUB_NOERR 42
STUB_NOERR 43
STUB_NOERR 44
STUB_NOERR 45
STUB_NOERR 46
STUB_NOERR 47

/* The CPU pushed ss, rsp, rflags, cs, rip (and maybe an error code) on a 16-byte aligned stack; with
 * the stub's two words and the 15 registers below, the frame is 176 bytes: still aligned. */
isr_common:
  push %rax
  push %rbx
  push %rcx
  push %rdx
  push %rsi
  push %rdi
  push %rbp
  push %r8
  push %r9
  push %r10
  push %r11
  push %r12
  push %r13
  push %r14
  push %r15
  mov %rsp, %rbx          /* the frame (rbx survives the call) */
  sub $512, %rsp
  and $-16, %rsp
  fxsave (%rsp)
  mov %rbx, %rdi
  call isr_dispatch
  fxrstor (%rsp)
  mov %rbx, %rsp
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %r11
  pop %r10
  pop %r9
  pop %r8
  pop %rbp
  pop %rdi
  pop %rsi
  pop %rdx
  pop %rcx
  pop %rbx
  pop %rax
  add $16, %rsp           /* vector and error code */
  iretq

/* The table of stub addresses, for cpu.c. */
  .section .rodata
  .align 8
  .global isr_stubs
isr_stubs:
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
  .quad isr_\n
  .endr
