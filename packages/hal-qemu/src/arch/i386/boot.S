/* Multiboot entry of the ONCRIX image for i386 (32-bit protected mode).
 *
 * The header uses the multiboot "a.out kludge" (flag 16): the loader takes
 * load/entry addresses from here instead of parsing ELF, and load_end_addr = 0
 * tells it to load the WHOLE file. So bytes appended to oncrix.img after the
 * linked kernel (the boot package: manifest ROM, CPUs, budget) land in memory
 * right at _load_end, where the HAL finds them. BSS starts a fixed window
 * (_package_window) after _load_end, so the package is never zeroed.
 *
 * Right after the multiboot header comes the ONCRIX image header
 * (hal/image_header.h) so tools such as the playground's image export can
 * replace the package without symbols.
 *
 * The entry code: check for SSE2 (the C code uses SSE2 for IEEE doubles),
 * enable it, zero BSS, switch to the host stack and call kmain(magic, mbi). */

#include "../../hal/image_header.h"

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS ((1 << 1) | (1 << 16)) /* memory info; address fields valid (a.out kludge) */

  .section .multiboot, "a"
  .align 4
  .global multiboot_header
multiboot_header:
  .long MB_MAGIC
  .long MB_FLAGS
  .long -(MB_MAGIC + MB_FLAGS)
  .long multiboot_header /* header_addr */
  .long _load_start      /* load_addr */
  .long 0                /* load_end_addr: 0 = the whole file, appended package included */
  .long _bss_end         /* bss_end_addr */
  .long _start           /* entry_addr */
  ONCRIX_IMAGE_HEADER(3) /* at file offset 32; 3 = EM_386 */

  .text
  .global _start
_start:
  cli
  cld
  mov %eax, mb_magic_saved
  mov %ebx, mb_info_saved

  /* SSE2 present? (CPUID.1:EDX bit 26) */
  mov $1, %eax
  cpuid
  test $(1 << 26), %edx
  jz no_sse2

  /* Enable SSE: CR0.EM = 0, CR0.MP = 1; CR4.OSFXSR | CR4.OSXMMEXCPT */
  mov %cr0, %eax
  and $~(1 << 2), %eax
  or $(1 << 1), %eax
  mov %eax, %cr0
  mov %cr4, %eax
  or $((1 << 9) | (1 << 10)), %eax
  mov %eax, %cr4
  fninit

  /* Zero BSS (the host stack lives there, so before any call). */
  mov $_bss_start, %edi
  mov $_bss_end, %ecx
  sub %edi, %ecx
  xor %eax, %eax
  rep stosb

  mov $host_stack_top, %esp
  and $-16, %esp
  sub $8, %esp
  push mb_info_saved
  push mb_magic_saved
  call kmain
halt_forever:
  cli
  hlt
  jmp halt_forever

/* No SSE2: say so on COM1 and stop. */
no_sse2:
  mov $no_sse2_msg, %esi
1:
  lodsb
  test %al, %al
  jz halt_forever
  mov $0x3F8, %dx
  outb %al, %dx
  jmp 1b

  .section .rodata
no_sse2_msg:
  .asciz "ONCRIX: this CPU has no SSE2; use a newer -cpu\r\n"

  .data
  .align 4
  .global mb_magic_saved, mb_info_saved
mb_magic_saved: .long 0
mb_info_saved: .long 0

  .bss
  .align 16
  .global host_stack_top
host_stack: .skip 65536
host_stack_top:
