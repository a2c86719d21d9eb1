// The HAL contract, kernel side: every function kernel.wasm imports from its
// host (module "hal"). This file is the whole seam between the kernel and a
// machine. A backend (hal-web in browsers and Node, hal-qemu on bare metal, the
// test HAL in Vitest) implements exactly these, and calls the entry points
// exported from index.ts.
//
// Principles:
// - The kernel never touches process memory itself. It asks the HAL to copy,
//   and only after the syscall front door has checked the range against
//   mem_size(pid). A copy that still fails returns -1 and becomes ERR_FAULT.
// - Calls are non-blocking: run/preempt only *request* that a thread run or
//   stop at its next safepoint; the HAL acts on them after the kernel returns.
// - Times are f64 nanoseconds (exact up to 104 days), so no BigInt crosses
//   the boundary in JavaScript hosts.
//
// The other half of the contract, the entry points a HAL calls (exported
// from index.ts, where each has its full comment):
//
//   boot_info_area(): usize        where the HAL writes the BootInfo before init()
//   init(): i32                    build devices, IRQs and the root task; its pid or an ERR_*
//   syscall(pid, nr, a0..a5): i32  a process's syscall; the result, or K_BLOCKED (park it until run())
//   safepoint(pid): i32            a process reached a safepoint; 0 to go on, or K_BLOCKED (parked)
//   irq(line)                      an interrupt line fired
//   tick(t: f64)                   timer tick (real time); in deterministic mode, jump to t when idle
//   fault(pid, reason)             a process trapped or could not load (Fault.*); it ends
//   next_deadline(): f64           the earliest pending deadline (ns), or -1
//   kernel_time(): f64             kernel time (ns; virtual in deterministic mode)
//   debug_check(): i32             0 if every invariant holds, else the first broken one
//   debug_stat(which): i32         statistics (Stat.*)
//   assert_sound()                 panic naming the first broken invariant, if any

/** Monotonic clock in nanoseconds (unused in deterministic mode). */
// @ts-ignore: decorator
@external("hal", "now") export declare function now(): f64;

/** Copy len bytes from process memory at uptr into kernel memory at kptr. 0 or -1. */
// @ts-ignore: decorator
@external("hal", "copy_from_user") export declare function copy_from_user(pid: i32, uptr: u32, kptr: usize, len: u32): i32;

/** Copy len bytes from kernel memory at kptr into process memory at uptr. 0 or -1. */
// @ts-ignore: decorator
@external("hal", "copy_to_user") export declare function copy_to_user(pid: i32, kptr: usize, uptr: u32, len: u32): i32;

/** Copy len bytes straight from one process memory to another (reply fast path). 0 or -1. */
// @ts-ignore: decorator
@external("hal", "copy_between") export declare function copy_between(srcPid: i32, src: u32, dstPid: i32, dst: u32, len: u32): i32;

/** Current size in bytes of a process memory. */
// @ts-ignore: decorator
@external("hal", "mem_size") export declare function mem_size(pid: i32): u32;

/** Grow a process memory by pages (already charged by the kernel). Old size in pages, or -1. */
// @ts-ignore: decorator
@external("hal", "mem_grow") export declare function mem_grow(pid: i32, pages: u32): i32;

/**
 * Create the address space and thread of a new process from a program image,
 * with a memory of at most quotaPages. The thread does not run until run().
 * Returns its initial memory size in pages, or a negative ERR_* code
 * (ERR_NOT_FOUND: no such image; ERR_NO_MEMORY; ERR_INVALID_ARGS: bad module).
 */
// @ts-ignore: decorator
@external("hal", "process_create") export declare function process_create(pid: i32, image: u32, quotaPages: u32): i32;

/** Stop a process thread for good and free its memory (exit, kill, fault). */
// @ts-ignore: decorator
@external("hal", "process_destroy") export declare function process_destroy(pid: i32): void;

/**
 * Let a process run on a virtual CPU: start it the first time; otherwise the
 * syscall or safepoint it is parked in returns `result`.
 */
// @ts-ignore: decorator
@external("hal", "run") export declare function run(pid: i32, cpu: i32, result: i32): void;

/** Ask a running process to enter the kernel at its next safepoint (preemption). */
// @ts-ignore: decorator
@external("hal", "preempt") export declare function preempt(pid: i32): void;

/** Read register reg of HAL device dev (port I/O on bare metal, a model on the web). */
// @ts-ignore: decorator
@external("hal", "dev_read") export declare function dev_read(dev: u32, reg: u32): i32;

/** Write register reg of HAL device dev. */
// @ts-ignore: decorator
@external("hal", "dev_write") export declare function dev_write(dev: u32, reg: u32, value: i32): void;

/** Mask (1) or unmask (0) an interrupt line at the interrupt controller. */
// @ts-ignore: decorator
@external("hal", "irq_mask") export declare function irq_mask(line: i32, masked: i32): void;

/** Hand trace records to the host: len / TRACE_RECORD_SIZE of them, in order, at ptr (the kernel batches them within an entry). */
// @ts-ignore: decorator
@external("hal", "trace") export declare function trace(ptr: usize, len: u32): void;

/** The kernel found a broken invariant: show the UTF-8 message and stop. Does not return. */
// @ts-ignore: decorator
@external("hal", "panic") export declare function panic(ptr: usize, len: u32): void;
