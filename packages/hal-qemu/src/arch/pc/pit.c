/* The 8253/8254 programmable interval timer, channel 0 on IRQ 0: arch_timer_start.
 * The idea: one periodic interrupt is the machine's heartbeat — it counts
 * time (hal/clock.c), tells running programs to look in at their next
 * safepoint, and lets the kernel end time slices. Mode 2 (rate generator). */
#include <stdint.h>
#include "arch.h"
#include "io.h"
#include "pic.h"

/** PIT input clock in Hz. */
#define PIT_HZ 1193182u

double arch_timer_start(uint32_t hz) {
  uint32_t divisor = (PIT_HZ + hz / 2) / hz;
  outb(0x43, 0x34); /* channel 0, lobyte/hibyte, mode 2 */
  outb(0x40, (uint8_t)divisor);
  outb(0x40, (uint8_t)(divisor >> 8));
  pic_unmask(0);
  return (double)divisor * 1e9 / (double)PIT_HZ;
}
