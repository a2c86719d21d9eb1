/* The 8253/8254 programmable interval timer, channel 0 on IRQ 0.
 * The idea: one periodic interrupt is the machine's heartbeat — it counts
 * time (hal/clock.c), tells running programs to look in at their next
 * safepoint, and lets the kernel end time slices. Mode 2 (rate generator). */
#include <stdint.h>
#include "pit.h"
#include "io.h"

uint32_t pit_init(uint32_t hz) {
  uint32_t divisor = (PIT_HZ + hz / 2) / hz;
  outb(0x43, 0x34); /* channel 0, lobyte/hibyte, mode 2 */
  outb(0x40, (uint8_t)divisor);
  outb(0x40, (uint8_t)(divisor >> 8));
  return divisor;
}
