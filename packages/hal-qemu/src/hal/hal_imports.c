/* The HAL contract, C side: every function kernel.wasm imports (module
 * "hal"; packages/kernel/src/hal.ts says what each means). wasm2c names them
 * Z_halZ_<name> and passes the "hal" instance pointer, which this HAL does not
 * need (it gives 0).
 *
 * The idea: the same behaviour as the web HAL's kernel-host.ts, import by
 * import. Copies check both ranges — the user range against that process's
 * memory, the kernel range against the kernel's — and answer -1 rather than
 * touch a byte outside; the kernel turns that into ERR_FAULT. */
#include <stdint.h>
#include <string.h>
#include "kernel.h" /* generated: the prototypes this file implements */
#include "proc.h"
#include "kentry.h"
#include "clock.h"
#include "devices.h"
#include "irq.h"
#include "trace.h"
#include "panic.h"
#include "console.h"
#include "oncrix_abi.h"

static int in_range(uint32_t size, uint32_t ptr, uint32_t len) {
  return (uint64_t)ptr + len <= size;
}

f64 Z_halZ_now(struct Z_hal_instance_t *h) {
  (void)h;
  return clock_now_ns();
}

u32 Z_halZ_copy_from_user(struct Z_hal_instance_t *h, u32 pid, u32 uptr, u32 kptr, u32 len) {
  (void)h;
  proc_t *p = proc_find((int32_t)pid);
  if (p == 0 || !in_range(p->mem.size, uptr, len) || !in_range(kernel_mem_size(), kptr, len)) return (u32)-1;
  memcpy(kernel_mem() + kptr, p->mem.data + uptr, len);
  return 0;
}

u32 Z_halZ_copy_to_user(struct Z_hal_instance_t *h, u32 pid, u32 kptr, u32 uptr, u32 len) {
  (void)h;
  proc_t *p = proc_find((int32_t)pid);
  if (p == 0 || !in_range(p->mem.size, uptr, len) || !in_range(kernel_mem_size(), kptr, len)) return (u32)-1;
  memcpy(p->mem.data + uptr, kernel_mem() + kptr, len);
  return 0;
}

u32 Z_halZ_copy_between(struct Z_hal_instance_t *h, u32 src_pid, u32 src, u32 dst_pid, u32 dst, u32 len) {
  (void)h;
  proc_t *a = proc_find((int32_t)src_pid);
  proc_t *b = proc_find((int32_t)dst_pid);
  if (a == 0 || b == 0 || !in_range(a->mem.size, src, len) || !in_range(b->mem.size, dst, len)) return (u32)-1;
  memmove(b->mem.data + dst, a->mem.data + src, len);
  return 0;
}

u32 Z_halZ_mem_size(struct Z_hal_instance_t *h, u32 pid) {
  (void)h;
  return proc_mem_size((int32_t)pid);
}

u32 Z_halZ_mem_grow(struct Z_hal_instance_t *h, u32 pid, u32 pages) {
  (void)h;
  return (u32)proc_mem_grow((int32_t)pid, pages);
}

u32 Z_halZ_process_create(struct Z_hal_instance_t *h, u32 pid, u32 image, u32 quota) {
  (void)h;
  return (u32)proc_create((int32_t)pid, image, quota);
}

void Z_halZ_process_destroy(struct Z_hal_instance_t *h, u32 pid) {
  (void)h;
  proc_destroy((int32_t)pid);
  if (pid == 1) { /* init has ended (its session is over): the machine stops, as a PC does when its OS shuts down */
    hal_log("init has ended: the machine stops.");
    machine_stop(EXIT_HALTED);
  }
}

void Z_halZ_run(struct Z_hal_instance_t *h, u32 pid, u32 cpu, u32 result) {
  (void)h;
  (void)cpu; /* one physical CPU: the scheduler loop runs every virtual CPU's process in turn */
  proc_run((int32_t)pid, (int32_t)result);
}

void Z_halZ_preempt(struct Z_hal_instance_t *h, u32 pid) {
  (void)h;
  proc_preempt((int32_t)pid);
}

u32 Z_halZ_dev_read(struct Z_hal_instance_t *h, u32 dev, u32 reg) {
  (void)h;
  return device_read(dev, reg);
}

void Z_halZ_dev_write(struct Z_hal_instance_t *h, u32 dev, u32 reg, u32 value) {
  (void)h;
  device_write(dev, reg, value);
}

void Z_halZ_irq_mask(struct Z_hal_instance_t *h, u32 line, u32 masked) {
  (void)h;
  irq_kernel_mask((int)line, masked != 0);
}

/* The kernel hands over its records in batches: len / TRACE_RECORD_SIZE of them at ptr. */
void Z_halZ_trace(struct Z_hal_instance_t *h, u32 ptr, u32 len) {
  (void)h;
  if (!in_range(kernel_mem_size(), ptr, len)) return;
  for (u32 at = 0; at + ONCRIX_TRACE_RECORD_SIZE <= len; at += ONCRIX_TRACE_RECORD_SIZE) trace_record(kernel_mem() + ptr + at);
}

void Z_halZ_panic(struct Z_hal_instance_t *h, u32 ptr, u32 len) {
  (void)h;
  char text[300] = "kernel panic: ";
  uint32_t n = 14;
  if (in_range(kernel_mem_size(), ptr, len)) {
    for (uint32_t i = 0; i < len && n < sizeof text; i++) text[n++] = (char)kernel_mem()[ptr + i];
  }
  hal_panic(text, n);
}
