/* Time on bare metal (clock.c): PIT ticks, refined with the TSC. */
#ifndef ONCRIX_CLOCK_H
#define ONCRIX_CLOCK_H
#include <stdint.h>

/** PIT interrupts since boot (written only by the timer interrupt). */
extern volatile uint32_t hal_ticks;

/** Start the PIT at hz interrupts a second (IRQ 0 stays masked until the caller unmasks it). */
void clock_init(uint32_t hz);
/** Measure the TSC against the PIT (interrupts must be on, IRQ 0 unmasked). */
void clock_calibrate(void);
/** Called by the timer interrupt. */
void clock_tick(void);
/** Monotonic nanoseconds since the PIT started. */
double clock_now_ns(void);
/** Nanoseconds per PIT interrupt. */
double clock_tick_ns(void);

#endif
