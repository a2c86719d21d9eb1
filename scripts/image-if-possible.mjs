// Builds the bare-metal image (dist/oncrix.img) for the playground's
// "Export bootable image" button when this machine has the bare-metal
// toolchain (wasm2c and gcc -m32; `bash scripts/setup.sh` installs them).
// Without it the playground still builds and runs: the button then says how
// to get the image. Used by `npm start` and `npm run build:playground`.
import { execFileSync, spawnSync } from 'node:child_process';

function has(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore', input: 'int x;\n' }).status === 0;
}

if (!has('wasm2c', ['--version']) || !has('gcc', ['-m32', '-x', 'c', '-c', '-', '-o', '/dev/null'])) {
  console.warn('image: no bare-metal toolchain (wasm2c, gcc -m32) — the playground builds without oncrix.img; `bash scripts/setup.sh` installs it');
} else {
  execFileSync(process.execPath, [new URL('../packages/hal-qemu/build.mjs', import.meta.url).pathname, '--build-if-needed'], { stdio: 'inherit' });
}
