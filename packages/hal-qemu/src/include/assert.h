/* assert.h for the bare-metal HAL: a failed assertion in the runtime or in
 * wasm2c output is a HAL bug, so it panics with the expression and place
 * (hal_assert_failed in src/hal/panic.c) instead of being compiled out. */
#ifndef ONCRIX_ASSERT_H
#define ONCRIX_ASSERT_H

__attribute__((noreturn)) void hal_assert_failed(const char *expr, const char *file, int line);
#define assert(e) ((e) ? (void)0 : hal_assert_failed(#e, __FILE__, __LINE__))

#endif
