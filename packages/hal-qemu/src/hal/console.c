/* Polled output on the console UART, and a tiny printf.
 * The idea: the HAL must be able to say something at any moment — while
 * booting, in a fault, in a panic with interrupts off — so output polls the
 * transmitter (the 16550 view of arch.h: LSR bit 5, then THR) instead of
 * depending on interrupts or on the UART driver process. format() is the one
 * formatter; everything else wraps it. */
#include <stdarg.h>
#include <stdint.h>
#include "console.h"
#include "arch.h"

#define UART_THR 0
#define UART_LSR 5
#define LSR_THR_EMPTY 0x20

void console_init(void) {
  arch_uart_init();
}

void console_putc(char c) {
  for (int i = 0; i < 100000 && (arch_uart_read(UART_LSR) & LSR_THR_EMPTY) == 0; i++) {
  }
  arch_uart_write(UART_THR, (uint8_t)c);
}

void console_write(const char *s, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) console_putc(s[i]);
}

static void put(char *buf, uint32_t cap, uint32_t *n, char c) {
  if (*n + 1 < cap) buf[*n] = c;
  (*n)++;
}

static void put_uint(char *buf, uint32_t cap, uint32_t *n, unsigned long v, uint32_t base) {
  char tmp[24];
  int i = 0;
  do {
    tmp[i++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v != 0);
  while (i > 0) put(buf, cap, n, tmp[--i]);
}

uint32_t format(char *buf, uint32_t cap, const char *fmt, va_list ap) {
  uint32_t n = 0;
  for (const char *f = fmt; *f != 0; f++) {
    if (*f != '%') {
      put(buf, cap, &n, *f);
      continue;
    }
    f++;
    int wide = *f == 'l'; /* %ld %lu %lx: a long (the width of a pointer on every target) */
    if (wide) f++;
    switch (*f) {
      case 's': {
        const char *s = va_arg(ap, const char *);
        if (s == 0) s = "(null)";
        while (*s != 0) put(buf, cap, &n, *s++);
        break;
      }
      case 'c': put(buf, cap, &n, (char)va_arg(ap, int)); break;
      case 'd': {
        long v = wide ? va_arg(ap, long) : (long)va_arg(ap, int);
        if (v < 0) {
          put(buf, cap, &n, '-');
          put_uint(buf, cap, &n, 0ul - (unsigned long)v, 10);
        } else {
          put_uint(buf, cap, &n, (unsigned long)v, 10);
        }
        break;
      }
      case 'u': put_uint(buf, cap, &n, wide ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10); break;
      case 'x': put_uint(buf, cap, &n, wide ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16); break;
      case '%': put(buf, cap, &n, '%'); break;
      case 0: f--; break;
      default: put(buf, cap, &n, '%'); put(buf, cap, &n, *f); break;
    }
  }
  if (cap > 0) buf[n < cap ? n : cap - 1] = 0;
  return n < cap ? n : cap - 1;
}

void console_vprintf(const char *fmt, va_list ap) {
  char buf[512];
  uint32_t n = format(buf, sizeof buf, fmt, ap);
  for (uint32_t i = 0; i < n; i++) {
    if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r')) console_putc('\r');
    console_putc(buf[i]);
  }
}

void console_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  console_vprintf(fmt, ap);
  va_end(ap);
}

void hal_log(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  console_write("\r\n[oncrix] ", 11);
  console_vprintf(fmt, ap);
  console_write("\r\n", 2);
  va_end(ap);
}
