/* Stack switching and non-local jumps on riscv64.
 *
 * Switching is cooperative — always at a C call — so only what the RISC-V
 * calling convention (lp64d) preserves across a call is saved: ra (where
 * ctx_switch returns to), sp, s0..s11 and fs0..fs11. A fresh stack
 * (arch_stack_init in cpu.c) holds such a frame with ra = the process entry.
 * setjmp/longjmp save and restore the same registers: wasm-rt's way for a
 * trapping program to unwind to its process entry. */

#define SWITCH_FRAME 208  /* ra, s0..s11, fs0..fs11 (25 words), padded to 16 bytes */

.macro SAVE base
  sd ra, 0(\base)
  sd s0, 8(\base)
  sd s1, 16(\base)
  sd s2, 24(\base)
  sd s3, 32(\base)
  sd s4, 40(\base)
  sd s5, 48(\base)
  sd s6, 56(\base)
  sd s7, 64(\base)
  sd s8, 72(\base)
  sd s9, 80(\base)
  sd s10, 88(\base)
  sd s11, 96(\base)
  fsd fs0, 104(\base)
  fsd fs1, 112(\base)
  fsd fs2, 120(\base)
  fsd fs3, 128(\base)
  fsd fs4, 136(\base)
  fsd fs5, 144(\base)
  fsd fs6, 152(\base)
  fsd fs7, 160(\base)
  fsd fs8, 168(\base)
  fsd fs9, 176(\base)
  fsd fs10, 184(\base)
  fsd fs11, 192(\base)
.endm

.macro RESTORE base
  ld ra, 0(\base)
  ld s0, 8(\base)
  ld s1, 16(\base)
  ld s2, 24(\base)
  ld s3, 32(\base)
  ld s4, 40(\base)
  ld s5, 48(\base)
  ld s6, 56(\base)
  ld s7, 64(\base)
  ld s8, 72(\base)
  ld s9, 80(\base)
  ld s10, 88(\base)
  ld s11, 96(\base)
  fld fs0, 104(\base)
  fld fs1, 112(\base)
  fld fs2, 120(\base)
  fld fs3, 128(\base)
  fld fs4, 136(\base)
  fld fs5, 144(\base)
  fld fs6, 152(\base)
  fld fs7, 160(\base)
  fld fs8, 168(\base)
  fld fs9, 176(\base)
  fld fs10, 184(\base)
  fld fs11, 192(\base)
.endm

  .text

/* void ctx_switch(uintptr_t *save_sp, uintptr_t new_sp) */
  .global ctx_switch
ctx_switch:
  addi sp, sp, -SWITCH_FRAME
  SAVE sp
  sd sp, 0(a0)
  mv sp, a1
  RESTORE sp
  addi sp, sp, SWITCH_FRAME
  ret

/* void call_on_stack(void (*fn)(void *), void *arg, void *stack_top) */
  .global call_on_stack
call_on_stack:
  addi sp, sp, -16
  sd ra, 8(sp)
  sd s0, 0(sp)
  mv s0, sp
  andi a2, a2, -16
  mv sp, a2
  mv t0, a0
  mv a0, a1
  jalr t0
  mv sp, s0
  ld s0, 0(sp)
  ld ra, 8(sp)
  addi sp, sp, 16
  ret

/* int setjmp(jmp_buf env): ra, s0..s11, fs0..fs11, sp (at 200) */
  .global setjmp
setjmp:
  SAVE a0
  sd sp, 200(a0)
  li a0, 0
  ret

/* void longjmp(jmp_buf env, int value): setjmp returns value (1 if 0) */
  .global longjmp
longjmp:
  RESTORE a0
  ld sp, 200(a0)
  seqz a0, a1
  add a0, a0, a1
  ret
