// The editor panel: Monaco with an AssemblyScript program against liboncrix,
// and Run — compile in the compiler Worker, show asc's diagnostics as
// markers, put the module into the machine's `prog` image slot and start it
// from the shell (the page types `prog` at the prompt, as you would), so its
// output appears in the terminal and its IPC in the trace. The program is
// saved in localStorage as it is typed (saved/storage.ts; where storage is
// denied it lives only in the page) and comes back after a reload.

import { useEffect, useRef, useState } from 'react';
import type * as Monaco from 'monaco-editor';
import { monaco, MODEL_URI } from './monaco.js';
import { TEMPLATE } from './template.js';
import { Compiler, type CompileDiagnostic } from './protocol.js';
import { controller } from '../machine/controller.js';
import { USER_PROGRAM } from '../machine/assets.js';
import { readSaved, SAVED_KEYS, writeSaved } from '../saved/storage.js';

const compiler = new Compiler();

type Status = { kind: 'idle' | 'busy' | 'ok' | 'error'; text: string };

/** asc diagnostics of the program file as Monaco markers. */
function toMarkers(model: Monaco.editor.ITextModel, diags: CompileDiagnostic[]): Monaco.editor.IMarkerData[] {
  return diags
    .filter((d) => d.file.endsWith('programs/prog.ts'))
    .map((d) => {
      const s = model.getPositionAt(d.start);
      const e = model.getPositionAt(Math.max(d.end, d.start + 1));
      const severity = d.category === 3 ? monaco.MarkerSeverity.Error : d.category === 2 ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;
      return {
        severity, message: `AS${d.code}: ${d.message}`, startLineNumber: s.lineNumber, startColumn: s.column,
        endLineNumber: e.lineNumber, endColumn: e.column, source: 'asc',
      };
    });
}

export default function EditorPanel(): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: `Run compiles this program and starts it as \`${USER_PROGRAM}\`` });

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const uri = monaco.Uri.parse(MODEL_URI);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(readSaved(SAVED_KEYS.program) ?? TEMPLATE, 'typescript', uri);
    // Saved half a second after the last keystroke; the template itself is not saved (a later build may improve it).
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    const save = (): void => {
      if (saveTimer === undefined) return;
      clearTimeout(saveTimer);
      saveTimer = undefined;
      const text = model.getValue();
      writeSaved(SAVED_KEYS.program, text === TEMPLATE ? null : text);
    };
    const changes = model.onDidChangeContent(() => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, 500);
    });
    window.addEventListener('pagehide', save);
    const ed = monaco.editor.create(el, {
      model, theme: 'oncrix', automaticLayout: true, minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false,
      tabSize: 2, renderLineHighlight: 'line',
    });
    editor.current = ed;
    controller.marks.editor ??= performance.now();
    return () => {
      save();
      window.removeEventListener('pagehide', save);
      changes.dispose();
      ed.dispose();
      editor.current = null;
    };
  }, []);

  const run = async (): Promise<void> => {
    const ed = editor.current;
    const model = ed?.getModel();
    if (ed === null || model === null || model === undefined) return;
    setStatus({ kind: 'busy', text: 'compiling…' });
    const t0 = performance.now();
    const r = await compiler.compile(model.getValue());
    const markers = toMarkers(model, r.diagnostics);
    monaco.editor.setModelMarkers(model, 'asc', markers);
    const errors = r.diagnostics.filter((d) => d.category === 3);
    if (!r.ok || r.wasm === null) {
      const first = errors[0];
      const where = first !== undefined ? ` — line ${model.getPositionAt(first.start).lineNumber}: ${first.message}` : r.error !== null ? ` — ${r.error}` : '';
      setStatus({ kind: 'error', text: `${errors.length} error${errors.length === 1 ? '' : 's'}${where}` });
      return;
    }
    try {
      await controller.loadUserProgram(r.wasm);
    } catch (e) {
      setStatus({ kind: 'error', text: `cannot load: ${(e as Error).message}` });
      return;
    }
    const ms = Math.round(performance.now() - t0);
    if (controller.atPrompt()) {
      controller.write(`${USER_PROGRAM}\r`);
      setStatus({ kind: 'ok', text: `compiled in ${ms} ms (${r.wasm.length} bytes) and started as \`${USER_PROGRAM}\`` });
    } else {
      setStatus({ kind: 'ok', text: `compiled in ${ms} ms; the shell is busy — type \`${USER_PROGRAM}\` when it shows its prompt` });
    }
  };

  return (
    <div className="editor-panel">
      <div className="panel-bar">
        <span className="panel-title">prog.ts</span>
        <span className="dim small">AssemblyScript · liboncrix</span>
        <span className={`editor-status ${status.kind}`} data-testid="editor-status">{status.text}</span>
        <button className="tb run" onClick={() => void run()} disabled={status.kind === 'busy'} data-testid="btn-compile-run">▶ Run</button>
      </div>
      <div className="monaco-host" ref={host} data-testid="editor" />
    </div>
  );
}
