/* stdlib.h for the bare-metal HAL: the heap (src/libc/heap.c) and abort().
 * wasm-rt.h includes <stdlib.h>; the runtime needs malloc/realloc/free for
 * memories and tables. abort() is a HAL panic: there is no process to end. */
#ifndef ONCRIX_STDLIB_H
#define ONCRIX_STDLIB_H
#include <stddef.h>

void *malloc(size_t n);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
__attribute__((noreturn)) void abort(void);

#endif
