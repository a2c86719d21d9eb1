/* kmain: from the multiboot entry to the scheduler loop.
 *
 * The idea: bring up the machine in the order each part needs the one before
 * — console (so every later step can explain a failure), heap, GDT/IDT/PIC,
 * the PIT and the clock, the boot package, the devices — then do what the web
 * HAL's boot() does: instantiate kernel.wasm, write the BootInfo and its
 * BootDevice records at boot_info_area(), call init(), and hand the CPU to the
 * scheduler loop, which runs init first. */
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
#include "../arch/gdt.h"
#include "../arch/idt.h"
#include "../arch/pic.h"
#include "../arch/io.h"
#include "../libc/heap.h"
#include "oncrix_abi.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u
#define WASM_PAGE 65536u
/** Heap kept back from the memory budget for process stacks, instances and the kernel's own memory:
 * a quarter of it, between 4 and 24 MiB. */
#define HEAP_RESERVE_MIN (4u << 20)
#define HEAP_RESERVE_MAX (24u << 20)
/** Virtual CPUs, slices and virtual safepoint cost: the web HAL's values (kernel-worker.ts). */
#define SLICE_US 10000u
#define SLICE_SAFEPOINTS 20u
#define SAFEPOINT_NS 10000u

struct multiboot_info {
  uint32_t flags, mem_lower, mem_upper;
};

extern char _bss_end[];

static void put32(uint8_t *at, uint32_t v) {
  for (int i = 0; i < 4; i++) at[i] = (uint8_t)(v >> (8 * i));
}

/** The BootInfo (and BootDevice records) the kernel reads in init(). */
static void write_boot_info(const boot_config_t *cfg, uint32_t budget) {
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
  for (uint32_t i = 0; i < DEVICE_COUNT; i++) {
    uint8_t *d = b + ONCRIX_BOOT_INFO_SIZE + i * ONCRIX_BOOT_DEVICE_SIZE;
    put32(d + ONCRIX_BOOT_DEVICE_DEVICE, i);
    put32(d + ONCRIX_BOOT_DEVICE_REGISTERS, device_registers(i));
    put32(d + ONCRIX_BOOT_DEVICE_IRQ, (uint32_t)device_irq(i));
  }
}

void kmain(uint32_t magic, const struct multiboot_info *mbi) {
  console_init();
  console_printf("\nONCRIX bare-metal HAL: kernel.wasm and %u programs through wasm2c 1.0.32\n", hal_image_count);
  if (magic != MULTIBOOT_BOOTLOADER_MAGIC) hal_panic_fmt("not started by a multiboot loader (magic %x)", magic);
  uint32_t upper_kib = (mbi->flags & 1) ? mbi->mem_upper : 32u * 1024u;
  if (upper_kib > 3u * 1024u * 1024u) upper_kib = 3u * 1024u * 1024u; /* stay below the PCI hole */
  uint32_t mem_end = 0x100000u + upper_kib * 1024u;
  uint32_t heap_start = ((uint32_t)_bss_end + 0xFFF) & ~0xFFFu;
  if (mem_end <= heap_start + 2 * HEAP_RESERVE_MIN) hal_panic_fmt("only %u KiB of memory; give QEMU more (-m 128)", mem_end / 1024);
  heap_init(heap_start, mem_end);

  gdt_init();
  idt_init();
  pic_init();
  clock_init(PIT_RATE_HZ);
  pic_unmask(0);
  cpu_sti();
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
  if (reserve > HEAP_RESERVE_MAX) reserve = HEAP_RESERVE_MAX;
  uint32_t room = (heap_total() - heap_used() - reserve) / WASM_PAGE;
  uint32_t budget = cfg.budget_pages < room ? cfg.budget_pages : room;
  console_printf("%u MiB of memory; memory budget %u pages", mem_end >> 20, budget);
  if (budget < cfg.budget_pages) console_printf(" (the manifest asks for %u; give QEMU more memory with -m)", cfg.budget_pages);
  console_printf("; %u CPU%s%s\n", cfg.cpus, cfg.cpus == 1 ? "" : "s", hal_deterministic ? "; deterministic" : "");
  write_boot_info(&cfg, budget);
  int32_t pid = k_init();
  if (pid < 0) hal_panic_fmt("the kernel refused to boot (error %d)", pid);
  sched_loop();
}
