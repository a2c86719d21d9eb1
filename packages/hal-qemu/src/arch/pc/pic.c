/* The 8259 interrupt controllers of the PC.
 * The idea: remap the master to vectors 32..39 and the slave to 40..47 (out of
 * the CPU exception range), start with every line masked except the cascade,
 * and let the HAL mask and unmask single lines — the kernel's irq_mask import
 * ends up here (through arch_irq_mask in pc.c). Masks are kept in a shadow so
 * updating one line is one write. */
#include <stdint.h>
#include "pic.h"
#include "io.h"
#include "cpu.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1

static uint16_t masks = 0xFFFF;

static void write_masks(void) {
  outb(PIC1_DATA, (uint8_t)masks);
  outb(PIC2_DATA, (uint8_t)(masks >> 8));
}

void pic_init(void) {
  outb(PIC1_CMD, 0x11); io_wait(); /* ICW1: init, ICW4 follows */
  outb(PIC2_CMD, 0x11); io_wait();
  outb(PIC1_DATA, 32); io_wait();  /* ICW2: vector base */
  outb(PIC2_DATA, 40); io_wait();
  outb(PIC1_DATA, 4); io_wait();   /* ICW3: slave on line 2 */
  outb(PIC2_DATA, 2); io_wait();
  outb(PIC1_DATA, 1); io_wait();   /* ICW4: 8086 mode */
  outb(PIC2_DATA, 1); io_wait();
  masks = 0xFFFF & ~(1u << 2);     /* everything masked but the cascade */
  write_masks();
}

void pic_mask(int line) {
  uintptr_t f = arch_irq_save();
  masks |= (uint16_t)(1u << line);
  write_masks();
  arch_irq_restore(f);
}

void pic_unmask(int line) {
  uintptr_t f = arch_irq_save();
  masks &= (uint16_t)~(1u << line);
  write_masks();
  arch_irq_restore(f);
}

void pic_eoi(int line) {
  if (line >= 8) outb(PIC2_CMD, 0x20);
  outb(PIC1_CMD, 0x20);
}

int pic_spurious(int line) {
  if (line != 7 && line != 15) return 0;
  uint16_t cmd = line == 7 ? PIC1_CMD : PIC2_CMD;
  outb(cmd, 0x0B); /* read the in-service register */
  if (inb(cmd) & 0x80) return 0;
  if (line == 15) outb(PIC1_CMD, 0x20); /* the master did see the cascade */
  return 1;
}
