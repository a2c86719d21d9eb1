/* Who runs (sched.c): the ready queue, switching, and the scheduler loop. */
#ifndef ONCRIX_SCHED_H
#define ONCRIX_SCHED_H
#include "proc.h"

void sched_ready(proc_t *p);
void sched_unqueue(proc_t *p);
int sched_has_ready(void);
/** The current process waits until run() (a blocked syscall, a preemption). */
void sched_park(proc_t *p);
/** The current process gives the CPU to the next ready one and queues itself again. */
void sched_yield(proc_t *p);
/** The current process is finished: leave its stack for good. */
__attribute__((noreturn)) void sched_exit(proc_t *p);
/** The HAL's main loop: run ready processes, poll, idle. */
__attribute__((noreturn)) void sched_loop(void);
/** First code a process runs, on its own stack (user.c). */
void proc_entry(void);
/** Are the guard words at the bottom of its stack intact? */
int proc_stack_intact(const proc_t *p);

#endif
