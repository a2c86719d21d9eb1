// Replacing the program behind an image name while the machine runs
// (OncrixSystem.setProgram, what the playground's editor does): the kernel
// Worker loads the raw module through the loader, and the next spawn of that
// name runs it. Names are fixed at boot, and a module that cannot be an
// ONCRIX program is refused with the loader's message.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { Terminal } from './console.js';

const raw = (name: string): Uint8Array =>
  readFileSync(fileURLToPath(new URL(`../../userland/build/raw/${name}.wasm`, import.meta.url)));

let term: Terminal | undefined;
afterEach(async () => {
  await term?.shutdown();
  term = undefined;
});

test('a program put behind an existing name runs the next time that name is started', async () => {
  term = await Terminal.boot();
  await term.expect('$ ');
  expect(await term.run('true')).toBe('');
  await term.sys.setProgram('true', raw('hello'));
  expect(await term.run('true')).toMatch(/hello from pid \d+/);
});

test('an unknown name and a module that is not WebAssembly are refused', async () => {
  term = await Terminal.boot();
  await term.expect('$ ');
  await expect(term.sys.setProgram('nosuch', raw('hello'))).rejects.toThrow(/no program image named nosuch/);
  await expect(term.sys.setProgram('true', new TextEncoder().encode('not wasm'))).rejects.toThrow(/true/);
  expect(await term.run('true')).toBe('');
});
