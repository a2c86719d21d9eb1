/* The process table and what a process owns.
 *
 * The idea: process_create does all the allocation up front — the wasm2c
 * instance struct, the linear memory (initial pages now, growing up to the
 * quota through mem_grow), and a native stack prepared so that the first
 * switch to it lands in proc_entry — and reports ERR_NO_MEMORY if any part
 * is missing, so a running process never fails for lack of HAL memory.
 * Instantiation (data segments, the start function) happens on the process's
 * own stack at its first run, where a trap is a fault of that process only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "proc.h"
#include "sched.h"
#include "hal_limits.h"
#include "arch.h"
#include "oncrix_abi.h"

#define WASM_PAGE 65536u
#define CANARY 0x0DC0FFEEu

static proc_t *table[ONCRIX_MAX_PROCESSES];
static uint32_t count;

proc_t *proc_find(int32_t pid) {
  for (uint32_t i = 0; i < count; i++) {
    if (table[i]->pid == pid) return table[i];
  }
  return 0;
}

uint32_t proc_count(void) { return count; }

static void forget(proc_t *p) {
  for (uint32_t i = 0; i < count; i++) {
    if (table[i] == p) {
      table[i] = table[--count];
      return;
    }
  }
}

/** Guard words at the bottom, and a fresh stack whose first switch lands in proc_entry. */
static uintptr_t stack_init(uint8_t *stack) {
  for (uint32_t i = 0; i < 4; i++) ((uint32_t *)stack)[i] = CANARY;
  return arch_stack_init(stack, PROC_STACK_BYTES, proc_entry);
}

int proc_stack_intact(const proc_t *p) {
  const uint32_t *w = (const uint32_t *)p->stack;
  return w[0] == CANARY && w[1] == CANARY && w[2] == CANARY && w[3] == CANARY;
}

int32_t proc_create(int32_t pid, uint32_t image, uint32_t quota_pages) {
  if (image >= hal_image_count) return ONCRIX_ERR_NOT_FOUND;
  const image_t *img = &hal_images[image];
  if (img->initial_pages > quota_pages) return (int32_t)img->initial_pages; /* the kernel refuses it: over quota */
  if (count == ONCRIX_MAX_PROCESSES || proc_find(pid) != 0) return ONCRIX_ERR_LIMIT;
  proc_t *p = calloc(1, sizeof *p);
  void *instance = calloc(1, img->instance_size);
  uint8_t *stack = malloc(PROC_STACK_BYTES);
  uint32_t bytes = img->initial_pages * WASM_PAGE;
  uint8_t *data = bytes > 0 ? calloc(bytes, 1) : 0;
  if (p == 0 || instance == 0 || stack == 0 || (bytes > 0 && data == 0)) {
    free(data);
    free(stack);
    free(instance);
    free(p);
    return ONCRIX_ERR_NO_MEMORY;
  }
  p->pid = pid;
  p->state = P_NEW;
  p->img = img;
  p->mem = (wasm_rt_memory_t){ .data = data, .pages = img->initial_pages, .max_pages = quota_pages, .size = bytes };
  p->instance = instance;
  p->stack = stack;
  p->sp = stack_init(stack);
  table[count++] = p;
  return (int32_t)img->initial_pages;
}

void proc_destroy(int32_t pid) {
  proc_t *p = proc_find(pid);
  if (p == 0) return;
  forget(p);
  sched_unqueue(p);
  if (p->instantiated) p->img->release(p->instance);
  free(p->instance);
  p->instance = 0;
  free(p->mem.data);
  p->mem = (wasm_rt_memory_t){ 0 };
  if (p == hal_current) {
    p->state = P_DEAD; /* still on its stack: the scheduler frees it after switching away */
  } else {
    proc_release(p);
  }
}

void proc_release(proc_t *p) {
  free(p->stack);
  free(p);
}

void proc_run(int32_t pid, int32_t result) {
  proc_t *p = proc_find(pid);
  if (p == 0) return;
  p->result = result;
  p->preempt = 0;
  if (p == hal_current) {
    if (p->in_call) p->resumed = 1; /* the entry it is in will return result */
    return;
  }
  sched_ready(p);
}

void proc_preempt(int32_t pid) {
  proc_t *p = proc_find(pid);
  if (p != 0) p->preempt = 1;
}

uint32_t proc_mem_size(int32_t pid) {
  proc_t *p = proc_find(pid);
  return p != 0 ? p->mem.size : 0;
}

int32_t proc_mem_grow(int32_t pid, uint32_t pages) {
  proc_t *p = proc_find(pid);
  if (p == 0) return -1;
  return (int32_t)wasm_rt_grow_memory(&p->mem, pages);
}
