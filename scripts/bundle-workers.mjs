// Bundles what Node runs as plain JavaScript: the web HAL's Worker entry
// points (packages/hal-web/dist) and the CLI (packages/cli/dist). Browsers get
// the same sources through Vite. Workspace packages (@oncrix/abi,
// @oncrix/boot, ...) are TypeScript sources, so they are bundled in; so is
// binaryen, which only the loader needs: the loader is imported lazily, so it
// and binaryen land in a chunk of their own that Node loads only when a
// program that was not prepared at build time goes through the loader (the
// Workers' bundle and the CLI's alike: `oncrix run PROG.wasm` checks PROG with it).
// Packages' ES module builds are preferred (comlink's `module` entry). Each
// output folder is emptied first: esbuild names chunks by content and never
// removes the old ones, and every rebuild would leave a 15 MB loader chunk
// behind.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkgs = new URL('../packages/', import.meta.url).pathname;
for (const dir of ['hal-web/dist', 'cli/dist']) rmSync(`${pkgs}${dir}`, { recursive: true, force: true });
const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', mainFields: ['module', 'main'], logLevel: 'warning' };
await build({
  ...common,
  entryPoints: { 'kernel-worker': `${pkgs}hal-web/src/kernel-worker.ts`, 'process-worker': `${pkgs}hal-web/src/process-worker.ts` },
  outdir: `${pkgs}hal-web/dist`,
  splitting: true,
});
await build({ ...common, entryPoints: { oncrix: `${pkgs}cli/src/main.ts` }, outdir: `${pkgs}cli/dist`, splitting: true });
console.log('bundled packages/hal-web/dist (workers) and packages/cli/dist (oncrix)');
