/* Time and interrupts reach the kernel here.
 *
 * The idea: interrupt handlers only raise hal_attention; whoever notices it
 * first — a program at a safepoint or syscall, or the scheduler loop — calls
 * hal_poll, which is the only place (besides syscalls) where the kernel hears
 * about the outside world. In real-time mode the kernel is ticked every
 * KERNEL_TICK_NS and whenever its next deadline has passed (the deadline is
 * asked after every poll), and every pending interrupt on an unmasked line is
 * delivered. In deterministic mode nothing happens while a process runs: when
 * all are idle, virtual time jumps to the next deadline, then input arrives —
 * the same rule as the web HAL, so runs repeat. */
#include <stdint.h>
#include "poll.h"
#include "irq.h"
#include "clock.h"
#include "kentry.h"
#include "hal_limits.h"

int hal_deterministic;
static double next_tick_ns;

void hal_poll(int idle) {
  hal_attention = 0;
  if (hal_deterministic) {
    if (idle) irq_deliver();
    return;
  }
  double now = clock_now_ns();
  double deadline = k_next_deadline();
  if (now >= next_tick_ns || (deadline >= 0 && now >= deadline)) {
    k_tick(now);
    next_tick_ns = now + KERNEL_TICK_NS;
  }
  irq_deliver();
}

int hal_idle(void) {
  if (!hal_deterministic) return 0;
  double deadline = k_next_deadline();
  if (deadline >= 0) {
    k_tick(deadline);
    return 1;
  }
  return irq_deliver() > 0;
}

int hal_quiescent(void) {
  return !irq_lines_open() && !irq_waiting() && k_next_deadline() < 0;
}
