// `npm run gen`: write the AssemblyScript and C views of the ABI.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from '../src/generate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const { path, text } of generatedFiles()) {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  console.log(`abi: wrote ${join('packages/abi', path)}`);
}
