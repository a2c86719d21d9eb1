/* Stopping the machine (panic.c): a kernel panic, a HAL bug, a CPU exception. */
#ifndef ONCRIX_PANIC_H
#define ONCRIX_PANIC_H
#include <stdint.h>

/** isa-debug-exit codes (QEMU exits with status code * 2 + 1). */
#define EXIT_PANIC 1
#define EXIT_HALTED 0

/** Print "*** text" on the serial port, leave through isa-debug-exit, halt. */
__attribute__((noreturn)) void hal_panic(const char *text, uint32_t len);
__attribute__((noreturn)) void hal_panic_fmt(const char *fmt, ...);
/** Leave QEMU through isa-debug-exit (if present), then halt forever. */
__attribute__((noreturn)) void machine_stop(uint8_t code);

#endif
