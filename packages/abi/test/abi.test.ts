// The ABI is one source of truth: the checked-in AssemblyScript and C views
// must be exactly what the generator makes from spec.ts, every layout must be
// self-consistent, and the trace decoder must read what the layout says.

import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { generatedFiles } from '../src/generate.js';
import * as spec from '../src/spec.js';
import { Layouts, Tables, type Field } from '../src/spec.js';
import { VfsProtocol } from '../src/posix.js';
import { TRACE, TRACE_RECORD_BYTES, decodeTrace, encodeTrace, nameOf, SYS, ERR, LIMITS } from '../src/index.js';

const abiRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const widths: Record<Field['type'], number> = { u8: 1, u16: 2, i32: 4, u32: 4, u64: 8, f64: 8 };

describe('generated views', () => {
  for (const { path, text } of generatedFiles()) {
    test(`${path} is up to date with spec.ts (run \`npm run gen\` if this fails)`, () => {
      expect(readFileSync(join(abiRoot, path), 'utf8')).toBe(text);
    });
  }

  test('the C view defines every constant once', () => {
    const c = generatedFiles().find((f) => f.path.endsWith('.h'))?.text ?? '';
    const names = [...c.matchAll(/#define (ONCRIX_\w+) /g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(150);
    expect(new Set(names).size).toBe(names.length);
    expect(c).toContain(`#define ONCRIX_SYS_CHANNEL_CALL (${SYS.CHANNEL_CALL})`);
  });
});

describe('constant tables', () => {
  test('values inside a table are distinct (except documented aliases)', () => {
    for (const [name, table] of Object.entries(Tables)) {
      if (name === 'Rights' || name === 'Limits' || name === 'Kernel' || name === 'WasiFlags') continue;
      const values = Object.values(table).map((c) => c.value);
      expect(new Set(values).size, name).toBe(values.length);
    }
  });

  test('error codes are negative and never collide with the BLOCKED marker', () => {
    for (const [n, v] of Object.entries(ERR)) if (n !== 'OK') expect(v).toBeLessThan(0);
    expect(Object.values(ERR)).not.toContain(-1024);
  });

  test('core syscalls stay below the reserved vfs and WASI ranges', () => {
    for (const [n, v] of Object.entries(SYS)) {
      if (n.startsWith('FD_') || n.startsWith('WASI_')) continue;
      expect(v).toBeLessThan(SYS.FD_FIRST);
    }
    expect(SYS.FD_LAST).toBeLessThan(SYS.WASI_FIRST);
    expect(LIMITS.MSG_MAX_BYTES).toBe(4096);
  });
});

describe('vfs protocol table', () => {
  test('it has one row per VfsOp, and names only WASI errnos (or REDIRECT)', () => {
    expect(Object.keys(VfsProtocol).sort()).toEqual(Object.keys(spec.VfsOp).sort());
    for (const m of Object.values(VfsProtocol)) {
      for (const e of m.errors) expect(e === 'REDIRECT' || Object.hasOwn(spec.WasiErrno, e), e).toBe(true);
    }
  });
});

describe('layouts', () => {
  for (const [name, layout] of Object.entries(Layouts)) {
    test(`${name}: fields are aligned, inside the size and do not overlap`, () => {
      const spans = Object.entries(layout.fields as Record<string, Field>)
        .filter(([f]) => !(name === 'TraceRecord' && f === 'args') && !(name === 'ProcessInfo' && f === 'name'))
        .map(([f, field]) => ({ f, start: field.offset, end: field.offset + widths[field.type] }))
        .sort((a, b) => a.start - b.start);
      for (const s of spans) {
        expect(s.start % Math.min(4, s.end - s.start), `${name}.${s.f} alignment`).toBe(0);
        expect(s.end, `${name}.${s.f} inside size`).toBeLessThanOrEqual(layout.size);
      }
      for (let i = 1; i < spans.length; i++) {
        const prev = spans[i - 1];
        const cur = spans[i];
        if (prev !== undefined && cur !== undefined) expect(cur.start, `${name}.${cur.f} overlaps ${prev.f}`).toBeGreaterThanOrEqual(prev.end);
      }
    });
  }
});

describe('trace decoding', () => {
  function record(seq: number, kind: number, pid: number, args: number[], flags = 0): Uint8Array {
    const b = new Uint8Array(TRACE_RECORD_BYTES);
    const v = new DataView(b.buffer);
    v.setUint32(0, seq, true);
    v.setUint16(4, kind, true);
    v.setUint8(6, 0);
    v.setUint8(7, flags);
    v.setFloat64(8, 1500, true);
    v.setInt32(16, pid, true);
    args.forEach((a, i) => v.setInt32(20 + 4 * i, a, true));
    return b;
  }

  test('decodes fields and folds DATA records into the event before them', () => {
    const send = record(0, TRACE.MSG_SEND, 3, [7, 8, 5, 0, 0, 4]);
    const data = record(1, TRACE.DATA, 3, [], 5);
    data.set(new TextEncoder().encode('hello'), 20);
    const exit = record(2, TRACE.EXIT, 3, [42]);
    const bytes = new Uint8Array(3 * TRACE_RECORD_BYTES);
    bytes.set(send, 0);
    bytes.set(data, TRACE_RECORD_BYTES);
    bytes.set(exit, 2 * TRACE_RECORD_BYTES);
    const events = decodeTrace(bytes);
    expect(events.map((e) => e.kindName)).toEqual(['MSG_SEND', 'EXIT']);
    expect(events[0]?.args.slice(0, 3)).toEqual([7, 8, 5]);
    expect(new TextDecoder().decode(events[0]?.data)).toBe('hello');
    expect(events[0]?.time).toBe(1500);
    expect(events[1]?.args[0]).toBe(42);
    expect(nameOf(Tables.TraceKind, 999)).toBeUndefined();
  });

  test('encodeTrace writes what decodeTrace reads: an event, then its data as numbered DATA records', () => {
    const text = 'a payload longer than one DATA record holds (44 bytes)';
    const events = decodeTrace(encodeTrace([
      { seq: 7, kind: TRACE.MSG_SEND, kindName: 'MSG_SEND', cpu: 1, time: 2.5e6, pid: 3, args: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], data: new TextEncoder().encode(text) },
      { seq: 10, kind: TRACE.EXIT, kindName: 'EXIT', cpu: 0, time: 3e6, pid: 3, args: [42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], data: new Uint8Array(0) },
    ]));
    expect(events.map((e) => [e.seq, e.kindName, e.cpu, e.time, e.pid])).toEqual([[7, 'MSG_SEND', 1, 2.5e6, 3], [10, 'EXIT', 0, 3e6, 3]]);
    expect(events[0]?.args).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(new TextDecoder().decode(events[0]?.data)).toBe(text);
    expect(encodeTrace(events).length).toBe(4 * TRACE_RECORD_BYTES); // two DATA records carry the 54 bytes
  });
});
