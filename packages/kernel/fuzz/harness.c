/* A coverage-guided fuzzer for the ONCRIX kernel: kernel.wasm itself, through
 * wasm2c (the C the bare-metal HAL also builds), under libFuzzer with
 * AddressSanitizer (clang -fsanitize=fuzzer,address).
 *
 * The idea: libFuzzer hands over bytes; this file is a HAL (every import of
 * module "hal", with process memories simulated in malloc'd arrays) plus an
 * interpreter that reads the bytes as a boot configuration and then a
 * sequence of 28-byte records, each one kernel entry: a syscall from one of
 * the running processes with six arguments, a safepoint, a timer tick, an
 * interrupt, a fault, or the process writing words into its own memory (how
 * argument blocks, handle lists and wait items get built). An argument is a
 * raw word, a word the kernel has written to user memory before (handle
 * values come that way), a pointer into (or just past) the caller's memory, or
 * a small number. After every entry the kernel's own invariant walk
 * (debug_check) must pass and every syscall result must be defined; at the
 * end every process is faulted and the kernel must be empty again. Anything
 * else — a trap in kernel.wasm, a kernel panic, a broken invariant, a leak, an
 * AddressSanitizer report — is a crash, which libFuzzer saves as a replayable
 * input (scripts/fuzz.mjs keeps those in packages/kernel/fuzz/corpus, and
 * packages/kernel/test/property/fuzz.test.ts replays them). A panic init asks
 * for (SYSTEM_PANIC) is a stop, not a crash: it ends that input.
 *
 * The first input byte also picks a ceiling for the kernel's own memory,
 * told to the kernel in BootInfo.kernelPages and enforced on its wasm memory,
 * so "kernel memory cannot grow" is fuzzed too. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasm-rt-impl.h"
#include "kernel.h"
#include "oncrix_abi.h"

#define PAGE 65536u
#define MAX_PID 4096
#define RECORD 28
#define MAX_RECORDS 4000
#define SEEN 64

typedef struct {
  uint8_t *mem;
  uint32_t pages, max_pages;
  int exists, running;
} sim_proc_t;

static Z_kernel_instance_t kernel;
static sim_proc_t procs[MAX_PID];
static uint32_t seen[SEEN];
static uint32_t seen_count;
/* Initial pages of each program image; other ids do not exist. */
static const uint32_t image_pages[] = {2, 1, 1, 2, 1};

/* A panic user space asked for (SYSTEM_PANIC by init: a critical service died) is a stop, not a kernel failure:
 * the kernel traps right after it, and the harness ends that input there (user_stop, back to input_end). */
static int user_stop;
static jmp_buf input_end;

static void crash(const char *what, long a, long b) {
  fprintf(stderr, "oncrix fuzz: %s (%ld, %ld)\n", what, a, b);
  abort();
}

static sim_proc_t *proc(uint32_t pid) {
  return pid < MAX_PID && procs[pid].exists ? &procs[pid] : 0;
}

static int in_range(uint64_t size, uint32_t ptr, uint32_t len) {
  return (uint64_t)ptr + len <= size;
}

static uint8_t *kmem(void) { return Z_kernelZ_memory(&kernel)->data; }
static uint64_t kmem_size(void) { return Z_kernelZ_memory(&kernel)->size; }

/* ---- the HAL imports ---- */

f64 Z_halZ_now(struct Z_hal_instance_t *h) {
  (void)h;
  return 0; /* deterministic mode only: the kernel keeps virtual time */
}

u32 Z_halZ_copy_from_user(struct Z_hal_instance_t *h, u32 pid, u32 uptr, u32 kptr, u32 len) {
  (void)h;
  sim_proc_t *p = proc(pid);
  if (p == 0 || !in_range((uint64_t)p->pages * PAGE, uptr, len)) return (u32)-1;
  if (!in_range(kmem_size(), kptr, len)) crash("copy_from_user outside the kernel memory", kptr, len);
  memcpy(kmem() + kptr, p->mem + uptr, len);
  return 0;
}

u32 Z_halZ_copy_to_user(struct Z_hal_instance_t *h, u32 pid, u32 kptr, u32 uptr, u32 len) {
  (void)h;
  sim_proc_t *p = proc(pid);
  if (p == 0 || !in_range((uint64_t)p->pages * PAGE, uptr, len)) return (u32)-1;
  if (!in_range(kmem_size(), kptr, len)) crash("copy_to_user outside the kernel memory", kptr, len);
  memcpy(p->mem + uptr, kmem() + kptr, len);
  /* Remember the words the kernel hands out (handle values, mostly): good arguments later. */
  for (u32 at = 0; at + 4 <= len && at < 64; at += 4) {
    uint32_t v;
    memcpy(&v, kmem() + kptr + at, 4);
    if (v != 0) seen[seen_count++ % SEEN] = v;
  }
  return 0;
}

u32 Z_halZ_copy_between(struct Z_hal_instance_t *h, u32 src_pid, u32 src, u32 dst_pid, u32 dst, u32 len) {
  (void)h;
  sim_proc_t *a = proc(src_pid), *b = proc(dst_pid);
  if (a == 0 || b == 0 || !in_range((uint64_t)a->pages * PAGE, src, len) || !in_range((uint64_t)b->pages * PAGE, dst, len)) {
    return (u32)-1;
  }
  memmove(b->mem + dst, a->mem + src, len);
  return 0;
}

u32 Z_halZ_mem_size(struct Z_hal_instance_t *h, u32 pid) {
  (void)h;
  sim_proc_t *p = proc(pid);
  return p != 0 ? p->pages * PAGE : 0;
}

u32 Z_halZ_mem_grow(struct Z_hal_instance_t *h, u32 pid, u32 pages) {
  (void)h;
  sim_proc_t *p = proc(pid);
  if (p == 0 || (uint64_t)p->pages + pages > p->max_pages || (uint64_t)p->pages + pages > 64) return (u32)-1;
  uint8_t *m = realloc(p->mem, (size_t)(p->pages + pages) * PAGE);
  if (m == 0) return (u32)-1;
  memset(m + (size_t)p->pages * PAGE, 0, (size_t)pages * PAGE);
  u32 old = p->pages;
  p->mem = m;
  p->pages += pages;
  return old;
}

u32 Z_halZ_process_create(struct Z_hal_instance_t *h, u32 pid, u32 image, u32 quota) {
  (void)h;
  if (image >= sizeof image_pages / sizeof image_pages[0]) return (u32)ONCRIX_ERR_NOT_FOUND;
  if (pid >= MAX_PID) return (u32)ONCRIX_ERR_NO_MEMORY; /* this HAL's process table is full */
  if (procs[pid].exists) crash("process_create for a pid in use", pid, image);
  uint32_t pages = image_pages[image];
  sim_proc_t *p = &procs[pid];
  p->mem = calloc(pages, PAGE);
  if (p->mem == 0) return (u32)ONCRIX_ERR_NO_MEMORY;
  p->pages = pages;
  p->max_pages = quota;
  p->exists = 1;
  p->running = 0;
  return pages;
}

void Z_halZ_process_destroy(struct Z_hal_instance_t *h, u32 pid) {
  (void)h;
  sim_proc_t *p = proc(pid);
  if (p == 0) return;
  free(p->mem);
  memset(p, 0, sizeof *p);
}

void Z_halZ_run(struct Z_hal_instance_t *h, u32 pid, u32 cpu, u32 result) {
  (void)h;
  (void)cpu;
  (void)result;
  sim_proc_t *p = proc(pid);
  if (p == 0) crash("run for a process the HAL never created", pid, cpu);
  p->running = 1;
}

void Z_halZ_preempt(struct Z_hal_instance_t *h, u32 pid) {
  (void)h;
  (void)pid;
}

u32 Z_halZ_dev_read(struct Z_hal_instance_t *h, u32 dev, u32 reg) {
  (void)h;
  return dev * 16 + reg;
}

void Z_halZ_dev_write(struct Z_hal_instance_t *h, u32 dev, u32 reg, u32 value) {
  (void)h;
  (void)dev;
  (void)reg;
  (void)value;
}

void Z_halZ_irq_mask(struct Z_hal_instance_t *h, u32 line, u32 masked) {
  (void)h;
  (void)line;
  (void)masked;
}

void Z_halZ_trace(struct Z_hal_instance_t *h, u32 ptr, u32 len) {
  (void)h;
  if (!in_range(kmem_size(), ptr, len) || len % ONCRIX_TRACE_RECORD_SIZE != 0) crash("trace batch outside the kernel memory", ptr, len);
}

void Z_halZ_panic(struct Z_hal_instance_t *h, u32 ptr, u32 len) {
  (void)h;
  static const char asked[] = "system panic: ";
  if (in_range(kmem_size(), ptr, len) && len >= sizeof asked - 1 && memcmp(kmem() + ptr, asked, sizeof asked - 1) == 0) {
    user_stop = 1; /* SYSTEM_PANIC: the kernel traps next, and ENTER ends the input */
    return;
  }
  if (in_range(kmem_size(), ptr, len)) fprintf(stderr, "oncrix fuzz: %.*s\n", (int)len, (const char *)kmem() + ptr);
  crash("kernel panic", ptr, len);
}

/* ---- entering the kernel ---- */

/* Every kernel call goes through here: a trap inside kernel.wasm is a crash. */
#define ENTER(call)                                                   \
  do {                                                                \
    wasm_rt_trap_t trap = wasm_rt_impl_try();                         \
    if (trap != WASM_RT_TRAP_NONE && user_stop) longjmp(input_end, 1); \
    if (trap != WASM_RT_TRAP_NONE) crash(wasm_rt_strerror(trap), 0, 0); \
    call;                                                             \
  } while (0)

static void check(const char *after, long detail) {
  u32 broken = 0;
  ENTER(broken = Z_kernelZ_debug_check(&kernel));
  if (broken != 0) crash(after, (long)broken, detail);
}

static int32_t kstat(u32 which) {
  u32 v = 0;
  ENTER(v = Z_kernelZ_debug_stat(&kernel, which));
  return (int32_t)v;
}

static int defined_result(int32_t r) {
  return r >= 0 || r == ONCRIX_K_BLOCKED || (r <= ONCRIX_ERR_INVALID_ARGS && r >= ONCRIX_ERR_BAD_FD);
}

static void syscall(uint32_t pid, uint32_t nr, const uint32_t a[6]) {
  u32 r = 0;
  ENTER(r = Z_kernelZ_syscall(&kernel, pid, nr, a[0], a[1], a[2], a[3], a[4], a[5]));
  if (!defined_result((int32_t)r)) crash("undefined syscall result", nr, (int32_t)r);
  if ((int32_t)r == ONCRIX_K_BLOCKED && proc(pid) != 0) procs[pid].running = 0;
  if ((int32_t)r > 0) seen[seen_count++ % SEEN] = r;
}

/* Let the kernel finish its teardown steps and jump to the next deadline, as an idle HAL does. */
static void idle(void) {
  f64 d = 0;
  ENTER(d = Z_kernelZ_next_deadline(&kernel));
  if (d >= 0) ENTER(Z_kernelZ_tick(&kernel, d));
}

/* ---- reading the input ---- */

static uint32_t word(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Argument `raw` of the caller, read as the kind the record chose. */
static uint32_t argument(uint32_t pid, unsigned kind, uint32_t raw) {
  uint32_t size = procs[pid].pages * PAGE;
  switch (kind) {
    case 0: return raw;
    case 1: return seen_count == 0 ? raw : seen[raw % (seen_count < SEEN ? seen_count : SEEN)];
    case 2: {
      uint32_t edge = raw % 8;
      if (edge == 0) return size - (raw >> 8) % 16; /* just inside or at the end */
      if (edge == 1) return size + (raw >> 8) % 16; /* just past it */
      return 1024 + (raw >> 3) % (size - 2048);
    }
    default: return raw % 64;
  }
}

/* The running processes, by pid (the kernel says who runs through hal.run and K_BLOCKED). */
static uint32_t running(uint32_t *out, uint32_t cap) {
  uint32_t n = 0;
  for (uint32_t pid = 1; pid < MAX_PID && n < cap; pid++) if (procs[pid].exists && procs[pid].running) out[n++] = pid;
  return n;
}

static void one_record(const uint8_t *r) {
  uint32_t live[16];
  uint32_t n = running(live, 16);
  if (n == 0) {
    f64 d = 0;
    ENTER(d = Z_kernelZ_next_deadline(&kernel));
    if (d >= 0) {
      ENTER(Z_kernelZ_tick(&kernel, d));
      return;
    }
    /* Everyone waits for something that will never come: fault one of them. */
    for (uint32_t pid = 1 + r[1] % 64; pid < MAX_PID; pid++) {
      if (procs[pid].exists) {
        ENTER(Z_kernelZ_fault(&kernel, pid, ONCRIX_FAULT_TRAP));
        return;
      }
    }
    return;
  }
  uint32_t pid = live[r[1] % n];
  unsigned kinds = (unsigned)r[2] | (unsigned)r[3] << 8;
  uint32_t a[6];
  for (int i = 0; i < 6; i++) a[i] = argument(pid, (kinds >> (2 * i)) & 3, word(r + 4 + 4 * i));
  uint8_t op = r[0] % 64;
  if (op < 48) {
    syscall(pid, op, a);
  } else if (op == 48) {
    syscall(pid, ONCRIX_SYS_FD_FIRST + a[0] % 128, a);
  } else if (op == 49) {
    u32 v = 0;
    ENTER(v = Z_kernelZ_safepoint(&kernel, pid));
    if ((int32_t)v == ONCRIX_K_BLOCKED) procs[pid].running = 0;
  } else if (op == 50) {
    idle();
  } else if (op == 51) {
    ENTER(Z_kernelZ_irq(&kernel, a[0] % 8));
  } else if (op == 52) {
    if (a[0] % 4 == 0) ENTER(Z_kernelZ_fault(&kernel, pid, 1 + a[1] % 7));
  } else {
    /* The process writes five words of its choosing at a pointer of its choosing (argument blocks). */
    uint32_t at = argument(pid, 2, a[0]) & ~3u;
    for (int i = 1; i < 6; i++, at += 4) {
      if ((uint64_t)at + 4 <= (uint64_t)procs[pid].pages * PAGE) memcpy(procs[pid].mem + at, &a[i], 4);
    }
  }
}

static void boot(uint8_t config) {
  memset(procs, 0, sizeof procs);
  seen_count = 0;
  Z_kernel_instantiate(&kernel, 0);
  /* A ceiling on the kernel's own memory for one input in four (the bare-metal case). */
  uint32_t kernel_pages = config % 4 == 0 ? 40 + (config >> 2) % 64 : 0;
  if (kernel_pages != 0) Z_kernelZ_memory(&kernel)->max_pages = kernel_pages;
  u32 area = 0;
  ENTER(area = Z_kernelZ_boot_info_area(&kernel));
  if (!in_range(kmem_size(), area, ONCRIX_BOOT_INFO_SIZE + ONCRIX_BOOT_DEVICE_SIZE)) crash("boot info area outside the kernel memory", area, 0);
  uint8_t *b = kmem() + area;
  uint32_t fields[][2] = {
    {ONCRIX_BOOT_INFO_CPUS, 1 + (config >> 4) % 3},
    {ONCRIX_BOOT_INFO_FLAGS, ONCRIX_K_FLAG_DETERMINISTIC},
    {ONCRIX_BOOT_INFO_BUDGET_PAGES, 24 + config % 200},
    {ONCRIX_BOOT_INFO_SLICE_SAFEPOINTS, 3},
    {ONCRIX_BOOT_INFO_SLICE_US, 1000},
    {ONCRIX_BOOT_INFO_ROOT_IMAGE, 0},
    {ONCRIX_BOOT_INFO_ROOT_QUOTA, 64},
    {ONCRIX_BOOT_INFO_ROOT_PRIORITY, 6},
    {ONCRIX_BOOT_INFO_NUM_DEVICES, 1},
    {ONCRIX_BOOT_INFO_SAFEPOINT_NS, 1000},
    {ONCRIX_BOOT_INFO_KERNEL_PAGES, kernel_pages},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) memcpy(b + fields[i][0], &fields[i][1], 4);
  uint32_t device[3] = {0, 8, 4};
  memcpy(b + ONCRIX_BOOT_INFO_SIZE + ONCRIX_BOOT_DEVICE_DEVICE, &device[0], 4);
  memcpy(b + ONCRIX_BOOT_INFO_SIZE + ONCRIX_BOOT_DEVICE_REGISTERS, &device[1], 4);
  memcpy(b + ONCRIX_BOOT_INFO_SIZE + ONCRIX_BOOT_DEVICE_IRQ, &device[2], 4);
  u32 root = 0;
  ENTER(root = Z_kernelZ_init(&kernel));
  if ((int32_t)root <= 0) crash("init did not start", (int32_t)root, config);
  check("invariant broken after boot", 0);
}

/* Fault every process, let every teardown finish, and check that nothing is left. */
static void drain(void) {
  for (uint32_t pid = 1; pid < MAX_PID; pid++) if (procs[pid].exists) ENTER(Z_kernelZ_fault(&kernel, pid, ONCRIX_FAULT_TRAP));
  for (int i = 0; i < 1000000 && kstat(ONCRIX_STAT_WORK) > 0; i++) {
    f64 t = 0;
    ENTER(t = Z_kernelZ_kernel_time(&kernel));
    ENTER(Z_kernelZ_tick(&kernel, t));
  }
  check("invariant broken after every process ended", 0);
  static const struct { u32 stat; const char *what; } empty[] = {
    {ONCRIX_STAT_PROCESSES, "processes left"}, {ONCRIX_STAT_HANDLES, "handles left"}, {ONCRIX_STAT_OBJECTS, "objects left"},
    {ONCRIX_STAT_BUDGET_USED, "pages left charged"}, {ONCRIX_STAT_KERNEL_BYTES, "kernel bytes left charged"},
    {ONCRIX_STAT_MSG_QUEUED, "messages left queued"}, {ONCRIX_STAT_DEADLINES, "deadlines left"}, {ONCRIX_STAT_WORK, "teardown left"},
  };
  for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
    int32_t v = kstat(empty[i].stat);
    if (v != 0) crash(empty[i].what, v, (long)i);
  }
  int32_t sent = kstat(ONCRIX_STAT_MSG_SENT), delivered = kstat(ONCRIX_STAT_MSG_DELIVERED), dropped = kstat(ONCRIX_STAT_MSG_DROPPED);
  if (sent != delivered + dropped) crash("a message was lost or delivered twice", sent, delivered + dropped);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  wasm_rt_init();
  Z_kernel_init_module();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  user_stop = 0;
  boot(data[0]);
  if (setjmp(input_end) == 0) {
    size_t records = (size - 1) / RECORD;
    if (records > MAX_RECORDS) records = MAX_RECORDS;
    for (size_t i = 0; i < records; i++) {
      one_record(data + 1 + i * RECORD);
      check("invariant broken after a kernel entry", (long)i);
    }
    drain();
  }
  for (uint32_t pid = 1; pid < MAX_PID; pid++) if (procs[pid].exists) free(procs[pid].mem);
  Z_kernel_free(&kernel);
  return 0;
}
