/* Stopping the machine (panic.c): a kernel panic, a HAL bug, a CPU exception. */
#ifndef ONCRIX_PANIC_H
#define ONCRIX_PANIC_H
#include <stdint.h>

/** arch_stop codes (QEMU exits with status code * 2 + 1). */
#define EXIT_PANIC 1
#define EXIT_HALTED 0

/** Print "*** text" on the serial port, stop the machine with EXIT_PANIC. */
__attribute__((noreturn)) void hal_panic(const char *text, uint32_t len);
__attribute__((noreturn, format(printf, 1, 2))) void hal_panic_fmt(const char *fmt, ...);
/** Stop the machine (arch_stop): QEMU ends with status code * 2 + 1 where the machine can say it. */
__attribute__((noreturn)) void machine_stop(uint8_t code);

#endif
