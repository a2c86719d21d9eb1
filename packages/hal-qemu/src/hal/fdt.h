/* Reading the flattened device tree a boot loader hands over (fdt.c): on the
 * virt boards of aarch64 and riscv64 it is where the size of RAM (and the
 * timer's frequency on riscv64) is written. */
#ifndef ONCRIX_FDT_H
#define ONCRIX_FDT_H
#include <stdint.h>

/** Property `prop` of the top-level node `node` (or `node@…`; "" for the root): its value and length, or 0. */
const uint8_t *fdt_prop(const void *fdt, const char *node, const char *prop, uint32_t *len);
/** The first range of the memory node: 1 if found. */
int fdt_memory(const void *fdt, uint64_t *base, uint64_t *size);
/** A one-cell property of a top-level node, or `fallback` when it is missing. */
uint32_t fdt_u32(const void *fdt, const char *node, const char *prop, uint32_t fallback);

#endif
