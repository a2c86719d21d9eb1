// The guest of `oncrix run`, compiled by V8's optimizing tier before boot.
//
// V8 compiles WebAssembly in two tiers: Liftoff, a quick baseline, when a
// function is first called, and TurboFan once the function has run hot —
// but the optimized code is used from the function's next call on (V8 has
// no on-stack replacement for wasm). A command-line program's main() is
// called once, so the loops in it ran in baseline code for the whole run:
// about twice as slow as what node:wasi reaches once it has warmed up.
//
// So `oncrix run` compiles the guest eagerly with TurboFan here, in the
// CLI's thread, before the machine boots. V8 keeps compiled modules in one
// cache for the whole process, keyed by their bytes: the kernel Worker's
// compile of the same bytes (and every process Worker that runs it) gets
// this code. The module is held for the life of the CLI process, so the
// cache keeps it. The two flags are V8's own, changed for this one compile and set back
// before anything else is compiled; the kernel and the services keep the
// usual tiers, which suit code that is called again and again.

import { setFlagsFromString } from 'node:v8';

/** V8's flags for an eager, optimized compile, and the defaults they replace (Node 20). */
const EAGER = ['--no-liftoff', '--no-wasm-lazy-compilation'];
const USUAL = ['--liftoff', '--wasm-lazy-compilation'];

/** Modules compiled here, held so that V8's cache keeps their code for as long as this process runs. */
const held: WebAssembly.Module[] = [];

/** Compile bytes with TurboFan, eagerly, before the machine that runs them boots; later compiles of the same bytes get this code. */
export async function compileOptimized(bytes: Uint8Array): Promise<void> {
  // Someone who runs node with their own choice of these flags keeps it.
  if (process.execArgv.some((a) => /^--(no-)?(liftoff|wasm-lazy-compilation)$/.test(a))) return;
  for (const f of EAGER) setFlagsFromString(f);
  try {
    held.push(await WebAssembly.compile(bytes as BufferSource));
  } finally {
    for (const f of USUAL) setFlagsFromString(f);
  }
}
