// The other half of the HAL contract as TypeScript sees it: the functions
// kernel.wasm imports from its host (module "hal"; declared, with their full
// meaning, in packages/kernel/src/hal.ts). Every JavaScript host — the web
// HAL's kernel Worker and the kernel tests' HAL — implements this interface
// and instantiates the kernel with `{ hal: imports }`, so a missing import or
// a wrong signature is a type error, not a LinkError at boot.
//
// Pointers into kernel memory and user memory arrive as i32 (reinterpret them
// with `>>> 0`); times are f64 nanoseconds. Copies and mem_grow return 0 (or
// the old size) on success and -1 when the range is not in the process's
// memory, which the kernel turns into ERR_FAULT.
//
// A type rather than an interface, so a value of it is an import object
// WebAssembly.Instance accepts as it is (interfaces lack the index signature).

export type KernelImports = {
  /** Monotonic clock in nanoseconds (unused in deterministic mode). */
  now(): number;
  /** Copy len bytes from process memory at uptr into kernel memory at kptr. 0 or -1. */
  copy_from_user(pid: number, uptr: number, kptr: number, len: number): number;
  /** Copy len bytes from kernel memory at kptr into process memory at uptr. 0 or -1. */
  copy_to_user(pid: number, kptr: number, uptr: number, len: number): number;
  /** Copy len bytes from one process memory straight into another. 0 or -1. */
  copy_between(srcPid: number, src: number, dstPid: number, dst: number, len: number): number;
  /** Current size in bytes of a process memory (0 for no such process). */
  mem_size(pid: number): number;
  /** Grow a process memory by pages (already charged by the kernel). Old size in pages, or -1. */
  mem_grow(pid: number, pages: number): number;
  /** Create a process's memory and thread from image `image`; its initial pages, or a negative ERR_*. */
  process_create(pid: number, image: number, quotaPages: number): number;
  /** End a process's thread for good and free its memory. */
  process_destroy(pid: number): void;
  /** Let a process run on virtual CPU `cpu`: start it, or return `result` from the call it is parked in. */
  run(pid: number, cpu: number, result: number): void;
  /** Ask a running process to enter the kernel at its next safepoint. */
  preempt(pid: number): void;
  /** Read register reg of HAL device dev. */
  dev_read(dev: number, reg: number): number;
  /** Write register reg of HAL device dev. */
  dev_write(dev: number, reg: number, value: number): void;
  /** Mask (1) or unmask (0) an interrupt line. */
  irq_mask(line: number, masked: number): void;
  /** Trace records at ptr, len bytes (whole records of TRACE_RECORD_BYTES), in order. */
  trace(ptr: number, len: number): void;
  /** The kernel found a broken invariant: the UTF-8 message at ptr. Must not return (throw). */
  panic(ptr: number, len: number): never;
};
