/* The clock behind the `now` import: PIT ticks, interpolated with the TSC.
 *
 * The idea: the PIT interrupt (1 kHz) is the time base the brief and the
 * hardware give us, but 1 ms is too coarse for a ping round trip measured in
 * microseconds. So each tick also records the TSC, and now() adds the cycles
 * since the last tick (converted with a rate measured against the PIT at
 * boot), capped at one tick so a lost interrupt cannot run the clock ahead.
 * The result is clamped to never go backwards. */
#include <stdint.h>
#include "clock.h"
#include "../arch/io.h"
#include "../arch/pit.h"

volatile uint32_t hal_ticks;
static volatile uint64_t tick_tsc;
static double tick_ns = 1e6;
static double ns_per_cycle;
static double last_ns;

void clock_init(uint32_t hz) {
  uint32_t divisor = pit_init(hz);
  tick_ns = (double)divisor * 1e9 / (double)PIT_HZ;
}

double clock_tick_ns(void) { return tick_ns; }

void clock_tick(void) {
  hal_ticks++;
  tick_tsc = rdtsc();
}

void clock_calibrate(void) {
  const uint32_t span = 20;
  uint32_t t = hal_ticks;
  while (hal_ticks == t) __asm__ volatile("hlt");
  uint32_t start = hal_ticks;
  uint64_t c0 = rdtsc();
  while (hal_ticks - start < span) __asm__ volatile("hlt");
  uint64_t c1 = rdtsc();
  double cycles = (double)(c1 - c0);
  ns_per_cycle = cycles > 0 ? tick_ns * span / cycles : 0;
}

double clock_now_ns(void) {
  uint32_t f = irq_save();
  uint32_t ticks = hal_ticks;
  uint64_t base = tick_tsc;
  uint64_t now = rdtsc();
  irq_restore(f);
  double within = (double)(now - base) * ns_per_cycle;
  if (within > tick_ns || base == 0) within = base == 0 ? 0 : tick_ns;
  double ns = (double)ticks * tick_ns + within;
  if (ns < last_ns) ns = last_ns;
  last_ns = ns;
  return ns;
}
