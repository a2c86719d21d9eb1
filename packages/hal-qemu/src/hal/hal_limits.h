/* Sizes the bare-metal HAL is built around. build.mjs passes the same
 * HAL_MAX_DEPTH to wasm2c's code (WASM_RT_MAX_CALL_STACK_DEPTH) and checks,
 * with gcc -fstack-usage, that no generated function needs a frame larger than
 * HAL_FRAME_BOUND; together they bound every stack (a program can never run
 * off its stack: it traps with "call stack exhausted" first). */
#ifndef ONCRIX_HAL_LIMITS_H
#define ONCRIX_HAL_LIMITS_H

#ifndef HAL_MAX_DEPTH
#define HAL_MAX_DEPTH 500
#endif
#ifndef HAL_FRAME_BOUND
#define HAL_FRAME_BOUND 640
#endif

/** A process stack: the deepest program, plus room for HAL imports and an interrupt (the saved
 * registers and FP/SIMD state, at most about 1 KiB on every architecture). */
#define PROC_STACK_BYTES (HAL_MAX_DEPTH * HAL_FRAME_BOUND + 32 * 1024)
/** Below this much room left, a syscall or safepoint faults the process (call stack exhausted). */
#define PROC_STACK_GUARD (8 * 1024)
/** Kernel ticks in real-time mode (besides deadlines), as in the web HAL. */
#define KERNEL_TICK_NS 10000000.0
/** Timer interrupts per second. */
#define TIMER_HZ 1000
/** With several virtual CPUs, the HAL switches between running processes every this many timer ticks. */
#define HAL_SLICE_TICKS 10

#endif
