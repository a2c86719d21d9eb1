/* riscv64: where RAM is, traps, stopping the machine, fresh stacks.
 *
 * The idea: OpenSBI hands the kernel the device tree (a1), from which
 * arch_init reads the RAM range and the timebase before the heap takes that
 * memory (OpenSBI itself keeps the first 2 MiB of RAM, below the image).
 * Every trap arrives through trap.S: the supervisor timer and external
 * interrupts go to timer.c and the PLIC; an exception (an access fault, an
 * illegal instruction) can only come from a HAL or compiler bug —
 * WebAssembly code traps through wasm-rt, never the CPU — so it stops the
 * machine with scause, sepc and stval. The machine stops through the virt
 * board's test device, which ends QEMU with a status. */
#include <stdint.h>
#include "arch.h"
#include "virt.h"
#include "../../hal/fdt.h"
#include "../../hal/panic.h"

/** What trap.S saves: x[0] holds sepc, x[2] the interrupted sp; then sstatus, fcsr (f0..f31 follow). */
struct trap_frame {
  uint64_t x[32];
  uint64_t sstatus, fcsr;
};

#define SCAUSE_INTERRUPT (1ull << 63)
#define IRQ_S_TIMER 5
#define IRQ_S_EXTERNAL 9
#define TEST_FAIL 0x3333u /* sifive,test: QEMU exits with the status in bits 16.. */
#define SBI_SRST 0x53525354ul

uint32_t riscv_hart;
uint32_t riscv_timebase_hz = 10000000; /* QEMU virt's, if the device tree does not say */

void arch_trap(struct trap_frame *f);

void arch_init(uintptr_t dtb, uintptr_t hart, uintptr_t *ram_start, uintptr_t *ram_end) {
  uint64_t base, size;
  if (!fdt_memory((const void *)dtb, &base, &size)) {
    hal_panic_fmt("no device tree with a memory node at %lx: boot with qemu-system-riscv64 -M virt -bios default -kernel",
                  (unsigned long)dtb);
  }
  *ram_start = base;
  *ram_end = base + size;
  riscv_hart = (uint32_t)hart;
  riscv_timebase_hz = fdt_u32((const void *)dtb, "cpus", "timebase-frequency", riscv_timebase_hz);
  plic_init();
}

void arch_stop(uint8_t code) {
  mmio_write32(TEST_BASE, ((uint32_t)code * 2 + 1) << 16 | TEST_FAIL);
  sbi_call(SBI_SRST, 0, 0, 0); /* no test device: SBI system reset, shutdown */
  for (;;) __asm__ volatile("csrw sie, zero; wfi");
}

static const char *cause_name(uint64_t cause) {
  switch (cause) {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load address misaligned";
    case 5: return "load access fault";
    case 6: return "store address misaligned";
    case 7: return "store access fault";
    case 8: return "environment call";
    case 12: return "instruction page fault";
    case 13: return "load page fault";
    case 15: return "store page fault";
    default: return "exception";
  }
}

void arch_trap(struct trap_frame *f) {
  uint64_t cause, tval;
  __asm__ volatile("csrr %0, scause; csrr %1, stval" : "=r"(cause), "=r"(tval));
  if (cause & SCAUSE_INTERRUPT) {
    uint64_t irq = cause & ~SCAUSE_INTERRUPT;
    if (irq == IRQ_S_TIMER) timer_interrupt();
    else if (irq == IRQ_S_EXTERNAL) plic_dispatch();
    return;
  }
  hal_panic_fmt("CPU exception %lu (%s) at pc %lx, stval %lx, sp %lx, ra %lx, a0 %lx a1 %lx a2 %lx s0 %lx",
                (unsigned long)cause, cause_name(cause), (unsigned long)f->x[0], (unsigned long)tval, (unsigned long)f->x[2],
                (unsigned long)f->x[1], (unsigned long)f->x[10], (unsigned long)f->x[11], (unsigned long)f->x[12],
                (unsigned long)f->x[8]);
}

/* The frame ctx_switch pops: ra (= entry, where its ret goes), s0..s11, fs0..fs11; 208 bytes below a
 * 16-byte aligned top. */
uintptr_t arch_stack_init(uint8_t *lo, uintptr_t bytes, void (*entry)(void)) {
  uint64_t *sp = (uint64_t *)((((uintptr_t)lo + bytes) & ~(uintptr_t)15) - 208);
  for (int i = 0; i < 26; i++) sp[i] = 0;
  sp[0] = (uint64_t)(uintptr_t)entry;
  return (uintptr_t)sp;
}
