// Build the bare-metal ONCRIX images, dist/oncrix-<arch>.img, for x86_64,
// i386, aarch64 and riscv64.
//
// The same kernel.wasm and user programs the browser runs become C with
// wasm2c (Debian wabt 1.0.32, pinned: the generated API — Z_<module>Z_<name>
// functions, Z_<module>_instance_t structs, memories imported from the
// embedder — is what src/ is written against), once for every architecture.
// That C is compiled with the architecture's gcc (`-ffreestanding`, with
// explicit bounds checks: see WASM_RT below) together with the shared C HAL in
// src/hal, its small libc and its freestanding wasm-rt runtime, and the
// architecture's own files (src/arch/<dir>), linked where that machine's
// loader puts a kernel (a multiboot image at 1 MiB on the PC; an arm64 Image
// at 0x40200000 on aarch64's virt; 0x80200000 after OpenSBI on riscv64's
// virt) and followed by the boot package (the boot manifest and settings;
// encoded by @oncrix/boot through src/host/make-package.ts), which every
// loader loads with the rest of the file. The boot package is the same bytes for every architecture.
//
// Usage: node packages/hal-qemu/build.mjs [--arch x86_64|i386|aarch64|riscv64|all] [--manifest FILE]
//          [--script FILE] [--out FILE (one architecture) | --out-dir DIR] [--build-if-needed]
//          [--kernel FILE] [--programs DIR --images images.json]   (other inputs than the build's)
// --arch may be repeated or a comma-separated list; without it, all of them. With --skip-unavailable
// (the playground's build) an architecture whose toolchain is missing is left out with a warning.
// Needs `npm run build` first (kernel.wasm, the bare-metal programs, images.json);
// with --build-if-needed (what `npm run image` passes) it runs that build itself
// when an artefact is missing or older than the sources it comes from.
// Work files go to packages/hal-qemu/build/ (wasm2c output in gen/, objects in
// <arch>/obj/); objects are reused while their inputs are unchanged.

import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
const WASM2C_VERSION = '1.0.32';
/** Calls deep a program (or the kernel) may go; each generated frame must fit FRAME_BOUND bytes. */
const MAX_DEPTH = 500;
const FRAME_BOUND = 640;
/** The module of WASI preview 1's functions, which src/hal/wasi.c provides. */
const WASI_MODULE = 'wasi_snapshot_preview1';

/**
 * wasm-rt.h (1.0.32) picks signal-handler memory checks by default when pointers are 64-bit, which
 * drops the bounds check of every load and store and the call-depth count from the generated code;
 * bare metal has no signal handler, so isolation between processes would silently end. Every
 * architecture therefore gets explicit checks (hal/main.c refuses to compile without them).
 */
const WASM_RT = ['-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0', '-DWASM_RT_USE_STACK_DEPTH_COUNT=1', `-DWASM_RT_MAX_CALL_STACK_DEPTH=${MAX_DEPTH}`];

const CFLAGS = [
  '-ffreestanding', '-fno-pic', '-fno-stack-protector', '-nostdlib', '-O2',
  '-fno-asynchronous-unwind-tables', '-fno-strict-aliasing', '-nostdinc', '-std=gnu11',
  '-fno-math-errno', // sqrt is the CPU's instruction (correctly rounded), never a call that sets errno
  '-fno-tree-loop-distribute-patterns', // libc/string.c's loops must not become calls to themselves
  ...WASM_RT, `-DHAL_MAX_DEPTH=${MAX_DEPTH}`, `-DHAL_FRAME_BOUND=${FRAME_BOUND}`,
];

/**
 * The architectures: compiler and binutils, the Debian package that brings them (scripts/check-tools.sh
 * proves it links), the flags, and the folders under src/arch with that architecture's files.
 */
const ARCHES = {
  x86_64: {
    cc: 'gcc', tools: '', pkg: 'gcc', dirs: ['pc', 'x86_64'],
    // No red zone: interrupts land on whatever stack is current. The small code model suffices: the
    // image is linked at 1 MiB, far below 2 GiB. SSE2 is part of x86_64.
    flags: ['-m64', '-mno-red-zone', '-mcmodel=small'],
  },
  i386: {
    cc: 'gcc', tools: '', pkg: 'libclang-rt-14-dev', dirs: ['pc', 'i386'], flags: ['-m32', '-msse2', '-mfpmath=sse'],
    // 64-bit division and popcount are library calls on i386 (__udivdi3, __popcountsi2). Debian 12's
    // gcc-multilib, which brings the 32-bit libgcc, conflicts with the aarch64 cross compiler, so the
    // helpers come from LLVM's compiler-rt builtins for i386 instead: the same functions, same ABI.
    runtime: () => tool('clang', ['--target=i386-linux-gnu', '--rtlib=compiler-rt', '-print-libgcc-file-name'],
      'install Debian\'s clang and libclang-rt-14-dev').trim(),
  },
  aarch64: {
    cc: 'aarch64-linux-gnu-gcc', tools: 'aarch64-linux-gnu-', pkg: 'gcc-aarch64-linux-gnu', dirs: ['aarch64'],
    flags: ['-mcpu=cortex-a53', '-mno-outline-atomics'],
  },
  riscv64: {
    cc: 'riscv64-linux-gnu-gcc', tools: 'riscv64-linux-gnu-', pkg: 'gcc-riscv64-linux-gnu', dirs: ['riscv64'],
    // medany: the image lives at 0x80200000, beyond the ±2 GiB around 0 that medlow reaches.
    flags: ['-march=rv64gc', '-mabi=lp64d', '-mcmodel=medany'],
  },
};

function fail(message) {
  console.error(`hal-qemu: ${message}`);
  process.exit(1);
}

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** --arch NAME (repeatable, or a comma list; `all`): the architectures to build, all without it. */
function chosenArches() {
  const asked = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--arch' ? a.split(',') : []));
  if (asked.length === 0 || asked.includes('all')) return Object.keys(ARCHES);
  for (const a of asked) if (!(a in ARCHES)) fail(`unknown architecture "${a}" (known: ${Object.keys(ARCHES).join(', ')}, all)`);
  return [...new Set(asked)];
}

const paths = {
  kernel: option('kernel') ?? join(repo, 'packages/kernel/build/kernel.wasm'),
  programs: option('programs') ?? join(repo, 'packages/userland/build/baremetal'),
  images: option('images') ?? join(repo, 'packages/userland/build/images.json'),
  manifest: option('manifest') ?? join(repo, 'packages/userland/manifest.default.json'),
  script: option('script'),
  abi: join(repo, 'packages/abi/c'),
  out: option('out'),
  dist: option('out-dir') ?? join(repo, 'dist'),
  work: join(here, 'build'),
  src: join(here, 'src'),
};
const gen = join(paths.work, 'gen');

/**
 * The WASI functions the HAL's shims define (src/hal/wasi.c), read from the ABI's C view, each with the
 * declaration wasm2c writes for an import of it: a program's header must declare exactly that, since the C
 * linker would join a shim to a call of another type without a word.
 */
function wasiShims() {
  const header = readFileSync(join(paths.abi, 'oncrix_abi.h'), 'utf8');
  const shims = new Map();
  for (const [, kind, name, params] of header.matchAll(/^ {2}X\((NARROW|WIDE|EXIT), (\w+), \d+, \(([^)]*)\), \([^)]*\)\)/gm)) {
    const types = params.replace(/uint(32|64)_t a\d+/g, 'u$1');
    shims.set(name, `${kind === 'EXIT' ? 'void' : 'u32'} Z_${WASI_MODULE}Z_${name}(struct Z_${WASI_MODULE}_instance_t*${types});`);
  }
  if (shims.size === 0) fail(`${relative(repo, join(paths.abi, 'oncrix_abi.h'))} has no ONCRIX_WASI_FUNCTIONS table: run \`npm run gen\``);
  return shims;
}
const WASI_SHIMS = wasiShims();
/** What a program may import (docs/userland.md); anything else is refused here with its name. */
const ALLOWED_IMPORTS = new Set(['oncrix.syscall', 'oncrix.safepoint', 'oncrix.grow', 'env.memory', 'env.abort',
  ...[...WASI_SHIMS.keys()].map((f) => `${WASI_MODULE}.${f}`)]);
let arches = chosenArches();
if (paths.out !== undefined && arches.length !== 1) fail('--out needs exactly one --arch');
/** Where an architecture's image goes. */
const imagePath = (arch) => paths.out ?? join(paths.dist, `oncrix-${arch}.img`);

// ---- tools ----------------------------------------------------------------

function tool(cmd, args, hint) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return fail(`\`${[cmd, ...args].join(' ')}\` failed: ${hint}`);
  }
}

/**
 * The toolchain must do the real job, not merely exist: scripts/check-tools.sh
 * links freestanding code with each architecture's compiler and its runtime
 * library (compiler-rt's builtins on i386, each cross compiler's own libgcc)
 * and runs wasm2c, and names the Debian package of what fails.
 */
function checkTools() {
  if (process.argv.includes('--skip-unavailable')) {
    const usable = (pkgs) => spawnSync('bash', [join(repo, 'scripts/check-tools.sh'), '--quiet', ...pkgs], { stdio: 'ignore' }).status === 0;
    const left = arches.filter((a) => !usable(['wabt', ARCHES[a].pkg]));
    for (const a of left) console.warn(`hal-qemu: no usable toolchain for ${a} (Debian: wabt, ${ARCHES[a].pkg}): no ${a} image`);
    arches = arches.filter((a) => !left.includes(a));
    if (arches.length === 0) process.exit(0);
  }
  const packages = ['wabt', ...new Set(arches.map((a) => ARCHES[a].pkg))];
  try {
    execFileSync('bash', [join(repo, 'scripts/check-tools.sh'), '--quiet', ...packages], { stdio: 'inherit' });
  } catch {
    fail(`the bare-metal toolchain for ${arches.join(', ')} is not usable (above: the Debian package to install; ` +
      'bash scripts/setup.sh installs them)');
  }
  const version = tool('wasm2c', ['--version'], 'install Debian\'s wabt (apt-get install wabt)').trim();
  if (version !== WASM2C_VERSION) {
    fail(`wasm2c ${WASM2C_VERSION} is required (Debian 12's wabt); found ${version}. ` +
      'The HAL is written against the C that this exact version generates.');
  }
  for (const a of arches) tool(`${ARCHES[a].tools}objcopy`, ['--version'], `install binutils for ${a} (it comes with ${ARCHES[a].pkg})`);
}

// ---- inputs ---------------------------------------------------------------

/** Newest modification time of any file under the given paths. */
function newest(list) {
  let t = 0;
  for (const p of list) {
    if (!existsSync(p)) continue;
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(readdirSync(p).map((f) => join(p, f))) : s.mtimeMs);
  }
  return t;
}

/** Run `npm run build` when an artefact is missing or older than its sources. */
function buildIfNeeded() {
  const outputs = [paths.kernel, paths.images, paths.programs];
  const sources = ['packages/kernel/src', 'packages/abi/src', 'packages/userland/lib', 'packages/userland/drivers',
    'packages/userland/programs', 'packages/boot/src/loader'].map((p) => join(repo, p));
  const missing = outputs.some((p) => !existsSync(p));
  const oldest = missing ? 0 : Math.min(...outputs.map((p) => statSync(p).mtimeMs), newest([paths.programs]) || Infinity);
  if (!missing && newest(sources) <= oldest) return;
  console.log(`hal-qemu: ${missing ? 'build artefacts missing' : 'sources changed'}: running \`npm run build\``);
  try {
    execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
  } catch {
    fail('`npm run build` failed');
  }
}

function checkInputs() {
  for (const p of [paths.kernel, paths.images, paths.programs]) {
    if (!existsSync(p)) fail(`${relative(repo, p)} is missing: run \`npm run build\` first`);
  }
  if (!existsSync(paths.manifest)) fail(`manifest ${paths.manifest} not found`);
  const names = JSON.parse(readFileSync(paths.images, 'utf8'));
  if (names[0] !== 'init') fail('images.json must list init first');
  for (const name of names) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) fail(`program name "${name}": bare metal needs [a-z][a-z0-9_]* (it becomes a C identifier)`);
    if (name === 'kernel') fail('a program may not be called "kernel"');
    if (!existsSync(join(paths.programs, `${name}.wasm`))) fail(`${name}.wasm is missing from ${relative(repo, paths.programs)}: run \`npm run build\``);
  }
  return names;
}

/** Read a LEB128 unsigned at pos: [value, next pos]. */
function leb(bytes, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [result, pos];
  }
}

/** The imports of a wasm module and the initial pages of its imported memory. */
function wasmImports(bytes, name) {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) fail(`${name}.wasm is not WebAssembly`);
  const imports = [];
  let initialPages = 0;
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size;
    [size, pos] = leb(bytes, pos);
    const end = pos + size;
    if (id === 2) {
      let count;
      let p = pos;
      [count, p] = leb(bytes, p);
      const text = () => {
        let n;
        [n, p] = leb(bytes, p);
        const s = bytes.subarray(p, p + n).toString('utf8');
        p += n;
        return s;
      };
      for (let i = 0; i < count; i++) {
        const module = text();
        const field = text();
        const kind = bytes[p++];
        imports.push(`${module}.${field}`);
        if (kind === 0) [, p] = leb(bytes, p);
        else if (kind === 1) { p++; const flags = bytes[p++]; [, p] = leb(bytes, p); if (flags & 1) [, p] = leb(bytes, p); }
        else if (kind === 2) { const flags = bytes[p++]; let init; [init, p] = leb(bytes, p); if (flags & 1) [, p] = leb(bytes, p); initialPages = init; }
        else if (kind === 3) p += 2;
        else fail(`${name}.wasm: unknown import kind ${kind}`);
      }
    }
    pos = end;
  }
  return { imports, initialPages };
}

// ---- steps ----------------------------------------------------------------

function hash(...parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 24);
}

/** Run jobs a few at a time, one per core. */
async function pool(items, fn) {
  const queue = [...items];
  const workers = Array.from({ length: Math.max(1, availableParallelism()) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  });
  await Promise.all(workers);
}

/**
 * The wasm2c module name of a program: its name behind a prefix, so that no program's exports can meet an
 * import module's names (the C coreutil `env` exports its memory, which would be Z_envZ_memory, the import
 * every program's memory comes through) and no generated file can be another (gen/images.c, gen/kernel.c).
 */
const moduleName = (program) => `prog_${program}`;

/** wasm2c one module into gen/<name>.c and .h, unless the same wasm was translated before. */
async function translate(name, wasm) {
  const stamp = join(gen, `${name}.stamp`);
  const key = hash(WASM2C_VERSION, readFileSync(wasm));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key && existsSync(join(gen, `${name}.c`))) return;
  await run('wasm2c', [wasm, '-n', name, '-o', join(gen, `${name}.c`)]);
  writeFileSync(stamp, key);
}

/** The wasm2c 1.0.32 header of a program: check the API the glue relies on, and the order of its import instances. */
function programApi(program) {
  const name = moduleName(program);
  const header = readFileSync(join(gen, `${name}.h`), 'utf8');
  const inst = header.match(new RegExp(`void Z_${name}_instantiate\\(Z_${name}_instance_t\\*((?:, struct Z_[a-z0-9_]+_instance_t\\*)*)\\);`));
  if (inst === null) fail(`${name}.h: no Z_${name}_instantiate in the form wasm2c ${WASM2C_VERSION} writes`);
  const modules = [...inst[1].matchAll(/struct Z_([a-z0-9_]+)_instance_t\*/g)].map((m) => m[1]);
  for (const m of modules) {
    if (m !== 'env' && m !== 'oncrix' && m !== WASI_MODULE) fail(`${name} imports from module "${m}", which the bare-metal HAL does not provide`);
  }
  for (const [, declared, fn] of header.matchAll(new RegExp(`^(\\w+ Z_${WASI_MODULE}Z_(\\w+)\\(.*)$`, 'gm'))) {
    const expected = WASI_SHIMS.get(fn);
    if (declared !== expected) fail(`${name}.h declares ${declared} where the WASI shim is ${expected ?? 'missing'} (src/hal/wasi.c)`);
  }
  for (const sym of [`Z_${name}Z__start`, `Z_${name}_init_module`, `Z_${name}_free`]) {
    if (!header.includes(`${sym}(`)) fail(`${name}.h: ${sym} is missing (no _start export?)`);
  }
  return modules;
}

function imagesGlue(names, infos) {
  const lines = [
    '/* GENERATED by packages/hal-qemu/build.mjs — the program images compiled into this HAL, in images.json order.',
    ' * Each wrapper adapts one wasm2c module (Z_<name>_...) to image_t; the process is its env, oncrix and',
    ' * wasi_snapshot_preview1 instance. */',
    '#include "image.h"',
    '#include "proc.h"',
    ...names.map((n) => `#include "${moduleName(n)}.h"`),
    '',
  ];
  for (const program of names) {
    const n = moduleName(program);
    const args = infos[program].modules.map((m) => `(struct Z_${m}_instance_t *)p`).join(', ');
    lines.push(
      `static void ${n}_instantiate(void *i, struct proc *p) { Z_${n}_instantiate((Z_${n}_instance_t *)i${args ? `, ${args}` : ''}); }`,
      `static void ${n}_start(void *i) { Z_${n}Z__start((Z_${n}_instance_t *)i); }`,
      `static void ${n}_release(void *i) { Z_${n}_free((Z_${n}_instance_t *)i); }`,
    );
  }
  lines.push('', 'const image_t hal_images[] = {');
  for (const [program, n] of names.map((p) => [p, moduleName(p)])) {
    lines.push(`  { "${program}", sizeof(Z_${n}_instance_t), ${infos[program].initialPages}u, Z_${n}_init_module, ${n}_instantiate, ${n}_start, ${n}_release },`);
  }
  lines.push('};', `const uint32_t hal_image_count = ${names.length};`, '');
  return lines.join('\n');
}

/** Every file under dir with one of the extensions. */
function files(dir, exts) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, exts) : exts.some((e) => f.endsWith(e)) ? [p] : [];
  });
}

/** The C and assembly files of one architecture: the shared HAL, libc and runtime, and its own folders. */
function archSources(arch) {
  const shared = ['hal', 'libc', 'runtime'].flatMap((d) => files(join(paths.src, d), ['.c', '.S']));
  return [...shared, ...ARCHES[arch].dirs.flatMap((d) => files(join(paths.src, 'arch', d), ['.c', '.S']))];
}

/**
 * Compile every unit of every architecture (one pool, so both cores stay busy). The HAL's own files
 * must compile without a single warning; wasm2c's output is compiled with -w (it is generated, and
 * its warnings are about its own style).
 */
async function compile(jobs) {
  const headers = [...files(paths.src, ['.h']), ...files(gen, ['.h']), join(paths.abi, 'oncrix_abi.h')]
    .sort().map((f) => readFileSync(f));
  const headerKey = hash(...headers);
  const objects = Object.fromEntries(arches.map((a) => [a, []]));
  await pool(jobs, async ({ arch, flags, source, name, generated }) => {
    const out = join(paths.work, arch, 'obj', `${name}.o`);
    objects[arch].push(out);
    const stamp = `${out}.stamp`;
    const key = hash(flags.join(' '), readFileSync(source), generated ? '' : headerKey, generated ? readFileSync(source.replace(/\.c$/, '.h')) : '');
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key && existsSync(out)) return;
    const extra = generated ? ['-fstack-usage', '-w'] : ['-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter'];
    try {
      await run(ARCHES[arch].cc, [...flags, ...extra, '-c', source, '-o', out], { maxBuffer: 16 << 20 });
    } catch (e) {
      fail(`${ARCHES[arch].cc} (${arch}) failed on ${relative(repo, source)}:\n${e.stderr || e.message}`);
    }
    if (generated) checkFrames(`${arch} ${name}`, out.replace(/\.o$/, '.su'));
    writeFileSync(stamp, key);
  });
  for (const a of arches) objects[a].sort();
  return objects;
}

/** The compiler flags of one architecture: its own, the shared ones, and the include folders. */
function archFlags(arch) {
  const { cc, flags, dirs } = ARCHES[arch];
  const gccInclude = tool(cc, [...flags, '-print-file-name=include'], '').trim();
  const includes = [join(paths.src, 'include'), gen, join(paths.src, 'hal'), paths.abi, ...dirs.map((d) => join(paths.src, 'arch', d))];
  return [...flags, ...CFLAGS, '-isystem', gccInclude, ...includes.flatMap((d) => ['-I', d])];
}

/** Every generated function's frame must fit FRAME_BOUND: that, with MAX_DEPTH, bounds every stack. */
function checkFrames(name, su) {
  let worst = 0;
  let where = '';
  for (const line of readFileSync(su, 'utf8').split('\n')) {
    const [fn, bytes] = line.split('\t');
    if (bytes !== undefined && Number(bytes) > worst) [worst, where] = [Number(bytes), fn];
  }
  if (worst > FRAME_BOUND) {
    fail(`${name}: ${where} needs a ${worst}-byte stack frame, more than the ${FRAME_BOUND} bytes the stacks are sized for ` +
      '(raise FRAME_BOUND in build.mjs)');
  }
}

/** Link one architecture's objects with its linker script and runtime library; the flat image and its symbols. */
function link(arch, objects) {
  const { cc, tools, flags, dirs, runtime } = ARCHES[arch];
  const elf = join(paths.work, arch, 'oncrix.elf');
  const bin = join(paths.work, arch, 'oncrix.bin');
  const script = join(paths.src, 'arch', dirs[dirs.length - 1], 'linker.ld');
  const libgcc = runtime?.() ?? tool(cc, [...flags, '-print-libgcc-file-name'], '').trim();
  try {
    const out = execFileSync(cc, [...flags, '-nostdlib', '-no-pie', '-static', '-Wl,--build-id=none', '-Wl,-z,noexecstack',
      '-Wl,--no-warn-rwx-segments', '-Wl,--fatal-warnings', '-T', script, '-o', elf, ...objects, libgcc],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    if (out.length > 0) fail(`link (${arch}) printed:\n${out}`);
  } catch (e) {
    fail(`link (${arch}) failed:\n${e.stderr?.toString() || e.message}`);
  }
  execFileSync(`${tools}objcopy`, ['-O', 'binary', elf, bin]);
  const symbols = Object.fromEntries(execFileSync(`${tools}nm`, [elf], { encoding: 'utf8' }).split('\n')
    .map((l) => l.split(' ')).filter((p) => p.length === 3).map(([v, , n]) => [n, parseInt(v, 16)]));
  const size = statSync(bin).size;
  if (size !== symbols._package_offset) {
    fail(`the flat ${arch} image is ${size} bytes but _package_offset is ${symbols._package_offset}: check its linker.ld`);
  }
  return { bin, symbols };
}

async function bootPackage() {
  const out = join(paths.work, 'boot-package.bin');
  const args = ['--import', 'tsx', join(paths.src, 'host/make-package.ts'), '--manifest', paths.manifest, '--images', paths.images, '--out', out];
  if (paths.script !== undefined) args.push('--script', paths.script);
  try {
    await run(process.execPath, args, { cwd: repo });
  } catch (e) {
    fail(`boot package: ${(e.stderr || e.message).trim()}`);
  }
  return readFileSync(out);
}

// ---- main -----------------------------------------------------------------

const started = Date.now();
checkTools();
if (process.argv.includes('--build-if-needed')) buildIfNeeded();
const names = checkInputs();
for (const d of [gen, ...arches.map((a) => join(paths.work, a, 'obj')), ...arches.map((a) => dirname(imagePath(a)))]) {
  mkdirSync(d, { recursive: true });
}
copyFileSync('/usr/include/wasm-rt.h', join(gen, 'wasm-rt.h'));

const infos = {};
for (const n of names) {
  const { imports, initialPages } = wasmImports(readFileSync(join(paths.programs, `${n}.wasm`)), n);
  const alien = imports.filter((i) => !ALLOWED_IMPORTS.has(i));
  if (alien.length > 0) fail(`${n} imports ${alien.join(', ')}, which the bare-metal HAL does not provide`);
  infos[n] = { initialPages };
}
await pool([{ name: 'kernel', wasm: paths.kernel }, ...names.map((n) => ({ name: moduleName(n), wasm: join(paths.programs, `${n}.wasm`) }))],
  ({ name, wasm }) => translate(name, wasm));
const kernelHeader = readFileSync(join(gen, 'kernel.h'), 'utf8');
for (const sym of ['Z_kernel_instantiate(Z_kernel_instance_t*, struct Z_hal_instance_t*)', 'Z_kernelZ_syscall', 'Z_kernelZ_memory', 'Z_halZ_run']) {
  if (!kernelHeader.includes(sym)) fail(`kernel.h lacks ${sym}: not the wasm2c ${WASM2C_VERSION} API the HAL is written against`);
}
for (const n of names) infos[n].modules = programApi(n);
const glue = imagesGlue(names, infos);
const gluePath = join(gen, 'images.c');
if (!existsSync(gluePath) || readFileSync(gluePath, 'utf8') !== glue) writeFileSync(gluePath, glue);

const jobs = arches.flatMap((arch) => {
  const flags = archFlags(arch);
  return [
    { source: join(gen, 'kernel.c'), name: 'w2c-kernel', generated: true },
    ...names.map((n) => ({ source: join(gen, `${moduleName(n)}.c`), name: `w2c-${n}`, generated: true })),
    { source: gluePath, name: 'images', generated: false },
    ...archSources(arch).map((source) => ({ source, name: relative(paths.src, source).replace(/[/.]/g, '-'), generated: false })),
  ].map((unit) => ({ ...unit, arch, flags }));
});
const objects = await compile(jobs);
const pkg = await bootPackage();
for (const arch of arches) {
  const { bin, symbols } = link(arch, objects[arch]);
  const window = symbols._package_window;
  if (pkg.length > window) fail(`boot package of ${pkg.length} bytes exceeds the ${window}-byte window`);
  const image = Buffer.concat([readFileSync(bin), pkg]);
  const out = imagePath(arch);
  writeFileSync(out, image);
  console.log(`hal-qemu: ${relative(process.cwd(), out)}: ${(image.length / 1024).toFixed(0)} KiB ` +
    `(${arch}: kernel + ${names.length} programs ${(symbols._package_offset / 1024).toFixed(0)} KiB, boot package ${pkg.length} bytes)`);
}
console.log(`hal-qemu: ${arches.length} image${arches.length === 1 ? '' : 's'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
