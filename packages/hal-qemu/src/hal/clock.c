/* The clock behind the `now` import: timer ticks, interpolated with the CPU's counter.
 *
 * The idea: the architecture's periodic timer (1 kHz: the PIT on the PC, the
 * generic timer on aarch64, SBI's timer on riscv64) is the time base, but
 * 1 ms is too coarse for a ping round trip measured in microseconds. So each
 * tick also records the free-running counter (arch_cycles: the TSC, CNTVCT,
 * the time CSR), and now() adds the counts since the last tick (converted
 * with a rate measured against the timer at boot, which works whatever the
 * counter's frequency), capped at one tick so a lost interrupt cannot run the
 * clock ahead. The result is clamped to never go backwards. */
#include <stdint.h>
#include "clock.h"
#include "arch.h"

volatile uint32_t hal_ticks;
static volatile uint64_t tick_tsc;
static double tick_ns = 1e6;
static double ns_per_cycle;
static double last_ns;

void clock_init(uint32_t hz) {
  tick_ns = arch_timer_start(hz);
}

double clock_tick_ns(void) { return tick_ns; }

void clock_tick(void) {
  hal_ticks++;
  tick_tsc = arch_cycles();
}

/** Sleep until hal_ticks has moved past `seen` (interrupts on again afterwards). */
static void wait_past(uint32_t seen) {
  for (;;) {
    arch_irq_disable();
    if (hal_ticks != seen) break;
    arch_idle();
  }
  arch_irq_enable();
}

void clock_calibrate(void) {
  const uint32_t span = 20;
  wait_past(hal_ticks);
  uint32_t start = hal_ticks;
  uint64_t c0 = arch_cycles();
  while (hal_ticks - start < span) wait_past(hal_ticks);
  uint64_t c1 = arch_cycles();
  double cycles = (double)(c1 - c0);
  ns_per_cycle = cycles > 0 ? tick_ns * span / cycles : 0;
}

double clock_now_ns(void) {
  uintptr_t f = arch_irq_save();
  uint32_t ticks = hal_ticks;
  uint64_t base = tick_tsc;
  uint64_t now = arch_cycles();
  arch_irq_restore(f);
  double within = (double)(now - base) * ns_per_cycle;
  if (within > tick_ns || base == 0) within = base == 0 ? 0 : tick_ns;
  double ns = (double)ticks * tick_ns + within;
  if (ns < last_ns) ns = last_ns;
  last_ns = ns;
  return ns;
}
