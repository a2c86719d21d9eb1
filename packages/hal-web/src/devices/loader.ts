// The loader device (the playground): turns the bytes of a .wasm file into a
// program image, so the shell can run a program it found in the file system
// (an upload in /bin). Only its holder, `sh`, can write its register: the
// capability to add programs to the machine. LOAD takes a HostRequest
// (dma.ts) whose buffer holds the program's name and then the module; the
// device runs the module through the same loader every program goes
// through (@oncrix/boot/loader: a memory import, safepoints, the WASI
// imports checked) and appends it to the image table the process pool
// spawns from, answering with its image id. The same bytes under the same
// name give the same id again, so running a program twice loads it once.
//
// The loader brings binaryen, which a page does not load unless it is
// needed: the first LOAD starts loading it and answers -AGAIN, and the
// shell asks again shortly (a register write must complete at once).
// Bare metal has no such device: its programs are compiled ahead of time.

import { LOADER_OP, WASI_ERRNO } from '@oncrix/abi';
import type { Device } from './device.js';
import { serveDma, type DmaRequest } from './dma.js';
import type { HostImage } from '../process-pool.js';

/** The loader's entry: an ONCRIX program (web variant) from a module, or a throw naming what is wrong. */
export type LoadFn = (name: string, bytes: Uint8Array) => { bytes: Uint8Array; initialPages: number };

/** The most programs a machine loads at run time (each stays compiled while the machine runs). */
const MAX_LOADED = 64;

/** FNV-1a of the bytes: which loaded program the same bytes were. */
function fingerprint(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

export class LoaderDevice implements Device {
  readonly name = 'loader';
  readonly registers = 1;
  private load: LoadFn | null = null;
  private loading = false;
  private lastError = '';
  private readonly loaded = new Map<string, number>();

  /**
   * @param images the image table of the process pool (appended to)
   * @param memory the memory of the process now in the kernel
   * @param fetchLoader start loading the loader; resolves with its entry
   * @param log a line on the console (the loader could not be loaded)
   */
  constructor(
    private readonly images: HostImage[],
    private readonly memory: () => Uint8Array | undefined,
    private readonly fetchLoader: () => Promise<LoadFn>,
    private readonly log: (text: string) => void,
  ) {}

  read(): number {
    return 0;
  }

  irqPending(): boolean {
    return false;
  }

  write(reg: number, value: number): void {
    serveDma(this.memory(), reg, value, (r) => this.serve(r));
  }

  private serve(r: DmaRequest): number {
    switch (r.op) {
      case LOADER_OP.LOAD:
        return this.loadProgram(r);
      case LOADER_OP.ERROR: {
        const text = new TextEncoder().encode(this.lastError);
        r.buf.set(text.subarray(0, r.buf.length));
        return text.length;
      }
      default:
        return -WASI_ERRNO.NOSYS;
    }
  }

  private loadProgram(r: DmaRequest): number {
    if (this.load === null) {
      if (!this.loading) {
        this.loading = true;
        this.fetchLoader().then((f) => void (this.load = f), (e: unknown) => {
          this.loading = false;
          this.log(`the program loader could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
        });
      }
      return -WASI_ERRNO.AGAIN;
    }
    if (r.offset > r.buf.length) return -WASI_ERRNO.INVAL;
    // (Chromium decodes no view of shared memory, which a process memory is: copy first.)
    const name = new TextDecoder().decode(r.buf.slice(0, r.offset));
    const module = r.buf.slice(r.offset);
    const key = `${name}/${module.length}/${fingerprint(module)}`;
    const known = this.loaded.get(key);
    if (known !== undefined) return known;
    if (this.loaded.size >= MAX_LOADED) {
      this.lastError = `this machine has loaded ${MAX_LOADED} programs already; reset it to load more`;
      return -WASI_ERRNO.NOEXEC;
    }
    try {
      const prepared = this.load(name, module);
      const compiled = new WebAssembly.Module(prepared.bytes as BufferSource);
      this.images.push({ name, module: compiled, initialPages: prepared.initialPages });
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      return -WASI_ERRNO.NOEXEC;
    }
    const id = this.images.length - 1;
    this.loaded.set(key, id);
    return id;
  }
}
