/* Panics: the kernel's panic import, HAL assertions, CPU exceptions.
 * The idea: say exactly why on the serial port (with the last trace records,
 * which show what the kernel was doing), then stop in a way a test harness
 * sees at once: arch_stop ends QEMU with a status that says which (through
 * isa-debug-exit on the PC, semihosting on aarch64, the test device on
 * riscv64); on a machine without that the CPU stops with interrupts off. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <assert.h>
#include "panic.h"
#include "console.h"
#include "trace.h"
#include "arch.h"

static int panicking;

void machine_stop(uint8_t code) {
  arch_irq_disable();
  arch_stop(code);
}

void hal_panic(const char *text, uint32_t len) {
  arch_irq_disable();
  if (panicking++) machine_stop(EXIT_PANIC); /* a panic while panicking: just stop */
  console_write("\r\n[oncrix] *** ", 15);
  console_write(text, len);
  console_write("\r\n", 2);
  trace_dump_tail(8);
  hal_log("*** the machine has stopped.");
  machine_stop(EXIT_PANIC);
}

void hal_panic_fmt(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  uint32_t n = format(buf, sizeof buf, fmt, ap);
  va_end(ap);
  hal_panic(buf, n);
}

void hal_assert_failed(const char *expr, const char *file, int line) {
  hal_panic_fmt("HAL assertion failed: %s (%s:%d)", expr, file, line);
}

void abort(void) {
  hal_panic_fmt("abort() called");
}
