/* Processes on bare metal (proc.c: the table, memories, stacks;
 * sched.c: who runs). A process is one wasm2c instance of its program image,
 * its linear memory (max = quota), and its own native stack. */
#ifndef ONCRIX_PROC_H
#define ONCRIX_PROC_H
#include <stdint.h>
#include <setjmp.h>
#include "wasm-rt.h"
#include "image.h"

typedef enum pstate {
  P_NEW,     /* created; runs for the first time when the kernel says run() */
  P_READY,   /* the kernel said run(); waiting for the HAL to switch to it */
  P_RUNNING, /* on the CPU (hal_current) */
  P_PARKED,  /* blocked in a syscall or safepoint until run() */
  P_DEAD,    /* destroyed while on the CPU; its stack is freed once the HAL has left it */
} pstate_t;

typedef struct proc {
  int32_t pid;
  pstate_t state;
  const image_t *img;
  wasm_rt_memory_t mem;
  void *instance;
  uint8_t *stack;
  uintptr_t sp;   /* saved stack pointer while not running */
  uint32_t depth; /* saved wasm_rt_call_stack_depth while not running */
  int32_t result; /* what the parked syscall returns (run's argument) */
  uint8_t in_call;   /* inside a kernel entry on its behalf */
  uint8_t resumed;   /* run() came during that entry */
  uint8_t preempt;   /* the kernel asked for the CPU back at the next safepoint */
  uint8_t queued;    /* on the ready queue */
  uint8_t instantiated; /* its wasm2c instance has been set up (at its first run) */
  uint8_t grow_refused; /* its last syscall was a MEM_GROW the kernel refused (a trap now: out of quota) */
  uint32_t slice_start; /* hal_ticks when it last got the CPU */
  struct proc *next_ready;
  jmp_buf trap; /* where a trap unwinds to (process entry) */
} proc_t;

/** The process on the CPU, or 0 in the scheduler loop. */
extern proc_t *hal_current;

proc_t *proc_find(int32_t pid);
/** The process_create import: initial pages, or a negative ONCRIX_ERR_*. */
int32_t proc_create(int32_t pid, uint32_t image, uint32_t quota_pages);
void proc_destroy(int32_t pid);
/** Free what is left of a dead process once nothing runs on its stack. */
void proc_release(proc_t *p);
void proc_run(int32_t pid, int32_t result);
void proc_preempt(int32_t pid);
uint32_t proc_mem_size(int32_t pid);
int32_t proc_mem_grow(int32_t pid, uint32_t pages);
/** Processes alive. */
uint32_t proc_count(void);

#endif
