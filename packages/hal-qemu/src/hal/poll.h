/* The machine's heartbeat (poll.c): time and interrupts to the kernel. */
#ifndef ONCRIX_POLL_H
#define ONCRIX_POLL_H
#include <stdint.h>

/** Set at boot from the boot package. */
extern int hal_deterministic;

/** Something raised hal_attention: tick the kernel if due, deliver interrupts. idle: no process can run. */
void hal_poll(int idle);
/** Nothing is ready: in deterministic mode, jump time to the next deadline or deliver input. Returns 1 if it did. */
int hal_idle(void);

/** Nothing is ready, no deadline is pending and no interrupt line is open: nothing can ever happen again. */
int hal_quiescent(void);

#endif
