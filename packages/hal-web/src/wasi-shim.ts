// The WASI preview 1 imports of a process, as the process side makes them —
// the same for a process Worker (process-worker.ts) and a solo fiber
// (process-fiber.ts). Every function is a syscall (WASI_FIRST + its index)
// and the shim only marshals: calls whose parameters are all i32 and at most
// six ride in the ordinary slot; the others (i64s, or more than six:
// path_open) put each parameter as a u64 (lo, hi) in the slot's text area and
// enter as a wide request. The loader already refused imports that are not
// WASI functions with their witx signatures.

import { LIMITS, WASI, WasiFunctions } from '@oncrix/abi';
import { SLOT, SLOT_BYTES } from './shared.js';

/** How the process enters the kernel: an ordinary syscall with up to six words, or a wide one whose arguments are in the slot already. */
export interface WasiEntry<R> {
  call(nr: number, args: number[]): R;
  callWide(nr: number): R;
}

/** The WASI functions the module imports, each entering the kernel through `entry`. */
export function wasiImports<R>(module: WebAssembly.Module, slots: ArrayBufferLike, slot: number, entry: WasiEntry<R>): Record<string, (...args: (number | bigint)[]) => R> {
  const wide = new Uint32Array(slots, slot * SLOT_BYTES + SLOT.TEXT * 4, LIMITS.WIDE_ARGS * 2);
  const wasi: Record<string, (...args: (number | bigint)[]) => R> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'wasi_snapshot_preview1' || imp.kind !== 'function' || !Object.hasOwn(WasiFunctions, imp.name)) continue;
    const name = imp.name as keyof typeof WasiFunctions;
    const nr = WASI[name.toUpperCase() as keyof typeof WASI];
    const params = WasiFunctions[name].params;
    wasi[name] = params.length <= 6 && !params.includes('I')
      ? (...args) => entry.call(nr, args.map((v) => Number(v)))
      : (...args) => {
        wide.fill(0);
        args.forEach((v, i) => {
          const x = BigInt.asUintN(64, BigInt(v));
          wide[2 * i] = Number(x & 0xffffffffn);
          wide[2 * i + 1] = Number(x >> 32n);
        });
        return entry.callWide(nr);
      };
  }
  return wasi;
}
