/* Signed 64-bit division with remainder, __divmoddi4, which gcc calls on
 * i386 for code that wants both a / b and a % b of int64s (wasm2c's i64
 * div_s and rem_s side by side, as in wasi-libc's number formatting).
 *
 * The idea: the other i386 helpers come from compiler-rt's builtins
 * (build.mjs), but Debian builds that one function with the stack protector,
 * whose canary is read from %gs:0x14 — a Linux thread's TLS, which bare
 * metal has not got. Defining it here keeps the linker from taking it from
 * the archive; the unsigned work is compiler-rt's __udivmoddi4, which has no
 * canary. Rounding is C's: the quotient toward zero, the remainder with the
 * dividend's sign. */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t a, uint64_t b, uint64_t *rem);
int64_t __divmoddi4(int64_t a, int64_t b, int64_t *rem);

int64_t __divmoddi4(int64_t a, int64_t b, int64_t *rem) {
  uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
  uint64_t ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
  uint64_t ur;
  uint64_t uq = __udivmoddi4(ua, ub, &ur);
  *rem = a < 0 ? (int64_t)(0 - ur) : (int64_t)ur;
  return (a < 0) != (b < 0) ? (int64_t)(0 - uq) : (int64_t)uq;
}
