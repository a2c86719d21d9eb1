// ramfs: the kept store — bytes that outlive the process. The supervisor
// keeps memory objects for ramfs across its restarts (TAG_KEEP, init's
// {"keep": PAGES} capability); ramfs sees them, in the order given, as one
// byte space, split into two halves. A half holds a snapshot of the whole
// tree followed by a log of transactions, each one ramfs request's changes:
//
//   half:  header [magic][epoch][snapEnd][state]   (HEADER bytes)
//          snapshot records                          up to snapEnd
//          transaction, transaction, …               each 8-aligned
//          zeros                                     to the end of the half
//   transaction: [len][state] then len bytes of records
//
// The idea: the process can die between any two syscalls, never inside one,
// so one MEMOBJ_WRITE is atomic — and a transaction counts only once its
// state word, written last by a write of its own, says COMMIT. Its header
// (with its length) is written first, so a transaction torn by a crash is
// seen for what it is and dropped, and the zeros past the last one say where
// the log ends. ramfs commits a request's transaction before it replies, so
// whatever a client was told succeeded is in the store.
//
// When the active half is full, the tree is written afresh as the snapshot of
// the other half (its header, with the next epoch, last): the switch is one
// write, and a crash before it leaves the old half the one that counts. A
// new instance attaches to the committed half with the highest epoch.

import { MSG_MAX_BYTES } from "../../../abi/assembly/index";
import { Handle, memobjRead, memobjWrite, memobjSize, Bytes } from "../../lib/index";

/** "RFS1": a half's header, and its state word once the half is complete. */
const MAGIC: u32 = 0x31534652;
/** A transaction's (and a half header's) state once committed: "COMT". */
export const COMMIT: u32 = 0x544d4f43;
/** Bytes of a half's header. */
export const HEADER: u32 = 16;
/** Bytes of zeros written by one MEMOBJ_WRITE past a new snapshot. */
const ZERO_BYTES: i32 = 1 << 20;
/** Most bytes written by one MEMOBJ_WRITE while streaming a snapshot. */
const FLUSH_BYTES: i32 = 65536;

function align8(n: u32): u32 {
  return (n + 7) & ~7;
}

/** The kept memory objects as one byte space. */
export class Space {
  handles: Array<Handle> = [];
  sizes: Array<u32> = [];
  total: u32 = 0;

  /** Add a memory object; false when it cannot be used (its size unknown, or not a multiple of 8). */
  add(h: Handle): bool {
    const n = memobjSize(h);
    if (n <= 0 || (n & 7) != 0 || <u64>this.total + <u64>n > 0x80000000) return false;
    this.handles.push(h);
    this.sizes.push(<u32>n);
    this.total += <u32>n;
    return true;
  }

  /** Copy len bytes at offset of the space to dst (or from src: write), across objects. */
  move(offset: u32, ptr: usize, len: u32, write: bool): bool {
    if (<u64>offset + <u64>len > <u64>this.total) return false;
    let base: u32 = 0;
    for (let i = 0; i < this.handles.length && len > 0; i++) {
      const size = this.sizes[i];
      if (offset < base + size) {
        const at = offset - base;
        const n = min<u32>(len, size - at);
        const r = write ? memobjWrite(this.handles[i], <i32>at, ptr, <i32>n) : memobjRead(this.handles[i], <i32>at, ptr, <i32>n);
        if (r != <i32>n) return false;
        offset += n;
        ptr += n;
        len -= n;
      }
      base += size;
    }
    return len == 0;
  }

  read(offset: u32, dst: usize, len: u32): bool { return this.move(offset, dst, len, false); }
  write(offset: u32, src: usize, len: u32): bool { return this.move(offset, src, len, true); }

  /** Write one u32 (a state word: one syscall, so atomic). */
  word(offset: u32, v: u32): bool {
    const tmp = memory.data(4);
    store<u32>(tmp, v);
    return this.write(offset, tmp, 4);
  }
}

/**
 * Bytes on their way to the store: inline bytes built here, and "outside"
 * pieces (a file's blocks) written straight from where they are, in order.
 */
export class Out {
  buf: Bytes = new Bytes(4096);
  extAt: Array<i32> = [];
  extPtr: Array<usize> = [];
  extLen: Array<u32> = [];
  /** All bytes: inline plus outside. */
  size: u32 = 0;

  reset(): void {
    this.buf.reset();
    this.extAt.length = 0;
    this.extPtr.length = 0;
    this.extLen.length = 0;
    this.size = 0;
  }

  u32(v: u32): Out {
    this.buf.u32(v);
    this.size += 4;
    return this;
  }

  u64(v: u64): Out {
    return this.u32(<u32>v).u32(<u32>(v >>> 32));
  }

  /** len bytes at ptr, not copied: they must stay as they are until the next flush. */
  outside(ptr: usize, len: u32): Out {
    if (len == 0) return this;
    this.extAt.push(this.buf.length);
    this.extPtr.push(ptr);
    this.extLen.push(len);
    this.size += len;
    return this;
  }

  /** UTF-8 bytes, padded with zeros to a multiple of 4 (the caller records their length). */
  text(s: string): Out {
    const utf8 = String.UTF8.encode(s);
    this.buf.raw(changetype<usize>(utf8), utf8.byteLength);
    this.size += <u32>utf8.byteLength;
    return this.pad();
  }

  /** Zeros up to a multiple of 4 bytes. */
  pad(): Out {
    while ((this.size & 3) != 0) {
      this.buf.byte(0);
      this.size++;
    }
    return this;
  }

  /** Write everything at offset of the space, in order. */
  flushTo(space: Space, offset: u32): bool {
    let from = 0;
    let at = offset;
    for (let i = 0; i < this.extAt.length; i++) {
      const upto = this.extAt[i];
      if (upto > from && !space.write(at, this.buf.ptr + from, <u32>(upto - from))) return false;
      at += <u32>(upto - from);
      from = upto;
      if (!space.write(at, this.extPtr[i], this.extLen[i])) return false;
      at += this.extLen[i];
    }
    if (this.buf.length > from && !space.write(at, this.buf.ptr + from, <u32>(this.buf.length - from))) return false;
    return true;
  }
}

/** Reads records out of the store, through a buffer. Past `end`, or after a failed read, `ok` is false. */
export class In {
  space: Space;
  pos: u32;
  end: u32;
  ok: bool = true;
  private buf: ArrayBuffer = new ArrayBuffer(65536);
  private bufAt: u32 = 0;
  private bufLen: u32 = 0;

  constructor(space: Space, pos: u32, end: u32) {
    this.space = space;
    this.pos = pos;
    this.end = end;
  }

  /** Read [pos, end) next, keeping what the buffer holds (the space does not change while it is read). */
  at(pos: u32, end: u32): In {
    this.pos = pos;
    this.end = end;
    this.ok = true;
    return this;
  }

  /** Copy n bytes at the read position to dst and move on. */
  bytes(dst: usize, n: u32): bool {
    if (!this.ok || <u64>this.pos + <u64>n > <u64>this.end) return (this.ok = false);
    while (n > 0) {
      if (this.pos < this.bufAt || this.pos >= this.bufAt + this.bufLen) {
        if (n >= <u32>this.buf.byteLength) { // a big piece (file data) goes straight to dst
          if (!this.space.read(this.pos, dst, n)) return (this.ok = false);
          this.pos += n;
          return true;
        }
        this.bufAt = this.pos;
        this.bufLen = min<u32>(<u32>this.buf.byteLength, this.end - this.pos);
        if (!this.space.read(this.bufAt, changetype<usize>(this.buf), this.bufLen)) return (this.ok = false);
      }
      const k = min<u32>(n, this.bufAt + this.bufLen - this.pos);
      memory.copy(dst, changetype<usize>(this.buf) + <usize>(this.pos - this.bufAt), k);
      this.pos += k;
      dst += k;
      n -= k;
    }
    return true;
  }

  u32(): u32 {
    const tmp = memory.data(8);
    return this.bytes(tmp, 4) ? load<u32>(tmp) : 0;
  }

  u64(): u64 {
    const lo = <u64>this.u32();
    return lo | (<u64>this.u32() << 32);
  }

  /** n UTF-8 bytes (then the padding to 4), as a string; "" after a failure. */
  text(n: u32): string {
    if (n > <u32>MSG_MAX_BYTES) {
      this.ok = false;
      return "";
    }
    const b = new ArrayBuffer(<i32>n);
    if (!this.bytes(changetype<usize>(b), n)) return "";
    this.pos += ((n + 3) & ~3) - n;
    if (this.pos > this.end) this.ok = false;
    return String.UTF8.decode(b);
  }
}

/** What attaching found: where the records to replay are. */
export class Found {
  /** A committed half was found (else the store is new: nothing to replay). */
  any: bool = false;
  half: i32 = 0;
  epoch: u32 = 0;
  /** Space offsets: the snapshot's records [snapAt, snapEnd), then the log from `logAt` (snapEnd, 8-aligned) on. */
  snapAt: u32 = 0;
  snapEnd: u32 = 0;
  logAt: u32 = 0;
  halfEnd: u32 = 0;
}

/** The two halves, which one counts, and where its log ends. */
export class Store {
  space: Space;
  halfSize: u32;
  active: i32 = -1;
  epoch: u32 = 0;
  /** Space offset of the next transaction in the active half. */
  pos: u32 = 0;
  /** The transaction being built; and, while writing a snapshot, where it goes. */
  out: Out = new Out();
  private snapHalf: i32 = 0;
  private snapPos: u32 = 0;

  /** Zeros to write past a snapshot: big, so a 16 MiB half takes 16 writes (and trace records), not 256; made once. */
  zeros: ArrayBuffer;

  constructor(space: Space) {
    const half = (space.total / 2) & ~7;
    this.space = space;
    this.halfSize = half;
    this.zeros = new ArrayBuffer(<i32>min<u32>(<u32>ZERO_BYTES, max<u32>(half, 8)));
  }

  base(half: i32): u32 { return <u32>half * this.halfSize; }

  /** Which half counts: committed (its state word COMMIT), the highest epoch; `any` false when neither is. */
  find(): Found {
    const f = new Found();
    const h = memory.data(<i32>HEADER);
    for (let half = 0; half < 2; half++) {
      if (!this.space.read(this.base(half), h, HEADER)) continue;
      const snapEnd = load<u32>(h, 8);
      if (load<u32>(h) != MAGIC || load<u32>(h, 12) != COMMIT || snapEnd < HEADER || align8(snapEnd) > this.halfSize) continue;
      const epoch = load<u32>(h, 4);
      if (f.any && epoch <= f.epoch) continue;
      f.any = true;
      f.half = half;
      f.epoch = epoch;
      f.snapAt = this.base(half) + HEADER;
      f.snapEnd = this.base(half) + snapEnd;
      f.logAt = this.base(half) + align8(snapEnd);
      f.halfEnd = this.base(half) + this.halfSize;
    }
    return f;
  }

  /** Bytes a transaction of `size` bytes needs in the log (its header, alignment). */
  static need(size: u32): u32 { return 8 + align8(size); }

  /** Is there room in the active half for a transaction of up to `size` bytes? */
  room(size: u32): bool {
    return this.active >= 0 && <u64>this.pos + <u64>Store.need(size) <= <u64>(this.base(this.active) + this.halfSize);
  }

  /** Bytes left in the active half for one transaction's records. */
  left(): u32 {
    if (this.active < 0) return 0;
    const end = this.base(this.active) + this.halfSize;
    return this.pos + 8 >= end ? 0 : (end - this.pos - 8) & ~7;
  }

  /** Start a transaction in `out` (its header's place). */
  begin(): void {
    this.out.reset();
    this.out.u32(0).u32(0);
  }

  /** Has the transaction records beyond its header? */
  get dirty(): bool { return this.out.size > 8; }

  /** Write the transaction: header and records, then its COMMIT word. False when the store refused (no room, bad write). */
  commit(): bool {
    const len = this.out.size - 8;
    if (!this.room(len)) return false;
    this.out.buf.setU32(0, len);
    const at = this.pos;
    if (!this.out.flushTo(this.space, at)) return false;
    if (!this.space.word(at + 4, COMMIT)) return false;
    this.pos = at + Store.need(len);
    this.out.reset();
    return true;
  }

  /** Start writing a snapshot into the other half: its old header stops counting first. */
  beginSnapshot(): bool {
    this.snapHalf = this.active == 0 ? 1 : 0;
    this.snapPos = this.base(this.snapHalf) + HEADER;
    this.out.reset();
    return this.space.word(this.base(this.snapHalf) + 12, 0);
  }

  /** Write what `out` holds so far (a snapshot's records) once it is big. False when it does not fit the half. */
  flushSnapshot(force: bool): bool {
    if (!force && this.out.buf.length < FLUSH_BYTES && this.out.extAt.length < 64) return true;
    const end = this.base(this.snapHalf) + this.halfSize;
    if (<u64>this.snapPos + <u64>this.out.size > <u64>end) return false;
    if (!this.out.flushTo(this.space, this.snapPos)) return false;
    this.snapPos += this.out.size;
    this.out.reset();
    return true;
  }

  /** The snapshot is written: zero the rest of its half, then its header, then COMMIT — from now on it counts. */
  endSnapshot(): bool {
    if (!this.flushSnapshot(true)) return false;
    const half = this.snapHalf;
    const logAt = this.base(half) + align8(this.snapPos - this.base(half));
    const end = this.base(half) + this.halfSize;
    for (let at = this.snapPos; at < end;) {
      const n = min<u32>(<u32>this.zeros.byteLength, end - at);
      if (!this.space.write(at, changetype<usize>(this.zeros), n)) return false;
      at += n;
    }
    const h = memory.data(<i32>HEADER);
    store<u32>(h, MAGIC);
    store<u32>(h, this.epoch + 1, 4);
    store<u32>(h, this.snapPos - this.base(half), 8);
    store<u32>(h, 0, 12);
    if (!this.space.write(this.base(half), h, HEADER)) return false;
    if (!this.space.word(this.base(half) + 12, COMMIT)) return false;
    this.active = half;
    this.epoch++;
    this.pos = logAt;
    return true;
  }
}
