// Drive a bare-metal ONCRIX image in QEMU over its serial port, as a person
// at a terminal would: start QEMU, wait for text, type lines, read what the
// shell printed. Used by the QEMU tests and by measureQemu (boot-to-prompt
// time and the ping/pong round trip, for `npm run bench`).
//
// The idea: `-serial stdio` makes the guest's COM1 the QEMU process's stdin
// and stdout, so the whole conversation is two pipes; `-device
// isa-debug-exit` lets the guest end QEMU with a status (a panic, or a
// machine where nothing can happen any more), and kill() ends it otherwise.

import { spawn, execFileSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export const QEMU_ARGS = ['-serial', 'stdio', '-display', 'none', '-no-reboot', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'];

/** QEMU's exit status after the guest wrote `code` to isa-debug-exit. */
export const debugExitStatus = (code: number): number => code * 2 + 1;

/** Is this QEMU binary installed? */
export function haveQemu(binary = 'qemu-system-i386'): boolean {
  try {
    execFileSync(binary, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** ANSI escape sequences (the shell's line editing) that a test ignores. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

export class QemuMachine {
  private raw = '';
  private consumed = 0;
  readonly started = Date.now();
  /** Resolves with QEMU's exit status (null if killed by a signal). */
  readonly exited: Promise<number | null>;
  private exitStatus: number | null | undefined;
  private readonly proc: ChildProcessByStdio<Writable, Readable, Readable>;

  constructor(image: string, binary = 'qemu-system-i386', extraArgs: string[] = []) {
    this.proc = spawn(binary, ['-kernel', image, ...QEMU_ARGS, ...extraArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
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

  /** Everything printed so far, with \r and ANSI sequences removed. */
  screen(): string {
    return this.raw.replace(ANSI, '').replace(/\r/g, '');
  }

  /** Wait until pattern appears in output not yet consumed; consume up to its end. */
  async expect(pattern: string | RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.screen().slice(this.consumed);
      const m = rest.match(re);
      if (m !== null && m.index !== undefined) {
        this.consumed += m.index + m[0].length;
        return m;
      }
      if (this.exitStatus !== undefined) throw new Error(`QEMU ended (status ${this.exitStatus}) before ${re}\n--- serial ---\n${this.screen()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}\n--- serial ---\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Send bytes to the serial port. */
  write(data: string): void {
    this.proc.stdin.write(data);
  }

  /** Type a line (Enter is \r on a serial terminal). */
  type(line: string): void {
    this.write(`${line}\r`);
  }

  /** Type a command at the prompt, wait for the next prompt; returns what the command printed. */
  async run(line: string, timeoutMs = 20_000): Promise<string> {
    this.type(line);
    const esc = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = await this.expect(new RegExp(`${esc}\\n([\\s\\S]*?)\\$ $`, 'm'), timeoutMs);
    return m[1] ?? '';
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
export async function measureQemu(image: string, n = 1000, binary = 'qemu-system-i386'): Promise<QemuFigures> {
  const m = new QemuMachine(image, binary);
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
