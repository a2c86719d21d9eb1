/* alloca.h for the bare-metal HAL: wasm2c output includes it; the compiler
 * builtin is all there is (stack allocation needs no library). */
#ifndef ONCRIX_ALLOCA_H
#define ONCRIX_ALLOCA_H
#define alloca(n) __builtin_alloca(n)
#endif
