/* Multiboot entry of the ONCRIX image for x86_64: from 32-bit protected mode
 * to long mode.
 *
 * A multiboot loader (QEMU's -kernel) only starts 32-bit kernels, so the
 * header and the first instructions are 32-bit code, exactly as on i386: the
 * a.out kludge (flag 16) with load_end_addr = 0 makes the loader load the
 * WHOLE flat file at 1 MiB, boot package included (see i386/boot.S), and the
 * ONCRIX image header follows at file offset 32 (hal/image_header.h).
 *
 * The entry then checks for long mode, zeroes BSS, identity-maps the first
 * 4 GiB with 2 MiB pages (everything the HAL touches: the image, the heap,
 * the multiboot info; ONCRIX needs paging only because long mode does —
 * isolation is WebAssembly's bounds checks), turns on PAE, SSE and EFER.LME,
 * enables paging, loads a 64-bit GDT, jumps to 64-bit code and calls
 * kmain(magic, mbi) on the host stack. */

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
  ONCRIX_IMAGE_HEADER(62) /* at file offset 32; 62 = EM_X86_64 */

  .section .text.boot, "ax"
  .code32
  .global _start
_start:
  cli
  cld
  mov %eax, %edi          /* multiboot magic and info: kept in edi/esi for kmain */
  mov %ebx, %esi

  /* Long mode present? (CPUID 0x80000001:EDX bit 29) */
  mov $0x80000000, %eax
  cpuid
  cmp $0x80000001, %eax
  jb no_long_mode
  mov $0x80000001, %eax
  cpuid
  test $(1 << 29), %edx
  jz no_long_mode

  /* Zero BSS (the page tables and the host stack live there). */
  push %edi
  mov $_bss_start, %edi
  mov $_bss_end, %ecx
  sub %edi, %ecx
  xor %eax, %eax
  rep stosb
  pop %edi

  /* PML4[0] -> PDPT; PDPT[0..3] -> four page directories; each PD entry maps 2 MiB. */
  mov $pdpt, %eax
  or $3, %eax             /* present, writable */
  mov %eax, pml4
  mov $page_dirs, %eax
  or $3, %eax
  mov $pdpt, %ebx
  mov $4, %ecx
1:
  mov %eax, (%ebx)
  add $4096, %eax
  add $8, %ebx
  loop 1b
  mov $page_dirs, %ebx
  mov $0x83, %eax         /* present, writable, 2 MiB page */
  xor %edx, %edx          /* physical address bits 32 and up */
  mov $2048, %ecx
2:
  mov %eax, (%ebx)
  mov %edx, 4(%ebx)
  add $0x200000, %eax
  adc $0, %edx
  add $8, %ebx
  loop 2b

  mov $pml4, %eax
  mov %eax, %cr3
  /* CR4: PAE (5), OSFXSR (9), OSXMMEXCPT (10) */
  mov %cr4, %eax
  or $((1 << 5) | (1 << 9) | (1 << 10)), %eax
  mov %eax, %cr4
  /* EFER.LME */
  mov $0xC0000080, %ecx
  rdmsr
  or $(1 << 8), %eax
  wrmsr
  /* CR0: PG (31), PE (0), MP (1); EM (2) off: the FPU and SSE are on */
  mov %cr0, %eax
  and $~(1 << 2), %eax
  or $((1 << 31) | (1 << 1) | 1), %eax
  mov %eax, %cr0

  lgdt gdt64_ptr
  ljmp $0x08, $long_mode

/* No long mode (qemu-system-i386, or an old -cpu): say so on COM1 and stop. */
no_long_mode:
  mov $no_lm_msg, %esi
3:
  lodsb
  test %al, %al
  jz 4f
  mov $0x3F8, %dx
  outb %al, %dx
  jmp 3b
4:
  cli
  hlt
  jmp 4b

  .code64
long_mode:
  mov $0x10, %ax
  mov %ax, %ds
  mov %ax, %es
  mov %ax, %fs
  mov %ax, %gs
  mov %ax, %ss
  fninit
  mov $host_stack_top, %rsp
  and $-16, %rsp
  /* kmain(magic = rdi, mbi = rsi): zero-extend the 32-bit values */
  mov %edi, %edi
  mov %esi, %esi
  call kmain
5:
  cli
  hlt
  jmp 5b

  .section .rodata
no_lm_msg:
  .asciz "ONCRIX: this is the x86_64 image and this CPU has no long mode; use qemu-system-x86_64 (or the i386 image)\r\n"

  .align 16
gdt64:
  .quad 0                  /* null */
  .quad 0x00AF9A000000FFFF /* 0x08: code, ring 0, 64-bit (L) */
  .quad 0x00CF92000000FFFF /* 0x10: data, ring 0, writable */
gdt64_end:
gdt64_ptr:
  .word gdt64_end - gdt64 - 1
  .quad gdt64

  .bss
  .align 4096
pml4: .skip 4096
pdpt: .skip 4096
page_dirs: .skip 4 * 4096
  .align 16
  .global host_stack_top
host_stack: .skip 65536
host_stack_top:
