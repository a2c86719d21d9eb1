// Unit tests of ramfs's kept store (services/ramfs/store.ts, journal.ts,
// attach.ts): the real AssemblyScript code, compiled here with a harness
// (store-harness.ts), on memory objects this test holds as plain bytes and
// serves as the kernel would. A "crash" is a syscall that never happens: the
// host throws at the Nth MEMOBJ_WRITE, as a process killed between two
// syscalls; then a fresh instance attaches to the same bytes.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { SYS } from '@oncrix/abi';

const here = fileURLToPath(new URL('..', import.meta.url));
const HALF = 256 * 1024;
const COMMIT = 0x544d4f43;
const ROOT = 1;

let wasm: WebAssembly.Module;
beforeAll(async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'oncrix-store-')), 'harness.wasm');
  const asc = fileURLToPath(import.meta.resolve('assemblyscript/bin/asc.js'));
  await promisify(execFile)(process.execPath, [asc, 'test/store-harness.ts', '-O1', '--runtime', 'incremental', '--exportStart', '_initialize', '-o', out], { cwd: here });
  wasm = new WebAssembly.Module(readFileSync(out));
}, 120_000);

class Crash extends Error {}

/** The kernel's side: memory objects 1 and 2, every write counted, and a crash at a chosen one. */
class Kernel {
  objects: Map<number, Uint8Array>;
  writes = 0;
  crashAt = Infinity;
  /** Where each transaction's COMMIT word went: [object, offset]. */
  commits: [number, number][] = [];

  constructor(readonly half = HALF) {
    this.objects = new Map([[1, new Uint8Array(half)], [2, new Uint8Array(half)]]);
  }
}

interface Harness {
  start(budget: bigint): number;
  foundAny(): number; foundTxns(): number; foundTorn(): number; foundDamaged(): number;
  epoch(): number; activeHalf(): number;
  begin(size: number): number; commit(): number; compact(): number;
  create(dir: number, n: number, kind: number): number;
  write(ino: number, offset: number, count: number, b: number): void;
  rename(dir: number, n: number, toDir: number, m: number): void;
  unlink(dir: number, n: number): void;
  open(ino: number): number; close(id: number): number; opened(id: number): number;
  lookup(dir: number, n: number): number; entries(dir: number): number;
  size(ino: number): number; nlink(ino: number): number; byte(ino: number, at: number): number;
  keepReply(txid: number, len: number, b: number): void; againTxid(): number; againByte(at: number): number;
  memory: WebAssembly.Memory;
  _initialize(): void;
}

/** A new ramfs instance on k's memory objects, attached (start() already called). */
function instance(k: Kernel, budget = BigInt(k.half) * 7n / 8n): Harness {
  let mem: WebAssembly.Memory | null = null;
  const bytes = (): Uint8Array => new Uint8Array(mem!.buffer);
  const syscall = (nr: number, a0: number, a1: number, a2: number, a3: number): number => {
    const obj = k.objects.get(a0);
    if (nr === SYS.MEMOBJ_SIZE) return obj?.length ?? -1;
    if (nr === SYS.MEMOBJ_READ || nr === SYS.MEMOBJ_WRITE) {
      if (obj === undefined || a1 < 0 || a3 < 0 || a1 + a3 > obj.length) return -1;
      if (nr === SYS.MEMOBJ_READ) {
        bytes().set(obj.subarray(a1, a1 + a3), a2);
        return a3;
      }
      if (++k.writes >= k.crashAt) throw new Crash('killed before this write');
      obj.set(bytes().subarray(a2, a2 + a3), a1);
      if (a3 === 4 && a1 % 8 === 4 && a1 !== 12 && new DataView(obj.buffer).getUint32(a1, true) === COMMIT) k.commits.push([a0, a1]);
      return a3;
    }
    if (nr === SYS.CLOCK_GET) {
      new DataView(mem!.buffer).setFloat64(a0, 5000, true);
      return 0;
    }
    return 0;
  };
  const inst = new WebAssembly.Instance(wasm, {
    env: { abort: () => { throw new Error('abort'); } },
    oncrix: { syscall },
  });
  const h = inst.exports as unknown as Harness;
  mem = h.memory;
  h._initialize(); // the module's top-level code, which already asks the clock
  expect(h.start(budget)).toBe(0);
  return h;
}

/** Run f as one request: begin, f, commit. */
function request(h: Harness, f: () => void): void {
  expect(h.begin(4096 + 70_000)).toBe(1);
  f();
  expect(h.commit()).toBe(1);
}

describe('attaching to the kept store', () => {
  test('a new store attaches empty; what was committed, the next instance finds', () => {
    const k = new Kernel();
    const a = instance(k);
    expect(a.foundAny()).toBe(0);
    let ino = 0;
    request(a, () => {
      ino = a.create(ROOT, 1, 0);
      a.write(ino, 0, 100, 97);
    });
    const b = instance(k);
    expect(b.foundAny()).toBe(1);
    expect(b.foundTxns()).toBe(1);
    expect(b.lookup(ROOT, 1)).toBe(ino);
    expect(b.size(ino)).toBe(100);
    expect(b.byte(ino, 99)).toBe(97);
    expect(b.epoch()).toBe(a.epoch() + 1); // it wrote a fresh snapshot into the other half
  });

  test('a transaction torn before its COMMIT word is dropped; the next instance goes on from the committed ones', () => {
    const k = new Kernel();
    const a = instance(k);
    request(a, () => a.create(ROOT, 1, 0));
    expect(a.begin(4096)).toBe(1);
    a.create(ROOT, 2, 0);
    k.crashAt = k.writes + 2; // its records are written, its COMMIT word is not
    expect(() => a.commit()).toThrow(Crash);
    k.crashAt = Infinity;
    const b = instance(k);
    expect([b.foundTxns(), b.foundTorn(), b.foundDamaged()]).toEqual([1, 1, 0]);
    expect(b.lookup(ROOT, 1)).not.toBe(0);
    expect(b.lookup(ROOT, 2)).toBe(0);
    request(b, () => b.create(ROOT, 3, 0));
    const c = instance(k);
    expect([c.foundTorn(), c.entries(ROOT), c.lookup(ROOT, 3) !== 0]).toEqual([0, 2, true]);
  });

  test('a request cut at each of its writes in turn leaves all of it or none of it', () => {
    const outcomes = new Set<string>();
    for (let cut = 1; cut <= 8; cut++) {
      const k = new Kernel();
      const a = instance(k);
      request(a, () => a.create(ROOT, 1, 0));
      expect(a.begin(4096 + 70_000)).toBe(1);
      const dir = a.create(ROOT, 2, 1);
      const f = a.create(dir, 3, 0);
      a.write(f, 65_000, 5000, 7); // across two blocks: the bytes go as two pieces
      a.rename(ROOT, 1, dir, 4);
      k.crashAt = k.writes + cut;
      let crashed = false;
      try {
        a.commit();
      } catch (e) {
        if (!(e instanceof Crash)) throw e;
        crashed = true;
      }
      k.crashAt = Infinity;
      const b = instance(k);
      expect(b.foundDamaged()).toBe(0);
      const d = b.lookup(ROOT, 2);
      if (d === 0) {
        expect(crashed).toBe(true);
        expect([b.entries(ROOT), b.lookup(ROOT, 1) !== 0]).toEqual([1, true]);
        outcomes.add('none');
      } else {
        const g = b.lookup(d, 3);
        expect([b.size(g), b.byte(g, 65_000), b.byte(g, 69_999), b.byte(g, 0)]).toEqual([70_000, 7, 7, 0]);
        expect([b.lookup(ROOT, 1), b.lookup(d, 4) !== 0, b.nlink(d)]).toEqual([0, true, 2]);
        outcomes.add('all');
      }
    }
    expect([...outcomes].sort()).toEqual(['all', 'none']);
  });

  test('a damaged record ends the replay at the last whole transaction before it, and says so', () => {
    const k = new Kernel();
    const a = instance(k);
    request(a, () => a.create(ROOT, 1, 0));
    request(a, () => a.create(ROOT, 2, 0));
    request(a, () => a.create(ROOT, 3, 0));
    // The second transaction's first record is its MAKE: [op][size][ino]…; an inode numbered 0 cannot be.
    const [obj, at] = k.commits[1]!;
    new DataView(k.objects.get(obj)!.buffer).setUint32(at + 4 + 8, 0, true);
    const b = instance(k);
    expect([b.foundTxns(), b.foundDamaged()]).toEqual([1, 1]);
    expect([b.lookup(ROOT, 1) !== 0, b.lookup(ROOT, 2), b.lookup(ROOT, 3), b.entries(ROOT)]).toEqual([true, 0, 0, 1]);
    // The fresh snapshot dropped the damage for good.
    expect(instance(k).foundDamaged()).toBe(0);
  });

  test('a reply still owed is kept across the snapshot an attaching instance writes: the next instance still answers it, not applies it again', () => {
    const k = new Kernel();
    const a = instance(k);
    let file = 0;
    request(a, () => {
      file = a.create(ROOT, 1, 0);
    });
    // The append is committed with its reply, and the instance dies before it answers.
    request(a, () => {
      a.write(file, 0, 100, 0x61);
      a.keepReply(777, 24, 0x52);
    });
    // The next instance finds the request owed, and writes a fresh snapshot as it attaches; it dies before
    // the kernel sends the request again. The one after must still know it as answered-from-the-store.
    const b = instance(k);
    expect(b.againTxid()).toBe(777);
    const c = instance(k);
    expect(c.againTxid(), 'the owed request survives the snapshot b wrote').toBe(777);
    expect(c.againByte(0)).toBe(0x52);
    expect(c.againByte(23)).toBe(0x52);
    expect(c.size(file), 'the append is there once').toBe(100);
  });

  test('a crash while a snapshot is written leaves the old half the one that counts', () => {
    const k = new Kernel();
    const a = instance(k);
    request(a, () => a.write(a.create(ROOT, 1, 0), 0, 3000, 5));
    const before = a.epoch();
    k.crashAt = k.writes + 3; // into the other half's records, before its header
    expect(() => a.compact()).toThrow(Crash);
    k.crashAt = Infinity;
    const b = instance(k);
    expect([b.foundTxns(), b.foundDamaged(), b.epoch()]).toEqual([1, 0, before + 1]);
    expect(b.size(b.lookup(ROOT, 1))).toBe(3000);
  });

  test('a full log switches halves, and every file is found after it with its last bytes', () => {
    const k = new Kernel(4 << 20);
    const a = instance(k);
    let switches = 0;
    const last = new Map<number, number>();
    for (let n = 1; n <= 150; n++) {
      if (a.begin(4096 + 60_000) === 0) {
        expect(a.compact()).toBe(1);
        switches++;
        expect(a.begin(4096 + 60_000)).toBe(1);
      }
      // 20 files, then the same ones written over and over: the log grows, the tree does not.
      const name = n <= 20 ? n : (n % 20) + 1;
      const f = n <= 20 ? a.create(ROOT, name, 0) : a.lookup(ROOT, name);
      a.write(f, 0, 60_000, n);
      last.set(name, n);
      expect(a.commit()).toBe(1);
    }
    expect(switches).toBeGreaterThan(1);
    const b = instance(k);
    expect(b.entries(ROOT)).toBe(20);
    for (const [name, n] of last) {
      const f = b.lookup(ROOT, name);
      expect([b.size(f), b.byte(f, 0), b.byte(f, 59_999)]).toEqual([60_000, n, n]);
    }
  });

  test('open files survive with their ids, also a file unlinked while open, which goes when it is closed', () => {
    const k = new Kernel();
    const a = instance(k);
    let f = 0;
    let g = 0;
    let idF = 0;
    let idG = 0;
    request(a, () => {
      f = a.create(ROOT, 1, 0);
      g = a.create(ROOT, 2, 0);
      idF = a.open(f);
      idG = a.open(g);
      a.write(g, 0, 10, 9);
    });
    request(a, () => {
      a.close(idF);
      a.unlink(ROOT, 2);
    });
    const b = instance(k);
    expect([b.opened(idF), b.opened(idG), b.lookup(ROOT, 2)]).toEqual([0, g, 0]); // closed stays closed; g lives on, nameless
    expect(b.byte(g, 9)).toBe(9);
    const idH = b.open(f);
    expect(idH).not.toBe(idF); // the slot came back with a new generation: the old id stays stale
    request(b, () => expect(b.close(idG)).toBe(1));
    const c = instance(k);
    expect([c.opened(idG), c.size(g), c.opened(idH)]).toEqual([0, 0, 0]); // idH was never committed
  });
});
