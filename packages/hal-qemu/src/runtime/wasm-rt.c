/* A freestanding implementation of the wasm2c 1.0.32 runtime API (wasm-rt.h).
 *
 * The idea: Debian's wasm-rt-impl.c assumes an operating system (mmap, signal
 * handlers, stdio, a global jmp_buf); on bare metal the same API is small:
 * memories and tables live on the HAL heap (realloc to grow — every access
 * re-reads mem->data, so moving is safe), function types are interned in a
 * fixed table, and a trap never returns: in a program it longjmps to that
 * process's entry (which reports the fault to the kernel); in the kernel it is
 * a kernel bug and panics. Exceptions (not used by ONCRIX programs) trap. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wasm-rt.h"
#include "../hal/proc.h"
#include "../hal/kentry.h"
#include "../hal/panic.h"

#define PAGE 65536u
#define MAX_TYPES 512
#define MAX_TYPE_VALUES 4096

uint32_t wasm_rt_call_stack_depth;
uint32_t wasm_rt_saved_call_stack_depth;

static int initialized;

/* Interned function types: (params, results, then the value types) in one pool. */
static struct { uint16_t params, results, at; } types[MAX_TYPES];
static uint8_t type_values[MAX_TYPE_VALUES];
static uint32_t type_count, value_count;

void wasm_rt_init(void) { initialized = 1; }
bool wasm_rt_is_initialized(void) { return initialized != 0; }
void wasm_rt_free(void) { initialized = 0; }

void wasm_rt_trap(wasm_rt_trap_t code) {
  if (kernel_active()) hal_panic_fmt("kernel trap: %s", wasm_rt_strerror(code));
  proc_t *p = hal_current;
  if (p == 0) hal_panic_fmt("trap outside any process: %s", wasm_rt_strerror(code));
  longjmp(p->trap, (int)code);
}

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
  switch (trap) {
    case WASM_RT_TRAP_NONE: return "no error";
    case WASM_RT_TRAP_OOB: return "out of bounds memory or table access";
    case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "unreachable";
    case WASM_RT_TRAP_CALL_INDIRECT: return "indirect call signature mismatch";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION: return "uncaught exception";
    case WASM_RT_TRAP_EXHAUSTION: return "call stack exhausted";
  }
  return "unknown trap";
}

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  uint8_t v[64];
  uint32_t n = params + results;
  if (n > sizeof v) hal_panic_fmt("wasm-rt: a function type with %u values", n);
  va_list ap;
  va_start(ap, results);
  for (uint32_t i = 0; i < n; i++) v[i] = (uint8_t)va_arg(ap, int);
  va_end(ap);
  for (uint32_t i = 0; i < type_count; i++) {
    if (types[i].params == params && types[i].results == results && memcmp(type_values + types[i].at, v, n) == 0) {
      return i + 1;
    }
  }
  if (type_count == MAX_TYPES || value_count + n > MAX_TYPE_VALUES) hal_panic_fmt("wasm-rt: too many function types");
  types[type_count].params = (uint16_t)params;
  types[type_count].results = (uint16_t)results;
  types[type_count].at = (uint16_t)value_count;
  memcpy(type_values + value_count, v, n);
  value_count += n;
  return ++type_count;
}

/* ---- exceptions: ONCRIX programs use none; a throw ends the process ---- */

static WASM_RT_UNWIND_TARGET *unwind_target;
static uint32_t exception_tag, exception_size;
static uint8_t exception_data[256];

uint32_t wasm_rt_register_tag(uint32_t size) {
  static uint32_t tags;
  if (size > sizeof exception_data) wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
  return tags++;
}

void wasm_rt_load_exception(uint32_t tag, uint32_t size, const void *values) {
  if (size > sizeof exception_data) size = sizeof exception_data;
  exception_tag = tag;
  exception_size = size;
  if (size > 0) memcpy(exception_data, values, size);
}

void wasm_rt_throw(void) {
  if (unwind_target != 0) longjmp(*unwind_target, WASM_RT_TRAP_UNCAUGHT_EXCEPTION);
  wasm_rt_trap(WASM_RT_TRAP_UNCAUGHT_EXCEPTION);
}

WASM_RT_UNWIND_TARGET *wasm_rt_get_unwind_target(void) { return unwind_target; }
void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET *target) { unwind_target = target; }
uint32_t wasm_rt_exception_tag(void) { return exception_tag; }
uint32_t wasm_rt_exception_size(void) { return exception_size; }
void *wasm_rt_exception(void) { return exception_data; }

/* ---- memories ---- */

void wasm_rt_allocate_memory(wasm_rt_memory_t *memory, uint32_t initial_pages, uint32_t max_pages) {
  uint32_t bytes = initial_pages * PAGE;
  memory->data = bytes > 0 ? calloc(bytes, 1) : 0;
  if (bytes > 0 && memory->data == 0) hal_panic_fmt("wasm-rt: no memory for a %u-page linear memory", initial_pages);
  memory->pages = initial_pages;
  memory->max_pages = max_pages;
  memory->size = bytes;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *memory, uint32_t delta) {
  uint32_t old_pages = memory->pages;
  uint64_t new_pages = (uint64_t)old_pages + delta;
  if (delta == 0) return old_pages;
  if (new_pages > memory->max_pages || new_pages > 65536) return (uint32_t)-1;
  uint64_t bytes = new_pages * PAGE;
  if (bytes > 0xFFFF0000u) return (uint32_t)-1; /* beyond what a 32-bit heap can hold */
  uint8_t *data = realloc(memory->data, (size_t)bytes);
  if (data == 0) return (uint32_t)-1;
  memset(data + memory->size, 0, (size_t)bytes - memory->size);
  memory->data = data;
  memory->pages = (uint32_t)new_pages;
  memory->size = (uint32_t)bytes;
  return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t *memory) {
  free(memory->data);
  memory->data = 0;
  memory->size = 0;
  memory->pages = 0;
}

/* ---- tables ---- */

#define DEFINE_TABLE_OPS(type)                                                                          \
  void wasm_rt_allocate_##type##_table(wasm_rt_##type##_table_t *table, uint32_t elements,              \
                                       uint32_t max_elements) {                                         \
    table->size = elements;                                                                             \
    table->max_size = max_elements;                                                                     \
    table->data = elements > 0 ? calloc(elements, sizeof(wasm_rt_##type##_t)) : 0;                      \
    if (elements > 0 && table->data == 0) hal_panic_fmt("wasm-rt: no memory for a table");              \
  }                                                                                                     \
  void wasm_rt_free_##type##_table(wasm_rt_##type##_table_t *table) {                                   \
    free(table->data);                                                                                  \
    table->data = 0;                                                                                    \
    table->size = 0;                                                                                    \
  }                                                                                                     \
  uint32_t wasm_rt_grow_##type##_table(wasm_rt_##type##_table_t *table, uint32_t delta,                 \
                                       wasm_rt_##type##_t init) {                                       \
    uint32_t old = table->size;                                                                         \
    uint64_t n = (uint64_t)old + delta;                                                                 \
    if (delta == 0) return old;                                                                         \
    if (n > table->max_size || n > 0x1000000) return (uint32_t)-1;                                      \
    wasm_rt_##type##_t *data = realloc(table->data, (size_t)n * sizeof(wasm_rt_##type##_t));           \
    if (data == 0) return (uint32_t)-1;                                                                 \
    for (uint32_t i = old; i < n; i++) data[i] = init;                                                  \
    table->data = data;                                                                                 \
    table->size = (uint32_t)n;                                                                          \
    return old;                                                                                         \
  }

DEFINE_TABLE_OPS(funcref)
DEFINE_TABLE_OPS(externref)
