// The entry half of the HAL contract as TypeScript sees it: the functions
// kernel.wasm exports (packages/kernel/src/index.ts; listed with their
// meaning in packages/kernel/src/hal.ts). Every JavaScript host — the web
// HAL's kernel Worker and the kernel tests' HAL — types the instance with it.
// The functions it imports are KernelImports (imports.ts).

export interface KernelExports {
  memory: WebAssembly.Memory;
  boot_info_area(): number;
  init(): number;
  syscall(pid: number, nr: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number): number;
  /** Where a HAL writes the WIDE_ARGS u64 arguments of a WASI call before syscall_wide. */
  wide_args_area(): number;
  /** A WASI call (nr WASI_FIRST + index) whose arguments are in wide_args_area(): its errno, or BLOCKED. */
  syscall_wide(pid: number, nr: number): number;
  safepoint(pid: number): number;
  irq(line: number): void;
  tick(t: number): void;
  fault(pid: number, reason: number): void;
  next_deadline(): number;
  kernel_time(): number;
  debug_check(): number;
  debug_stat(which: number): number;
  assert_sound(): void;
}
