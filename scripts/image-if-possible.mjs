// Builds the bare-metal image (dist/oncrix.img) for the playground's
// "Export bootable image" button when this machine has the bare-metal
// toolchain (wasm2c and a 32-bit gcc that links, which
// scripts/check-tools.sh proves; `bash scripts/setup.sh` installs them).
// Without it the playground still builds and runs: the button then says how
// to get the image. Used by `npm start` and `npm run build:playground`.
import { execFileSync, spawnSync } from 'node:child_process';

const check = new URL('./check-tools.sh', import.meta.url).pathname;
const usable = spawnSync('bash', [check, '--quiet', 'wabt', 'gcc-multilib'], { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;

if (!usable) {
  console.warn('image: no usable bare-metal toolchain (wasm2c, gcc-multilib) — the playground builds without oncrix.img; `bash scripts/setup.sh` installs it');
} else {
  execFileSync(process.execPath, [new URL('../packages/hal-qemu/build.mjs', import.meta.url).pathname, '--build-if-needed'], { stdio: 'inherit' });
}
