/* kmain: from the architecture's entry to the scheduler loop.
 *
 * The idea: bring up the machine in the order each part needs the one before
 * — console (so every later step can explain a failure), the architecture
 * (descriptor tables or vectors, the interrupt controller, where RAM is), the
 * heap, the timer and the clock, the boot package, the devices — then do what
 * the web HAL's boot() does: instantiate kernel.wasm, write the BootInfo and
 * its BootDevice records at boot_info_area(), call init(), and hand the CPU
 * to the scheduler loop, which runs init first. */
#include <stdint.h>
#include "wasm-rt.h"
#include "console.h"
#include "panic.h"
#include "clock.h"
#include "irq.h"
#include "devices.h"
#include "bootpkg.h"
#include "kentry.h"
#include "image.h"
#include "poll.h"
#include "sched.h"
#include "hal_limits.h"
#include "arch.h"
#include "../libc/heap.h"
#include "oncrix_abi.h"

/* Bare metal has no signal handler to catch a wild access, so every memory access of every program
 * must be bounds-checked by wasm2c's code, and calls counted (build.mjs sets both for every
 * architecture; wasm-rt.h would pick signal-handler checks on its own when pointers are 64-bit). */
#if WASM_RT_MEMCHECK_SIGNAL_HANDLER || !WASM_RT_USE_STACK_DEPTH_COUNT
#error "the bare-metal HAL needs WASM_RT_MEMCHECK_SIGNAL_HANDLER=0 and WASM_RT_USE_STACK_DEPTH_COUNT=1"
#endif

#define WASM_PAGE 65536u
/** The heap stays in the first 4 GiB (sizes are 32-bit; every architecture maps that much). */
#define HEAP_LIMIT 0xFFFFF000ull
/** Heap kept back from the memory budget for process stacks, instances and the kernel's own memory
 * (half of it), a quarter of the heap and at least 4 MiB. The kernel's half holds every kernel
 * object, memory objects included (the 32 MiB init keeps for ramfs in the default manifest), and
 * the kernel counts three bytes of it per byte charged (account.ts): booted with QEMU's `-m 1G`
 * (arch.ts), that is 128 MiB, 42 MiB of it chargeable. */
#define HEAP_RESERVE_MIN (4u << 20)
/** Virtual CPUs, slices and virtual safepoint cost: the web HAL's values (kernel-worker.ts). */
#define SLICE_US 10000u
#define SLICE_SAFEPOINTS 20u
#define SAFEPOINT_NS 10000u

extern char _bss_end[];

static void put32(uint8_t *at, uint32_t v) {
  for (int i = 0; i < 4; i++) at[i] = (uint8_t)(v >> (8 * i));
}

/** The BootInfo (and BootDevice records) the kernel reads in init(); kernel_pages: how far the kernel memory may grow. */
static void write_boot_info(const boot_config_t *cfg, uint32_t budget, uint32_t kernel_pages) {
  uint32_t base = k_boot_info_area();
  uint32_t need = ONCRIX_BOOT_INFO_SIZE + DEVICE_COUNT * ONCRIX_BOOT_DEVICE_SIZE;
  if ((uint64_t)base + need > kernel_mem_size()) hal_panic_fmt("boot_info_area %x lies outside the kernel memory", base);
  uint8_t *b = kernel_mem() + base;
  put32(b + ONCRIX_BOOT_INFO_CPUS, cfg->cpus);
  put32(b + ONCRIX_BOOT_INFO_FLAGS, cfg->flags);
  put32(b + ONCRIX_BOOT_INFO_BUDGET_PAGES, budget);
  put32(b + ONCRIX_BOOT_INFO_SLICE_SAFEPOINTS, SLICE_SAFEPOINTS);
  put32(b + ONCRIX_BOOT_INFO_SLICE_US, SLICE_US);
  put32(b + ONCRIX_BOOT_INFO_ROOT_IMAGE, 0);
  put32(b + ONCRIX_BOOT_INFO_ROOT_QUOTA, budget);
  put32(b + ONCRIX_BOOT_INFO_ROOT_PRIORITY, ONCRIX_PRIORITY_MAX);
  put32(b + ONCRIX_BOOT_INFO_NUM_DEVICES, DEVICE_COUNT);
  put32(b + ONCRIX_BOOT_INFO_SAFEPOINT_NS, SAFEPOINT_NS);
  put32(b + ONCRIX_BOOT_INFO_KERNEL_PAGES, kernel_pages);
  for (uint32_t i = 0; i < DEVICE_COUNT; i++) {
    uint8_t *d = b + ONCRIX_BOOT_INFO_SIZE + i * ONCRIX_BOOT_DEVICE_SIZE;
    put32(d + ONCRIX_BOOT_DEVICE_DEVICE, i);
    put32(d + ONCRIX_BOOT_DEVICE_REGISTERS, device_registers(i));
    put32(d + ONCRIX_BOOT_DEVICE_IRQ, (uint32_t)device_irq(i));
  }
}

void kmain(uintptr_t boot0, uintptr_t boot1);
void kmain(uintptr_t boot0, uintptr_t boot1) {
  console_init();
  console_printf("\nONCRIX bare-metal HAL on %s: kernel.wasm and %u programs through wasm2c 1.0.32\n", ARCH_NAME, hal_image_count);
  uintptr_t ram_start, ram_end;
  arch_init(boot0, boot1, &ram_start, &ram_end);
  uintptr_t heap_start = ((uintptr_t)_bss_end + 0xFFF) & ~(uintptr_t)0xFFF;
  uintptr_t mem_end = (uint64_t)ram_end > HEAP_LIMIT ? (uintptr_t)HEAP_LIMIT : ram_end;
  if (mem_end <= heap_start + 2 * HEAP_RESERVE_MIN) {
    hal_panic_fmt("only %lu KiB of memory; give QEMU more (-m 1G)", (unsigned long)((ram_end - ram_start) / 1024));
  }
  heap_init(heap_start, mem_end);

  clock_init(TIMER_HZ);
  arch_irq_enable();
  clock_calibrate();

  boot_config_t cfg;
  bootpkg_load(&cfg);
  hal_deterministic = (cfg.flags & ONCRIX_K_FLAG_DETERMINISTIC) != 0;
  devices_init(cfg.rom, cfg.rom_words, hal_deterministic);

  wasm_rt_init();
  k_instantiate();
  for (uint32_t i = 0; i < hal_image_count; i++) hal_images[i].init_module();

  uint32_t reserve = heap_total() / 4;
  if (reserve < HEAP_RESERVE_MIN) reserve = HEAP_RESERVE_MIN;
  uint32_t room = (heap_total() - heap_used() - reserve) / WASM_PAGE;
  uint32_t budget = cfg.budget_pages < room ? cfg.budget_pages : room;
  console_printf("%lu MiB of memory; memory budget %u pages", (unsigned long)((ram_end - ram_start) >> 20), budget);
  if (budget < cfg.budget_pages) console_printf(" (the manifest asks for %u; give QEMU more memory with -m)", cfg.budget_pages);
  console_printf("; %u CPU%s%s\n", cfg.cpus, cfg.cpus == 1 ? "" : "s", hal_deterministic ? "; deterministic" : "");
  /* The kernel memory grows inside the reserve (half of it; stacks and instances take the rest): the kernel
   * refuses, with NO_MEMORY, whatever could need more (BootInfo.kernelPages), instead of failing to grow. */
  write_boot_info(&cfg, budget, kernel_mem_size() / WASM_PAGE + reserve / 2 / WASM_PAGE);
  int32_t pid = k_init();
  if (pid < 0) hal_panic_fmt("the kernel refused to boot (error %d)", pid);
  sched_loop();
}
