// The files device (the playground): the page's door to the file system,
// through the system as it is. The page hands a job to the kernel Worker
// (a control call: list a directory, read a file, write an upload); the
// device queues it and asserts its interrupt while a job waits. The `files`
// driver (packages/userland/drivers/files.ts), the only holder of the
// device, wakes on the interrupt, takes the job (TAKE), does it with
// ordinary WASI calls — so every step is a vfs request to ramfs in the
// trace, on the driver's behalf — pulls an upload's bytes (DATA), pushes
// the answer (PUT) and ends the job (DONE), which settles the page's promise.
// Requests are HostRequest blocks in the driver's memory (dma.ts). A driver
// that dies holding a job (a crash, an injected fault) gives it back: the
// job goes to the front of the queue for the restarted driver, once; if the
// driver dies over it again, the job ends with EIO rather than wait forever.

import { FILES_JOB, FILES_OP, WASI_ERRNO } from '@oncrix/abi';
import type { Device } from './device.js';
import { serveDma, type DmaRequest } from './dma.js';

/** The interrupt line of the files device (the UART has 4). */
export const FILES_IRQ = 5;

/** A job of the page: FilesJob LIST, READ or WRITE on an absolute path (WRITE: with the upload). */
export interface FileJob {
  kind: number;
  path: string;
  data?: Uint8Array;
}

/** The driver's answer: a WASI errno (0: done) and the answer's bytes (a LIST's FilesEntry records, a READ's file). */
export interface FileAnswer {
  errno: number;
  bytes: Uint8Array;
}

interface Pending {
  job: FileJob;
  done: (a: FileAnswer) => void;
  chunks: Uint8Array[];
  size: number;
  /** The pid of the driver that took it (-1: not taken), and whether it was given back once already. */
  takenBy: number;
  retried: boolean;
}

export class FilesDevice implements Device {
  readonly name = 'files';
  readonly registers = 1;
  readonly irq = FILES_IRQ;
  private readonly queue: Pending[] = [];
  /** The job the driver has taken and not ended yet. */
  private current: Pending | null = null;

  /**
   * @param memory the memory of the process now in the kernel (the one writing the register)
   * @param ring wake the kernel host's loop (a job arrived between its passes)
   * @param callerPid the pid of the process now in the kernel
   */
  constructor(private readonly memory: () => Uint8Array | undefined, private readonly ring: () => void, private readonly callerPid: () => number) {}

  /** Queue a job; settles with the driver's answer. */
  submit(job: FileJob): Promise<FileAnswer> {
    return new Promise((resolve) => {
      this.queue.push({ job, done: resolve, chunks: [], size: 0, takenBy: -1, retried: false });
      this.ring();
    });
  }

  /** The machine stops: every job not done yet ends with EIO (nobody will do it). */
  close(): void {
    for (const p of [...(this.current !== null ? [this.current] : []), ...this.queue.splice(0)]) p.done({ errno: WASI_ERRNO.IO, bytes: new Uint8Array(0) });
    this.current = null;
  }

  /** A process ended: if it was the driver doing a job, the job goes back to the front of the queue (once) or ends with EIO. */
  processEnded(pid: number): void {
    const p = this.current;
    if (p === null || p.takenBy !== pid) return;
    this.current = null;
    if (p.retried) {
      p.done({ errno: WASI_ERRNO.IO, bytes: new Uint8Array(0) });
      return;
    }
    p.retried = true;
    p.takenBy = -1;
    p.chunks = [];
    p.size = 0;
    this.queue.unshift(p);
    this.ring();
  }

  read(): number {
    return 0;
  }

  /** The line is asserted while a job waits to be taken. */
  irqPending(): boolean {
    return this.current === null && this.queue.length > 0;
  }

  write(reg: number, value: number): void {
    serveDma(this.memory(), reg, value, (r) => this.serve(r));
  }

  private serve(r: DmaRequest): number {
    switch (r.op) {
      case FILES_OP.TAKE: {
        if (this.current === null) this.current = this.queue.shift() ?? null;
        const p = this.current;
        if (p === null) return -WASI_ERRNO.AGAIN;
        p.takenBy = this.callerPid();
        const path = new TextEncoder().encode(p.job.path);
        if (path.length > r.buf.length) return -WASI_ERRNO.NAMETOOLONG;
        r.buf.set(path);
        r.setArg(p.job.kind);
        r.setOffset(p.job.data?.length ?? 0);
        return path.length;
      }
      case FILES_OP.DATA: {
        const data = this.current?.job.data;
        if (data === undefined) return -WASI_ERRNO.BADF;
        const part = data.subarray(Math.min(r.offset, data.length), Math.min(r.offset + r.buf.length, data.length));
        r.buf.set(part);
        return part.length;
      }
      case FILES_OP.PUT: {
        const p = this.current;
        if (p === null) return -WASI_ERRNO.BADF;
        if (p.size + r.buf.length > FILES_JOB.ANSWER_MAX) return -WASI_ERRNO.FBIG;
        p.chunks.push(r.buf.slice());
        p.size += r.buf.length;
        return r.buf.length;
      }
      case FILES_OP.DONE: {
        const p = this.current;
        if (p === null) return -WASI_ERRNO.BADF;
        this.current = null;
        const bytes = new Uint8Array(p.size);
        let at = 0;
        for (const c of p.chunks) {
          bytes.set(c, at);
          at += c.length;
        }
        p.done({ errno: r.arg, bytes });
        return 0;
      }
      default:
        return -WASI_ERRNO.NOSYS;
    }
  }
}
