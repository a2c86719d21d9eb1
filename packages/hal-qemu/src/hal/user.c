/* What a program imports (docs/userland.md), and where a process starts.
 *
 *   oncrix.syscall   enter the kernel (on the kernel stack); if it answers
 *                    K_BLOCKED, park until run() brings the real result
 *   oncrix.safepoint the loader's fuel counter ran out: look at the world
 *                    (hal_poll) if an interrupt asked, and give the CPU back
 *                    if the kernel asked (preempt) — or always, in
 *                    deterministic mode, where safepoints are the clock
 *   oncrix.grow      MEM_GROW: the kernel charges the quota, then mem_grow;
 *                    a trap right after a refused one faults QUOTA
 *   env.memory       the process memory (max = its quota)
 *   env.abort        AssemblyScript's abort: print it, fault ABORT
 *   wasi_snapshot_preview1.*  WASI calls, marshalled in wasi.c onto
 *                    user_syscall / user_syscall_wide below
 *
 * The idea: wasm2c passes every import the instance pointer the embedder gave
 * at instantiation; the HAL gives the process itself (as both the "env" and
 * the "oncrix" instance), so an import knows its caller without a lookup.
 * proc_entry is the first code on a new stack: instantiate, run _start, exit;
 * a trap anywhere below longjmps back here and becomes kernel.fault. */
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include "wasm-rt.h"
#include "proc.h"
#include "user.h"
#include "sched.h"
#include "poll.h"
#include "irq.h"
#include "clock.h"
#include "kentry.h"
#include "console.h"
#include "hal_limits.h"
#include "arch.h"
#include "oncrix_abi.h"

struct Z_env_instance_t;
struct Z_oncrix_instance_t;

/** longjmp code for env.abort (wasm_rt_trap_t values are small). */
#define TRAP_ABORT 100

/** A program running low on stack traps like wasm2c's depth check does. */
static void check_stack(proc_t *p) {
  if (arch_sp() < (uintptr_t)p->stack + PROC_STACK_GUARD) wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
}

/** Leave the CPU if the entry blocked (unless run() already came during it); returns the call's result. */
static int32_t after_entry(proc_t *p, int32_t r) {
  p->in_call = 0;
  if (p->state == P_DEAD) sched_exit(p); /* it exited, was killed or faulted */
  if (r != ONCRIX_K_BLOCKED) return r;
  if (!p->resumed) sched_park(p);
  return p->result;
}

/** What every syscall does before entering the kernel: check the stack, look at the world if asked. */
static void before_entry(proc_t *p) {
  check_stack(p);
  if (hal_attention) {
    hal_poll(0);
    if (p->state == P_DEAD) sched_exit(p);
  }
  p->grow_refused = 0;
  p->in_call = 1;
  p->resumed = 0;
}

int32_t user_syscall(proc_t *p, int32_t nr, const int32_t a[6]) {
  before_entry(p);
  return after_entry(p, k_syscall(p->pid, nr, a));
}

int32_t user_syscall_wide(proc_t *p, int32_t nr, const uint64_t w[ONCRIX_WIDE_ARGS]) {
  before_entry(p);
  return after_entry(p, k_syscall_wide(p->pid, nr, w));
}

uint32_t Z_oncrixZ_syscall(struct Z_oncrix_instance_t *o, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5) {
  const int32_t a[6] = { (int32_t)a0, (int32_t)a1, (int32_t)a2, (int32_t)a3, (int32_t)a4, (int32_t)a5 };
  return (uint32_t)user_syscall((proc_t *)o, (int32_t)nr, a);
}

void Z_oncrixZ_safepoint(struct Z_oncrix_instance_t *o) {
  proc_t *p = (proc_t *)o;
  check_stack(p);
  if (hal_attention) {
    hal_poll(0);
    if (p->state == P_DEAD) sched_exit(p);
  }
  if (p->preempt || hal_deterministic) {
    p->preempt = 0;
    p->in_call = 1;
    p->resumed = 0;
    after_entry(p, k_safepoint(p->pid));
    return;
  }
  if (hal_ticks - p->slice_start >= HAL_SLICE_TICKS && sched_has_ready()) sched_yield(p);
}

uint32_t Z_oncrixZ_grow(struct Z_oncrix_instance_t *o, uint32_t pages) {
  const int32_t a[6] = { (int32_t)pages, 0, 0, 0, 0, 0 };
  int32_t r = user_syscall((proc_t *)o, ONCRIX_SYS_MEM_GROW, a);
  ((proc_t *)o)->grow_refused = r == ONCRIX_ERR_NO_MEMORY;
  return r < 0 ? (uint32_t)-1 : (uint32_t)r;
}

wasm_rt_memory_t *Z_envZ_memory(struct Z_env_instance_t *e) {
  return &((proc_t *)e)->mem;
}

/** An AssemblyScript string (UTF-16, byte length in the word before it) as ASCII, '?' for the rest. */
static void as_string(const proc_t *p, uint32_t ptr, char *out, uint32_t cap) {
  uint32_t n = 0;
  if (ptr >= 4 && ptr <= p->mem.size) {
    uint32_t len;
    memcpy(&len, p->mem.data + ptr - 4, 4);
    if ((uint64_t)ptr + len > p->mem.size) len = 0;
    for (uint32_t i = 0; i + 1 < len && n + 1 < cap; i += 2) {
      uint16_t c = (uint16_t)(p->mem.data[ptr + i] | p->mem.data[ptr + i + 1] << 8);
      out[n++] = c >= 32 && c < 127 ? (char)c : '?';
    }
  }
  out[n] = 0;
}

void Z_envZ_abort(struct Z_env_instance_t *e, uint32_t msg, uint32_t file, uint32_t line, uint32_t col) {
  proc_t *p = (proc_t *)e;
  char m[128], f[96];
  as_string(p, msg, m, sizeof m);
  as_string(p, file, f, sizeof f);
  hal_log("pid %d (%s) abort: %s at %s:%u:%u", p->pid, p->img->name, m, f, line, col);
  longjmp(p->trap, TRAP_ABORT);
}

/** Instantiate the program and run it to the end (never returns: exit parks for good). */
__attribute__((noreturn)) static void run_program(proc_t *p) {
  wasm_rt_call_stack_depth = 0;
  p->instantiated = 1;
  p->img->instantiate(p->instance, p);
  p->img->start(p->instance);
  const int32_t a[6] = { 0, 0, 0, 0, 0, 0 };
  user_syscall(p, ONCRIX_SYS_PROCESS_EXIT, a); /* returning from _start is exit 0 */
  hal_log("pid %d (%s): PROCESS_EXIT returned", p->pid, p->img->name);
  sched_exit(p);
}

void proc_entry(void) {
  int code = setjmp(hal_current->trap);
  if (code == 0) run_program(hal_current);
  /* A trap or abort unwound to here: report the fault; the kernel ends the process. */
  proc_t *p = hal_current;
  wasm_rt_call_stack_depth = 0;
  int32_t reason = ONCRIX_FAULT_TRAP;
  if (code == TRAP_ABORT) {
    reason = ONCRIX_FAULT_ABORT;
  } else if (code != WASM_RT_TRAP_EXHAUSTION && p->grow_refused) {
    /* An allocator that cannot grow (AssemblyScript's traps with unreachable) ran out of quota: say so. */
    reason = ONCRIX_FAULT_QUOTA;
    hal_log("pid %d (%s) quota: out of memory: the kernel refused to grow its memory past its quota"
            " (MEM_GROW: NO_MEMORY), then it trapped (%s)", p->pid, p->img->name, wasm_rt_strerror((wasm_rt_trap_t)code));
  } else {
    if (code == WASM_RT_TRAP_EXHAUSTION) reason = ONCRIX_FAULT_STACK;
    hal_log("pid %d (%s) %s: %s", p->pid, p->img->name, reason == ONCRIX_FAULT_STACK ? "stack" : "trap",
            wasm_rt_strerror((wasm_rt_trap_t)code));
  }
  p->in_call = 1;
  k_fault(p->pid, reason);
  p->in_call = 0;
  sched_exit(p);
}
