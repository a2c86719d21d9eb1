/* The trap vector of riscv64 (stvec, direct mode) and the register frame.
 *
 * Every trap taken in S-mode — the timer, the PLIC's external interrupt, an
 * exception — comes here, on whatever stack was current (there is no user
 * mode, so no stack switch). It saves every general register, sepc and
 * sstatus, and the whole FP file with fcsr (an interrupt may land in the
 * middle of the kernel's or a program's floating-point code, and the C
 * handler may use FP registers itself), calls arch_trap(frame) in C, restores
 * and returns with sret. Handlers are short and only set flags, so every
 * stack keeps a small margin for them. */

#define FRAME 544   /* x1..x31 at 8*i (slot 0: sepc), sstatus 256, fcsr 264, f0..f31 from 272 */
#define FREGS 272

  .text
  .balign 4
  .global trap_entry
trap_entry:
  addi sp, sp, -FRAME
  sd x1, 8(sp)
  sd x3, 24(sp)
  sd x4, 32(sp)
  sd x5, 40(sp)
  sd x6, 48(sp)
  sd x7, 56(sp)
  sd x8, 64(sp)
  sd x9, 72(sp)
  sd x10, 80(sp)
  sd x11, 88(sp)
  sd x12, 96(sp)
  sd x13, 104(sp)
  sd x14, 112(sp)
  sd x15, 120(sp)
  sd x16, 128(sp)
  sd x17, 136(sp)
  sd x18, 144(sp)
  sd x19, 152(sp)
  sd x20, 160(sp)
  sd x21, 168(sp)
  sd x22, 176(sp)
  sd x23, 184(sp)
  sd x24, 192(sp)
  sd x25, 200(sp)
  sd x26, 208(sp)
  sd x27, 216(sp)
  sd x28, 224(sp)
  sd x29, 232(sp)
  sd x30, 240(sp)
  sd x31, 248(sp)
  addi t0, sp, FRAME
  sd t0, 16(sp)           /* the interrupted sp, for the register dump */
  csrr t0, sepc
  sd t0, 0(sp)
  csrr t0, sstatus
  sd t0, 256(sp)
  frcsr t0
  sd t0, 264(sp)
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  fsd f\n, (FREGS + 8 * \n)(sp)
  .endr

  mv a0, sp
  call arch_trap

  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  fld f\n, (FREGS + 8 * \n)(sp)
  .endr
  ld t0, 264(sp)
  fscsr t0
  ld t0, 256(sp)
  csrw sstatus, t0
  ld t0, 0(sp)
  csrw sepc, t0
  ld x1, 8(sp)
  ld x3, 24(sp)
  ld x4, 32(sp)
  ld x5, 40(sp)
  ld x6, 48(sp)
  ld x7, 56(sp)
  ld x8, 64(sp)
  ld x9, 72(sp)
  ld x10, 80(sp)
  ld x11, 88(sp)
  ld x12, 96(sp)
  ld x13, 104(sp)
  ld x14, 112(sp)
  ld x15, 120(sp)
  ld x16, 128(sp)
  ld x17, 136(sp)
  ld x18, 144(sp)
  ld x19, 152(sp)
  ld x20, 160(sp)
  ld x21, 168(sp)
  ld x22, 176(sp)
  ld x23, 184(sp)
  ld x24, 192(sp)
  ld x25, 200(sp)
  ld x26, 208(sp)
  ld x27, 216(sp)
  ld x28, 224(sp)
  ld x29, 232(sp)
  ld x30, 240(sp)
  ld x31, 248(sp)
  addi sp, sp, FRAME
  sret
