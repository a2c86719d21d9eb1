/* The boot package appended to the image (bootpkg.c). */
#ifndef ONCRIX_BOOTPKG_H
#define ONCRIX_BOOTPKG_H
#include <stdint.h>

/** "OCPK" */
#define BOOTPKG_MAGIC 0x4B50434Fu
#define BOOTPKG_VERSION 1u
#define BOOTPKG_HEADER_WORDS 9u

typedef struct boot_config {
  uint32_t cpus;
  uint32_t flags; /* ONCRIX_K_FLAG_* */
  uint32_t budget_pages;
  const uint32_t *rom;
  uint32_t rom_words;
  const uint8_t *script; /* bytes after the ROM: empty today (the start-up script is the ROM's trailer) */
  uint32_t script_bytes;
} boot_config_t;

/** Find and check the package; panics with the reason if it is missing or damaged. */
void bootpkg_load(boot_config_t *out);

#endif
