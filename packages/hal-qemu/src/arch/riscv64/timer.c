/* The periodic timer on riscv64: SBI's timer (the TIME extension).
 *
 * The idea: S-mode asks OpenSBI for a supervisor timer interrupt when the
 * time CSR (the counter arch_cycles reads, at the device tree's timebase)
 * passes a deadline; setting the next deadline also clears the pending
 * interrupt. Each tick moves the deadline on by one period from the last
 * deadline, not from now, so ticks do not drift (a deadline already past
 * restarts from now). */
#include <stdint.h>
#include "arch.h"
#include "virt.h"
#include "../../hal/irq.h"

#define SBI_TIME 0x54494D45ul
#define SIE_STIE (1ul << 5)

static uint64_t period, deadline;

double arch_timer_start(uint32_t hz) {
  period = (riscv_timebase_hz + hz / 2) / hz;
  deadline = arch_cycles() + period;
  sbi_call(SBI_TIME, 0, deadline, 0);
  __asm__ volatile("csrs sie, %0" : : "r"(SIE_STIE));
  return (double)period * 1e9 / (double)riscv_timebase_hz;
}

void timer_interrupt(void) {
  deadline += period;
  uint64_t now = arch_cycles();
  if (deadline <= now) deadline = now + period;
  sbi_call(SBI_TIME, 0, deadline, 0);
  irq_timer();
}
