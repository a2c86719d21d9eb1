/* The memory and string functions of the freestanding image, in plain C for
 * every architecture.
 * The idea: wasm2c output and the runtime copy memory a lot (memory.copy,
 * data segments, copies between process memories), so copies move a word at
 * a time when source and destination are aligned alike, and a byte at a time
 * otherwise. build.mjs compiles with -fno-tree-loop-distribute-patterns, so
 * the compiler does not turn these loops back into calls to themselves. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uintptr_t word_t;
#define WORD sizeof(word_t)

/* Words accessed through a may_alias type: byte buffers of any type are copied. */
typedef word_t __attribute__((may_alias)) aliased_word_t;

void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0) {
    while (n > 0 && ((uintptr_t)d & (WORD - 1)) != 0) {
      *d++ = *s++;
      n--;
    }
    for (; n >= WORD; n -= WORD, d += WORD, s += WORD) *(aliased_word_t *)d = *(const aliased_word_t *)s;
  }
  while (n-- > 0) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  if ((uintptr_t)dst <= (uintptr_t)src || (uintptr_t)dst >= (uintptr_t)src + n) return memcpy(dst, src, n);
  /* Overlapping, destination above the source: copy backwards. */
  unsigned char *d = (unsigned char *)dst + n;
  const unsigned char *s = (const unsigned char *)src + n;
  if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0) {
    while (n > 0 && ((uintptr_t)d & (WORD - 1)) != 0) {
      *--d = *--s;
      n--;
    }
    for (; n >= WORD; n -= WORD) {
      d -= WORD;
      s -= WORD;
      *(aliased_word_t *)d = *(const aliased_word_t *)s;
    }
  }
  while (n-- > 0) *--d = *--s;
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  word_t w = (word_t)(unsigned char)c * (word_t)0x0101010101010101ull;
  while (n > 0 && ((uintptr_t)d & (WORD - 1)) != 0) {
    *d++ = (unsigned char)c;
    n--;
  }
  for (; n >= WORD; n -= WORD, d += WORD) *(aliased_word_t *)d = w;
  while (n-- > 0) *d++ = (unsigned char)c;
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
