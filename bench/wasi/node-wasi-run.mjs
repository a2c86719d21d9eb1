// One run of a WASI program under Node's own node:wasi, in a process of its
// own: `node node-wasi-run.mjs PROG.wasm ROOT [ARGS…]`, ROOT preopened as
// `/`, the program's stdout this process's. The WASI section of the bench
// times copy + wc this way so that node:wasi starts as cold as `oncrix run`
// does: in the bench's own process the second and later runs of the same
// bytes reuse the code V8 optimized during the first (its wasm code cache),
// and the baseline would be TurboFan code against ONCRIX's first, baseline-
// compiled run.
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
