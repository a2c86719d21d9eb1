/* Time on bare metal (clock.c): timer ticks, refined with the CPU's counter. */
#ifndef ONCRIX_CLOCK_H
#define ONCRIX_CLOCK_H
#include <stdint.h>

/** Timer interrupts since boot (written only by the timer interrupt). */
extern volatile uint32_t hal_ticks;

/** Start the periodic timer at hz interrupts a second (it interrupts once the CPU takes interrupts). */
void clock_init(uint32_t hz);
/** Measure the counter against the timer (interrupts must be on). */
void clock_calibrate(void);
/** Called by the timer interrupt. */
void clock_tick(void);
/** Monotonic nanoseconds since the timer started. */
double clock_now_ns(void);
/** Nanoseconds per timer interrupt. */
double clock_tick_ns(void);

#endif
