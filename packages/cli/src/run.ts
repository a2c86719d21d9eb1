// `oncrix run PROG.wasm [ARGS…]`: run any WASI preview 1 program on the
// whole ONCRIX system in Node, with wasmtime's command-line conventions —
// options before the program (`--env K=V`, `--dir HOST[::GUEST]`, `--`
// ends them), the program's arguments after it, its fds 1 and 2 as this
// process's stdout and stderr, this process's stdin as its fd 0, and its
// exit code as ours.
//
// The idea: nothing here runs the program. The CLI checks it with the same
// loader every program goes through (so a bad module, a missing _start or
// an import the kernel does not serve is refused with the loader's message
// before anything boots), then boots a machine whose manifest (runManifest)
// starts ramfs, devfs and the hostrun driver with the host device; hostrun
// copies each --dir into its own ramfs mount, runs the program as its child
// and copies the trees back after it exits (drivers/hostrun.ts). Every call
// the program makes goes through the kernel. The guest is compiled by V8's
// optimizing tier before the boot (optimized.ts): its main() runs once.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { bootBuilt, setNodeWorkerDir } from '@oncrix/hal-web/node';
import type { OncrixSystem } from '@oncrix/hal-web/system';
import { compileOptimized } from './optimized.js';

export const RUN_HELP = `usage: oncrix run [options] PROG.wasm [ARGS...]

Runs a WASI preview 1 program on ONCRIX: its stdout and stderr are this
terminal's, its exit code is oncrix's. Options come before the program;
everything after it is the program's.

options:
  --env NAME=VALUE    give the program this environment variable (repeatable)
  --dir HOST[::GUEST] preopen the host directory HOST as GUEST (default: HOST if
                      absolute, else /HOST; . is /): it is copied into a ramfs
                      mount before the program starts, and what the program
                      leaves there is copied back after it exits (repeatable)
  --quota-pages N     the program's memory quota in 64 KiB pages (default 4096)
  --verbose           also show the system's own log (boot, faults) on stderr
  --                  ends the options: the next word is the program
  -h, --help          this text
`;

/** Exit code for bad usage or a program that cannot be run, as wasmtime's errors are not the program's codes. */
const USAGE = 2;
const RAMFS_MIN_PAGES = 2048;
const PAGE = 65536;

/** A command line or program `oncrix run` refuses; `usage` when the help text would help. */
class RunError extends Error {
  constructor(message: string, readonly usage = false) {
    super(message);
  }
}

export interface RunOptions {
  program: string;
  args: string[];
  env: string[];
  dirs: { host: string; guest: string }[];
  quotaPages: number;
  verbose: boolean;
}

/** The guest path a --dir names: GUEST, else HOST if absolute, else /HOST ("." is "/"). */
function guestPath(host: string, guest: string | undefined): string {
  const raw = guest ?? host;
  const abs = raw.startsWith('/') ? raw : `/${raw}`;
  const parts: string[] = [];
  for (const c of abs.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') throw new RunError(`--dir ${host}${guest !== undefined ? `::${guest}` : ''}: the guest path may not contain ..`);
    parts.push(c);
  }
  return `/${parts.join('/')}`;
}

/** Parse the words after `run`, as wasmtime does: options, then the program, then its arguments. */
export function parseRunArgs(argv: string[]): RunOptions | 'help' {
  const o: RunOptions = { program: '', args: [], env: [], dirs: [], quotaPages: 4096, verbose: false };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new RunError(`${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const take = (): string => inline ?? value(flag);
    if (a === '--') {
      i++;
      break;
    }
    if (flag === '-h' || flag === '--help') return 'help';
    if (flag === '--env') {
      const kv = take();
      if (!/^[^=\0]+=/.test(kv) || kv.includes('\0')) throw new RunError(`--env ${kv}: expected NAME=VALUE`);
      o.env.push(kv);
    } else if (flag === '--dir') {
      const spec = take();
      const at = spec.indexOf('::');
      const host = at >= 0 ? spec.slice(0, at) : spec;
      const guest = at >= 0 ? spec.slice(at + 2) : undefined;
      if (host === '') throw new RunError(`--dir ${spec}: no host directory`);
      if (!existsSync(host) || !statSync(host).isDirectory()) throw new RunError(`--dir ${spec}: ${host} is not a directory`);
      const g = guestPath(host, guest);
      if (g === '/dev' || g.startsWith('/dev/')) throw new RunError(`--dir ${spec}: ${g} is where ONCRIX's devices are`);
      if (o.dirs.some((d) => d.guest === g)) throw new RunError(`--dir ${spec}: ${g} is given twice`);
      o.dirs.push({ host: resolve(host), guest: g });
    } else if (flag === '--quota-pages') {
      const n = Number(take());
      if (!Number.isInteger(n) || n < 1 || n > 16384) throw new RunError('--quota-pages takes a whole number from 1 to 16384');
      o.quotaPages = n;
    } else if (flag === '--verbose') {
      o.verbose = true;
    } else if (a.startsWith('-') && a !== '-') {
      throw new RunError(`unknown option ${a}`, true);
    } else {
      break;
    }
  }
  const program = argv[i];
  if (program === undefined) throw new RunError('no program to run', true);
  o.program = program;
  o.args = argv.slice(i + 1);
  return o;
}

/** Bytes under a host directory (to size its ramfs). */
function treeBytes(dir: string): number {
  let n = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${d}/${e.name}`);
      else if (e.isFile()) n += statSync(`${d}/${e.name}`).size;
    }
  };
  walk(dir);
  return n;
}

/** The machine `oncrix run` boots: ramfs at / (and one more per --dir below /), devfs, and hostrun holding the host device. */
export function runManifest(o: RunOptions, name: string, sizes: number[]): unknown {
  const ramfsPages = (bytes: number): number => Math.min(16384, Math.max(RAMFS_MIN_PAGES, Math.ceil((bytes * 3) / PAGE) + 256));
  const rootDir = o.dirs.findIndex((d) => d.guest === '/');
  const mounts: { path: string; service: string }[] = [
    { path: '/', service: 'ramfs' },
    { path: '/dev', service: 'devfs' },
    { path: '/dev/console', service: 'console' },
  ];
  const programs: unknown[] = [
    { name: 'uart', priority: 6, quotaPages: 8, caps: [{ device: 'uart' }, { irq: 'uart' }, { serve: 'console' }] },
    { name: 'ramfs', priority: 5, quotaPages: ramfsPages(rootDir >= 0 ? sizes[rootDir] ?? 0 : 0), caps: [{ serve: 'ramfs' }] },
  ];
  o.dirs.forEach((d, i) => {
    if (d.guest === '/') return;
    const service = `ramfs${i + 1}`;
    mounts.push({ path: d.guest, service });
    programs.push({ name: service, program: 'ramfs', priority: 5, quotaPages: ramfsPages(sizes[i] ?? 0), caps: [{ serve: service }] });
  });
  programs.push({ name: 'devfs', priority: 5, quotaPages: 4, caps: [{ serve: 'devfs' }, { device: 'entropy' }] });
  programs.push({
    name: 'hostrun',
    priority: 4,
    quotaPages: o.quotaPages + 16,
    args: ['guest', name, String(o.quotaPages)],
    caps: [{ device: 'host' }, { spawn: true }, { images: true }, ...o.dirs.map((d) => ({ preopen: d.guest }))],
  });
  const quotas = programs.reduce<number>((n, p) => n + ((p as { quotaPages: number }).quotaPages), 0);
  return { budgetPages: Math.min(65536, quotas + 256), mounts, programs };
}

/** The program checked by the loader, as the kernel Worker will run it; a RunError with the loader's message if it cannot be. */
async function loadGuest(o: RunOptions): Promise<Uint8Array> {
  if (!existsSync(o.program)) throw new RunError(`${o.program}: no such file`);
  if (!statSync(o.program).isFile()) throw new RunError(`${o.program}: not a file`);
  const bytes = readFileSync(o.program);
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) throw new RunError(`${o.program}: not a WebAssembly module (no \\0asm header)`);
  const { loadProgram, LoadError } = await import('@oncrix/boot/loader');
  try {
    return loadProgram(basename(o.program), new Uint8Array(bytes), { variant: 'web', maxPages: o.quotaPages }).bytes;
  } catch (e) {
    if (e instanceof LoadError) throw new RunError(e.message);
    throw e;
  }
}

/** Console lines to show without --verbose: the HAL's reports of a program that failed, not the system's chatter. */
function worthShowing(line: string): boolean {
  const m = /^\[oncrix\] (.*)$/.exec(line);
  if (m === null) return line.trim() !== ''; // a program wrote to /dev/console
  return /^pid \d+ \(/.test(m[1] ?? '') || /^\*\*\*/.test(m[1] ?? '');
}

/** Feed this process's stdin to the program, as fast as it reads; its end reaches the program as EOF. */
function feedStdin(sys: OncrixSystem): () => void {
  let waiting: Uint8Array = new Uint8Array(0);
  let ended = false;
  const push = (): void => {
    if (waiting.length > 0) waiting = waiting.subarray(sys.writeStdin(waiting));
    if (waiting.length === 0) {
      if (ended) sys.endStdin();
      else process.stdin.resume();
    }
  };
  process.stdin.on('data', (chunk: Buffer) => {
    waiting = new Uint8Array(chunk);
    process.stdin.pause(); // until the ring takes it all
    push();
  });
  process.stdin.on('end', () => {
    ended = true;
    push();
  });
  process.stdin.on('error', () => {
    ended = true;
    push();
  });
  return push;
}

async function run(o: RunOptions): Promise<number> {
  const guest = await loadGuest(o);
  const name = basename(o.program).replace(/\.wasm$/, '').slice(0, 16) || 'guest';
  const manifest = runManifest(o, name, o.dirs.map((d) => treeBytes(d.host)));
  setNodeWorkerDir(new URL('./', import.meta.resolve('@oncrix/hal-web/dist/kernel-worker.js')));
  await compileOptimized(guest);
  const sys = await bootBuilt({
    manifest: JSON.stringify(manifest),
    extra: [{ name: 'guest', bytes: guest, prepared: true }],
    host: { args: [o.program, ...o.args], env: o.env, dirs: o.dirs.map((d) => d.host) },
  });
  const push = feedStdin(sys);
  let log = '';
  const pump = (): void => {
    const out = sys.readStream('stdout');
    if (out.length > 0) process.stdout.write(out);
    const err = sys.readStream('stderr');
    if (err.length > 0) process.stderr.write(err);
    log += new TextDecoder().decode(sys.read()).replace(/\r/g, '');
    const lines = log.split('\n');
    log = lines.pop() ?? '';
    for (const line of lines) if (o.verbose || worthShowing(line)) process.stderr.write(`${line}\n`);
    push();
  };
  while (sys.state() === 'running' || sys.state() === 'booting') {
    pump();
    await sys.news({ trace: false, timeoutMs: 100 });
  }
  pump();
  const panic = sys.panic();
  const code = sys.exitCode();
  await sys.shutdown();
  pump();
  if (log !== '' && (o.verbose || worthShowing(log))) process.stderr.write(`${log}\n`);
  if (panic !== null) return 3;
  return code ?? 1;
}

/** `oncrix run …`: parse, run, and exit with the program's code (2 for bad usage or a program that cannot run). */
export async function runCommand(argv: string[]): Promise<never> {
  let o: RunOptions | 'help';
  try {
    o = parseRunArgs(argv);
  } catch (e) {
    if (!(e instanceof RunError)) throw e;
    process.stderr.write(`oncrix run: ${e.message}\n${e.usage ? `\n${RUN_HELP}` : ''}`);
    process.exit(USAGE);
  }
  if (o === 'help') {
    process.stdout.write(RUN_HELP);
    process.exit(0);
  }
  try {
    const code = await run(o);
    await new Promise<void>((r) => process.stdout.write('', () => r()));
    process.exit(code);
  } catch (e) {
    process.stderr.write(`oncrix run: ${(e as Error).message}\n`);
    process.exit(USAGE);
  }
}
