/* aarch64: where RAM is, CPU exceptions, stopping the machine, fresh stacks.
 *
 * The idea: the virt board tells its kernel everything through the device
 * tree in x0 (boot.S passes it on): arch_init reads the RAM range from it
 * before the heap takes that memory, then starts the GIC. Exceptions arrive
 * through vectors.S: an IRQ goes to the GIC; anything synchronous (a data
 * abort, an undefined instruction, an SP alignment fault) can only come from
 * a HAL or compiler bug — WebAssembly code traps through wasm-rt, never the
 * CPU — so it stops the machine with the syndrome and the registers. */
#include <stdint.h>
#include "arch.h"
#include "virt.h"
#include "../../hal/fdt.h"
#include "../../hal/panic.h"

/** What vectors.S saves (lowest address first); q0..q31 follow at 288. */
struct exception_frame {
  uint64_t x[31];
  uint64_t elr, spsr, fpcr, fpsr;
};

#define KIND_SYNC_SPX 4
#define KIND_IRQ_SPX 5
#define PSCI_SYSTEM_OFF 0x84000008u

void arch_semihost_exit(const uint64_t block[2]);
extern const char semihost_hlt[];
void arch_exception(uint64_t kind, struct exception_frame *f);

void arch_init(uintptr_t dtb, uintptr_t unused, uintptr_t *ram_start, uintptr_t *ram_end) {
  (void)unused;
  uint64_t base, size;
  if (!fdt_memory((const void *)dtb, &base, &size)) {
    hal_panic_fmt("no device tree with a memory node at %lx: boot with qemu-system-aarch64 -M virt -kernel", (unsigned long)dtb);
  }
  *ram_start = base;
  *ram_end = base + size;
  gic_init();
}

__attribute__((noreturn)) static void psci_off(void) {
  register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
  __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
  for (;;) __asm__ volatile("msr daifset, #0xf; wfi");
}

/* Semihosting (QEMU's -semihosting) carries the status; without it, PSCI powers off (QEMU exits with 0). */
void arch_stop(uint8_t code) {
  const uint64_t block[2] = { 0x20026, (uint64_t)code * 2 + 1 }; /* ADP_Stopped_ApplicationExit, status */
  arch_semihost_exit(block);
  psci_off();
}

static const char *ec_name(uint32_t ec) {
  switch (ec) {
    case 0x00: return "undefined instruction";
    case 0x07: return "FP/SIMD access trapped";
    case 0x15: return "SVC";
    case 0x20: case 0x21: return "instruction abort";
    case 0x22: return "PC alignment fault";
    case 0x24: case 0x25: return "data abort";
    case 0x26: return "SP alignment fault";
    case 0x2C: return "FP exception";
    case 0x3C: return "BRK";
    default: return "exception";
  }
}

void arch_exception(uint64_t kind, struct exception_frame *f) {
  if (kind == KIND_IRQ_SPX) {
    gic_dispatch();
    return;
  }
  uint64_t esr, far;
  __asm__ volatile("mrs %0, esr_el1; mrs %1, far_el1" : "=r"(esr), "=r"(far));
  uint32_t ec = (uint32_t)(esr >> 26) & 0x3F;
  if (kind == KIND_SYNC_SPX && ec == 0 && f->elr == (uint64_t)(uintptr_t)semihost_hlt) psci_off(); /* no -semihosting */
  hal_panic_fmt("CPU exception (%s, vector %lu) ESR %lx at pc %lx, far %lx, sp %lx, lr %lx, x0 %lx x1 %lx x2 %lx x3 %lx",
                ec_name(ec), (unsigned long)kind, (unsigned long)esr, (unsigned long)f->elr, (unsigned long)far,
                (unsigned long)((uintptr_t)f + 800), (unsigned long)f->x[30], (unsigned long)f->x[0],
                (unsigned long)f->x[1], (unsigned long)f->x[2], (unsigned long)f->x[3]);
}

/* The frame ctx_switch pops: x19..x28, x29, x30 (= entry, where its ret goes), d8..d15; 160 bytes below
 * a 16-byte aligned top. */
uintptr_t arch_stack_init(uint8_t *lo, uintptr_t bytes, void (*entry)(void)) {
  uint64_t *sp = (uint64_t *)((((uintptr_t)lo + bytes) & ~(uintptr_t)15) - 160);
  for (int i = 0; i < 20; i++) sp[i] = 0;
  sp[11] = (uint64_t)(uintptr_t)entry;
  return (uintptr_t)sp;
}
