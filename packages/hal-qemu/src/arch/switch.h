/* Stack switching primitives (switch.S): cooperative switches between
 * process stacks and the host stack, and calls on the kernel stack. */
#ifndef ONCRIX_SWITCH_H
#define ONCRIX_SWITCH_H
#include <stdint.h>
/** Save this context (esp into *save_esp) and continue the one at new_esp. */
void ctx_switch(uint32_t *save_esp, uint32_t new_esp);
/** Run fn(arg) on the stack ending at stack_top and return. */
void call_on_stack(void (*fn)(void *), void *arg, void *stack_top);
#endif
