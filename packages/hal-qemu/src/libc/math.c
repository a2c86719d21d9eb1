/* The floating-point functions wasm2c's helpers call (f32/f64 floor, ceil,
 * trunc, nearest, abs, sqrt, copysign), for every architecture.
 *
 * The idea: WebAssembly wants exact IEEE results, and every image computes in
 * IEEE doubles and floats in hardware (SSE2 on the PC, the FP unit on aarch64
 * and riscv64). sqrt is the CPU's square-root instruction (__builtin_sqrt
 * with -fno-math-errno compiles to sqrtsd, fsqrt, fsqrt.d: correctly rounded,
 * as IEEE requires), and the rounding functions work on the bits (the PCs
 * QEMU emulates by default have no SSE4.1 roundsd). Where a CPU has rounding
 * instructions (aarch64's frint*), the compiler uses them in wasm2c's code
 * directly and these are not called. nearbyint rounds half to even with the
 * classic 2^52 trick, which is exact under the default rounding mode that
 * nothing changes. */
#include <stdint.h>
#include <string.h>
#include <math.h>

static uint64_t bits(double x) {
  uint64_t u;
  memcpy(&u, &x, 8);
  return u;
}

static double from_bits(uint64_t u) {
  double x;
  memcpy(&x, &u, 8);
  return x;
}

double trunc(double x) {
  uint64_t u = bits(x);
  int e = (int)((u >> 52) & 0x7ff) - 1023;
  if (e >= 52) return x;                                /* already integral, inf or NaN */
  if (e < 0) return from_bits(u & 0x8000000000000000ull); /* |x| < 1: signed zero */
  uint64_t frac = 0x000fffffffffffffull >> e;
  return from_bits(u & ~frac);
}

double floor(double x) {
  double t = trunc(x);
  return (x < 0 && t != x) ? t - 1.0 : t;
}

double ceil(double x) {
  double t = trunc(x);
  return (x > 0 && t != x) ? t + 1.0 : t;
}

double nearbyint(double x) {
  const double two52 = 4503599627370496.0;
  uint64_t u = bits(x);
  int e = (int)((u >> 52) & 0x7ff) - 1023;
  if (e >= 52) return x;
  volatile double a = fabs(x);
  volatile double r = (a + two52) - two52; /* rounds half to even */
  double y = r;
  return (u >> 63) ? -y : y;              /* keeps the sign, also of a zero result */
}

double fabs(double x) {
  return from_bits(bits(x) & ~0x8000000000000000ull);
}

double sqrt(double x) { return __builtin_sqrt(x); }

/* f64.copysign: x's magnitude with y's sign bit (also for zeros and NaNs). */
double copysign(double x, double y) {
  return from_bits((bits(x) & ~0x8000000000000000ull) | (bits(y) & 0x8000000000000000ull));
}

/* float versions: a float is exact as a double, and so is an integral result. */
float floorf(float x) { return (float)floor(x); }
float ceilf(float x) { return (float)ceil(x); }
float truncf(float x) { return (float)trunc(x); }
float nearbyintf(float x) { return (float)nearbyint(x); }

float fabsf(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  u &= 0x7fffffffu;
  memcpy(&x, &u, 4);
  return x;
}

float sqrtf(float x) { return __builtin_sqrtf(x); }

float copysignf(float x, float y) {
  uint32_t ux, uy;
  memcpy(&ux, &x, 4);
  memcpy(&uy, &y, 4);
  ux = (ux & 0x7fffffffu) | (uy & 0x80000000u);
  memcpy(&x, &ux, 4);
  return x;
}
