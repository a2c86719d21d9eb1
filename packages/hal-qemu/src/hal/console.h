/* The HAL's own console output on the UART (console.c): boot messages, fault
 * and log lines, panics. The UART driver process owns the same UART for the
 * shell; the HAL only ever writes whole lines, as the web HAL does. */
#ifndef ONCRIX_CONSOLE_H
#define ONCRIX_CONSOLE_H
#include <stdarg.h>
#include <stdint.h>

#define HAL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/** The UART, for polled output (arch_uart_init). */
void console_init(void);
void console_putc(char c);
void console_write(const char *s, uint32_t n);
/** printf subset: %s %c %d %u %x %% and %ld %lu %lx for longs (checked by the compiler like printf). */
void console_vprintf(const char *fmt, va_list ap) HAL_PRINTF(1, 0);
void console_printf(const char *fmt, ...) HAL_PRINTF(1, 2);
/** A line from the HAL: "\r\n[oncrix] text\r\n", like the web HAL's log(). */
void hal_log(const char *fmt, ...) HAL_PRINTF(1, 2);
/** Format into buf (at most cap-1 characters and a NUL); returns the length. */
uint32_t format(char *buf, uint32_t cap, const char *fmt, va_list ap) HAL_PRINTF(3, 0);

#endif
