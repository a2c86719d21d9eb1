// One run of a WASI program under Node's own node:wasi, in a process of its
// own: `node --no-liftoff --no-wasm-lazy-compilation node-wasi-run.mjs
// PROG.wasm ROOT [ARGS…]`, ROOT preopened as `/`, the program's stdout this
// process's. The WASI section of the bench times copy + wc this way so that
// node:wasi runs the very machine code `oncrix run` runs: `oncrix run`
// compiles its guest eagerly with V8's optimizing tier before it boots
// (packages/cli/src/optimized.ts; the flags above do the same here), and
// each run starts in a fresh process, as `oncrix run` does, with nothing
// cached from an earlier one.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [wasmPath, root, ...args] = process.argv.slice(2);
if (wasmPath === undefined || root === undefined) {
  console.error('usage: node node-wasi-run.mjs PROG.wasm ROOT [ARGS...]');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: ['prog', ...args], env: {}, preopens: { '/': root }, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
process.exitCode = wasi.start(instance);
