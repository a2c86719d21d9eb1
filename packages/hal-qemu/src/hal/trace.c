/* The trace import on bare metal: keep a small ring, print the log.
 *
 * The idea: there is no playground here to draw the trace, so the HAL keeps
 * only the last TRACE_RING records (older ones are overwritten — dropped, with
 * the count kept) for a panic to show what the kernel was doing, and, as the
 * web HAL does, prints DEBUG_LOG lines (a LOG record followed by DATA records
 * holding the text) on the console as "[oncrix] text". */
#include <stdint.h>
#include <string.h>
#include "trace.h"
#include "console.h"
#include "oncrix_abi.h"

#define TRACE_RING 256
#define REC ONCRIX_TRACE_RECORD_SIZE

static uint8_t ring[TRACE_RING][REC];
static uint32_t total;

/* The DEBUG_LOG line being collected. */
static char line[ONCRIX_LOG_MAX_BYTES + 1];
static uint32_t line_len;
static int32_t line_left = -1; /* bytes still to come; -1: no line open */

static uint32_t u32_at(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static void flush_line(void) {
  while (line_len > 0 && line[line_len - 1] == '\n') line_len--;
  line[line_len] = 0;
  hal_log("%s", line);
  line_left = -1;
}

static void watch_log(const uint8_t *rec) {
  uint32_t kind = rec[ONCRIX_TRACE_RECORD_KIND] | (uint32_t)rec[ONCRIX_TRACE_RECORD_KIND + 1] << 8;
  if (kind == ONCRIX_TR_DATA && line_left >= 0) {
    uint32_t n = rec[ONCRIX_TRACE_RECORD_FLAGS];
    if (n > ONCRIX_TRACE_DATA_BYTES) n = ONCRIX_TRACE_DATA_BYTES;
    for (uint32_t i = 0; i < n && line_len < ONCRIX_LOG_MAX_BYTES; i++) line[line_len++] = (char)rec[ONCRIX_TRACE_RECORD_ARGS + i];
    line_left -= (int32_t)n;
    if (line_left <= 0) flush_line();
    return;
  }
  if (line_left >= 0) flush_line(); /* a line cut short */
  if (kind == ONCRIX_TR_LOG) {
    line_len = 0;
    line_left = (int32_t)u32_at(rec + ONCRIX_TRACE_RECORD_ARGS);
    if (line_left <= 0) flush_line();
  }
}

void trace_record(const uint8_t *rec) {
  memcpy(ring[total % TRACE_RING], rec, REC);
  total++;
  watch_log(rec);
}

uint32_t trace_count(void) { return total; }

void trace_dump_tail(uint32_t n) {
  if (n > total) n = total;
  if (n > TRACE_RING) n = TRACE_RING;
  if (n == 0) return;
  console_printf("[oncrix] last %u of %u trace records (seq kind pid args):\n", n, total);
  for (uint32_t i = total - n; i < total; i++) {
    const uint8_t *r = ring[i % TRACE_RING];
    const uint8_t *a = r + ONCRIX_TRACE_RECORD_ARGS;
    console_printf("  #%u kind %u pid %d  %d %d %d %d\n", u32_at(r + ONCRIX_TRACE_RECORD_SEQ),
                   r[ONCRIX_TRACE_RECORD_KIND] | (uint32_t)r[ONCRIX_TRACE_RECORD_KIND + 1] << 8,
                   (int32_t)u32_at(r + ONCRIX_TRACE_RECORD_PID), (int32_t)u32_at(a), (int32_t)u32_at(a + 4),
                   (int32_t)u32_at(a + 8), (int32_t)u32_at(a + 12));
  }
}
