/* The two 8259 PICs (pic.c): remapped to vectors 32..47, with per-line
 * masks the HAL sets on the kernel's behalf (irq_mask import). */
#ifndef ONCRIX_PIC_H
#define ONCRIX_PIC_H
#include <stdint.h>
void pic_init(void);
void pic_mask(int line);
void pic_unmask(int line);
void pic_eoi(int line);
/** Is this interrupt on line 7 or 15 spurious (not in service)? */
int pic_spurious(int line);
#endif
