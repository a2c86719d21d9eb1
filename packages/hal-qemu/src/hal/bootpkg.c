/* Reading the boot package that rides at the end of every oncrix-<arch>.img.
 *
 * The idea: configuration is data, not code, so an image can be re-targeted
 * (the playground's "export bootable image") by replacing the bytes after
 * the linked kernel — no compiler needed. Every architecture's loader loads
 * the whole file (multiboot's a.out kludge with load_end_addr = 0; the arm64
 * Image and riscv64 loaders load files whole), so the package sits in memory
 * at _load_end. The same bytes on every architecture. Layout (little-endian u32 words; see the README):
 *   0 magic "OCPK"  1 version  2 total words  3 checksum (all words sum to 0)
 *   4 cpus  5 flags  6 budget pages  7 rom words (R)  8 script bytes (S)
 *   9.. R rom words (encodeBootRom output), then S bytes padded to a word.
 * The shell start-up script rides inside the ROM, as its trailer (init hands
 * it to sh: docs/userland.md), so packages written today have S = 0; packages
 * from before that kept an unread script in the S bytes, which are skipped. */
#include <stdint.h>
#include "bootpkg.h"
#include "panic.h"
#include "oncrix_abi.h"

extern const uint32_t _load_end[];
extern const char _package_window[];

void bootpkg_load(boot_config_t *out) {
  const uint32_t *w = _load_end;
  uint32_t window_words = (uint32_t)(uintptr_t)_package_window / 4;
  if (w[0] != BOOTPKG_MAGIC) {
    hal_panic_fmt("no boot package at the end of the image (found %x): build it with `npm run image`", w[0]);
  }
  if (w[1] != BOOTPKG_VERSION) hal_panic_fmt("boot package version %u; this image reads version %u", w[1], BOOTPKG_VERSION);
  uint32_t total = w[2];
  if (total < BOOTPKG_HEADER_WORDS || total > window_words) {
    hal_panic_fmt("boot package of %u words does not fit the %u-word window", total, window_words);
  }
  uint32_t sum = 0;
  for (uint32_t i = 0; i < total; i++) sum += w[i];
  if (sum != 0) hal_panic_fmt("boot package checksum mismatch (the image is damaged or truncated)");
  uint32_t rom_words = w[7], script_bytes = w[8];
  if (BOOTPKG_HEADER_WORDS + (uint64_t)rom_words + ((uint64_t)script_bytes + 3) / 4 > total) {
    hal_panic_fmt("boot package sizes do not add up");
  }
  out->cpus = w[4];
  out->flags = w[5];
  out->budget_pages = w[6];
  out->rom = w + BOOTPKG_HEADER_WORDS;
  out->rom_words = rom_words;
  out->script = (const uint8_t *)(w + BOOTPKG_HEADER_WORDS + rom_words);
  out->script_bytes = script_bytes;
  if (out->cpus < 1 || out->cpus > ONCRIX_MAX_CPUS) hal_panic_fmt("boot package asks for %u CPUs (1..%u)", out->cpus, ONCRIX_MAX_CPUS);
}
