// A scenario's own programs, made ready for its machine. A scenario may
// bring AssemblyScript source (compiled here, in the editor's compiler
// Worker, before anything boots), a prebuilt module (base64 in the file) or
// a built-in program under a name of its own. Each becomes an image after
// the page's own (machine/assets.ts), so the manifest may start it and the
// shell runs it by name; raw modules go through the loader in the kernel
// Worker like the editor's program does.
//
// The checks come in two parts: `programsProblem` (names: no clash with the
// page's images or with each other) is quick and runs with the rest of
// runnable.ts before a scenario is accepted; `buildPrograms` compiles and
// decodes, and a program that does not compile or is not WebAssembly stops
// the opening with a message naming it — nothing boots.

import type { Scenario } from '@oncrix/scenario';
import type { ProgramSource } from '@oncrix/hal-web/system';
import { packed, PROGRAM_NAMES, USER_PROGRAM } from '../machine/assets.js';
import type { CompileResult } from '../editor/protocol.js';

/** The image names a scenario adds to the page's: its programs but those that are a built program under its own name. */
export function addedNames(s: Scenario): string[] {
  return (s.programs ?? []).filter((p) => !('builtin' in p && p.builtin === p.name)).map((p) => p.name);
}

/** Why the scenario's programs cannot be images of this page's machine (naming the field), or null. */
export function programsProblem(s: Scenario): string | null {
  const taken = new Set<string>([...PROGRAM_NAMES, USER_PROGRAM]);
  for (const [i, p] of (s.programs ?? []).entries()) {
    if ('builtin' in p && p.builtin === p.name) continue; // the built program itself
    if (taken.has(p.name)) {
      return `programs[${i}].name: "${p.name}" is ${PROGRAM_NAMES.includes(p.name) || p.name === USER_PROGRAM ? 'the name of one of the playground\'s own programs' : 'given twice'}; give the program another name`;
    }
    taken.add(p.name);
  }
  return null;
}

/** The bytes of a base64 text, or null when it is not base64. */
function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const raw = atob(text.replace(/\s+/g, ''));
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/** The first error of a failed compile, as one line (with its line number when it has one). */
function compileError(source: string, r: CompileResult): string {
  const d = r.diagnostics.find((x) => x.category === 3);
  if (d !== undefined) {
    const line = source.slice(0, d.start).split('\n').length;
    return `line ${line}: ${d.message}`;
  }
  return r.error ?? (r.stderr.trim().split('\n')[0] || 'the compiler gave no reason');
}

export type Compile = (source: string) => Promise<CompileResult>;
/** Where a built program's prepared image is (the page's pack: assets.ts's `packed`). */
export type Built = (name: string) => ProgramSource['bytes'];

/** The images the scenario brings, ready to boot; or the message naming the program that cannot be one. */
export async function buildPrograms(s: Scenario, compile: Compile, built: Built = packed): Promise<{ ok: true; programs: ProgramSource[] } | { ok: false; message: string }> {
  const programs: ProgramSource[] = [];
  for (const [i, p] of (s.programs ?? []).entries()) {
    const at = `programs[${i}] ("${p.name}")`;
    if ('builtin' in p) {
      if (p.builtin !== p.name) programs.push({ name: p.name, bytes: built(p.builtin), prepared: true });
    } else if ('wasm' in p) {
      const bytes = fromBase64(p.wasm);
      if (bytes === null) return { ok: false, message: `${at}.wasm: not base64` };
      if (!WebAssembly.validate(bytes)) return { ok: false, message: `${at}.wasm: not a WebAssembly module` };
      programs.push({ name: p.name, bytes, prepared: false });
    } else {
      const r = await compile(p.source);
      if (!r.ok || r.wasm === null) return { ok: false, message: `${at}.source does not compile: ${compileError(p.source, r)}` };
      programs.push({ name: p.name, bytes: r.wasm, prepared: false });
    }
  }
  return { ok: true, programs };
}
