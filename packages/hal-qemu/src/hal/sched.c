/* The scheduler loop of the bare-metal HAL, and switching between stacks.
 *
 * The idea: the kernel decides who runs (it calls run(pid) and preempt(pid));
 * the HAL only carries that out on its one physical CPU. A process runs on
 * its own stack until it parks (a blocked syscall or a preemption the kernel
 * asked for), exits or faults; then control returns to this loop on the host
 * stack, which switches to the next ready process, or lets the kernel see
 * the time and pending interrupts (hal_poll), or halts until an interrupt.
 * With several virtual CPUs the loop also rotates running processes every
 * HAL_SLICE_TICKS timer ticks (sched_yield from a safepoint). When nothing
 * can ever happen again — nobody ready, no kernel deadline, every interrupt
 * line masked — the machine stops (machine_stop: status 1 in QEMU). */
#include <stdint.h>
#include "sched.h"
#include "poll.h"
#include "irq.h"
#include "clock.h"
#include "panic.h"
#include "console.h"
#include "arch.h"

proc_t *hal_current;
static uintptr_t host_sp;
static proc_t *ready_head, *ready_tail;

void sched_ready(proc_t *p) {
  p->state = P_READY;
  if (p->queued) return;
  p->queued = 1;
  p->next_ready = 0;
  if (ready_tail != 0) ready_tail->next_ready = p; else ready_head = p;
  ready_tail = p;
}

void sched_unqueue(proc_t *p) {
  if (!p->queued) return;
  proc_t *prev = 0;
  for (proc_t *q = ready_head; q != 0; prev = q, q = q->next_ready) {
    if (q != p) continue;
    if (prev != 0) prev->next_ready = q->next_ready; else ready_head = q->next_ready;
    if (ready_tail == q) ready_tail = prev;
    break;
  }
  p->queued = 0;
  p->next_ready = 0;
}

int sched_has_ready(void) { return ready_head != 0; }

static proc_t *ready_pop(void) {
  proc_t *p = ready_head;
  if (p != 0) sched_unqueue(p);
  return p;
}

/** Run p until it leaves the CPU; back on the host stack afterwards. */
static void switch_to(proc_t *p) {
  hal_current = p;
  p->state = P_RUNNING;
  p->slice_start = hal_ticks;
  wasm_rt_call_stack_depth = p->depth;
  ctx_switch(&host_sp, p->sp);
  hal_current = 0;
  if (p->state == P_DEAD) proc_release(p);
  else if (!proc_stack_intact(p)) hal_panic_fmt("pid %d (%s) overran its stack", p->pid, p->img->name);
}

/** From a process's stack back to the loop; returns when the loop switches to it again. */
static void leave(proc_t *p) {
  p->depth = wasm_rt_call_stack_depth;
  ctx_switch(&p->sp, host_sp);
}

void sched_park(proc_t *p) {
  p->state = P_PARKED;
  leave(p);
}

void sched_yield(proc_t *p) {
  sched_ready(p);
  leave(p);
}

void sched_exit(proc_t *p) {
  if (p->state != P_DEAD) {
    proc_destroy(p->pid); /* normally the kernel has done this already */
    p->state = P_DEAD;
  }
  uintptr_t unused;
  ctx_switch(&unused, host_sp);
  hal_panic_fmt("HAL bug: a dead process was resumed");
}

void sched_loop(void) {
  for (;;) {
    if (hal_attention) hal_poll(hal_current == 0 && !sched_has_ready());
    proc_t *p = ready_pop();
    if (p != 0) {
      switch_to(p);
      continue;
    }
    if (hal_idle()) continue; /* deterministic mode moves virtual time or delivers input here */
    if (hal_quiescent()) {
      hal_log("nothing can happen any more (every process waits; no deadline, no interrupt line open): the machine stops.");
      machine_stop(EXIT_HALTED);
    }
    arch_irq_disable();
    if (hal_attention || sched_has_ready()) arch_irq_enable();
    else arch_idle();
  }
}
