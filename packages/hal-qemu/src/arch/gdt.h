/* The flat GDT (gdt.c): protected mode's minimum, no segmentation used. */
#ifndef ONCRIX_GDT_H
#define ONCRIX_GDT_H
void gdt_init(void);
#endif
