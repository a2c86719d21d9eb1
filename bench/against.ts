// `npm run bench -- --against REV [--rounds N]`: this tree beside another
// commit of ONCRIX, in alternate rounds on the same machine.
//
// The idea: on a small shared machine the speed of the host drifts by tens
// of percent within an hour, so two benchmark runs taken minutes apart
// compare the hour as much as the code. Here the two builds take turns —
// REV, this tree, REV, this tree … — and every figure is kept per round, so
// both sides meet the same drift and each shows its own spread. A
// difference counts only beyond that spread: "worse" when this tree's
// median is above every round of REV, "better" when it is below every one,
// else "within noise".
//
// REV is built once in a worktree of its own under build/against/ (npm ci
// and its own `npm run build`; later runs reuse it). Each round boots each
// tree's CLI as a user runs it (`oncrix --script`, the same lines in both)
// and reads what the programs print: the Node section's IPC figures, spawn,
// and the time to the first prompt. Writes bench/against.json.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './figure.js';
import { runCliScript } from './cli-script.js';

const here = fileURLToPath(new URL('..', import.meta.url));

/** What a round types at the shell: the Node section's programs, three trials of each round trip. */
const SCRIPT = [
  'ping 5000', 'ping 5000', 'ping 5000',
  'bench null 20000', 'bench null 20000', 'bench null 20000',
  'bench send 20000', 'bench send 20000', 'bench send 20000',
  'bench spawn 30',
];

/** A figure read from a round's output: the median of what its trials printed. */
interface Probe {
  name: string;
  /** The figure's name in a round's progress line. */
  short: string;
  unit: string;
  read: (out: string, promptMs: number) => number | null;
}

function printed(re: RegExp, scale = 1): (out: string) => number | null {
  return (out) => {
    const found = [...out.matchAll(new RegExp(re, 'g'))].map((m) => Number(m[1]) * scale);
    return found.length > 0 ? median(found) : null;
  };
}

const PROBES: Probe[] = [
  { name: 'start of `oncrix` to shell prompt', short: 'prompt', unit: 'ms', read: (_out, promptMs) => promptMs },
  { name: 'null syscall round trip', short: 'null', unit: 'µs', read: printed(/bench null: ([\d.]+) ns\/op/, 1e-3) },
  { name: 'call/reply (ping)', short: 'ping', unit: 'µs', read: printed(/ping: \d+ replies, ([\d.]+) µs avg/) },
  { name: 'one-way message (64 B)', short: 'send', unit: 'µs', read: printed(/bench send: ([\d.]+) ns\/op/, 1e-3) },
  { name: 'process spawn', short: 'spawn', unit: 'ms', read: printed(/bench spawn: ([\d.]+) ns\/op/, 1e-6) },
];

function git(args: string[], cwd = here): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** Run a command in cwd with its output shown; throw if it fails. */
function step(what: string, cmd: string, args: string[], cwd: string): void {
  console.log(`  ${what} …`);
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed in ${cwd} (${cmd} ${args.join(' ')}: exit ${r.status ?? r.signal})`);
}

/** The other commit, built in a worktree of its own (once: later runs find it built). */
export function builtTree(rev: string): { sha: string; dir: string } {
  let sha: string;
  try {
    sha = git(['rev-parse', '--verify', `${rev}^{commit}`]);
  } catch {
    throw new Error(`--against ${rev}: not a commit of this repository`);
  }
  const dir = join(here, 'build', 'against', sha.slice(0, 12));
  const done = join(dir, '.oncrix-built');
  if (existsSync(done)) return { sha, dir };
  console.log(`building ${sha.slice(0, 12)} in ${dir} (once) …`);
  if (existsSync(dir)) git(['worktree', 'remove', '--force', dir]);
  mkdirSync(join(here, 'build', 'against'), { recursive: true });
  git(['worktree', 'add', '--detach', dir, sha]);
  step('npm ci', 'npm', ['ci', '--no-audit', '--no-fund'], dir);
  step('npm run build', 'npm', ['run', 'build'], dir);
  writeFileSync(done, `${sha}\n`);
  return { sha, dir };
}

/** One round in one tree: boot its CLI on the script; its output and when the first prompt showed (ms). */
function round(tree: string, script: string): Promise<{ output: string; promptMs: number }> {
  return runCliScript(join(tree, 'packages', 'cli', 'bin', 'oncrix.mjs'), script);
}

export type Verdict = 'better' | 'worse' | 'within noise' | '';

/** Lower is better for every probe: beyond noise only when this tree's median lies outside every round of REV. */
export function verdict(then: number[], now: number[]): Verdict {
  if (then.length === 0 || now.length === 0) return '';
  const m = median(now);
  if (m > Math.max(...then)) return 'worse';
  if (m < Math.min(...then)) return 'better';
  return 'within noise';
}

export async function against(rev: string, rounds: number): Promise<void> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds takes a whole number of rounds, not ${rounds}`);
  const other = builtTree(rev);
  const headSha = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  const dir = mkdtempSync(join(tmpdir(), 'oncrix-against-'));
  const script = join(dir, 'script.txt');
  writeFileSync(script, `${SCRIPT.join('\n')}\n`);
  const trees = [{ label: other.sha.slice(0, 12), dir: other.dir }, { label: 'this tree', dir: here }];
  const values = trees.map(() => PROBES.map((): number[] => []));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [t, tree] of trees.entries()) {
        const { output: out, promptMs } = await round(tree.dir, script);
        const line = PROBES.map((p, i) => {
          const v = p.read(out, promptMs);
          if (v !== null && Number.isFinite(v)) values[t]?.[i]?.push(v);
          return `${p.short} ${v === null ? '—' : `${v.toFixed(2)} ${p.unit}`}`;
        });
        console.log(`round ${r + 1}/${rounds} ${tree.label.padEnd(12)} ${line.join('  ')}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const rows = PROBES.map((p, i) => {
    const then = values[0]?.[i] ?? [];
    const now = values[1]?.[i] ?? [];
    const show = (xs: number[]): string => (xs.length === 0 ? '—' : `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`);
    const ratio = then.length > 0 && now.length > 0 ? `${(median(now) / median(then)).toFixed(2)}×` : '';
    return { figure: `${p.name}, ${p.unit}`, then: show(then), now: show(now), ratio, verdict: verdict(then, now), thenRounds: then, nowRounds: now };
  });
  console.log(`\n${rounds} alternate rounds; median (least–most) of the rounds, ${other.sha.slice(0, 12)} beside this tree (${headSha.slice(0, 12)}${dirty ? ' with uncommitted changes' : ''}):\n`);
  console.log(`| figure | ${other.sha.slice(0, 12)} | this tree | ratio | |\n|---|---|---|---|---|`);
  for (const r of rows) console.log(`| ${r.figure} | ${r.then} | ${r.now} | ${r.ratio} | ${r.verdict} |`);
  const out = { date: new Date().toISOString(), node: process.version, against: other.sha, head: headSha, dirty, rounds, script: SCRIPT, figures: rows };
  writeFileSync(new URL('./against.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  console.log('\nwrote bench/against.json');
}
