// Messages between the editor and its compiler Worker.

export interface CompileRequest {
  id: number;
  source: string;
}

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

/** Start a compiler Worker and compile; the Worker is kept for later runs. */
export class Compiler {
  private worker: Worker | null = null;
  private next = 1;
  private readonly waiting = new Map<number, (r: CompileResult) => void>();

  compile(source: string): Promise<CompileResult> {
    if (this.worker === null) {
      this.worker = new Worker(new URL('./compiler-worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<CompileResult & { id: number }>) => {
        this.waiting.get(e.data.id)?.(e.data);
        this.waiting.delete(e.data.id);
      };
      // A Worker that fails to load answers nobody: fail every waiting compile with the reason.
      this.worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        for (const done of this.waiting.values()) {
          done({ ok: false, wasm: null, diagnostics: [], error: `the compiler failed to start: ${e.message || 'unknown error'}`, stderr: '' });
        }
        this.waiting.clear();
        this.worker?.terminate();
        this.worker = null;
      };
    }
    const id = this.next++;
    const w = this.worker;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      w.postMessage({ id, source } satisfies CompileRequest);
    });
  }
}
