/* The ONCRIX image header, for each architecture's boot.S (assembler), at
 * file offset 32 of every image, right after the boot header the machine's
 * loader reads (multiboot's 32 bytes; the reserved words of the arm64 Image
 * header; a jump on riscv64).
 *
 * The idea: tools such as the playground's export replace an image's boot
 * package knowing only this header, with no symbols and no compiler, and can
 * tell which machine an image is for. Little-endian words:
 *   "ONCRIXIM"   magic
 *   2            version (1: the same without the machine word, i386 only)
 *   offset       file offset of the boot package (= _load_end - _load_start)
 *   window       most bytes a boot package may take (_package_window)
 *   machine      ELF machine number: 3 i386, 62 x86_64, 183 aarch64, 243 riscv64
 * src/host/boot-package.ts reads it (imageLayout). */
#ifndef ONCRIX_IMAGE_HEADER_H
#define ONCRIX_IMAGE_HEADER_H

#define IMAGE_HEADER_OFFSET 32
#define IMAGE_HEADER_VERSION 2

#define ONCRIX_IMAGE_HEADER(machine) \
  .ascii "ONCRIXIM";                 \
  .long IMAGE_HEADER_VERSION;        \
  .long _package_offset;             \
  .long _package_window;             \
  .long machine

#endif
