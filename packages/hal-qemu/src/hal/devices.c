/* The devices behind dev_read / dev_write, the same three the web HAL models.
 *
 * The idea: the kernel hands out device windows as capabilities and never
 * knows what is behind them. Here the uart is the machine's console UART seen
 * as a 16550 (arch.h: the PC's real 16550 at COM1, riscv64's at 0x10000000,
 * a 16550 register model over aarch64's PL011), so the same user-space driver
 * runs unchanged everywhere; the rom is the boot manifest appended to the
 * image (register 0: word count, register i + 1: word i), and entropy mixes
 * the CPU's counter (or, in deterministic mode, replays the web HAL's seeded
 * xorshift32, so a replay sees the same numbers). */
#include <stdint.h>
#include "devices.h"
#include "arch.h"

/* 16550 registers and bits (docs/userland.md, "Boot devices"). */
#define UART_IER 1
#define UART_LCR 3
#define UART_LSR 5
#define IER_RX 0x01
#define LCR_DLAB 0x80
#define LSR_DATA_READY 0x01

static const uint32_t *rom_words_at;
static uint32_t rom_count;
static int fixed_seed;
static uint32_t xorshift_state = 0x9e3779b9u;
static uint64_t mix_counter;

void devices_init(const uint32_t *rom, uint32_t rom_words, int deterministic) {
  rom_words_at = rom;
  rom_count = rom_words;
  fixed_seed = deterministic;
}

uint32_t device_registers(uint32_t dev) {
  switch (dev) {
    case DEVICE_UART: return 8;
    case DEVICE_ROM: return rom_count + 1;
    case DEVICE_ENTROPY: return 1;
    default: return 0;
  }
}

int32_t device_irq(uint32_t dev) {
  return dev == DEVICE_UART ? UART_IRQ : -1;
}

/** splitmix64's finaliser over the CPU's counter and a counter of calls. */
static uint32_t entropy(void) {
  if (fixed_seed) {
    uint32_t x = xorshift_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    xorshift_state = x;
    return x;
  }
  uint64_t z = arch_cycles() + (++mix_counter) * 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return (uint32_t)z;
}

uint32_t device_read(uint32_t dev, uint32_t reg) {
  switch (dev) {
    case DEVICE_UART: return reg < 8 ? arch_uart_read(reg) : 0;
    case DEVICE_ROM:
      if (reg == 0) return rom_count;
      return reg - 1 < rom_count ? rom_words_at[reg - 1] : 0;
    case DEVICE_ENTROPY: return entropy();
    default: return 0;
  }
}

void device_write(uint32_t dev, uint32_t reg, uint32_t value) {
  if (dev == DEVICE_UART && reg < 8) arch_uart_write(reg, (uint8_t)value);
}

int device_asserts_irq(int line) {
  if (line != UART_IRQ) return 0;
  if (arch_uart_read(UART_LCR) & LCR_DLAB) return 0; /* DLAB set: IER is the divisor now; the driver is configuring */
  return (arch_uart_read(UART_IER) & IER_RX) != 0 && (arch_uart_read(UART_LSR) & LSR_DATA_READY) != 0;
}
