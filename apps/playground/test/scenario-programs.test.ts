// A scenario's own programs (scenario/programs.ts, runnable.ts) and its
// hidden programs (scenario/hide.ts): what a teacher's file may bring, and
// the message that names what is wrong when it cannot.

import { beforeEach, describe, expect, it } from 'vitest';
import { TRACE, type TraceEvent } from '@oncrix/abi';
import type { Scenario } from '@oncrix/scenario';
import { addedNames, buildPrograms, programsProblem, type Compile } from '../src/scenario/programs.js';
import { cannotRun } from '../src/scenario/runnable.js';
import { DEFAULT_CONFIG } from '../src/machine/bootConfig.js';
import { watchHidden } from '../src/scenario/hide.js';
import { usePlayground } from '../src/state/store.js';
import type { CompileResult } from '../src/editor/protocol.js';
import type { PackedWasm } from '@oncrix/hal-web/system';

/** The smallest WebAssembly module: the magic and the version. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const base64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

function scenario(programs: Scenario['programs'], manifest?: Record<string, unknown>): Scenario {
  return { format: 1, id: 'test', title: 'Test', text: 'A test.', ...(programs !== undefined ? { programs } : {}), ...(manifest !== undefined ? { manifest } : {}) };
}

const ok = (wasm: Uint8Array): CompileResult => ({ ok: true, wasm, diagnostics: [], error: null, stderr: '' });
const compiled: Compile = () => Promise.resolve(ok(EMPTY_MODULE));

describe("a scenario's programs", () => {
  it('become images after the page\'s own: source compiled, .wasm decoded, a built program under a new name', async () => {
    const s = scenario([
      { name: 'greeter', source: 'export function _start(): void {}' },
      { name: 'blob', wasm: base64(EMPTY_MODULE) },
      { name: 'ping2', builtin: 'ping' },
      { name: 'pong', builtin: 'pong' },
    ]);
    expect(programsProblem(s)).toBeNull();
    expect(addedNames(s)).toEqual(['greeter', 'blob', 'ping2']);
    const sources: string[] = [];
    const pack = (name: string): PackedWasm => ({ pack: `pack#${name}`, offset: 0, length: 1 });
    const built = await buildPrograms(s, (src) => {
      sources.push(src);
      return compiled(src);
    }, pack);
    expect(sources).toEqual(['export function _start(): void {}']);
    if (!built.ok) throw new Error(built.message);
    expect(built.programs.map((p) => [p.name, p.prepared])).toEqual([['greeter', false], ['blob', false], ['ping2', true]]);
    expect(built.programs[0]?.bytes).toEqual(EMPTY_MODULE);
    expect(built.programs[2]?.bytes).toEqual(pack('ping')); // the built ping's place in the pack
  });

  it("may not take the name of one of the page's programs, or a name twice", () => {
    expect(programsProblem(scenario([{ name: 'ping', source: '' }]))).toMatch(/^programs\[0\]\.name: "ping" is the name of one of the playground's own programs/);
    expect(programsProblem(scenario([{ name: 'prog', wasm: '' }]))).toMatch(/^programs\[0\]\.name: "prog"/);
    expect(programsProblem(scenario([{ name: 'a', source: '' }, { name: 'a', wasm: '' }]))).toMatch(/^programs\[1\]\.name: "a" is given twice/);
  });

  it('a source that does not compile, and a .wasm that is not one, stop the opening naming the program', async () => {
    const failing: Compile = (src) => Promise.resolve({
      ok: false, wasm: null, error: null, stderr: '',
      diagnostics: [{ message: "Cannot find name 'missing'.", code: 2304, category: 3, file: 'prog.ts', start: src.indexOf('missing'), end: src.indexOf('missing') + 7 }],
    });
    const bad = await buildPrograms(scenario([{ name: 'greeter', source: 'export function f(): i32 {\n  return missing;\n}' }]), failing);
    expect(bad).toEqual({ ok: false, message: `programs[0] ("greeter").source does not compile: line 2: Cannot find name 'missing'.` });
    expect(await buildPrograms(scenario([{ name: 'b', wasm: '%%%' }]), compiled)).toEqual({ ok: false, message: 'programs[0] ("b").wasm: not base64' });
    expect(await buildPrograms(scenario([{ name: 'b', wasm: base64(new Uint8Array([1, 2, 3])) }]), compiled))
      .toEqual({ ok: false, message: 'programs[0] ("b").wasm: not a WebAssembly module' });
  });

  it("a manifest may start a scenario's program, and only one it declares", () => {
    const playground = JSON.parse(DEFAULT_CONFIG.manifest) as { programs: object[] };
    const manifest = { ...playground, programs: [...playground.programs, { name: 'greeter' }] };
    expect(cannotRun(scenario([{ name: 'greeter', source: '' }], manifest))).toBeNull();
    expect(cannotRun(scenario(undefined, manifest))).toMatch(/^manifest: .*"greeter"/);
  });
});

function spawn(seq: number, pid: number, name: string): TraceEvent {
  const args = new Array<number>(11).fill(0);
  args[0] = pid;
  return { seq, kind: TRACE.SPAWN, kindName: 'spawn', cpu: 0, time: seq, pid: 1, args, data: new TextEncoder().encode(name) };
}

describe("a scenario's hidden programs", () => {
  beforeEach(() => {
    usePlayground.getState().resetTrace();
    usePlayground.getState().setFilter({ hiddenKinds: new Set(), hiddenPids: new Set() });
  });

  it('every process of a hidden program is left out as it appears, also after a reboot; a shown one stays shown', () => {
    watchHidden(['uart']);
    const store = usePlayground;
    store.getState().ingest([spawn(1, 2, 'uart'), spawn(2, 3, 'sh')], 0);
    expect([...store.getState().filter.hiddenPids]).toEqual([2]);
    // A person shows it again: a later batch does not hide it once more; a restarted instance is hidden.
    store.getState().setFilter({ ...store.getState().filter, hiddenPids: new Set() });
    store.getState().ingest([spawn(3, 4, 'uart')], 0);
    expect([...store.getState().filter.hiddenPids]).toEqual([4]);
    // A new boot: its pids are decided afresh.
    store.getState().resetTrace();
    store.getState().setFilter({ ...store.getState().filter, hiddenPids: new Set() });
    store.getState().ingest([spawn(1, 2, 'uart')], 0);
    expect([...store.getState().filter.hiddenPids]).toEqual([2]);
    watchHidden([]);
    store.getState().ingest([spawn(2, 5, 'uart')], 0);
    expect([...store.getState().filter.hiddenPids]).toEqual([2]);
  });
});
