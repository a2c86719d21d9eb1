/* string.h for the bare-metal HAL: the few memory and string functions that
 * wasm2c output, the wasm-rt runtime and the HAL use. The idea: a freestanding
 * image has no C library, so this header declares exactly what src/libc/string.c
 * provides, and nothing else can sneak in from the host's glibc. */
#ifndef ONCRIX_STRING_H
#define ONCRIX_STRING_H
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
