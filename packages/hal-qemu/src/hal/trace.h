/* Kernel trace records on bare metal (trace.c): a small ring for post-mortems
 * and DEBUG_LOG lines printed on the console. */
#ifndef ONCRIX_TRACE_H
#define ONCRIX_TRACE_H
#include <stdint.h>

/** Take one 64-byte record from the kernel. */
void trace_record(const uint8_t *rec);
/** Print the last n records (a panic does). */
void trace_dump_tail(uint32_t n);
/** Records the kernel emitted since boot. */
uint32_t trace_count(void);

#endif
