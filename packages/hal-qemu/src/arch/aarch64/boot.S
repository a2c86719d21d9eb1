/* Entry of the ONCRIX image for aarch64 on QEMU's virt board.
 *
 * The file starts with the arm64 Linux Image header, which QEMU's -kernel
 * loader understands: it loads the WHOLE file (the boot package appended
 * after the linked kernel included) at RAM + text_offset (0x40200000),
 * enters at its first byte at EL1 with the MMU off and x0 = the device
 * tree's address. The header's reserved words at offset 32 hold the ONCRIX
 * image header (hal/image_header.h), so tools treat every image alike.
 *
 * The entry checks that it runs at EL1 and where it was linked, turns the
 * FP/SIMD unit on (WebAssembly's floats; CPACR_EL1.FPEN), installs the
 * exception vectors, and turns the MMU and caches on with one level-1 table
 * of 1 GiB blocks, identity-mapped: the first GiB (flash, GIC, PL011, the
 * other devices) as Device memory, the next three (RAM from 0x40000000) as
 * Normal write-back memory. The MMU is needed even without paging: with it
 * off every data access is Device memory, where an unaligned access faults —
 * and WebAssembly loads and stores may be unaligned. Then it zeroes BSS and
 * calls kmain(dtb, 0) on the host stack. */

#include "../../hal/image_header.h"

#define PL011_DR 0x09000000
/* MAIR: attribute 0 Device-nGnRnE, attribute 1 Normal write-back read/write-allocate. */
#define MAIR 0xFF00
/* TCR: T0SZ 32 (4 GiB), inner/outer write-back, inner shareable, 4 KiB granule, no TTBR1 walks (EPD1). */
#define TCR ((32 << 0) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))
/* SCTLR_EL1: the RES1 bits of ARMv8.0, MMU (M), data cache (C), SP alignment check (SA), instruction
 * cache (I); alignment checking (A) stays off, so unaligned Normal-memory accesses are fine. */
#define SCTLR (0x30D00800 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12))
/* Level-1 block descriptors: valid block, AttrIndx, inner shareable, access flag; devices never executable. */
#define BLOCK_DEVICE(pa) ((pa) | (0 << 2) | (1 << 10) | (3 << 53) | 1)
#define BLOCK_NORMAL(pa) ((pa) | (1 << 2) | (3 << 8) | (1 << 10) | 1)

  .section .text.boot, "ax"
  .global _start
_start:
  b entry                 /* code0 */
  .long 0                 /* code1 */
  .quad 0x200000          /* text_offset: RAM base + 2 MiB */
  .quad _image_size       /* image_size: what the loader must keep free, BSS included */
  .quad 0                 /* flags: little-endian */
  ONCRIX_IMAGE_HEADER(183) /* offsets 32..55, the header's reserved words; 183 = EM_AARCH64 */
  .ascii "ARM\x64"        /* offset 56: the arm64 Image magic */
  .long 0

entry:
  msr daifset, #0xf
  mov x19, x0             /* the device tree */
  mrs x1, CurrentEL
  lsr x1, x1, #2
  cmp x1, #1
  b.ne wrong_el
  adr x1, _start
  ldr x2, =_start
  cmp x1, x2
  b.ne wrong_place

  mov x1, #(3 << 20)      /* CPACR_EL1.FPEN: FP and SIMD at EL1 without traps */
  msr cpacr_el1, x1
  isb
  ldr x1, =vectors
  msr vbar_el1, x1

  ldr x1, =MAIR
  msr mair_el1, x1
  ldr x1, =TCR
  msr tcr_el1, x1
  ldr x1, =page_table
  msr ttbr0_el1, x1
  dsb ish
  isb
  tlbi vmalle1
  dsb ish
  isb
  ldr x1, =SCTLR
  msr sctlr_el1, x1
  isb

  ldr x1, =_bss_start
  ldr x2, =_bss_end
1:
  cmp x1, x2
  b.hs 2f
  stp xzr, xzr, [x1], #16
  b 1b
2:
  ldr x1, =host_stack_top
  mov sp, x1
  mov x0, x19
  mov x1, #0
  bl kmain
  b halt

wrong_el:
  ldr x0, =msg_el
  b say
wrong_place:
  ldr x0, =msg_place
say:
  ldr x1, =PL011_DR
3:
  ldrb w2, [x0], #1
  cbz w2, halt
  str w2, [x1]
  b 3b
halt:
  wfi
  b halt

/* void arch_semihost_exit(const uint64_t block[2]): semihosting SYS_EXIT with ADP_Stopped_ApplicationExit
 * and a status; QEMU (-semihosting) exits with it. Without semihosting the HLT is an undefined
 * instruction: cpu.c sees it at semihost_hlt and powers off through PSCI instead. */
  .text
  .global arch_semihost_exit, semihost_hlt
arch_semihost_exit:
  mov x1, x0
  mov x0, #0x18
semihost_hlt:
  hlt #0xf000
  b halt

  .section .rodata
msg_el:
  .asciz "ONCRIX: the aarch64 image must start at EL1 (qemu-system-aarch64 -M virt without virtualization=on)\r\n"
msg_place:
  .asciz "ONCRIX: the aarch64 image was not loaded at 0x40200000: boot it with qemu-system-aarch64 -M virt -kernel\r\n"

  .data
  .balign 4096
page_table:
  .quad BLOCK_DEVICE(0x00000000)
  .quad BLOCK_NORMAL(0x40000000)
  .quad BLOCK_NORMAL(0x80000000)
  .quad BLOCK_NORMAL(0xC0000000)

  .bss
  .balign 16
  .global host_stack_top
host_stack: .skip 65536
host_stack_top:
