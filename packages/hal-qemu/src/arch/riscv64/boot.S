/* Entry of the ONCRIX image for riscv64 on QEMU's virt board, after OpenSBI.
 *
 * QEMU's -bios default is OpenSBI (fw_dynamic): it runs in M-mode, loads
 * nothing itself — QEMU's -kernel loader has already put the WHOLE file (the
 * boot package appended after the linked kernel included) at 0x80200000 —
 * and enters it in S-mode with a0 = the hart and a1 = the device tree. The
 * first word jumps over the ONCRIX image header at offset 32
 * (hal/image_header.h).
 *
 * The entry masks interrupts, turns the FP unit on (sstatus.FS = Initial:
 * WebAssembly's floats; with FS off every FP instruction traps), sets the
 * trap vector (direct mode), checks where it was linked, zeroes BSS and calls
 * kmain(dtb, hart) on the host stack. No paging: S-mode without satp sees
 * physical memory, and isolation is WebAssembly's bounds checks. */

#include "../../hal/image_header.h"

#define SSTATUS_SIE (1 << 1)
#define SSTATUS_FS_INITIAL (1 << 13)

  .section .text.boot, "ax"
  .global _start
_start:
  j entry
  .balign 32
  ONCRIX_IMAGE_HEADER(243) /* at file offset 32; 243 = EM_RISCV */
  .balign 8
linked_start:
  .dword _start

entry:
  csrw sie, zero
  csrci sstatus, SSTATUS_SIE
  li t0, SSTATUS_FS_INITIAL
  csrs sstatus, t0
  fscsr zero
  lla t0, trap_entry
  csrw stvec, t0
  mv s0, a0               /* the hart */
  mv s1, a1               /* the device tree */

  lla t0, _start           /* where we run (PC-relative) ... */
  ld t1, linked_start     /* ... and where we were linked */
  bne t0, t1, wrong_place

  lla t0, _bss_start
  lla t1, _bss_end
1:
  bgeu t0, t1, 2f
  sd zero, 0(t0)
  sd zero, 8(t0)
  addi t0, t0, 16
  j 1b
2:
  lla sp, host_stack_top
  mv a0, s1
  mv a1, s0
  call kmain
halt:
  wfi
  j halt

wrong_place:
  lla t0, msg_place
  li t1, 0x10000000       /* the UART's transmit register */
3:
  lbu t2, 0(t0)
  beqz t2, halt
  sb t2, 0(t1)
  addi t0, t0, 1
  j 3b

  .section .rodata
msg_place:
  .asciz "ONCRIX: the riscv64 image was not loaded at 0x80200000: boot it with qemu-system-riscv64 -M virt -bios default -kernel\r\n"

  .bss
  .balign 16
  .global host_stack_top
host_stack: .skip 65536
host_stack_top:
