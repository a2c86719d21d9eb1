/* The console UART of the virt board, a PL011, seen as a 16550.
 *
 * The idea: the uart device is a 16550 on every HAL (docs/userland.md), so
 * the same user-space driver runs here unchanged: this file models the
 * 16550 registers the driver and the HAL's console use over the PL011's own.
 * RBR/THR are the data register; LSR's "data ready" and "transmitter empty"
 * come from the flag register; IER bit 0 (interrupt on received data) is the
 * PL011's receive and receive-timeout interrupt masks; IIR is computed from
 * those; FCR's "clear receiver" drains the receive FIFO; LCR, MCR, SCR and the
 * divisor latch are kept in shadows (the line itself stays 115200 8N1, which
 * is all QEMU's serial backend knows). Transmit-empty interrupts (IER bit 1)
 * are not modelled: nothing in ONCRIX uses them. */
#include <stdint.h>
#include "arch.h"
#include "virt.h"

#define DR 0x00
#define FR 0x18
#define IBRD 0x24
#define FBRD 0x28
#define LCR_H 0x2C
#define CR 0x30
#define IMSC 0x38
#define ICR 0x44
#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_TXFE (1u << 7)
#define IM_RX (1u << 4)
#define IM_RT (1u << 6)

/* 16550 registers and bits */
#define LCR_DLAB 0x80
#define FCR_CLEAR_RX 0x02
#define IER_RX 0x01

static uint8_t ier, lcr, mcr, scr, dll, dlm;

static uint32_t reg(uint32_t off) { return mmio_read(PL011_BASE + off); }
static void set(uint32_t off, uint32_t v) { mmio_write(PL011_BASE + off, v); }
static int rx_ready(void) { return (reg(FR) & FR_RXFE) == 0; }

void arch_uart_init(void) {
  set(CR, 0);
  set(ICR, 0x7FF);
  set(IBRD, 13); /* 24 MHz / (16 * 115200) = 13.02 */
  set(FBRD, 1);
  set(LCR_H, 0x70); /* 8 bits, FIFOs on */
  set(IMSC, 0);
  set(CR, 0x301); /* UART, transmitter and receiver on */
  ier = 0;
  lcr = 0x03;
  dll = 1;
}

uint8_t arch_uart_read(uint32_t r) {
  uint32_t fr = reg(FR);
  switch (r) {
    case 0:
      if (lcr & LCR_DLAB) return dll;
      return rx_ready() ? (uint8_t)reg(DR) : 0;
    case 1: return (lcr & LCR_DLAB) ? dlm : ier;
    case 2: return (ier & IER_RX) && (fr & FR_RXFE) == 0 ? 0xC4 : 0xC1; /* FIFOs on; rx data, or nothing pending */
    case 3: return lcr;
    case 4: return mcr;
    case 5:
      return (uint8_t)(((fr & FR_RXFE) == 0 ? 0x01 : 0) | ((fr & FR_TXFF) == 0 ? 0x20 : 0) |
                       ((fr & FR_TXFE) && (fr & FR_BUSY) == 0 ? 0x40 : 0));
    case 6: return 0xB0; /* DCD, DSR, CTS: a line that is always up */
    case 7: return scr;
    default: return 0;
  }
}

void arch_uart_write(uint32_t r, uint8_t v) {
  switch (r) {
    case 0:
      if (lcr & LCR_DLAB) dll = v;
      else set(DR, v);
      break;
    case 1:
      if (lcr & LCR_DLAB) {
        dlm = v;
      } else {
        ier = v & 0x0F;
        set(IMSC, (ier & IER_RX) ? IM_RX | IM_RT : 0);
      }
      break;
    case 2:
      if (v & FCR_CLEAR_RX) {
        for (int i = 0; i < 64 && rx_ready(); i++) (void)reg(DR);
      }
      break;
    case 3: lcr = v; break;
    case 4: mcr = v; break;
    case 7: scr = v; break;
    default: break;
  }
}
