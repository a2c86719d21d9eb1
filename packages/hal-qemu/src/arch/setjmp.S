/* setjmp / longjmp for the freestanding image.
 *
 * A trapping WebAssembly program must unwind to its process entry (which then
 * reports the fault to the kernel). wasm-rt's contract is setjmp/longjmp; this
 * is the classic i386 version: save the callee-saved registers, esp and the
 * return address; longjmp restores them and makes setjmp return the value. */

  .text
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
