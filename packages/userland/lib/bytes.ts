// liboncrix: a growable byte buffer for building messages and argument blocks.
//
// Syscalls take (pointer, length) pairs into the program's own memory. Bytes
// keeps its data in one ArrayBuffer, so `ptr` can be handed to the kernel
// directly; appending past the capacity moves the data to a larger buffer
// (take `ptr` after the last append). Numbers are little-endian as in the ABI.

export class Bytes {
  buf: ArrayBuffer;
  length: i32 = 0;

  constructor(capacity: i32 = 64) {
    this.buf = new ArrayBuffer(max(capacity, 16));
  }

  /** Address of the first byte (valid until the next append that grows the buffer). */
  get ptr(): usize {
    return changetype<usize>(this.buf);
  }

  /** Forget the contents, keep the storage. */
  reset(): Bytes {
    this.length = 0;
    return this;
  }

  /** Make room for n more bytes. */
  reserve(n: i32): void {
    const need = this.length + n;
    if (need <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < need) size *= 2;
    const grown = new ArrayBuffer(size);
    memory.copy(changetype<usize>(grown), changetype<usize>(this.buf), this.length);
    this.buf = grown;
  }

  byte(b: u8): Bytes {
    this.reserve(1);
    store<u8>(this.ptr + this.length, b);
    this.length += 1;
    return this;
  }

  u32(v: u32): Bytes {
    this.reserve(4);
    store<u32>(this.ptr + this.length, v);
    this.length += 4;
    return this;
  }

  /** Append len bytes from memory at src. */
  raw(src: usize, len: i32): Bytes {
    if (len <= 0) return this;
    this.reserve(len);
    memory.copy(this.ptr + this.length, src, len);
    this.length += len;
    return this;
  }

  /** Append a string as UTF-8 (no terminator). */
  str(s: string): Bytes {
    const utf8 = String.UTF8.encode(s);
    return this.raw(changetype<usize>(utf8), utf8.byteLength);
  }

  /** The u32 at a byte offset (0 when outside the contents). */
  u32At(offset: i32): u32 {
    if (offset < 0 || offset + 4 > this.length) return 0;
    return load<u32>(this.ptr + offset);
  }

  /** Overwrite the u32 at a byte offset inside the contents. */
  setU32(offset: i32, v: u32): void {
    if (offset >= 0 && offset + 4 <= this.length) store<u32>(this.ptr + offset, v);
  }

  /** The contents from `from` on, decoded as UTF-8. */
  text(from: i32 = 0): string {
    if (from >= this.length) return "";
    return String.UTF8.decodeUnsafe(this.ptr + from, this.length - from);
  }
}

/** Split bytes on NUL into UTF-8 strings ("" for an empty block). */
export function splitNul(src: usize, len: i32): Array<string> {
  const out = new Array<string>();
  if (len <= 0) return out;
  let start = 0;
  for (let i = 0; i <= len; i++) {
    if (i == len || load<u8>(src + i) == 0) {
      out.push(String.UTF8.decodeUnsafe(src + start, i - start));
      start = i + 1;
    }
  }
  return out;
}
