// What a program may import, and a reader that lists what it does import.
//
// The idea: ONCRIX gives a process no ambient authority, so its imports are a
// short, closed list — the two kernel entries (`oncrix.syscall`,
// `oncrix.safepoint`), the loader's own `oncrix.grow`, the memory the HAL
// creates (`env.memory`), AssemblyScript's `env.abort`, and the WASI preview 1
// functions the kernel's POSIX front door serves (each with its witx
// signature). Anything else is refused before the program runs, with a
// message naming the import.
//
// The import list is read straight from the binary (a few dozen lines of
// LEB128) rather than through binaryen, because binaryen.js cannot enumerate
// imported tags and the binary is the ground truth anyway; binaryen supplies
// the function signatures.

import binaryen from 'binaryen';
import { WasiFunctions } from '@oncrix/abi';
import { LoadError } from './errors.js';

/** The kinds of import and export WebAssembly has, named as WebAssembly.Module.imports names them. */
export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

/** One import of a module. */
export interface WasmImport {
  readonly module: string;
  readonly name: string;
  readonly kind: ExternKind;
}

/** What the loader needs from a module's header sections. */
export interface ModuleShape {
  /** Every import, in binary order. */
  readonly imports: WasmImport[];
  /** Memories the module has, imported and defined. */
  readonly memories: number;
}

const KINDS: readonly ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;

/** A forward-only cursor over a WebAssembly binary. */
class Reader {
  pos = 0;
  private readonly text = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    const b = this.bytes[this.pos++];
    if (b === undefined) throw new Error('unexpected end of module');
    return b;
  }

  /** An unsigned LEB128 number (also used to skip signed ones and 64-bit limits: only the bytes matter). */
  leb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return result;
    }
  }

  name(): string {
    const len = this.leb();
    const start = this.pos;
    this.pos += len;
    if (this.pos > this.bytes.length) throw new Error('unexpected end of module');
    return this.text.decode(this.bytes.subarray(start, this.pos));
  }

  /** Skip memory or table limits: flags, minimum, optional maximum, optional page size. */
  limits(): void {
    const flags = this.leb();
    this.leb();
    if (flags & 1) this.leb();
    if (flags & 8) this.leb();
  }

  /** Skip a value or reference type (0x63/0x64 are followed by a heap type). */
  valueType(): void {
    const t = this.byte();
    if (t === 0x63 || t === 0x64) this.leb();
  }
}

/** Read the import list and the memory count of a (validated) WebAssembly binary. */
export function readModuleShape(bytes: Uint8Array): ModuleShape {
  const r = new Reader(bytes);
  r.pos = 8; // magic + version
  const imports: WasmImport[] = [];
  let memories = 0;
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.leb();
    const end = r.pos + size;
    if (id === SECTION_IMPORT) {
      for (let n = r.leb(); n > 0; n--) {
        const module = r.name();
        const name = r.name();
        const code = r.byte();
        const kind = KINDS[code];
        if (kind === undefined) throw new Error(`unknown import kind 0x${code.toString(16)}`);
        if (kind === 'function') {
          r.leb(); // type index
        } else if (kind === 'table') {
          r.valueType();
          r.limits();
        } else if (kind === 'memory') {
          r.limits();
          memories++;
        } else if (kind === 'global') {
          r.valueType();
          r.byte(); // mutability
        } else {
          r.byte(); // tag attribute
          r.leb(); // type index
        }
        imports.push({ module, name, kind });
      }
    } else if (id === SECTION_MEMORY) {
      memories += r.leb();
    }
    r.pos = end;
  }
  return { imports, memories };
}

/** A function signature as binaryen types. */
interface Signature {
  readonly params: readonly binaryen.Type[];
  readonly results: readonly binaryen.Type[];
}

const i32 = binaryen.i32;

/** The functions ONCRIX provides, by "module.name", with their exact signatures. */
export const PROVIDED_FUNCTIONS: ReadonlyMap<string, Signature> = new Map([
  ['oncrix.syscall', { params: [i32, i32, i32, i32, i32, i32, i32], results: [i32] }],
  ['oncrix.safepoint', { params: [], results: [] }],
  ['oncrix.grow', { params: [i32], results: [i32] }],
  ['env.abort', { params: [i32, i32, i32, i32], results: [] }],
]);

/** The WASI preview 1 module: its functions are syscalls of the kernel's POSIX front door. */
export const WASI_MODULE = 'wasi_snapshot_preview1';

/** The signature of a WASI function as the ABI lists it ('i' i32, 'I' i64; proc_exit returns nothing). */
export function wasiSignature(name: keyof typeof WasiFunctions): Signature {
  const params = WasiFunctions[name].params.split('').map((t) => (t === 'I' ? binaryen.i64 : binaryen.i32));
  return { params, results: name === 'proc_exit' ? [] : [i32] };
}

/** The one memory import: the process memory the HAL creates. */
export const MEMORY_IMPORT = { module: 'env', name: 'memory' } as const;

/** "i32", "f64" … for messages. */
function typeName(t: binaryen.Type): string {
  const names: [binaryen.Type, string][] = [
    [binaryen.i32, 'i32'],
    [binaryen.i64, 'i64'],
    [binaryen.f32, 'f32'],
    [binaryen.f64, 'f64'],
    [binaryen.v128, 'v128'],
    [binaryen.funcref, 'funcref'],
    [binaryen.externref, 'externref'],
  ];
  return names.find(([type]) => type === t)?.[1] ?? 'ref';
}

/** "(i32, i32) -> i32" for messages. */
export function signatureText(sig: Signature): string {
  const results = sig.results.length === 0 ? '()' : sig.results.map(typeName).join(', ');
  return `(${sig.params.map(typeName).join(', ')}) -> ${results}`;
}

function sameTypes(a: readonly binaryen.Type[], b: readonly binaryen.Type[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** Signatures of the module's imported functions, by "module.name" (a name may be imported twice). */
function importedSignatures(module: binaryen.Module): Map<string, Signature[]> {
  const out = new Map<string, Signature[]>();
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (!info.module) continue;
    const key = `${info.module}.${info.base ?? ''}`;
    const sig = { params: binaryen.expandType(info.params), results: binaryen.expandType(info.results) };
    out.set(key, [...(out.get(key) ?? []), sig]);
  }
  return out;
}

/** Throw BAD_IMPORT unless every import of the program is one ONCRIX provides, with the right type. */
export function checkImports(program: string, imports: readonly WasmImport[], module: binaryen.Module): void {
  const signatures = importedSignatures(module);
  for (const imp of imports) {
    const key = `${imp.module}.${imp.name}`;
    /** `how` says how the program imports it, `note` what ONCRIX provides instead. */
    const refuse = (how = '', note = ''): never => {
      throw new LoadError('BAD_IMPORT', `program ${program} imports ${key}${how}, which ONCRIX does not provide${note}`);
    };
    if (imp.module === MEMORY_IMPORT.module && imp.name === MEMORY_IMPORT.name) {
      if (imp.kind !== 'memory') refuse(` as a ${imp.kind}`, ' (env.memory is the process memory)');
      continue;
    }
    if (imp.module === WASI_MODULE) {
      if (imp.kind !== 'function') refuse(` as a ${imp.kind}`, ' (WASI preview 1 has only functions)');
      if (!Object.hasOwn(WasiFunctions, imp.name)) refuse('', ' (it is not a wasi_snapshot_preview1 function)');
    }
    const expected = imp.module === WASI_MODULE ? wasiSignature(imp.name as keyof typeof WasiFunctions) : PROVIDED_FUNCTIONS.get(key);
    if (!expected) refuse();
    else if (imp.kind !== 'function') refuse(` as a ${imp.kind}`, ` (it is a function ${signatureText(expected)})`);
    else {
      for (const sig of signatures.get(key) ?? []) {
        if (!sameTypes(sig.params, expected.params) || !sameTypes(sig.results, expected.results)) {
          refuse(` with type ${signatureText(sig)}`, ` (its type is ${signatureText(expected)})`);
        }
      }
    }
  }
}
