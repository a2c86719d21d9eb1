/* QEMU's aarch64 virt board as the HAL uses it: addresses and interrupt
 * numbers (the board's device tree lists the same), MMIO access, and what
 * the files of this folder offer each other. */
#ifndef ONCRIX_VIRT_H
#define ONCRIX_VIRT_H
#include <stdint.h>

#define GICD_BASE 0x08000000u  /* GICv2 distributor */
#define GICC_BASE 0x08010000u  /* GICv2 CPU interface */
#define PL011_BASE 0x09000000u /* the console UART */
#define PL011_INTID 33u        /* SPI 1 */
#define TIMER_INTID 27u        /* the EL1 virtual timer, PPI 11 */

static inline uint32_t mmio_read(uintptr_t addr) { return *(volatile uint32_t *)addr; }
static inline void mmio_write(uintptr_t addr, uint32_t value) { *(volatile uint32_t *)addr = value; }

void gic_init(void);
void gic_enable(uint32_t intid);
void gic_disable(uint32_t intid);
/** An IRQ exception: acknowledge, dispatch (timer, UART), end it. */
void gic_dispatch(void);
/** The virtual timer fired: program the next tick. */
void timer_interrupt(void);

#endif
