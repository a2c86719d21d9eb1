// The WASI section of `npm run bench`: one C program (wasibench.c, built
// here by clang + wasi-libc) run as a user runs it — under `oncrix run`,
// every call through the ONCRIX kernel — and under Node's own node:wasi (no
// IPC at all: the physical limit of the design), with the program's own clock
// timing both. Each copy + wc under node:wasi runs in a process of its own,
// its module compiled as `oncrix run` compiles its guest — eagerly, by V8's
// optimizing tier (node-wasi-run.mjs) — so both run the same machine code;
// the fdstat loop under node:wasi runs here. Figures: the WASI round trip
// (fd_fdstat_get on stdout) beside the raw wait/notify round trip, and a
// 16 MiB copy followed by a wc of the copy beside node:wasi.

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';
import { median, type Figure } from '../figure.js';


const cli = fileURLToPath(new URL('../../packages/cli/bin/oncrix.mjs', import.meta.url));
const source = fileURLToPath(new URL('./wasibench.c', import.meta.url));
const nodeWasiRunner = fileURLToPath(new URL('./node-wasi-run.mjs', import.meta.url));
const COPY_BYTES = 16 << 20;

/** Run `oncrix run ARGS`; its stdout and the wall time from start to exit (ms). */
function oncrixRun(args: string[]): Promise<{ out: string; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let out = '';
    let err = '';
    const child = spawn(process.execPath, [cli, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ out, wallMs: performance.now() - t0 }) : reject(new Error(`oncrix run ${args.join(' ')}: exit ${code}\n${err}`))));
  });
}

/** Run the program under node:wasi in a fresh Node process, `/` preopened as root; its stdout. */
function freshNodeWasi(wasmPath: string, args: string[], root: string): string {
  // Compiled as `oncrix run` compiles its guest (packages/cli/src/optimized.ts): eagerly, by V8's optimizing tier.
  return execFileSync(process.execPath, ['--no-warnings', '--no-liftoff', '--no-wasm-lazy-compilation', nodeWasiRunner, wasmPath, root, ...args], { encoding: 'utf8' });
}

/** Run the program under node:wasi in this process, `/` preopened as root; its stdout. */
async function nodeWasi(wasm: Uint8Array, args: string[], root: string): Promise<string> {
  const outFile = join(root, '..', 'node-wasi-stdout.txt');
  const fd = openSync(outFile, 'w');
  try {
    const wasi = new WASI({ version: 'preview1', args: ['wasibench', ...args], env: {}, preopens: { '/': root }, stdout: fd, returnOnExit: true });
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(wasm as BufferSource), { wasi_snapshot_preview1: wasi.wasiImport });
    const code = wasi.start(instance);
    if (code !== 0) throw new Error(`node:wasi wasibench ${args.join(' ')}: exit ${code}`);
  } finally {
    closeSync(fd);
  }
  return readFileSync(outFile, 'utf8');
}

/** 16 MiB of text: lines of words, as wc would meet them. */
function text(): Uint8Array {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'kernel', 'vfs', 'ramfs', 'pipe'];
  const out = new Uint8Array(COPY_BYTES);
  const enc = new TextEncoder();
  let seed = 1;
  for (let at = 0, n = 0; at < COPY_BYTES; n++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const w = enc.encode(`${words[seed % words.length] ?? 'x'}${n % 10 === 9 ? '\n' : ' '}`);
    out.set(w.subarray(0, COPY_BYTES - at), at);
    at += w.length;
  }
  return out;
}

function num(re: RegExp, out: string): number {
  const m = re.exec(out);
  if (m === null) throw new Error(`wasibench: no ${re} in ${JSON.stringify(out)}`);
  return Number(m[1]);
}

/** Alternate runs of the copy + wc (`oncrix run`, then node:wasi) whose medians are compared: one run varies by ±30% on the 2-core machine. */
const COPY_ROUNDS = 7;

export async function wasiFigures(opts: { trials: number; waitNotifyUs: number }): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'oncrix-wasi-bench-'));
  try {
    const wasm = join(dir, 'wasibench.wasm');
    execFileSync('clang', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-std=c11', '-D_XOPEN_SOURCE=700', '-Wall', '-Wextra', '-Werror',
      '-Wl,--strip-all', '-o', wasm, source]);
    const bytes = readFileSync(wasm);
    const fdstat = /fdstat: ([\d.]+) ns\/op/;
    const oncrixFdstat: number[] = [];
    for (let i = 0; i < opts.trials; i++) oncrixFdstat.push(num(fdstat, (await oncrixRun([wasm, 'fdstat', '20000'])).out) / 1000);
    const nodeFdstat = num(fdstat, await nodeWasi(bytes, ['fdstat', '200000'], dir)) / 1000;
    const wasiUs = median(oncrixFdstat);

    const data = text();
    const copy = /copywc: ([\d.]+) ms/;
    const oncrixCopy: number[] = [];
    const walls: number[] = [];
    const nodeCopy: number[] = [];
    for (let i = 0; i < COPY_ROUNDS; i++) {
      const root = mkdtempSync(join(dir, 'root-'));
      writeFileSync(join(root, 'big.txt'), data);
      const r = await oncrixRun(['--dir', `${root}::/`, wasm, 'copywc', '/big.txt', '/copy.txt']);
      oncrixCopy.push(num(copy, r.out));
      walls.push(r.wallMs);
      rmSync(join(root, 'copy.txt'));
      nodeCopy.push(num(copy, freshNodeWasi(wasm, ['copywc', '/big.txt', '/copy.txt'], root)));
      rmSync(root, { recursive: true, force: true });
    }
    const copyMs = median(oncrixCopy);
    const nodeMs = median(nodeCopy);
    return [
      {
        name: 'WASI round trip: fd_fdstat_get on stdout (C program, `oncrix run`)', value: wasiUs, unit: 'µs',
        baseline: 'wait/notify', ratio: wasiUs / opts.waitNotifyUs, target: '<= 1.5x wait/notify', met: wasiUs <= 1.5 * opts.waitNotifyUs,
      },
      { name: 'baseline: fd_fdstat_get under node:wasi (in-process)', value: nodeFdstat, unit: 'µs' },
      {
        name: 'copy a 16 MiB file, then wc it (C program, `oncrix run`, its own clock)', value: copyMs, unit: 'ms',
        baseline: 'node:wasi', ratio: copyMs / nodeMs, target: '<= 3x node:wasi', met: copyMs <= 3 * nodeMs,
      },
      { name: 'baseline: the same copy + wc under node:wasi (a fresh process each run, compiled by TurboFan as `oncrix run` compiles its guest)', value: nodeMs, unit: 'ms' },
      { name: '`oncrix run` of the copy + wc, start to exit (boot, --dir in and out)', value: median(walls), unit: 'ms', baseline: 'node:wasi', ratio: median(walls) / nodeMs },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
