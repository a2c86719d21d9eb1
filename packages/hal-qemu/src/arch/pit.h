/* The PIT, channel 0 (pit.c): the periodic timer on IRQ 0. */
#ifndef ONCRIX_PIT_H
#define ONCRIX_PIT_H
#include <stdint.h>
/** PIT input clock in Hz. */
#define PIT_HZ 1193182u
/** Program channel 0 as a rate generator firing about hz times a second; returns the divisor. */
uint32_t pit_init(uint32_t hz);
#endif
