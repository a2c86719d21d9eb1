// `npm run fuzz`: the coverage-guided fuzzer of the kernel itself.
//
// kernel.wasm goes through wasm2c (as for bare metal) and is linked with
// packages/kernel/fuzz/harness.c — a HAL and a syscall-sequence interpreter
// with an invariant check after every kernel entry — under libFuzzer and
// AddressSanitizer (Debian's clang -fsanitize=fuzzer,address). Builds are
// cached in build/fuzz by the hash of their inputs.
//
//   npm run fuzz                      build, then fuzz for 60 seconds
//   npm run fuzz -- --seconds N       fuzz for N seconds
//   node scripts/fuzz.mjs build       build only (prints the binary's path)
//   node scripts/fuzz.mjs replay      run every case of the corpus once (what the test does)
//   node scripts/fuzz.mjs seeds       rewrite the seed inputs of the corpus (deterministic)
//
// The corpus in the repo, packages/kernel/fuzz/corpus, holds the seed inputs
// and every crash the fuzzer ever found (crash-*, libFuzzer writes them there
// directly): each is a replayable case, and packages/kernel/test/property/fuzz.test.ts
// replays them all, so a crash stays fixed. What a run learns besides (new
// coverage) stays in build/fuzz/corpus. The last line printed gives the
// executions per second (`npm run bench` quotes it).

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const work = join(repo, 'build/fuzz');
const corpus = join(repo, 'packages/kernel/fuzz/corpus');
const harness = join(repo, 'packages/kernel/fuzz/harness.c');
/** The kernel to fuzz: the build's, or another (ONCRIX_KERNEL_WASM, e.g. one with a planted bug, to see the fuzzer find it). */
const kernelWasm = process.env.ONCRIX_KERNEL_WASM ?? join(repo, 'packages/kernel/build/kernel.wasm');
const abi = join(repo, 'packages/abi/c');
const WASM2C = '/usr/share/wabt/wasm2c';
const FLAGS = ['-fsanitize=fuzzer,address', '-O1', '-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0', '-I', work, '-I', WASM2C, '-I', abi];
/** Records of a seed input (each 28 bytes, harness.c). */
const SEED_RECORDS = 64;

function fail(message) {
  console.error(`fuzz: ${message}`);
  process.exit(1);
}

function hash(...parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 24);
}

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    return fail(`\`${cmd} ${args.join(' ')}\` failed:\n${e.stderr || e.message}`);
  }
}

/** Compile one unit unless the same inputs were compiled before. */
function compile(source, object, extra) {
  const stamp = `${object}.stamp`;
  const key = hash(FLAGS.join(' '), extra.join(' '), readFileSync(source), readFileSync(join(abi, 'oncrix_abi.h')),
    existsSync(join(work, 'kernel.h')) ? readFileSync(join(work, 'kernel.h')) : '');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key && existsSync(object)) return false;
  run('clang', [...FLAGS, ...extra, '-c', source, '-o', object]);
  writeFileSync(stamp, key);
  return true;
}

/** Build (or reuse) build/fuzz/kernel-fuzz; returns its path. */
export function build() {
  if (!existsSync(kernelWasm)) fail('packages/kernel/build/kernel.wasm is missing: run `npm run build` first');
  mkdirSync(work, { recursive: true });
  const binary = join(work, 'kernel-fuzz');
  const key = hash(readFileSync(kernelWasm), readFileSync(harness), readFileSync(join(abi, 'oncrix_abi.h')), FLAGS.join(' '));
  const binaryStamp = `${binary}.stamp`;
  if (existsSync(binary) && existsSync(binaryStamp) && readFileSync(binaryStamp, 'utf8') === key) return binary;
  const tools = spawnSync('bash', [join(repo, 'scripts/check-tools.sh'), '--quiet', 'wabt', 'clang'], { stdio: 'inherit' });
  if (tools.status !== 0) fail('the fuzzer needs wasm2c 1.0.32 and clang with libFuzzer (bash scripts/setup.sh installs them)');
  const wasmKey = hash(readFileSync(kernelWasm));
  const wasmStamp = join(work, 'kernel.c.stamp');
  if (!existsSync(wasmStamp) || readFileSync(wasmStamp, 'utf8') !== wasmKey) {
    run('wasm2c', [kernelWasm, '-n', 'kernel', '-o', join(work, 'kernel.c')]);
    writeFileSync(wasmStamp, wasmKey);
  }
  let changed = compile(join(work, 'kernel.c'), join(work, 'kernel.o'), ['-w']);
  changed = compile(join(WASM2C, 'wasm-rt-impl.c'), join(work, 'wasm-rt-impl.o'), ['-w']) || changed;
  // The harness is ONCRIX's own C: no warning allowed.
  changed = compile(harness, join(work, 'harness.o'), ['-g', '-Wall', '-Wextra', '-Werror']) || changed;
  if (changed || !existsSync(binary)) {
    run('clang', ['-fsanitize=fuzzer,address', ...['kernel.o', 'wasm-rt-impl.o', 'harness.o'].map((o) => join(work, o)), '-lm', '-o', binary]);
  }
  writeFileSync(binaryStamp, key);
  return binary;
}

/** The corpus cases in the repo (seeds and saved crashes), as paths. */
export function cases() {
  if (!existsSync(corpus)) return [];
  return readdirSync(corpus).filter((f) => !f.startsWith('.') && f !== 'README.md').sort().map((f) => join(corpus, f));
}

/** Run every corpus case once; returns libFuzzer's output (throws with it on a crash). */
export function replay(binary = build()) {
  const r = spawnSync(binary, ['-runs=1', ...cases()], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`a corpus case crashes the kernel:\n${r.stderr.split('\n').slice(-40).join('\n')}`);
  return r.stderr;
}

/**
 * Fuzz for `seconds`, starting from the repo corpus; a crash is saved into
 * it as crash-<hash>. Returns { execs, execsPerSec, crashed, output }.
 */
export function fuzz(seconds, binary = build()) {
  const learned = join(work, 'corpus');
  mkdirSync(learned, { recursive: true });
  const r = spawnSync(binary, [
    `-max_total_time=${seconds}`, '-print_final_stats=1', '-len_control=0', '-max_len=4096', '-timeout=10', '-rss_limit_mb=1024',
    `-artifact_prefix=${corpus}/`, learned, corpus,
  ], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const stat = (name) => Number(new RegExp(`stat::${name}:\\s+(\\d+)`).exec(r.stderr)?.[1] ?? NaN);
  return { execs: stat('number_of_executed_units'), execsPerSec: stat('average_exec_per_sec'), crashed: r.status !== 0, output: r.stderr };
}

/** A small deterministic PRNG (xorshift32), so the seeds are the same on every machine. */
function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/**
 * Seed inputs that already do something: each record a syscall the kernel
 * serves (mostly creating, writing, reading, waiting, spawning and revoking),
 * or a process laying out an argument block, with arguments biased toward
 * handle values the kernel gave out and pointers inside the caller's memory.
 */
export function writeSeeds(count = 8) {
  mkdirSync(corpus, { recursive: true });
  for (const f of readdirSync(corpus)) if (f.startsWith('seed-')) rmSync(join(corpus, f));
  const useful = [1, 2, 3, 4, 5, 6, 7, 8, 8, 9, 9, 9, 10, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 21, 22, 23, 27, 28, 30, 38, 39, 49, 50, 53, 53];
  for (let s = 0; s < count; s++) {
    const next = prng(0x9e3779b9 * (s + 1));
    const bytes = new Uint8Array(1 + SEED_RECORDS * 28);
    bytes[0] = next() & 0xff;
    for (let i = 0; i < SEED_RECORDS; i++) {
      const at = 1 + i * 28;
      bytes[at] = useful[next() % useful.length] ?? 0;
      bytes[at + 1] = next() & 0xff;
      // Kinds: mostly seen values (1) and pointers (2) for the first arguments, small numbers (3) after.
      const kinds = [1, 2, 3, 3, 1, 3].map((k) => (next() % 4 === 0 ? next() % 4 : k));
      const packed = kinds.reduce((acc, k, j) => acc | (k << (2 * j)), 0);
      bytes[at + 2] = packed & 0xff;
      bytes[at + 3] = packed >> 8;
      for (let j = 0; j < 24; j++) bytes[at + 4 + j] = next() & 0xff;
    }
    writeFileSync(join(corpus, `seed-${String(s).padStart(2, '0')}`), bytes);
  }
}

const main = process.argv[1] === fileURLToPath(import.meta.url);
if (main) {
  const args = process.argv.slice(2);
  const command = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'fuzz';
  if (command === 'build') {
    console.log(build());
  } else if (command === 'seeds') {
    writeSeeds();
    console.log(`fuzz: wrote the seed inputs in ${corpus}`);
  } else if (command === 'replay') {
    replay();
    console.log(`fuzz: ${cases().length} corpus cases replayed, none crashes`);
  } else if (command === 'fuzz') {
    const at = args.indexOf('--seconds');
    const seconds = at >= 0 ? Number(args[at + 1]) : 60;
    if (!Number.isInteger(seconds) || seconds < 1) fail('--seconds needs a whole number of seconds');
    const binary = build();
    replay(binary);
    const r = fuzz(seconds, binary);
    if (r.crashed) {
      console.error(r.output.split('\n').slice(-60).join('\n'));
      fail(`the kernel crashed; the input is saved in ${corpus} (crash-*): replay it with \`${binary} <file>\``);
    }
    console.log(`fuzz: ${r.execs} executions in ${seconds} s, ${r.execsPerSec} execs/s, no crash`);
  } else {
    fail(`unknown command "${command}" (build, replay, seeds, or fuzz with --seconds N)`);
  }
}
