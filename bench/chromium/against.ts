// `npx tsx bench/chromium/against.ts REV [ROUNDS]`: the production
// playground of this tree beside that of another commit, in Chromium, in
// alternate rounds — the Chromium side of `npm run bench -- --against`.
//
// REV is the worktree bench/against.ts builds (once); its playground is
// built there too the first time (`vite build` into its dist/playground).
// Each tree is served by its own `vite preview`; each round opens each in a
// fresh context of one browser, waits for the cold prompt, then types
// `bench null`, `ping` and `bench send` at its shell. The verdicts are
// against.ts's: beyond noise only outside every round of REV. Both trees
// must be built (`npm run build:playground` here).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../../e2e/chromium.js';
import { runCommand } from './console.js';
import { builtTree, verdict } from '../against.js';
import { median } from '../figure.js';

const here = fileURLToPath(new URL('../..', import.meta.url));

/** `vite preview` of the dist/playground of the tree at cwd, on port; resolves once it answers. */
async function preview(cwd: string, port: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return { url, stop: () => child.kill() };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`vite preview in ${cwd} did not answer on ${url}`);
}

const FIGURES = ['cold prompt, ms', 'null syscall, µs', 'call/reply (ping), µs', 'one-way message (64 B), µs'] as const;

const rev = process.argv[2];
if (rev === undefined) throw new Error('usage: npx tsx bench/chromium/against.ts REV [ROUNDS]');
const rounds = Number(process.argv[3] ?? '5');
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`ROUNDS is a whole number of rounds, not ${process.argv[3]}`);
const other = builtTree(rev);
if (!existsSync(join(other.dir, 'dist', 'playground'))) {
  console.log(`building the playground of ${other.sha.slice(0, 12)} (once) …`);
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { cwd: other.dir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build failed in ${other.dir}`);
}
if (!existsSync(join(here, 'dist', 'playground'))) throw new Error('this tree has no dist/playground: run `npm run build:playground` first');

const trees = [{ label: other.sha.slice(0, 12), dir: other.dir, port: 4710 }, { label: 'this tree', dir: here, port: 4711 }];
const servers = await Promise.all(trees.map((t) => preview(t.dir, t.port)));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const values = trees.map(() => FIGURES.map((): number[] => []));
try {
  for (let r = 0; r < rounds; r++) {
    for (const [t, tree] of trees.entries()) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      const page = await context.newPage();
      await page.goto(servers[t]?.url ?? '');
      await page.waitForFunction(() => window.__oncrix?.marks.prompt != null, null, { timeout: 60_000 });
      const prompt = await page.evaluate(() => window.__oncrix?.marks.prompt ?? NaN);
      // Each round asks for a slightly different count, so its answer is a new line on the screen.
      const ask = async (line: string, re: string, scale: number): Promise<number> =>
        Number(await runCommand(page, line, new RegExp(re), 120_000)) * scale;
      const got = [
        prompt,
        await ask(`bench null ${20_000 + r}`, `bench null: ([\\d.]+) ns/op \\(${20_000 + r} ops\\)`, 1e-3),
        await ask(`ping ${5_000 + r}`, `ping: ${5_000 + r} replies, ([\\d.]+) µs avg`, 1),
        await ask(`bench send ${20_010 + r}`, `bench send: ([\\d.]+) ns/op \\(${20_010 + r} ops\\)`, 1e-3),
      ];
      got.forEach((v, i) => values[t]?.[i]?.push(v));
      console.log(`round ${r + 1}/${rounds} ${tree.label.padEnd(12)} ${got.map((v, i) => `${FIGURES[i]?.split(',')[0]} ${v.toFixed(2)}`).join('  ')}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  for (const s of servers) s.stop();
}
const show = (xs: number[]): string => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
console.log(`\n${rounds} alternate rounds in Chromium; median (least–most), ${trees[0]?.label} beside this tree:\n`);
console.log(`| figure | ${trees[0]?.label} | this tree | ratio | |\n|---|---|---|---|---|`);
FIGURES.forEach((name, i) => {
  const then = values[0]?.[i] ?? [];
  const now = values[1]?.[i] ?? [];
  console.log(`| ${name} | ${show(then)} | ${show(now)} | ${(median(now) / median(then)).toFixed(2)}× | ${verdict(then, now)} |`);
});
