// Build ONCRIX user space: every program in drivers/ and programs/ becomes
// build/raw/<name>.wasm, compiled by asc; build/images.json lists the image
// names in image-table order (init, uart, sh, then the rest alphabetically).
//
// C programs (c/*.c, POSIX programs against wasi-libc: the coreutils the
// shell runs through the WASI front door) become build/c/<name>.wasm, built by
// Debian's clang for wasm32-wasi, warnings as errors, each linked with
// c/lib/start.c (begin in $PWD). They are programs like the others: copied to
// build/raw and listed in build/images.json after the AssemblyScript ones.
//
// Each program is a top-level .ts file exporting _start; helper modules live
// in lib/ (liboncrix) or in a subfolder (programs/sh/). The HAL's loader later
// rewrites the memory, inserts safepoints and maps memory.grow to oncrix.grow,
// so these are plain asc outputs. lib/check.ts is compiled without output
// first, because asc only checks the code a program reaches.

import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const asc = fileURLToPath(import.meta.resolve('assemblyscript/bin/asc.js'));
const run = promisify(execFile);

// --exportRuntime is off by asc's default (its CLI has no way to spell "false" for a boolean flag).
const FLAGS = ['-O3', '--runtime', 'incremental'];
/** Extra asc flags for particular programs. */
const EXTRA_FLAGS = {};
/** The first images, in this order; the rest follow alphabetically. */
const FIRST = ['init', 'uart', 'sh'];

function programs() {
  const found = [];
  for (const dir of ['drivers', 'services', 'programs']) {
    for (const file of readdirSync(join(here, dir))) {
      if (file.endsWith('.ts')) found.push({ name: basename(file, '.ts'), source: join(dir, file) });
    }
  }
  const rank = (p) => (FIRST.includes(p.name) ? FIRST.indexOf(p.name) : FIRST.length);
  return found.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** Run asc; on failure print its message and exit non-zero. */
async function compile(label, args) {
  try {
    await run(process.execPath, [asc, ...args], { cwd: here, maxBuffer: 16 << 20 });
  } catch (e) {
    console.error(`asc failed for ${label}:\n${e.stderr || e.stdout || e.message}`);
    process.exit(1);
  }
}

const list = programs();
const names = list.map((p) => p.name);
const dupes = names.filter((n, i) => names.indexOf(n) !== i);
if (dupes.length > 0) {
  console.error(`two programs named ${dupes.join(', ')}`);
  process.exit(1);
}

rmSync(join(here, 'build'), { recursive: true, force: true });
mkdirSync(join(here, 'build/raw'), { recursive: true });
await compile('liboncrix', ['lib/check.ts', '--runtime', 'incremental', '--noEmit']);

/** Run `job` over `items` a few at a time, one per core: more would only make every compiler slower. */
async function onePerCore(items, job) {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await job(item);
  }));
}

await onePerCore(list, (p) => compile(p.name, [p.source, ...FLAGS, ...(EXTRA_FLAGS[p.name] ?? []), '-o', `build/raw/${p.name}.wasm`]));

for (const p of list) {
  const bytes = statSync(join(here, `build/raw/${p.name}.wasm`)).size;
  console.log(`${p.name.padEnd(8)} ${String(bytes).padStart(7)} bytes  build/raw/${p.name}.wasm`);
}
// ---- C programs -----------------------------------------------------------

/** clang for wasm32-wasi against Debian's wasi-libc; -Oz and stripped, since every byte also goes through wasm2c on bare metal. */
const CFLAGS = ['--target=wasm32-wasi', '--sysroot=/usr', '-Oz', '-std=c11', '-D_XOPEN_SOURCE=700', '-Wall', '-Wextra', '-Werror', '-Wl,--strip-all'];
const cPrograms = readdirSync(join(here, 'c')).filter((f) => f.endsWith('.c')).map((f) => basename(f, '.c')).sort();
const clash = cPrograms.filter((n) => names.includes(n));
if (clash.length > 0) {
  console.error(`C and AssemblyScript programs with the same name: ${clash.join(', ')}`);
  process.exit(1);
}
mkdirSync(join(here, 'build/c'), { recursive: true });
// clang runs any `wasm-opt` it finds on PATH after linking; under npm that is binaryen's JavaScript
// build in node_modules/.bin, which takes tens of seconds per program (minutes on a loaded machine)
// to save about 15% (ls: 32 KiB instead of 38 KiB). clang gets a PATH without it.
const clangEnv = { ...process.env, PATH: (process.env.PATH ?? '').split(delimiter).filter((d) => !d.includes('node_modules')).join(delimiter) };
await onePerCore(cPrograms, async (name) => {
  try {
    await run('clang', [...CFLAGS, '-o', `build/c/${name}.wasm`, `c/${name}.c`, 'c/lib/start.c'], { cwd: here, env: clangEnv });
    copyFileSync(join(here, `build/c/${name}.wasm`), join(here, `build/raw/${name}.wasm`));
  } catch (e) {
    console.error(`clang failed for c/${name}.c:\n${e.stderr || e.message}` +
      (e.code === 'ENOENT' ? '\n(install Debian\'s clang, lld, wasi-libc and libclang-rt-14-dev-wasm32: bash scripts/setup.sh)' : ''));
    process.exit(1);
  }
});
for (const name of cPrograms) {
  const bytes = statSync(join(here, `build/c/${name}.wasm`)).size;
  console.log(`${name.padEnd(8)} ${String(bytes).padStart(7)} bytes  build/c/${name}.wasm (C, wasm32-wasi)`);
}
writeFileSync(join(here, 'build/images.json'), JSON.stringify([...names, ...cPrograms], null, 2) + '\n');
console.log(`${list.length + cPrograms.length} programs; image order in build/images.json`);
