// Monaco, set up for AssemblyScript + liboncrix. This module is only ever
// loaded with a dynamic import, after the shell prompt is up, so the editor
// (several megabytes) never delays the machine.
//
// AssemblyScript is TypeScript syntax with its own standard library, so the
// TypeScript language service gives completion and hover when it sees AS's
// own declarations (std/assembly/index.d.ts, instead of the DOM library) and
// the liboncrix and ABI sources at the paths a program imports them from.
// Its semantic errors are switched off: the real checker is asc, whose
// diagnostics become the markers.

import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker.js?worker';
import asStd from 'assemblyscript/std/assembly/index.d.ts?raw';

self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
};

// The sources as text, by repository path (a glob names files by path: `/` is Vite's root, the repository).
const lib = import.meta.glob<string>('/packages/userland/lib/*.ts', { query: '?raw', import: 'default', eager: true });
const abi = import.meta.glob<string>('/packages/abi/assembly/*.ts', { query: '?raw', import: 'default', eager: true });

const ts = monaco.typescript;
ts.typescriptDefaults.setCompilerOptions({
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  noLib: true,
  allowNonTsExtensions: true,
  experimentalDecorators: true,
});
ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });
ts.typescriptDefaults.addExtraLib(asStd, 'file:///assemblyscript/std/index.d.ts');
for (const [path, text] of Object.entries({ ...lib, ...abi })) {
  ts.typescriptDefaults.addExtraLib(text, `file://${path}`);
}

monaco.editor.defineTheme('oncrix', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#14161b', 'editorGutter.background': '#14161b' },
});

/** The editor's model lives where a built-in program would, so relative imports resolve. */
export const MODEL_URI = 'file:///packages/userland/programs/prog.ts';

export { monaco };
