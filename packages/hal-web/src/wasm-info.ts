// Reads the one fact the HAL needs from a prepared program without a full
// parser: the initial size of the memory it imports (or defines). Walks the
// section headers of the binary and decodes only the import and memory
// sections.

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  byte(): number {
    const v = this.b[this.pos++];
    if (v === undefined) throw new Error('unexpected end of module');
    return v;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 35) throw new Error('bad LEB128');
    }
  }
  skip(n: number): void {
    this.pos += n;
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  limits(): { initial: number; maximum?: number } {
    const flags = this.byte();
    const initial = this.u32();
    return (flags & 1) !== 0 ? { initial, maximum: this.u32() } : { initial };
  }
}

/** Initial pages of the module's memory (imported or defined); 0 when it has none. */
export function initialMemoryPages(wasm: Uint8Array): number {
  const r = new Reader(wasm);
  r.skip(8); // magic + version
  while (r.pos < wasm.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 2) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0) r.u32(); // function: type index
        else if (kind === 1) { r.byte(); r.limits(); } // table
        else if (kind === 2) return r.limits().initial; // memory
        else if (kind === 3) { r.byte(); r.byte(); } // global
        else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (id === 5) {
      const count = r.u32();
      if (count > 0) return r.limits().initial;
    }
    r.pos = end;
  }
  return 0;
}
