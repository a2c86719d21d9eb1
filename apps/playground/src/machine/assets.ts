// The build outputs the page boots from: kernel.wasm, the prepared user
// programs (web variant, already run through the loader at build time, so
// the page never needs binaryen to boot) in image-table order, packed in one
// file. Vite turns the kernel and the pack into hashed asset URLs, so they
// are part of the production build. The page hands the machine their URLs,
// not their bytes: the kernel Worker fetches them itself while the page's
// main thread is busy with its first render (and a reset finds them in the
// HTTP cache).
// (The boot manifest and the start-up script are in bootConfig.ts.)
//
// One more image, USER_PROGRAM, is the editor's slot: image names are fixed
// at boot (init copies them into the image table the shell searches), so the
// slot exists from the start, holding `true` (exits at once) until the editor
// puts a compiled program there (OncrixSystem.setProgram).
//
// A scenario may bring programs of its own (scenario/programs.ts): they
// follow, for as long as the scenario is open (setScenarioImages), so the
// manifest checker, the shell and the trace's image names all know them.

import type { PackedWasm, ProgramSource } from '@oncrix/hal-web/system';
import kernelUrl from '@oncrix/kernel/kernel.wasm?url';
import imageNames from '@oncrix/userland/images.json';

// The programs come in one pack (scripts/prepare-programs.ts): one request
// instead of one per program.
// The solo machine (mode.ts) boots the solo variant (Asyncify) from a pack of its own.
import packUrl from '@oncrix/userland/web.pack?url';
import packIndex from '@oncrix/userland/web-pack.json';
import soloPackUrl from '@oncrix/userland/solo.pack?url';
import soloPackIndex from '@oncrix/userland/solo-pack.json';
import type { MachineKind } from '../mode.js';

/** Where a prepared program is in the pack of its variant, by name. */
export function packed(name: string, machine: MachineKind = 'isolated'): PackedWasm {
  const index: Record<string, number[] | undefined> = machine === 'solo' ? soloPackIndex : packIndex;
  const at = index[name];
  if (at?.length !== 2) throw new Error(`program ${name} is missing from the build: run \`npm run build\``);
  return { pack: absolute(machine === 'solo' ? soloPackUrl : packUrl), offset: at[0] ?? 0, length: at[1] ?? 0 };
}

/** An asset's absolute URL (the kernel Worker fetches it; a Worker resolves relative URLs against its own script). */
function absolute(url: string): string {
  return new URL(url, document.baseURI).href;
}

export interface BootAssets {
  kernel: string;
  programs: ProgramSource[];
}

/** The image name the editor's programs run under (type it in the shell). */
export const USER_PROGRAM = 'prog';

/** Program names in image-table order (init first). */
export const PROGRAM_NAMES: readonly string[] = imageNames;

/** The kernel and every program of the machine's variant, by URL, in image-table order, with USER_PROGRAM last holding `true`. */
export function bootAssets(machine: MachineKind = 'isolated'): BootAssets {
  const programs: ProgramSource[] = PROGRAM_NAMES.map((name) => ({ name, bytes: packed(name, machine), prepared: true }));
  const placeholder = programs.find((p) => p.name === 'true');
  if (placeholder !== undefined) programs.push({ ...placeholder, name: USER_PROGRAM });
  return { kernel: absolute(kernelUrl), programs };
}

/** The names of the images a scenario brings, after the page's own (none when no scenario is open). */
let scenarioImages: readonly string[] = [];

/** The images a scenario brings, for the boot that follows (the controller sets them; [] when none). */
export function setScenarioImages(names: readonly string[]): void {
  scenarioImages = [...names];
}

/** Every image name of the machine as it boots now, in image-table order: the build's programs, the editor's slot, a scenario's programs. */
export function webImages(): readonly string[] {
  return [...PROGRAM_NAMES, USER_PROGRAM, ...scenarioImages];
}

/** The program name of an image id (the order the machine was booted with). */
export function imageName(id: number): string {
  return webImages()[id] ?? `${id} (a program sh loaded from a file)`; // the loader device appends images past the boot's
}
