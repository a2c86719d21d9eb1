/* math.h for the bare-metal HAL: the functions wasm2c's float helpers call
 * (floor, ceil, trunc, nearbyint, fabs, sqrt and their float versions) and
 * the classification macros, as compiler builtins where the compiler has them.
 * The implementations are in src/libc/math.c (IEEE double in hardware). */
#ifndef ONCRIX_MATH_H
#define ONCRIX_MATH_H

#define NAN (__builtin_nanf(""))
#define INFINITY (__builtin_inff())
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf(x)
#define signbit(x) __builtin_signbit(x)

double floor(double x);
double ceil(double x);
double trunc(double x);
double nearbyint(double x);
double fabs(double x);
double sqrt(double x);
float floorf(float x);
float ceilf(float x);
float truncf(float x);
float nearbyintf(float x);
float fabsf(float x);
float sqrtf(float x);

#endif
