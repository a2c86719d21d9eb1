/* The boot devices (devices.c), in the order both HALs use: uart, rom, entropy. */
#ifndef ONCRIX_DEVICES_H
#define ONCRIX_DEVICES_H
#include <stdint.h>

#define DEVICE_COUNT 3
#define DEVICE_UART 0
#define DEVICE_ROM 1
#define DEVICE_ENTROPY 2
#define UART_IRQ 4

void devices_init(const uint32_t *rom, uint32_t rom_words, int deterministic);
uint32_t device_registers(uint32_t dev);
/** Interrupt line of a device, or -1. */
int32_t device_irq(uint32_t dev);
uint32_t device_read(uint32_t dev, uint32_t reg);
void device_write(uint32_t dev, uint32_t reg, uint32_t value);
/** Does a device hold this interrupt line asserted right now? */
int device_asserts_irq(int line);

#endif
