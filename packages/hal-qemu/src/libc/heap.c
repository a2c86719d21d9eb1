/* The heap: malloc, calloc, realloc and free over the memory above the image.
 *
 * The idea: a first-fit allocator with an address-ordered free list that
 * merges neighbours on free, which keeps fragmentation low for the few, mostly
 * large blocks the HAL needs (process memories in 64 KiB pages, process
 * stacks, wasm2c instances, the kernel's memory). realloc grows in place when
 * the next block is free, so growing a memory rarely copies. Not used from
 * interrupt handlers, so it needs no locking. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include "heap.h"
#include "../hal/panic.h"

#define ALIGN 16u
#define HEADER 16u
#define MIN_SPLIT 64u
#define MAGIC_USED 0x55534544u /* "USED" */
#define MAGIC_FREE 0x46524545u /* "FREE" */

typedef struct block {
  uint32_t size; /* bytes including this header */
  uint32_t magic;
  struct block *next; /* next free block (free blocks only), by address */
} block_t;
_Static_assert(sizeof(block_t) <= HEADER, "a block header must fit HEADER bytes");

static block_t *free_list;
static uintptr_t heap_lo, heap_hi;
static uint32_t used_bytes;

void heap_init(uintptr_t start, uintptr_t end) {
  start = (start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
  end &= ~(uintptr_t)(ALIGN - 1);
  heap_lo = start;
  heap_hi = end;
  free_list = (block_t *)start;
  free_list->size = (uint32_t)(end - start);
  free_list->magic = MAGIC_FREE;
  free_list->next = NULL;
  used_bytes = 0;
}

uint32_t heap_total(void) { return (uint32_t)(heap_hi - heap_lo); }
uint32_t heap_used(void) { return used_bytes; }

static uint32_t round_size(size_t n) {
  if (n > 0xF0000000u) return 0;
  return (uint32_t)((n + HEADER + ALIGN - 1) & ~(size_t)(ALIGN - 1));
}

void *malloc(size_t n) {
  uint32_t need = round_size(n);
  if (need == 0) return NULL;
  block_t **link = &free_list;
  for (block_t *b = free_list; b != NULL; link = &b->next, b = b->next) {
    if (b->size < need) continue;
    if (b->size - need >= MIN_SPLIT) {
      block_t *rest = (block_t *)((char *)b + need);
      rest->size = b->size - need;
      rest->magic = MAGIC_FREE;
      rest->next = b->next;
      *link = rest;
      b->size = need;
    } else {
      *link = b->next;
    }
    b->magic = MAGIC_USED;
    b->next = NULL;
    used_bytes += b->size;
    return (char *)b + HEADER;
  }
  return NULL;
}

void *calloc(size_t count, size_t size) {
  if (size != 0 && count > 0xFFFFFFFFu / size) return NULL;
  void *p = malloc(count * size);
  if (p != NULL) memset(p, 0, count * size);
  return p;
}

static block_t *header_of(void *p) {
  block_t *b = (block_t *)((char *)p - HEADER);
  if ((uintptr_t)b < heap_lo || (uintptr_t)b >= heap_hi || b->magic != MAGIC_USED) {
    hal_panic_fmt("heap: bad pointer %lx", (unsigned long)(uintptr_t)p);
  }
  return b;
}

void free(void *p) {
  if (p == NULL) return;
  block_t *b = header_of(p);
  used_bytes -= b->size;
  b->magic = MAGIC_FREE;
  /* Insert by address, then merge with the following and the preceding block. */
  block_t *prev = NULL, *cur = free_list;
  while (cur != NULL && cur < b) {
    prev = cur;
    cur = cur->next;
  }
  b->next = cur;
  if (prev != NULL) prev->next = b; else free_list = b;
  if (cur != NULL && (char *)b + b->size == (char *)cur) {
    b->size += cur->size;
    b->next = cur->next;
  }
  if (prev != NULL && (char *)prev + prev->size == (char *)b) {
    prev->size += b->size;
    prev->next = b->next;
  }
}

void *realloc(void *p, size_t n) {
  if (p == NULL) return malloc(n);
  if (n == 0) {
    free(p);
    return NULL;
  }
  block_t *b = header_of(p);
  uint32_t need = round_size(n);
  if (need == 0) return NULL;
  if (need <= b->size) return p;
  /* Grow in place if the block right after this one is free and big enough. */
  block_t *after = (block_t *)((char *)b + b->size);
  block_t **link = &free_list;
  while (*link != NULL && *link < after) link = &(*link)->next;
  if (*link == after && b->size + after->size >= need) {
    uint32_t total = b->size + after->size;
    *link = after->next;
    if (total - need >= MIN_SPLIT) {
      block_t *rest = (block_t *)((char *)b + need);
      rest->size = total - need;
      rest->magic = MAGIC_FREE;
      rest->next = *link;
      *link = rest;
      used_bytes += need - b->size;
      b->size = need;
    } else {
      used_bytes += total - b->size;
      b->size = total;
    }
    return p;
  }
  void *q = malloc(n);
  if (q == NULL) return NULL;
  memcpy(q, p, b->size - HEADER);
  free(p);
  return q;
}
