// Test helper: a booted ONCRIX system seen through its console, the way a
// person at the terminal sees it — type a line, wait for text to appear.

import type { OncrixSystem } from '../src/system.js';
import { bootBuilt, type NodeBootOptions } from '../src/node.js';

/** ANSI escape sequences (cursor moves, line clears) that a terminal interprets and a test ignores. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

export class Terminal {
  private text = '';
  private consumed = 0;

  constructor(readonly sys: OncrixSystem) {}

  static async boot(opts: NodeBootOptions = {}): Promise<Terminal> {
    return new Terminal(await bootBuilt(opts));
  }

  /** Everything the console printed so far (ANSI sequences and \r removed). */
  screen(): string {
    const bytes = this.sys.read();
    if (bytes.length > 0) this.text += new TextDecoder().decode(bytes);
    return this.text.replace(ANSI, '').replace(/\r/g, '');
  }

  /** Wait until `pattern` appears in output not yet consumed; consume up to its end and return the match. */
  async expect(pattern: string | RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.screen().slice(this.consumed);
      const m = rest.match(re);
      if (m !== null && m.index !== undefined) {
        this.consumed += m.index + m[0].length;
        return m;
      }
      if (this.sys.panic() !== null) throw new Error(`kernel panic: ${this.sys.panic()}\n--- screen ---\n${this.screen()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}\n--- screen ---\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Type a line (Enter included). */
  type(line: string): void {
    this.sys.write(`${line}\r`);
  }

  /** Type a command at the prompt and wait for the next prompt; returns what the command printed. */
  async run(line: string, timeoutMs = 15_000): Promise<string> {
    this.type(line);
    const m = await this.expect(new RegExp(`${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n([\\s\\S]*?)\\$ $`, 'm'), timeoutMs);
    return m[1] ?? '';
  }

  async shutdown(): Promise<void> {
    await this.sys.shutdown();
  }
}
