// The kernel's structure, read from its source (AssemblyScript, which tsc and
// eslint skip):
// - it reads in layers: imports go one way, runtime -> abi -> hal -> objects/cap ->
//   mm/ipc/sched/process -> syscall -> index, and no two kernel files import
//   each other, directly or around a loop. Every file is placed in its layer,
//   and an import that goes up a layer or closes a cycle fails, naming the
//   files involved;
// - one module, mm/user.ts, moves bytes to and from processes: no other file
//   calls the HAL's copy functions;
// - the front door's table maps each syscall number to the handler named
//   after it, in the ABI's numbering.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { SYS, WasiFunctions } from '@oncrix/abi';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** The layers from the bottom up; a file belongs to the first layer with a matching path or folder. */
const LAYERS: { name: string; paths: string[] }[] = [
  { name: 'runtime', paths: ['rt/'] },
  { name: 'hal', paths: ['hal.ts', 'clock.ts', 'trace.ts', 'panic.ts'] },
  { name: 'objects/cap', paths: ['object.ts', 'account.ts', 'work.ts', 'cap/'] },
  { name: 'mm/ipc/sched/process', paths: ['mm/', 'sched/', 'process/', 'ipc/', 'dev/', 'vfs/'] },
  { name: 'syscall', paths: ['syscall/'] },
  { name: 'index', paths: ['index.ts', 'debug.ts'] },
];

/** Every .ts file under dir, relative to SRC with forward slashes. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [relative(SRC, p).split('\\').join('/')] : [];
  });
}

/** The kernel files a source file imports (module specifiers resolved; the ABI view and other packages left out). */
function kernelImports(file: string, text: string): string[] {
  const out: string[] = [];
  const specifier = /(?:^|\n)\s*(?:import|export)\b[^'";]*?(?:from\s*)?['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(specifier)) {
    const spec = m[1] ?? '';
    if (!spec.startsWith('.')) continue;
    const target = relative(SRC, resolve(SRC, dirname(file), spec)).split('\\').join('/');
    if (target.startsWith('..')) continue; // outside the kernel: the generated ABI view
    out.push(`${target}.ts`);
  }
  return out;
}

function layerOf(file: string): number {
  return LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)));
}

/** Import cycles (strongly connected components with more than one file, or a file importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, kernelImports(f, readFileSync(join(SRC, f), 'utf8'))]));

describe('the kernel import graph', () => {
  test('the reader finds the imports of a file, multi-line ones included', () => {
    const text = "import {\n  a,\n  b,\n} from '../ipc/wait';\nimport * as hal from './hal';\nimport { X } from '../../abi/assembly/index';\n";
    expect(kernelImports('cap/ops.ts', text)).toEqual(['ipc/wait.ts', 'cap/hal.ts']);
  });

  test('a cycle is found, with every file on it', () => {
    const g = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  test('every kernel file belongs to a layer', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => layerOf(f) < 0), 'files in no layer: add them to LAYERS').toEqual([]);
  });

  test('every import stays in its layer or goes down', () => {
    const upward: string[] = [];
    for (const [f, deps] of graph) {
      for (const d of deps) {
        if (!graph.has(d)) upward.push(`${f} imports ${d}, which does not exist`);
        else if (layerOf(d) > layerOf(f)) upward.push(`${f} (${LAYERS[layerOf(f)]?.name}) imports ${d} (${LAYERS[layerOf(d)]?.name})`);
      }
    }
    expect(upward).toEqual([]);
  });

  test('no kernel files import each other around a loop', () => {
    expect(cycles(graph).map((c) => c.join(' <-> '))).toEqual([]);
  });
});

describe('user memory', () => {
  test('only mm/user.ts calls the HAL copy functions', () => {
    const callers = files.filter((f) => f !== 'hal.ts' && /\b(copy_from_user|copy_to_user|copy_between)\s*\(/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(callers).toEqual(['mm/user.ts']);
  });
});

describe('the syscall table', () => {
  const text = readFileSync(join(SRC, 'syscall/dispatch.ts'), 'utf8');
  const body = /const syscalls: StaticArray<Handler> = \[([^\]]*)\]/.exec(text)?.[1] ?? '';
  const rows = [...body.matchAll(/\/\*\s*(\d+) (\w+) \*\/ (\w+),/g)].map((m) => ({ nr: Number(m[1]), name: m[2] ?? '', handler: m[3] ?? '' }));
  const camel = (name: string): string => name.toLowerCase().replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());

  test('entry n is syscall n of the ABI, handled by the function named after it', () => {
    expect(rows.length).toBeGreaterThan(30);
    rows.forEach((r, i) => {
      expect(r.nr, `row ${i}`).toBe(i);
      expect(SYS[r.name as keyof typeof SYS], `${r.name} is syscall ${r.nr} in the ABI`).toBe(r.nr);
      expect(r.handler).toBe(`sys${camel(r.name)}`);
    });
  });

  test('every native syscall of the ABI has an entry', () => {
    const native = Object.entries(SYS).filter(([, v]) => v < SYS.FD_FIRST).map(([k]) => k).sort();
    expect(rows.map((r) => r.name).sort()).toEqual(native);
  });
});

describe('the WASI table', () => {
  const text = readFileSync(join(SRC, 'syscall/wasi.ts'), 'utf8');
  const body = /const wasiCalls: StaticArray<\(p: Process\) => i32> = \[([^\]]*)\]/.exec(text)?.[1] ?? '';
  const handlers = body.replace(/\/\*[^*]*\*\//g, '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const camel = (name: string): string => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

  test('entry i serves WASI function i, in the ABI order, by its camelCase name (sockets: notSocket)', () => {
    const names = Object.keys(WasiFunctions);
    expect(handlers).toEqual(names.map((n) => (n.startsWith('sock_') ? 'notSocket' : camel(n))));
  });
});
