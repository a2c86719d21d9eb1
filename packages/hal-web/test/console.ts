// Test helper: a booted ONCRIX system seen through its console, the way a
// person at the terminal sees it — type a line, wait for text to appear.

import type { OncrixSystem } from '../src/system.js';
import { bootBuilt, type NodeBootOptions } from '../src/node.js';
import { ConsoleSession } from '@oncrix/boot';

export class Terminal extends ConsoleSession {
  private readonly decoder = new TextDecoder();

  constructor(readonly sys: OncrixSystem) {
    super();
  }

  static async boot(opts: NodeBootOptions = {}): Promise<Terminal> {
    return new Terminal(await bootBuilt(opts));
  }

  protected received(): string {
    return this.decoder.decode(this.sys.read(), { stream: true });
  }

  protected failure(): string | null {
    const panic = this.sys.panic();
    return panic !== null ? `kernel panic: ${panic}` : null;
  }

  write(data: string): void {
    this.sys.write(data);
  }

  async shutdown(): Promise<void> {
    await this.sys.shutdown();
  }
}
