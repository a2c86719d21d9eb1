// A console seen the way a person at a terminal sees it: type a line, wait for
// text to appear, read what a command printed. One implementation for every
// console ONCRIX has — the web HAL's UART rings (tests) and QEMU's serial port
// (bare-metal tests and benchmarks) — which supply only how bytes arrive,
// how they are sent, and how the machine can fail.

/** ANSI escape sequences (cursor moves, line clears) that a terminal interprets and a reader ignores. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export abstract class ConsoleSession {
  private text = '';
  private consumed = 0;

  /** Text that arrived since the last call. */
  protected abstract received(): string;

  /** Why waiting is pointless now (a panic, a machine that ended), or null. */
  protected abstract failure(): string | null;

  /** Send characters to the console. */
  abstract write(data: string): void;

  /** Everything printed so far, with \r and ANSI sequences removed. */
  screen(): string {
    this.text += this.received();
    return this.text.replace(ANSI, '').replace(/\r/g, '');
  }

  /** Wait until `pattern` appears in output not yet consumed; consume up to its end and return the match. */
  async expect(pattern: string | RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const re = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.screen().slice(this.consumed);
      const m = rest.match(re);
      if (m !== null && m.index !== undefined) {
        this.consumed += m.index + m[0].length;
        return m;
      }
      const failed = this.failure();
      if (failed !== null) throw new Error(`${failed} before ${re}\n--- console ---\n${this.screen()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}\n--- console ---\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Type a line (Enter is \r on a terminal). */
  type(line: string): void {
    this.write(`${line}\r`);
  }

  /** Type a command at the prompt and wait for the next prompt; returns what the command printed. */
  async run(line: string, timeoutMs = 15_000): Promise<string> {
    this.type(line);
    const m = await this.expect(new RegExp(`${escapeRegExp(line)}\\n([\\s\\S]*?)\\$ $`, 'm'), timeoutMs);
    return m[1] ?? '';
  }
}
