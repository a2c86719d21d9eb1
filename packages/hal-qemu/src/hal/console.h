/* The HAL's own console output on COM1 (console.c): boot messages, fault and
 * log lines, panics. The UART driver process owns the same port for the
 * shell; the HAL only ever writes whole lines, as the web HAL does. */
#ifndef ONCRIX_CONSOLE_H
#define ONCRIX_CONSOLE_H
#include <stdarg.h>
#include <stdint.h>

#define COM1 0x3F8

void console_init(void);
void console_putc(char c);
void console_write(const char *s, uint32_t n);
/** printf subset: %s %c %d %u %x %% (and %ld/%lu/%lx for 32-bit longs). */
void console_vprintf(const char *fmt, va_list ap);
void console_printf(const char *fmt, ...);
/** A line from the HAL: "\r\n[oncrix] text\r\n", like the web HAL's log(). */
void hal_log(const char *fmt, ...);
/** Format into buf (at most cap-1 characters and a NUL); returns the length. */
uint32_t format(char *buf, uint32_t cap, const char *fmt, va_list ap);

#endif
