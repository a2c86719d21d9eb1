// Builds the bare-metal images (dist/oncrix-<arch>.img) for the playground's
// "Export bootable image" button, for every architecture whose toolchain this
// machine has (wasm2c and a gcc for it that links, which
// scripts/check-tools.sh proves; `bash scripts/setup.sh` installs them).
// Without any the playground still builds and runs: the button then says how
// to get an image. Used by `npm start` and `npm run build:playground`.
import { execFileSync } from 'node:child_process';

const build = new URL('../packages/hal-qemu/build.mjs', import.meta.url).pathname;
execFileSync(process.execPath, [build, '--build-if-needed', '--skip-unavailable'], { stdio: 'inherit' });
