#!/usr/bin/env node
// `npx oncrix`: runs the bundled CLI (packages/cli/dist, made by `npm run build`).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/oncrix.js', import.meta.url);
if (!existsSync(bundle)) {
  console.error('oncrix: the CLI is not built yet — run `npm run build` in the repository first.');
  process.exit(1);
}
await import(bundle.href);
