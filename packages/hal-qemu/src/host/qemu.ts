// Drive a bare-metal ONCRIX image in QEMU over its serial port, as a person
// at a terminal would: start QEMU, wait for text, type lines, read what the
// shell printed. Used by the QEMU tests and by measureQemu (boot-to-prompt
// time and the ping/pong round trip, for `npm run bench`).
//
// The idea: `-serial stdio` makes the guest's console UART the QEMU process's
// stdin and stdout, so the whole conversation is two pipes; the
// architecture's exit device (arch.ts: isa-debug-exit on the PC, semihosting
// on aarch64, the virt board's test device on riscv64) lets the guest end
// QEMU with a status (a panic, or a machine where nothing can happen any
// more), and kill() ends it otherwise.

import { spawn, execFileSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { ConsoleSession, ARCH_INFO, DEFAULT_ARCH, qemuArgs, type Arch } from '@oncrix/boot';

/** QEMU's exit status after the guest stopped with `code` (EXIT_* in src/hal/panic.h), on every architecture's exit device. */
export const debugExitStatus = (code: number): number => code * 2 + 1;

/** Is this QEMU binary installed? */
export function haveQemu(binary = ARCH_INFO[DEFAULT_ARCH].qemu): boolean {
  try {
    execFileSync(binary, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class QemuMachine extends ConsoleSession {
  private raw = '';
  readonly started = Date.now();
  /** Resolves with QEMU's exit status (null if killed by a signal). */
  readonly exited: Promise<number | null>;
  private exitStatus: number | null | undefined;
  private readonly proc: ChildProcessByStdio<Writable, Readable, Readable>;

  constructor(image: string, arch: Arch = DEFAULT_ARCH, extraArgs: string[] = []) {
    super();
    const { qemu: binary, exitDevice } = ARCH_INFO[arch];
    this.proc = spawn(binary, [...qemuArgs(arch, image), '-no-reboot', ...exitDevice, ...extraArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
    // setEncoding decodes across chunk boundaries (a "µ" may arrive split in two).
    this.proc.stdout.setEncoding('utf8');
    this.proc.stderr.setEncoding('utf8');
    this.proc.stdout.on('data', (d: string) => {
      this.raw += d;
    });
    this.proc.stderr.on('data', (d: string) => {
      this.raw += d;
    });
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code) => {
        this.exitStatus = code;
        resolve(code);
      });
      this.proc.on('error', (e) => {
        this.raw += `\n[could not start ${binary}: ${e.message}]\n`;
        this.exitStatus = null;
        resolve(null);
      });
    });
  }

  protected received(): string {
    const text = this.raw;
    this.raw = '';
    return text;
  }

  protected failure(): string | null {
    return this.exitStatus !== undefined ? `QEMU ended (status ${this.exitStatus})` : null;
  }

  /** Send bytes to the serial port. */
  write(data: string): void {
    this.proc.stdin.write(data);
  }

  /** The default wait is longer than on the web: QEMU emulates the CPU in software. */
  override expect(pattern: string | RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    return super.expect(pattern, timeoutMs);
  }

  override run(line: string, timeoutMs = 20_000): Promise<string> {
    return super.run(line, timeoutMs);
  }

  /** End QEMU now (if it still runs) and wait for it. */
  async kill(): Promise<number | null> {
    if (this.exitStatus === undefined) this.proc.kill('SIGKILL');
    return this.exited;
  }
}

export interface QemuFigures {
  /** From starting QEMU to the shell's first prompt, in milliseconds. */
  bootMs: number;
  /** ping/pong round trip as ping reports it (guest clock), in microseconds. */
  pingUs: number;
  /** Wall-clock time of the whole `ping N` command, per round trip, in microseconds. */
  pingWallUs: number;
}

/** Boot an image, time the prompt, run `ping n` and read its average round trip. */
export async function measureQemu(image: string, n = 1000, arch: Arch = DEFAULT_ARCH): Promise<QemuFigures> {
  const m = new QemuMachine(image, arch);
  try {
    await m.expect('$ ', 60_000);
    const bootMs = Date.now() - m.started;
    const t0 = Date.now();
    const out = await m.run(`ping ${n}`, 120_000);
    const wall = Date.now() - t0;
    const avg = out.match(/ping: \d+ replies, ([\d.]+) µs avg/);
    if (avg === null) throw new Error(`ping printed no average:\n${out}`);
    return { bootMs, pingUs: Number(avg[1]), pingWallUs: (wall * 1000) / n };
  } finally {
    await m.kill();
  }
}
