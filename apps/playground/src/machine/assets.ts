// The build outputs the page boots from: kernel.wasm, the prepared user
// programs (web variant, already run through the loader at build time, so
// the page never needs binaryen to boot) in image-table order. Vite turns
// each .wasm into a hashed asset URL, so they are part of the production
// build; they are fetched in parallel at boot. (The boot manifest and the
// start-up script are in bootConfig.ts.)
//
// One more image, USER_PROGRAM, is the editor's slot: image names are fixed
// at boot (init copies them into the image table the shell searches), so the
// slot exists from the start, holding `true` (exits at once) until the editor
// puts a compiled program there (OncrixSystem.setProgram).

import type { ProgramSource } from '@oncrix/hal-web/system';
import kernelUrl from '@oncrix/kernel/kernel.wasm?url';
import imageNames from '@oncrix/userland/images.json';

// A glob names files by path, not by package: `/` is Vite's root, the repository.
const programUrls = import.meta.glob<string>('/packages/userland/build/web/*.wasm', {
  query: '?url',
  import: 'default',
  eager: true,
});

/** The URL of a prepared program by name. */
function programUrl(name: string): string {
  const key = `/packages/userland/build/web/${name}.wasm`;
  const url = programUrls[key];
  if (url === undefined) throw new Error(`program ${name} is missing from the build: run \`npm run build\``);
  return url;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot load ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

export interface BootAssets {
  kernel: Uint8Array;
  programs: ProgramSource[];
}

/** The image name the editor's programs run under (type it in the shell). */
export const USER_PROGRAM = 'prog';

/** Program names in image-table order (init first). */
export const PROGRAM_NAMES: readonly string[] = imageNames;

let cached: Promise<BootAssets> | undefined;

/** Fetch kernel.wasm and every program once; later boots (reset) reuse the bytes. */
export function loadAssets(): Promise<BootAssets> {
  cached ??= (async () => {
    const [kernel, ...bytes] = await Promise.all([fetchBytes(kernelUrl), ...PROGRAM_NAMES.map((n) => fetchBytes(programUrl(n)))]);
    const programs = PROGRAM_NAMES.map((name, i) => ({ name, bytes: bytes[i] ?? new Uint8Array(0), prepared: true }));
    const placeholder = programs.find((p) => p.name === 'true');
    if (placeholder !== undefined) programs.push({ ...placeholder, name: USER_PROGRAM });
    return { kernel: kernel ?? new Uint8Array(0), programs };
  })();
  return cached;
}

/** The program name of an image id (the order the machine was booted with). */
export function imageName(id: number): string {
  const names = [...PROGRAM_NAMES, USER_PROGRAM];
  return names[id] ?? `image ${id}`;
}
