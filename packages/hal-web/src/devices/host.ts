// The host device (`oncrix run`, Node only): the machine's door to the host
// that runs it — the program's stdout and stderr out, its stdin in, its
// arguments and environment, and the --dir trees (host-tree.ts).
//
// The idea: a DMA engine. Its one register takes the address of a
// HostRequest (packages/abi/src/hostio.ts) in the memory of the process
// that writes it, the only process that can: the holder of the device handle
// (the hostrun driver). The device reads the request and its buffer straight
// from that memory and writes the result back into it, checking each range
// against the memory's size, as the kernel's copies do. Everything it does
// completes within the register write; a stream whose ring is full takes
// what fits (the driver writes the rest later), so output waits for a slow
// reader instead of growing without bound.

import { HOST_OP, WASI_ERRNO } from '@oncrix/abi';
import type { Device } from './device.js';
import { ByteRing } from '../shared.js';
import { packTree, applyTree } from '../host-tree.js';
import { serveDma } from './dma.js';

/** What `oncrix run` gives the host device. */
export interface HostIoConfig {
  /** The program's arguments (the first is its name) and environment (NAME=VALUE). */
  args: string[];
  env: string[];
  /** Host directories, in --dir order: the hostrun driver has a preopen for each, from fd 3. */
  dirs: string[];
}

/** Byte rings (SharedChannels.host): the host writes stdin; the device writes stdout and stderr. */
export interface HostRings {
  stdin: SharedArrayBuffer;
  stdout: SharedArrayBuffer;
  stderr: SharedArrayBuffer;
}

/** NUL-terminated strings, as args_get gives them. */
function strings(list: string[]): Uint8Array {
  return new TextEncoder().encode(list.map((s) => `${s}\0`).join(''));
}

export class HostDevice implements Device {
  readonly name = 'host';
  readonly registers = 1;
  private readonly stdin: ByteRing;
  private readonly out: ByteRing[];
  private readonly args: Uint8Array;
  private readonly env: Uint8Array;
  /** Per --dir: its archive once packed, and the chunks of the one coming back. */
  private readonly packed = new Map<number, Uint8Array>();
  private readonly incoming = new Map<number, Uint8Array[]>();

  /**
   * @param rings the streams' rings, shared with the host
   * @param fs node:fs
   * @param memory the memory of the process now in the kernel (the one writing the register)
   * @param stdinEnded whether the host's stdin has ended (the ring then holds its last bytes)
   * @param log a line for the console (what the device could not do)
   */
  constructor(
    private readonly cfg: HostIoConfig,
    rings: HostRings,
    private readonly fs: typeof import('node:fs'),
    private readonly memory: () => Uint8Array | undefined,
    private readonly stdinEnded: () => boolean,
    private readonly log: (text: string) => void,
  ) {
    this.stdin = new ByteRing(rings.stdin);
    this.out = [new ByteRing(rings.stdout), new ByteRing(rings.stderr)];
    this.args = strings(cfg.args);
    this.env = strings(cfg.env);
  }

  read(): number {
    return 0;
  }

  irqPending(): boolean {
    return false;
  }

  /** Bytes of stdout and stderr the host has not read yet. */
  unread(): number {
    return (this.out[0]?.available() ?? 0) + (this.out[1]?.available() ?? 0);
  }

  write(reg: number, value: number): void {
    serveDma(this.memory(), reg, value, (r) => this.serve(r.op, r.arg, r.buf, r.offset));
  }

  private serve(op: number, arg: number, buf: Uint8Array, offset: number): number {
    switch (op) {
      case HOST_OP.WRITE: {
        const ring = this.out[arg - 1];
        if (ring === undefined) return -WASI_ERRNO.BADF;
        const n = ring.write(buf);
        return n > 0 || buf.length === 0 ? n : -WASI_ERRNO.AGAIN;
      }
      case HOST_OP.READ: {
        if (this.stdin.available() > 0) {
          const bytes = this.stdin.read(buf.length);
          buf.set(bytes);
          return bytes.length;
        }
        return this.stdinEnded() ? 0 : -WASI_ERRNO.AGAIN;
      }
      case HOST_OP.ARGS:
      case HOST_OP.ENV: {
        const bytes = op === HOST_OP.ARGS ? this.args : this.env;
        buf.set(bytes.subarray(0, buf.length));
        return bytes.length;
      }
      case HOST_OP.DIRS:
        return this.cfg.dirs.length;
      case HOST_OP.PACK:
        return this.pack(arg, buf, offset);
      case HOST_OP.UNPACK: {
        if (this.cfg.dirs[arg] === undefined) return -WASI_ERRNO.BADF;
        const chunks = this.incoming.get(arg) ?? [];
        chunks.push(buf.slice());
        this.incoming.set(arg, chunks);
        return buf.length;
      }
      case HOST_OP.UNPACK_END:
        return this.unpack(arg);
      default:
        return -WASI_ERRNO.NOSYS;
    }
  }

  private pack(dir: number, buf: Uint8Array, offset: number): number {
    const root = this.cfg.dirs[dir];
    if (root === undefined) return -WASI_ERRNO.BADF;
    let archive = this.packed.get(dir);
    if (archive === undefined) {
      try {
        archive = packTree(this.fs, root);
      } catch (e) {
        this.log(`host device: cannot read --dir ${root}: ${(e as Error).message}`);
        return -WASI_ERRNO.IO;
      }
      this.packed.set(dir, archive);
    }
    const part = archive.subarray(Math.min(offset, archive.length), Math.min(offset + buf.length, archive.length));
    buf.set(part);
    if (part.length === 0) this.packed.delete(dir); // read to its end: not needed again
    return part.length;
  }

  private unpack(dir: number): number {
    const root = this.cfg.dirs[dir];
    if (root === undefined) return -WASI_ERRNO.BADF;
    const chunks = this.incoming.get(dir) ?? [];
    this.incoming.delete(dir);
    const archive = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      archive.set(c, at);
      at += c.length;
    }
    try {
      for (const problem of applyTree(this.fs, root, archive)) this.log(`--dir ${root}: ${problem}`);
    } catch (e) {
      this.log(`host device: cannot write back --dir ${root}: ${(e as Error).message}`);
      return -WASI_ERRNO.IO;
    }
    return 0;
  }
}
