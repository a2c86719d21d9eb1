// The editor's side of its compiler Worker: the one control call the Worker
// exposes over comlink (compile), the result it answers with, and Compiler,
// which starts the Worker on first use and keeps it for later runs.

import { wrap, type Remote } from 'comlink';

/** One asc diagnostic: category 0 pedantic, 1 info, 2 warning, 3 error; offsets into `file`. */
export interface CompileDiagnostic {
  message: string;
  code: number;
  category: number;
  file: string;
  start: number;
  end: number;
}

export interface CompileResult {
  ok: boolean;
  wasm: Uint8Array | null;
  diagnostics: CompileDiagnostic[];
  error: string | null;
  stderr: string;
}

/** What the compiler Worker exposes (compiler-worker.ts). A failed compile is a result, never a rejection. */
export interface CompilerApi {
  compile(source: string): Promise<CompileResult>;
}

/** A compile that could not happen at all (the Worker did not start), as a result the editor shows. */
function failure(error: string): CompileResult {
  return { ok: false, wasm: null, diagnostics: [], error, stderr: '' };
}

/** Start a compiler Worker and compile; the Worker is kept for later runs. */
export class Compiler {
  private worker: { api: Remote<CompilerApi>; failed: Promise<never>; terminate(): void } | null = null;

  async compile(source: string): Promise<CompileResult> {
    if (this.worker === null) {
      const w = new Worker(new URL('./compiler-worker.ts', import.meta.url), { type: 'module' });
      // A Worker that fails to load answers no call: its error fails the compiles waiting for it.
      const failed = new Promise<never>((_, reject) => {
        w.addEventListener('error', (e: ErrorEvent) => {
          e.preventDefault();
          reject(new Error(e.message || 'unknown error'));
        });
      });
      failed.catch(() => undefined);
      this.worker = { api: wrap<CompilerApi>(w), failed, terminate: () => w.terminate() };
    }
    const worker = this.worker;
    try {
      return await Promise.race([worker.api.compile(source), worker.failed]);
    } catch (e) {
      worker.terminate();
      if (this.worker === worker) this.worker = null; // the next run starts a fresh Worker
      return failure(`the compiler failed to start: ${(e as Error).message}`);
    }
  }
}
