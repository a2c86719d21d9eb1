// `npm run bench`: ONCRIX's figures beside baselines measured in the same run
// on the same machine, as ratios (each round trip the median of 5 trials).
// Prints a table and writes bench/results.json.
//
// Three sections (`--only node,chromium,qemu` runs some of them):
//
// - Node: baselines are a raw SharedArrayBuffer Atomics.wait/notify ping-pong
//   between two Workers (what one ONCRIX syscall does underneath), the same
//   spinning, and a postMessage round trip; ONCRIX figures come from the
//   `bench` and `ping` programs inside the CLI's system (their own clocks),
//   boot to prompt measured from outside, and the CLI's CPU use at its prompt.
//   The kernel under hostile load (bench/kernel-load.ts): random hostile
//   syscalls per second through the property tests' engine beside the bare
//   NULL syscall through the same test HAL, the fuzzer's executions per
//   second, and the longest single kernel entry while the hostile programs
//   run (each entry's least time over five runs of the same deterministic
//   workload, so host noise counts only where it strikes every run), beside
//   the median entry; the distribution per kind of entry is printed too.
//   Restarts (bench/restart.ts): the console driver killed 100 times at the
//   shell's prompt, fault to the echo of the next key (median and worst),
//   beside `new Worker` to its first message; target <= 2x a Worker start.
//   WASI (bench/wasi/): a C program under `oncrix run` beside the same
//   program under Node's node:wasi (in-process: the physical limit), and
//   pipe and ramfs file throughput from the `bench` program.
//   Targets (2 cores): null syscall <= 1.5x the wait/notify round trip;
//   call/reply <= 2.5x it; both below postMessage; idle under 2% of a core;
//   longest kernel entry under hostile load below 1 ms; a WASI round trip
//   (fd_fdstat_get) <= 1.5x wait/notify; pipe and file >= 100 MiB/s; the
//   16 MiB copy + wc within 3x of node:wasi.
// - Chromium (bench/chromium/): the production playground with the trace on,
//   its figures as ratios to baselines measured in the same page (two-Worker
//   round trips, a three-Worker relay shaped like a call through the kernel
//   Worker); prompt time, the longest main-thread task and the heap during
//   and after `ping 100000`, idle CPU.
// - QEMU: the bare-metal boot, round trip and image size of every architecture.
//
// The machine may be shared: results.json keeps the load average before and
// after the run and the run's nice value, beside the figures.
//
// `--against REV [--rounds N]` instead compares this tree with another commit
// in alternate rounds (bench/against.ts): before and after a change, on a
// machine whose speed drifts.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { sabRoundTrip, postMessageRoundTrip } from './baselines.js';
import { wasiFigures } from './wasi/wasi.js';
import { median, type Figure } from './figure.js';
import { measureChromium, type ChromiumFigures } from './chromium/playground.js';
import { corePercent } from './chromium/cpu.js';
import { restartFigures } from './restart.js';
import { fuzzerExecsPerSecond, longestHostileEntry, nullSyscallsPerSecond, propertySyscallsPerSecond } from './kernel-load.js';
import { measureQemu, type QemuFigures } from '@oncrix/hal-qemu/qemu';
import { ARCHES, ARCH_INFO, imageFile, type Arch } from '@oncrix/boot';
import { against } from './against.js';
import { runCliScript } from './cli-script.js';


/**
 * Run `oncrix --script` as a child process, exactly as a user would, and
 * return its console output and when the first prompt appeared (ms after start).
 */
async function runScript(lines: string[]): Promise<{ output: string; promptMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'oncrix-bench-'));
  const script = join(dir, 'script.txt');
  writeFileSync(script, `${lines.join('\n')}\n`);
  try {
    return await runCliScript(fileURLToPath(new URL('../packages/cli/bin/oncrix.mjs', import.meta.url)), script);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Trials per round-trip figure; the table shows their median. */
const TRIALS = 5;

async function trials(measure: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < TRIALS; i++) out.push(await measure());
  return out;
}

/** Run a command to completion; reject with its output if it fails. */
function exec(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('..', import.meta.url)) });
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} failed:\n${out}`))));
  });
}

/**
 * The Chromium section (bench/chromium/playground.ts): the production build
 * of the playground in Debian's Chromium, with its baselines measured in the
 * same page. Null when Chromium is missing.
 */
/** Cold loads of the playground (and of the solo machine) whose median is the prompt figure: a load varies by ±50 ms on the 2-core machine. */
const COLD_LOADS = 9;

async function chromiumFigures(): Promise<ChromiumFigures | null> {
  if (!existsSync('/usr/bin/chromium')) {
    console.log('no /usr/bin/chromium: skipping the playground figures (bash scripts/setup.sh installs it)');
    return null;
  }
  console.log('building the playground and measuring it in Chromium …');
  await exec(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
  return measureChromium({ trials: TRIALS, coldLoads: COLD_LOADS, idleMs: IDLE_MS, log: (t) => console.log(t) });
}

/** How long each idle-CPU figure watches. */
const IDLE_MS = 10_000;

/**
 * Percent of one core `oncrix` (the CLI and its Worker threads) uses while
 * its shell waits at the prompt, as a terminal left open would.
 */
async function idleCli(): Promise<number> {
  const cli = fileURLToPath(new URL('../packages/cli/bin/oncrix.mjs', import.meta.url));
  const child = spawn(process.execPath, [cli], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('$ ')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`oncrix exited with ${code} before its prompt:\n${out}`)));
    });
    await new Promise((r) => setTimeout(r, 2000)); // the boot's last work settles
    const pid = child.pid ?? 0;
    return await corePercent(() => [pid], IDLE_MS);
  } finally {
    child.kill();
  }
}

/**
 * Boot to prompt and the ping/pong round trip under QEMU (software
 * emulation), and the image size, for every architecture whose QEMU is
 * installed; reported, no target yet. Builds the images when needed.
 */
async function qemuTimes(): Promise<(QemuFigures & { arch: Arch; imageKiB: number })[]> {
  const arches = ARCHES.filter((a) => existsSync(`/usr/bin/${ARCH_INFO[a].qemu}`));
  const missing = ARCHES.filter((a) => !arches.includes(a));
  if (missing.length > 0) console.log(`no QEMU for ${missing.join(', ')}: skipping those bare-metal figures (bash scripts/setup.sh installs it)`);
  if (arches.length === 0) return [];
  console.log(`building the bare-metal images (${arches.join(', ')}) and timing them under QEMU …`);
  await exec(process.execPath, ['packages/hal-qemu/build.mjs', '--arch', arches.join(',')]);
  const out: (QemuFigures & { arch: Arch; imageKiB: number })[] = [];
  for (const arch of arches) {
    const image = fileURLToPath(new URL(`../dist/${imageFile(arch)}`, import.meta.url));
    out.push({ arch, imageKiB: statSync(image).size / 1024, ...(await measureQemu(image, 1000, arch)) });
  }
  return out;
}

/** The Chromium section as table rows: each ONCRIX figure beside the same page's baseline. */
function chromiumRows(w: ChromiumFigures): Figure[] {
  const c = 'Chromium';
  return [
    { name: `${c} baseline: Worker↔Worker SAB wait/notify round trip`, value: w.waitNotifyUs, unit: 'µs' },
    { name: `${c} baseline: Worker↔Worker SAB spin round trip`, value: w.spinUs, unit: 'µs' },
    { name: `${c} baseline: three-Worker relay A→K→B→K→A (wait/notify)`, value: w.relayUs, unit: 'µs' },
    { name: `${c} baseline: Worker↔Worker postMessage round trip`, value: w.postMessageUs, unit: 'µs' },
    { name: `${c} baseline: new Worker to its first message`, value: w.workerStartMs, unit: 'ms' },
    {
      name: `${c}: null syscall round trip`, value: w.nullUs, unit: 'µs', baseline: 'wait/notify', ratio: w.nullUs / w.waitNotifyUs,
      target: '<= 2x wait/notify', met: w.nullUs <= 2 * w.waitNotifyUs,
    },
    {
      name: `${c}: call/reply (ping)`, value: w.callUs, unit: 'µs', baseline: 'relay', ratio: w.callUs / w.relayUs,
      target: '<= 3x the relay', met: w.callUs <= 3 * w.relayUs,
    },
    { name: `${c}: one-way message (64 B), per message`, value: w.sendUs, unit: 'µs', baseline: 'wait/notify', ratio: w.sendUs / w.waitNotifyUs },
    { name: `${c}: process spawn (start, run, exit, reap)`, value: w.spawnMs, unit: 'ms', baseline: 'Worker start', ratio: w.spawnMs / w.workerStartMs },
    { name: `${c}: navigation to interactive page (cold)`, value: w.interactiveMs, unit: 'ms' },
    {
      name: `${c}: navigation to shell prompt (cold)`, value: w.promptMs, unit: 'ms',
      target: '<= 500 ms', met: w.promptMs <= 500,
    },
    { name: `${c}: ping 100000, per call/reply`, value: w.bigPingUs, unit: 'µs', baseline: 'relay', ratio: w.bigPingUs / w.relayUs },
    {
      name: `${c}: longest main-thread task during ping 100000 (${w.longestTaskCpuMs.toFixed(1)} ms of it on a core; ${w.longTasks} of 50 ms or more)`,
      value: w.longestTaskMs, unit: 'ms',
      target: '<= 50 ms', met: w.longestTaskMs <= 50,
    },
    {
      name: `${c}: page heap after ping 100000 (${w.heapEvents} events kept of ${w.heapRecords} trace records)`, value: w.heapMB, unit: 'MB',
      target: '<= 200 MB with >= 1,000,000 events kept', met: w.heapMB <= 200 && w.heapEvents >= 1_000_000,
    },
    {
      name: `${c}: idle CPU, playground at its prompt (whole browser, from ${(w.idleFromPromptMs / 1000).toFixed(1)} s after the prompt)`, value: w.idlePlaygroundPercent, unit: '% of a core',
      target: '< 2% of a core', met: w.idlePlaygroundPercent < 2,
    },
    { name: `${c}: idle CPU, a blank page (whole browser)`, value: w.idleBlankPercent, unit: '% of a core' },
    {
      name: `${c} solo machine (no SharedArrayBuffer): call/reply (ping)`, value: w.soloCallUs, unit: 'µs', baseline: 'isolated call/reply', ratio: w.soloCallUs / w.callUs,
      target: '<= 3x the isolated machine', met: w.soloCallUs <= 3 * w.callUs,
    },
    {
      name: `${c} solo machine: navigation to shell prompt (cold)`, value: w.soloPromptMs, unit: 'ms',
      target: '< 1 s', met: w.soloPromptMs < 1000,
    },
  ];
}

/** The Node section: the CLI booted as a user runs it, beside Node's own Worker baselines. */
async function nodeFigures(): Promise<{ figures: Figure[]; waitNotify: number }> {
  console.log('measuring baselines …');
  // Each round-trip figure is the median of TRIALS runs: wake-up latencies on a small VM vary from run to run.
  const waitNotify = median(await trials(() => sabRoundTrip(20_000, false)));
  const spin = median(await trials(() => sabRoundTrip(200_000, true)));
  const postMessage = median(await trials(() => postMessageRoundTrip(5_000)));

  console.log('the kernel under hostile load (property engine, hostile programs, fuzzer) …');
  const nullPerSec = nullSyscallsPerSecond();
  const hostilePerSec = propertySyscallsPerSecond();
  const entry = longestHostileEntry();
  for (const k of entry.kinds) {
    console.log(`  ${k.kind}: ${k.count} entries, p50 ${(k.p50 * 1000).toFixed(1)} µs, p99 ${(k.p99 * 1000).toFixed(1)} µs, max ${(k.max * 1000).toFixed(1)} µs`);
  }
  const execsPerSec = fuzzerExecsPerSecond();

  console.log('booting ONCRIX (the CLI, as a user runs it) …');
  const pings = Array.from({ length: TRIALS }, () => 'ping 5000');
  const nulls = Array.from({ length: TRIALS }, () => 'bench null 20000');
  const run = await runScript([...pings, ...nulls, 'bench send 20000', 'bench spawn 30', 'bench pipe 64', 'bench file 8']);
  const all = (re: RegExp): number[] => {
    const found = [...run.output.matchAll(new RegExp(re, 'g'))].map((m) => Number(m[1]));
    if (found.length === 0) throw new Error(`bench: no ${re} in the output:\n${run.output}`);
    return found;
  };
  const number = (re: RegExp): number => median(all(re));
  const callUs = number(/ping: \d+ replies, ([\d.]+) µs avg/);
  const nullUs = number(/bench null: ([\d.]+) ns\/op/) / 1000;
  const sendNs = number(/bench send: ([\d.]+) ns\/op/);
  const spawnNs = number(/bench spawn: ([\d.]+) ns\/op/);
  const pipeMiBs = number(/bench pipe: ([\d.]+) MiB\/s/);
  const fileMiBs = number(/bench file write\+read: ([\d.]+) MiB\/s/);
  const fileWrite = number(/bench file write: ([\d.]+) MiB\/s/);
  const fileRead = number(/bench file read: ([\d.]+) MiB\/s/);
  console.log('WASI programs: oncrix run beside node:wasi …');
  const wasi = await wasiFigures({ trials: TRIALS, waitNotifyUs: waitNotify });
  console.log('driver restarts: uart killed 100 times, beside new Worker …');
  const restarts = await restartFigures(100);
  const workerStart = median(restarts.workerStartMs);
  const restartMedian = median(restarts.restartMs);
  const restartWorst = Math.max(...restarts.restartMs);
  console.log(`idle CPU of \`oncrix\` at its prompt (${IDLE_MS / 1000} s) …`);
  const cliIdle = await idleCli();
  const figures: Figure[] = [
    { name: 'baseline: SAB wait/notify round trip', value: waitNotify, unit: 'µs' },
    { name: 'baseline: SAB spin round trip', value: spin, unit: 'µs' },
    { name: 'baseline: postMessage round trip', value: postMessage, unit: 'µs' },
    {
      name: 'null syscall round trip', value: nullUs, unit: 'µs', baseline: 'wait/notify', ratio: nullUs / waitNotify,
      target: '<= 1.5x wait/notify and < postMessage', met: nullUs <= 1.5 * waitNotify && nullUs < postMessage,
    },
    {
      name: 'call/reply between two processes', value: callUs, unit: 'µs', baseline: 'wait/notify', ratio: callUs / waitNotify,
      target: '<= 2.5x wait/notify and < postMessage', met: callUs <= 2.5 * waitNotify && callUs < postMessage,
    },
    { name: 'one-way message (64 B), per message', value: sendNs / 1000, unit: 'µs', baseline: 'wait/notify', ratio: sendNs / 1000 / waitNotify },
    { name: 'process spawn (start, run, exit, reap)', value: spawnNs / 1e6, unit: 'ms', baseline: 'postMessage', ratio: spawnNs / 1000 / postMessage },
    { name: 'start of `oncrix` to shell prompt (Node)', value: run.promptMs, unit: 'ms' },
    { name: 'baseline: new Worker to its first message', value: workerStart, unit: 'ms' },
    {
      name: 'driver restart, fault to serving again (uart killed, next key echoed): median of 100', value: restartMedian, unit: 'ms',
      baseline: 'Worker start', ratio: restartMedian / workerStart, target: '<= 2x Worker start', met: restartMedian <= 2 * workerStart,
    },
    {
      name: 'driver restart, fault to serving again: worst of 100', value: restartWorst, unit: 'ms',
      baseline: 'Worker start', ratio: restartWorst / workerStart, target: '<= 2x Worker start', met: restartWorst <= 2 * workerStart,
    },
    {
      name: 'pipe throughput between two processes (64 MiB in 64 KiB writes)', value: pipeMiBs, unit: 'MiB/s',
      target: '>= 100 MiB/s', met: pipeMiBs >= 100,
    },
    {
      name: `ramfs file write+read (8 MiB in 64 KiB calls; write ${fileWrite.toFixed(0)}, read ${fileRead.toFixed(0)} MiB/s)`,
      value: fileMiBs, unit: 'MiB/s', target: '>= 100 MiB/s', met: fileMiBs >= 100,
    },
    {
      name: 'idle CPU of `oncrix` at its prompt (CLI and its Workers)', value: cliIdle, unit: '% of a core',
      target: '< 2% of a core', met: cliIdle < 2,
    },
    ...wasi,
    { name: 'baseline: NULL syscalls through the test HAL', value: nullPerSec, unit: '/s' },
    {
      name: 'random hostile syscalls through the property tests (invariant walk after each)', value: hostilePerSec, unit: '/s',
      baseline: 'NULL syscalls', ratio: hostilePerSec / nullPerSec,
    },
    { name: 'fuzzer executions (libFuzzer + ASan, invariant walk after each entry)', value: execsPerSec, unit: '/s' },
    {
      name: `longest kernel entry under hostile load, each entry's least of 5 runs (${entry.where}; ${entry.entries} entries; `
        + `longest in any one run ${entry.longestRawMs.toFixed(1)} ms)`, value: entry.longestMs, unit: 'ms',
      baseline: 'median entry', ratio: entry.longestMs / entry.medianMs, target: '< 1 ms', met: entry.longestMs < 1,
    },
  ];
  return { figures, waitNotify };
}

/** The bare-metal section as table rows (call/reply beside Node's wait/notify round trip, when the Node section ran). */
function qemuRows(qemu: Awaited<ReturnType<typeof qemuTimes>>, waitNotify: number | undefined): Figure[] {
  return qemu.flatMap((q): Figure[] => [
    { name: `bare metal ${q.arch} (${ARCH_INFO[q.arch].qemu}): QEMU start to shell prompt`, value: q.bootMs, unit: 'ms' },
    {
      name: `bare metal ${q.arch}: call/reply (guest clock)`, value: q.pingUs, unit: 'µs',
      ...(waitNotify !== undefined ? { baseline: 'wait/notify', ratio: q.pingUs / waitNotify } : {}),
    },
    { name: `bare metal ${q.arch}: image size (${imageFile(q.arch)})`, value: q.imageKiB, unit: 'KiB' },
  ]);
}

const SECTIONS = ['node', 'chromium', 'qemu'] as const;

/** `--only node,chromium`: the sections to run (all by default). */
function sections(): Set<string> {
  const only = option('--only');
  if (only === undefined) return new Set(SECTIONS);
  const want = only.split(',');
  const bad = want.filter((w) => !(SECTIONS as readonly string[]).includes(w));
  if (bad.length > 0) throw new Error(`--only takes ${SECTIONS.join(', ')} (comma-separated), not ${bad.join(', ')}`);
  return new Set(want);
}

/** The value after `flag` on the command line, or undefined. */
function option(flag: string): string | undefined {
  const at = process.argv.indexOf(flag);
  if (at < 0) return undefined;
  const v = process.argv[at + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
  return v;
}

async function main(): Promise<void> {
  const rev = option('--against');
  if (rev !== undefined) {
    await against(rev, Number(option('--rounds') ?? '7'));
    return;
  }
  const only = sections();
  const loadBefore = loadavg().map((x) => Number(x.toFixed(2)));
  const figures: Figure[] = [];
  const node = only.has('node') ? await nodeFigures() : null;
  if (node !== null) figures.push(...node.figures);
  const web = only.has('chromium') ? await chromiumFigures() : null;
  if (web !== null) figures.push(...chromiumRows(web));
  if (only.has('qemu')) figures.push(...qemuRows(await qemuTimes(), node?.waitNotify));

  const rows = figures.map((f) => [
    f.name, `${f.value.toFixed(2)} ${f.unit}`, f.ratio !== undefined ? `${f.ratio.toFixed(2)}x ${f.baseline}` : '',
    f.target !== undefined ? `${f.met === true ? 'met' : 'MISSED'} (${f.target})` : '',
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  mkdirSync(new URL('.', import.meta.url), { recursive: true });
  const load = { before: loadBefore, after: loadavg().map((x) => Number(x.toFixed(2))) };
  console.log(`load average (1, 5, 15 min) before: ${load.before.join(', ')}; after: ${load.after.join(', ')}`);
  const out = {
    date: new Date().toISOString(), node: process.version, cores: (await import('node:os')).availableParallelism(),
    nice: (await import('node:os')).getPriority(), load, chromium: web, figures,
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  console.log('wrote bench/results.json; as a Markdown table (the README keeps one):\n');
  console.log('| figure | value | ratio | target |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
}

await main();
