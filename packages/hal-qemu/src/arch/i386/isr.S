/* Interrupt and exception entry stubs of i386 (vectors 0..47).
 *
 * Each stub pushes a uniform frame (vector and error code, 0 when the CPU
 * pushes none), saves the general registers and the FPU/SSE state (fxsave:
 * an interrupt may land in the middle of floating-point code of the kernel
 * or a program) and calls isr_dispatch(frame) in C on a 16-byte aligned
 * stack. Interrupts run on whatever stack was current; handlers are short and
 * only set flags, so every stack keeps a small margin for them. */

  .text

.macro STUB_NOERR n
  .global isr_\n
isr_\n:
  push $0
  push $\n
  jmp isr_common
.endm

.macro STUB_ERR n
  .global isr_\n
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

isr_common:
  pusha
  mov %esp, %ebx          /* the frame: pusha registers, vector, error code, eip, cs, eflags */
  sub $512, %esp
  and $-16, %esp
  fxsave (%esp)
  mov %esp, %esi          /* where the FPU/SSE state is */
  sub $12, %esp
  push %ebx
  call isr_dispatch
  mov %esi, %esp
  fxrstor (%esp)
  mov %ebx, %esp
  popa
  add $8, %esp            /* vector and error code */
  iret

/* The table of stub addresses, for idt.c. */
  .section .rodata
  .align 4
  .global isr_stubs
isr_stubs:
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
  .long isr_\n
  .endr
