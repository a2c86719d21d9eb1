/* Reading the flattened device tree (FDT, the devicetree specification's
 * binary form) that QEMU's virt boards hand to a kernel: the size of RAM and,
 * on riscv64, the timer's frequency.
 *
 * The idea: the HAL needs two or three numbers from the tree, so this is a
 * walk over the structure block, not a library: tokens BEGIN_NODE (name),
 * END_NODE, PROP (length, name offset, value), NOP and END, big-endian,
 * 4-byte aligned, bounded by the header's total size so a damaged tree cannot
 * send the walk outside it. Only top-level nodes are looked at, which is
 * where /memory and /cpus live. It runs before the heap exists (the tree lies
 * in RAM the heap later takes), so callers read what they need at once. */
#include <stdint.h>
#include <string.h>
#include "fdt.h"

#define FDT_MAGIC 0xD00DFEEDu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/** "memory" matches "memory" and "memory@40000000". */
static int name_matches(const char *name, const char *want) {
  size_t i = 0;
  for (; want[i] != 0; i++) {
    if (name[i] != want[i]) return 0;
  }
  return name[i] == 0 || name[i] == '@';
}

static uint32_t align4(uint32_t n) { return (n + 3) & ~3u; }

const uint8_t *fdt_prop(const void *fdt, const char *node, const char *prop, uint32_t *len) {
  const uint8_t *b = fdt;
  if (b == 0 || be32(b) != FDT_MAGIC) return 0;
  uint32_t total = be32(b + 4), off_struct = be32(b + 8), off_strings = be32(b + 12);
  if (off_struct >= total || off_strings >= total) return 0;
  const char *strings = (const char *)b + off_strings;
  uint32_t at = off_struct;
  int depth = 0, inside = node[0] == 0;
  int prop_depth = node[0] == 0 ? 1 : 2; /* the root's properties sit at depth 1, a child's at 2 */
  while (at + 4 <= total) {
    uint32_t token = be32(b + at);
    at += 4;
    if (token == FDT_BEGIN_NODE) {
      const char *name = (const char *)b + at;
      uint32_t n = 0;
      while (at + n < total && name[n] != 0) n++;
      at += align4(n + 1);
      depth++;
      if (depth == 2 && node[0] != 0) inside = name_matches(name, node);
    } else if (token == FDT_END_NODE) {
      if (depth == 2 && node[0] != 0) inside = 0;
      if (--depth <= 0) return 0;
    } else if (token == FDT_PROP) {
      if (at + 8 > total) return 0;
      uint32_t plen = be32(b + at), nameoff = be32(b + at + 4);
      at += 8;
      if (plen > total - at) return 0;
      if (depth == prop_depth && inside && off_strings + nameoff < total && strcmp(strings + nameoff, prop) == 0) {
        *len = plen;
        return b + at;
      }
      at += align4(plen);
    } else if (token != FDT_NOP) {
      return 0; /* FDT_END, or damage */
    }
  }
  return 0;
}

uint32_t fdt_u32(const void *fdt, const char *node, const char *prop, uint32_t fallback) {
  uint32_t len;
  const uint8_t *v = fdt_prop(fdt, node, prop, &len);
  return v != 0 && len == 4 ? be32(v) : fallback;
}

/** `cells` big-endian cells as one number (1 or 2 cells). */
static uint64_t cells_at(const uint8_t *p, uint32_t cells) {
  return cells == 2 ? (uint64_t)be32(p) << 32 | be32(p + 4) : be32(p);
}

int fdt_memory(const void *fdt, uint64_t *base, uint64_t *size) {
  uint32_t ac = fdt_u32(fdt, "", "#address-cells", 2), sc = fdt_u32(fdt, "", "#size-cells", 1);
  if (ac < 1 || ac > 2 || sc < 1 || sc > 2) return 0;
  uint32_t len;
  const uint8_t *reg = fdt_prop(fdt, "memory", "reg", &len);
  if (reg == 0 || len < 4 * (ac + sc)) return 0;
  *base = cells_at(reg, ac);
  *size = cells_at(reg + 4 * ac, sc);
  return 1;
}
