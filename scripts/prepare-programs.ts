// Runs every built user program through the loader once, at build time, so
// that booting does not need binaryen: packages/userland/build/raw/NAME.wasm
// becomes build/web/NAME.wasm (shared imported memory, safepoints, charged
// growth) and build/baremetal/NAME.wasm (the same with an unshared memory,
// for wasm2c) and build/solo/NAME.wasm (an unshared memory and Asyncify, for
// the web HAL's solo mode, where processes are fibers). The image list (build/images.json) is kept as the userland
// build wrote it. The web variants are also packed into one file,
// build/web.pack, with its index build/web-pack.json (name: [offset, length]),
// and the solo variants into build/solo.pack and build/solo-pack.json:
// the playground fetches all its programs in one request instead of one each.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram } from '@oncrix/boot/loader';

const build = fileURLToPath(new URL('../packages/userland/build/', import.meta.url));
const raw = join(build, 'raw');
const VARIANTS = ['web', 'baremetal', 'solo'] as const;
for (const variant of VARIANTS) mkdirSync(join(build, variant), { recursive: true });
let count = 0;
/** The packs the playground fetches: every program of one variant in one file, and its index. */
const packs = { web: { parts: [] as Uint8Array[], index: {} as Record<string, [number, number]>, bytes: 0 }, solo: { parts: [] as Uint8Array[], index: {} as Record<string, [number, number]>, bytes: 0 } };
for (const file of readdirSync(raw).filter((f) => f.endsWith('.wasm')).sort()) {
  const name = file.replace(/\.wasm$/, '');
  const bytes = readFileSync(join(raw, file));
  for (const variant of VARIANTS) {
    const out = loadProgram(name, bytes, { variant, maxPages: 65536 });
    writeFileSync(join(build, variant, file), out.bytes);
    if (variant === 'web' || variant === 'solo') {
      const pack = packs[variant];
      pack.index[name] = [pack.bytes, out.bytes.length];
      pack.parts.push(out.bytes);
      pack.bytes += out.bytes.length;
    }
  }
  count++;
}
for (const [variant, pack] of Object.entries(packs)) {
  writeFileSync(join(build, `${variant}.pack`), Buffer.concat(pack.parts));
  writeFileSync(join(build, `${variant}-pack.json`), `${JSON.stringify(pack.index, null, 1)}\n`);
}
console.log(`prepared ${count} programs (web, bare-metal and solo variants) in packages/userland/build`);
