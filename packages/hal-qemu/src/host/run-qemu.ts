// `npm run qemu [-- --arch x86_64|i386|aarch64|riscv64] [more QEMU options]`:
// boot dist/oncrix-<arch>.img (x86_64 unless told) in that architecture's
// QEMU with the console on this terminal, as arch.ts says to — the same
// command the README and the playground show, plus the exit device, so that
// `exit` at the shell (or a panic) ends QEMU with the HAL's status.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ARCHES, ARCH_INFO, DEFAULT_ARCH, imageFile, isArch, qemuArgs } from '@oncrix/boot';

const args = process.argv.slice(2);
const at = args.indexOf('--arch');
const arch = at >= 0 ? args.splice(at, 2)[1] ?? '' : DEFAULT_ARCH;
if (!isArch(arch)) {
  console.error(`qemu: unknown architecture "${arch}" (known: ${ARCHES.join(', ')})`);
  process.exit(2);
}
const image = fileURLToPath(new URL(`../../../../dist/${imageFile(arch)}`, import.meta.url));
if (!existsSync(image)) {
  console.error(`qemu: ${imageFile(arch)} is not built: run \`npm run image -- --arch ${arch}\``);
  process.exit(1);
}
const { qemu, qemuPackage, exitDevice } = ARCH_INFO[arch];
const r = spawnSync(qemu, [...qemuArgs(arch, image), ...exitDevice, ...args], { stdio: 'inherit' });
if (r.error !== undefined) {
  console.error(`qemu: cannot start ${qemu} (${r.error.message}): apt-get install ${qemuPackage}`);
  process.exit(1);
}
process.exit(r.status ?? 1);
