/* The memory and string functions of the freestanding image.
 * The idea: wasm2c output and the runtime copy memory a lot (memory.copy,
 * data segments, copies between process memories); x86 string instructions
 * are short and fast enough, and inline assembly keeps the compiler from
 * "optimising" a copy loop back into a call to memcpy itself. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *memcpy(void *dst, const void *src, size_t n) {
  void *d = dst;
  size_t words = n >> 2;
  __asm__ volatile("rep movsl" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
  size_t rest = n & 3;
  __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(rest) : : "memory");
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  if ((uintptr_t)dst <= (uintptr_t)src || (uintptr_t)dst >= (uintptr_t)src + n) return memcpy(dst, src, n);
  /* Overlapping, destination above the source: copy backwards. */
  unsigned char *d = (unsigned char *)dst + n - 1;
  const unsigned char *s = (const unsigned char *)src + n - 1;
  __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  void *d = dst;
  __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n] != 0) n++;
  return n;
}

int strcmp(const char *a, const char *b) {
  while (*a != 0 && *a == *b) {
    a++;
    b++;
  }
  return (unsigned char)*a - (unsigned char)*b;
}
