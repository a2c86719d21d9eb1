/* The exception vectors of aarch64 (VBAR_EL1) and the register frame.
 *
 * Sixteen entries of 128 bytes: {sync, IRQ, FIQ, SError} taken from EL1 with
 * SP_EL0, from EL1 with SP_EL1 (ONCRIX always runs there), from EL0 in
 * AArch64 and in AArch32. Each entry makes room for a frame on the current
 * stack, saves x0/x1 and jumps to the common part with its number; that part
 * saves every other general register, ELR/SPSR, and the whole FP/SIMD file
 * (q0..q31, FPCR, FPSR: an interrupt may land in the middle of the kernel's
 * or a program's floating-point code, and the C handler may use SIMD
 * registers itself), calls arch_exception(kind, frame) in C and returns with
 * eret. Interrupts run on whatever stack was current; handlers are short and
 * only set flags, so every stack keeps a small margin for them. */

#define FRAME 800  /* x0..x30, elr, spsr, fpcr, fpsr (8-byte words, padded to 288), q0..q31 */
#define QREGS 288

.macro ENTRY kind
  .balign 128
  sub sp, sp, #FRAME
  stp x0, x1, [sp, #0]
  mov x0, #\kind
  b exception_common
.endm

  .text
  .balign 2048
  .global vectors
vectors:
  ENTRY 0
  ENTRY 1
  ENTRY 2
  ENTRY 3
  ENTRY 4
  ENTRY 5
  ENTRY 6
  ENTRY 7
  ENTRY 8
  ENTRY 9
  ENTRY 10
  ENTRY 11
  ENTRY 12
  ENTRY 13
  ENTRY 14
  ENTRY 15

exception_common:
  stp x2, x3, [sp, #16]
  stp x4, x5, [sp, #32]
  stp x6, x7, [sp, #48]
  stp x8, x9, [sp, #64]
  stp x10, x11, [sp, #80]
  stp x12, x13, [sp, #96]
  stp x14, x15, [sp, #112]
  stp x16, x17, [sp, #128]
  stp x18, x19, [sp, #144]
  stp x20, x21, [sp, #160]
  stp x22, x23, [sp, #176]
  stp x24, x25, [sp, #192]
  stp x26, x27, [sp, #208]
  stp x28, x29, [sp, #224]
  mrs x2, elr_el1
  stp x30, x2, [sp, #240]
  mrs x2, spsr_el1
  mrs x3, fpcr
  stp x2, x3, [sp, #256]
  mrs x2, fpsr
  str x2, [sp, #272]
  add x2, sp, #QREGS
  stp q0, q1, [x2, #0]
  stp q2, q3, [x2, #32]
  stp q4, q5, [x2, #64]
  stp q6, q7, [x2, #96]
  stp q8, q9, [x2, #128]
  stp q10, q11, [x2, #160]
  stp q12, q13, [x2, #192]
  stp q14, q15, [x2, #224]
  stp q16, q17, [x2, #256]
  stp q18, q19, [x2, #288]
  stp q20, q21, [x2, #320]
  stp q22, q23, [x2, #352]
  stp q24, q25, [x2, #384]
  stp q26, q27, [x2, #416]
  stp q28, q29, [x2, #448]
  stp q30, q31, [x2, #480]

  mov x1, sp
  bl arch_exception

  add x2, sp, #QREGS
  ldp q0, q1, [x2, #0]
  ldp q2, q3, [x2, #32]
  ldp q4, q5, [x2, #64]
  ldp q6, q7, [x2, #96]
  ldp q8, q9, [x2, #128]
  ldp q10, q11, [x2, #160]
  ldp q12, q13, [x2, #192]
  ldp q14, q15, [x2, #224]
  ldp q16, q17, [x2, #256]
  ldp q18, q19, [x2, #288]
  ldp q20, q21, [x2, #320]
  ldp q22, q23, [x2, #352]
  ldp q24, q25, [x2, #384]
  ldp q26, q27, [x2, #416]
  ldp q28, q29, [x2, #448]
  ldp q30, q31, [x2, #480]
  ldr x2, [sp, #272]
  msr fpsr, x2
  ldp x2, x3, [sp, #256]
  msr spsr_el1, x2
  msr fpcr, x3
  ldp x30, x2, [sp, #240]
  msr elr_el1, x2
  ldp x28, x29, [sp, #224]
  ldp x26, x27, [sp, #208]
  ldp x24, x25, [sp, #192]
  ldp x22, x23, [sp, #176]
  ldp x20, x21, [sp, #160]
  ldp x18, x19, [sp, #144]
  ldp x16, x17, [sp, #128]
  ldp x14, x15, [sp, #112]
  ldp x12, x13, [sp, #96]
  ldp x10, x11, [sp, #80]
  ldp x8, x9, [sp, #64]
  ldp x6, x7, [sp, #48]
  ldp x4, x5, [sp, #32]
  ldp x2, x3, [sp, #16]
  ldp x0, x1, [sp, #0]
  add sp, sp, #FRAME
  eret
