/* What the PC platform (pc.c, pic.c, pit.c) offers the two x86 architectures,
 * and what each of them (i386/, x86_64/) gives it back. */
#ifndef ONCRIX_PC_H
#define ONCRIX_PC_H
#include <stdint.h>

/** COM1, the 16550 that is the console and the uart device. */
#define COM1 0x3F8

/** The architecture's descriptor tables (GDT where it is not set up by boot.S, IDT): i386/ or x86_64/. */
void x86_tables_init(void);
/** A hardware interrupt arrived on PIC line 0..15 (vectors 32..47): time, devices, EOI. */
void pc_irq(int line);
/** The name of CPU exception vector v (0..31). */
const char *pc_exception_name(uint32_t v);

#endif
