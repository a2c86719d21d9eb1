// Test helper: run a scenario in Node the way the playground does — boot its
// machine (manifest, CPUs, deterministic time, declared faults), let the
// shell type its script, wait for the prompt after the last line — and give
// back the console text and every trace event of the run, decoded.

import type { TraceEvent } from '@oncrix/abi';
import { bootBuilt } from '@oncrix/hal-web/node';
import { ConsoleSession } from '@oncrix/boot';
import type { OncrixSystem } from '@oncrix/hal-web';
import type { Scenario } from '../src/index.js';

class Session extends ConsoleSession {
  private readonly decoder = new TextDecoder();
  readonly events: TraceEvent[] = [];
  constructor(readonly sys: OncrixSystem) { super(); }
  protected received(): string {
    for (const e of this.sys.trace()) this.events.push(e);
    return this.decoder.decode(this.sys.read(), { stream: true });
  }
  protected failure(): string | null {
    const p = this.sys.panic();
    return p !== null ? `kernel panic: ${p}` : null;
  }
  write(data: string): void { this.sys.write(data); }
}

export async function runScenario(s: Scenario, timeoutMs = 60_000): Promise<{ screen: string; events: TraceEvent[] }> {
  const script = s.script ?? [];
  const sys = await bootBuilt({
    ...(s.manifest !== undefined ? { manifest: JSON.stringify(s.manifest) } : {}),
    cpus: s.cpus ?? 1,
    deterministic: s.deterministic ?? true,
    ...(s.inject !== undefined ? { inject: s.inject } : {}),
  });
  const t = new Session(sys);
  try {
    // Each line is typed at a prompt, as a person would (its keys reach uart through its IRQ).
    await t.expect(/\$ $/, timeoutMs);
    for (const line of script) {
      t.type(line);
      await t.expect(new RegExp(`${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n[\\s\\S]*?\\$ `), timeoutMs);
    }
    await new Promise((r) => setTimeout(r, 200));
    t.screen();
    return { screen: t.screen(), events: t.events };
  } finally {
    await sys.shutdown();
  }
}
