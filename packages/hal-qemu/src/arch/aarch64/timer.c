/* The periodic timer on aarch64: the EL1 virtual timer of the generic timer.
 *
 * The idea: the timer compares the virtual count (CNTVCT_EL0, the counter
 * arch_cycles reads) with a deadline (CNTV_CVAL_EL0) and interrupts when it
 * passes; each tick moves the deadline on by one period from the last
 * deadline, not from now, so ticks do not drift (a deadline already past —
 * interrupts were off for longer than a period — restarts from now). */
#include <stdint.h>
#include "arch.h"
#include "virt.h"
#include "../../hal/irq.h"

static uint64_t period, deadline;

static void set_deadline(uint64_t t) { __asm__ volatile("msr cntv_cval_el0, %0; isb" : : "r"(t)); }

double arch_timer_start(uint32_t hz) {
  uint64_t freq;
  __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
  period = (freq + hz / 2) / hz;
  deadline = arch_cycles() + period;
  set_deadline(deadline);
  __asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"((uint64_t)1)); /* enabled, not masked */
  gic_enable(TIMER_INTID);
  return (double)period * 1e9 / (double)freq;
}

void timer_interrupt(void) {
  deadline += period;
  uint64_t now = arch_cycles();
  if (deadline <= now) deadline = now + period;
  set_deadline(deadline);
  irq_timer();
}
