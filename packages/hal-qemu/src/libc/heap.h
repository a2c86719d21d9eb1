/* The heap (heap.c): set up once from the memory map, then malloc & co. */
#ifndef ONCRIX_HEAP_H
#define ONCRIX_HEAP_H
#include <stdint.h>
void heap_init(uintptr_t start, uintptr_t end);
/** Bytes the heap manages, and bytes allocated now (headers included). */
uint32_t heap_total(void);
uint32_t heap_used(void);
#endif
