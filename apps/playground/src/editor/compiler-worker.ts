// The AssemblyScript compiler, in a Worker so compiling never stalls the
// page. The sources of liboncrix and the ABI's AssemblyScript view are
// bundled as text and served to asc from an in-memory file system laid out
// like the repository, so a program written in the editor imports them
// exactly as the built-in programs do ("../lib/index",
// "../../abi/assembly/index"). Diagnostics come back with source offsets,
// which the editor turns into markers.
//
// It exposes one call over comlink, compile(source) (protocol.ts). The
// compiler (and binaryen under it, which has a top-level await) is imported
// lazily: a module Worker drops messages that arrive while its module is
// still evaluating, so comlink's listener is installed first, at the top
// level.

import { expose } from 'comlink';
import type { CompileResult, CompileDiagnostic, CompilerApi } from './protocol.js';

// The sources as text, by repository path (a glob names files by path: `/` is Vite's root, the repository).
const lib = import.meta.glob<string>('/packages/userland/lib/*.ts', { query: '?raw', import: 'default', eager: true });
const abi = import.meta.glob<string>('/packages/abi/assembly/*.ts', { query: '?raw', import: 'default', eager: true });

/** Files by repository path ("packages/userland/lib/index.ts"). */
const files = new Map<string, string>();
for (const [path, text] of Object.entries({ ...lib, ...abi })) files.set(path.slice(1), text);

const BASE = 'packages/userland';
export const PROGRAM_FILE = 'programs/prog.ts';

/** Join and normalise a POSIX path ("a/b/../c" -> "a/c"). */
function resolve(base: string, file: string): string {
  const out: string[] = [];
  for (const part of `${base}/${file}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

const ascModule = import('assemblyscript/asc');

async function compile(source: string): Promise<CompileResult> {
  const { default: asc } = await ascModule;
  const diagnostics: CompileDiagnostic[] = [];
  let wasm: Uint8Array | null = null;
  const stderr: string[] = [];
  const result = await asc.main([PROGRAM_FILE, '-O2', '--runtime', 'incremental', '-o', 'prog.wasm', '--noColors'], {
    readFile: (name, baseDir) => {
      const path = resolve(baseDir === '.' || baseDir === '' ? BASE : resolve(BASE, baseDir), name);
      if (path === resolve(BASE, PROGRAM_FILE)) return source;
      return files.get(path) ?? null;
    },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm') && contents instanceof Uint8Array) wasm = contents.slice();
    },
    listFiles: () => [],
    stdout: { write: () => undefined },
    stderr: { write: (chunk) => void stderr.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)) },
    reportDiagnostic: (d) => {
      const r = d.range;
      diagnostics.push({
        message: d.message,
        code: d.code,
        category: d.category,
        file: r?.source.normalizedPath ?? '',
        start: r?.start ?? 0,
        end: r?.end ?? 0,
      });
    },
  });
  const ok = result.error === null && wasm !== null;
  return { ok, wasm: ok ? wasm : null, diagnostics, error: result.error?.message ?? null, stderr: stderr.join('') };
}

const api: CompilerApi = {
  /** Compile a program; whatever goes wrong comes back as a failed result with its message. */
  compile: (source) =>
    compile(source).catch((err: unknown): CompileResult => ({ ok: false, wasm: null, diagnostics: [], error: String(err), stderr: '' })),
};
expose(api);
