/* The GICv2 interrupt controller of the virt board, and the HAL's lines on it.
 *
 * The idea: the HAL's interrupt lines are its own numbers (the uart's is
 * UART_IRQ, as on the PC); here each maps to a GIC interrupt ID (the PL011
 * is SPI 1, ID 33), and the periodic timer is the EL1 virtual timer's PPI
 * (ID 27). Both are level-triggered: masking a line is disabling its ID at
 * the distributor, and an interrupt still asserted when it is enabled again
 * is signalled again — nothing is lost. An IRQ exception acknowledges the
 * highest-priority ID, hands it to irq_timer / irq_device (which only set
 * flags), and ends it. */
#include <stdint.h>
#include "arch.h"
#include "virt.h"
#include "../../hal/irq.h"
#include "../../hal/devices.h"

#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xC00
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_IAR 0x00C
#define GICC_EOIR 0x010
#define SPURIOUS 1020u

static void set_priority(uint32_t intid, uint8_t priority) {
  uintptr_t reg = GICD_BASE + GICD_IPRIORITYR + (intid & ~3u);
  uint32_t shift = (intid & 3u) * 8;
  mmio_write(reg, (mmio_read(reg) & ~(0xFFu << shift)) | (uint32_t)priority << shift);
}

void gic_init(void) {
  mmio_write(GICD_BASE + GICD_CTLR, 0);
  for (uint32_t i = 0; i < 64; i += 32) mmio_write(GICD_BASE + GICD_ICENABLER + i / 8, 0xFFFFFFFFu);
  set_priority(TIMER_INTID, 0x80);
  set_priority(PL011_INTID, 0xA0);
  uintptr_t target = GICD_BASE + GICD_ITARGETSR + (PL011_INTID & ~3u); /* SPIs go to CPU 0 */
  mmio_write(target, mmio_read(target) | 1u << ((PL011_INTID & 3u) * 8));
  uintptr_t cfg = GICD_BASE + GICD_ICFGR + (PL011_INTID / 16) * 4; /* level-triggered */
  mmio_write(cfg, mmio_read(cfg) & ~(2u << ((PL011_INTID % 16) * 2)));
  mmio_write(GICD_BASE + GICD_CTLR, 1);
  mmio_write(GICC_BASE + GICC_PMR, 0xF0);
  mmio_write(GICC_BASE + GICC_CTLR, 1);
}

void gic_enable(uint32_t intid) { mmio_write(GICD_BASE + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32)); }

void gic_disable(uint32_t intid) {
  mmio_write(GICD_BASE + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
  __asm__ volatile("dsb sy" ::: "memory"); /* disabled before anything else happens */
}

void gic_dispatch(void) {
  uint32_t iar = mmio_read(GICC_BASE + GICC_IAR);
  uint32_t intid = iar & 0x3FF;
  if (intid >= SPURIOUS) return;
  if (intid == TIMER_INTID) timer_interrupt();
  else if (intid == PL011_INTID) irq_device(UART_IRQ);
  mmio_write(GICC_BASE + GICC_EOIR, iar);
}

void arch_irq_mask(int line) {
  if (line == UART_IRQ) gic_disable(PL011_INTID);
}

void arch_irq_unmask(int line) {
  if (line == UART_IRQ) gic_enable(PL011_INTID);
}
