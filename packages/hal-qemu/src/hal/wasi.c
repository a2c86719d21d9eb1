/* The wasi_snapshot_preview1 imports: every WASI function a program built
 * with clang + wasi-libc may call, as a syscall of the kernel's POSIX front
 * door (syscall WASI_FIRST + its witx index), exactly as the web HAL's
 * process Worker makes it.
 *
 * The idea: this file only marshals. A function whose parameters are at most
 * six i32s passes them in the six syscall registers; one with an i64 or more
 * than six passes each parameter as a u64 word through the wide entry. No
 * pointer is looked at here: the kernel checks every one against the
 * caller's memory. The functions are defined from the ABI's table
 * (ONCRIX_WASI_FUNCTIONS, generated from packages/abi/src/posix.ts), so their
 * names, numbers and parameter types cannot drift from the kernel's, and
 * build.mjs checks each program's wasm2c declarations against the same table.
 * As for the oncrix imports, the process is its own import instance. */
#include <stdint.h>
#include "proc.h"
#include "user.h"
#include "sched.h"
#include "console.h"
#include "oncrix_abi.h"

struct Z_wasi_snapshot_preview1_instance_t;

#define UNPAREN(...) __VA_ARGS__
#define WASI_IMPORT(fn) Z_wasi_snapshot_preview1Z_##fn

/* Every definition has a declaration first: wasm2c declares them in each program's own header, which this
 * file does not include. */
#define DECLARE_NARROW(fn, nr, params, args) \
  uint32_t WASI_IMPORT(fn)(struct Z_wasi_snapshot_preview1_instance_t *w UNPAREN params);
#define DECLARE_WIDE DECLARE_NARROW
#define DECLARE_EXIT(fn, nr, params, args) \
  void WASI_IMPORT(fn)(struct Z_wasi_snapshot_preview1_instance_t *w UNPAREN params);
#define DECLARE(kind, fn, nr, params, args) DECLARE_##kind(fn, nr, params, args)
ONCRIX_WASI_FUNCTIONS(DECLARE)

#define SHIM_NARROW(fn, nr, params, args)                                                \
  uint32_t WASI_IMPORT(fn)(struct Z_wasi_snapshot_preview1_instance_t *w UNPAREN params) { \
    const int32_t a[6] = { UNPAREN args };                                                  \
    return (uint32_t)user_syscall((proc_t *)w, nr, a);                                      \
  }
#define SHIM_WIDE(fn, nr, params, args)                                                  \
  uint32_t WASI_IMPORT(fn)(struct Z_wasi_snapshot_preview1_instance_t *w UNPAREN params) { \
    const uint64_t words[ONCRIX_WIDE_ARGS] = { UNPAREN args };                              \
    return (uint32_t)user_syscall_wide((proc_t *)w, nr, words);                             \
  }
/* proc_exit ends the process in the kernel, so the syscall never comes back; if it did, the process
 * must still not return into a program that expects it gone. */
#define SHIM_EXIT(fn, nr, params, args)                                                  \
  void WASI_IMPORT(fn)(struct Z_wasi_snapshot_preview1_instance_t *w UNPAREN params) {     \
    proc_t *p = (proc_t *)w;                                                                \
    const int32_t a[6] = { UNPAREN args };                                                  \
    user_syscall(p, nr, a);                                                                 \
    hal_log("pid %d (%s): proc_exit returned", p->pid, p->img->name);                        \
    sched_exit(p);                                                                          \
  }
#define SHIM(kind, fn, nr, params, args) SHIM_##kind(fn, nr, params, args)
ONCRIX_WASI_FUNCTIONS(SHIM)
