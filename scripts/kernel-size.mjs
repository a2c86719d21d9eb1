// Prints the kernel's two size figures that the README quotes: lines of
// kernel source (packages/kernel/src, no tests, no generated files) and the
// size of the optimized kernel.wasm.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../packages/kernel/', import.meta.url).pathname;
const files = (dir) => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
});
const lines = files(join(root, 'src')).reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
const bytes = statSync(join(root, 'build/kernel.wasm')).size;
console.log(`kernel source: ${lines} lines (limit 5,000)`);
console.log(`kernel.wasm:   ${bytes} bytes = ${(bytes / 1024).toFixed(1)} KiB (limit 96 KiB)`);
