// Run a scenario in Node the way the playground does — boot its machine
// (manifest, CPUs, deterministic time, declared faults), let the shell type
// its script, wait for the prompt after the last line — and give back the
// console text, every trace event of the run, decoded, and the raw trace
// records they came from (what a recording keeps). Used by `oncrix record`
// and the library's tests; a Node-only entry (@oncrix/scenario/node).

import { decodeTrace, type TraceEvent } from '@oncrix/abi';
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { bootBuilt, builtKernel, builtPrograms } from '@oncrix/hal-web/node';
import { ConsoleSession } from '@oncrix/boot';
import type { OncrixSystem } from '@oncrix/hal-web';
import type { Scenario } from './format.js';
import { instantiate } from './variant.js';
import { RECORDING_FORMAT, packTrace, traceLayout, type Recording } from './recording.js';

class Session extends ConsoleSession {
  private readonly decoder = new TextDecoder();
  readonly chunks: Uint8Array[] = [];
  constructor(readonly sys: OncrixSystem) { super(); }
  protected received(): string {
    const raw = this.sys.traceBytes();
    if (raw.byteLength > 0) this.chunks.push(raw.slice());
    return this.decoder.decode(this.sys.read(), { stream: true });
  }
  protected failure(): string | null {
    const p = this.sys.panic();
    return p !== null ? `kernel panic: ${p}` : null;
  }
  write(data: string): void { this.sys.write(data); }
}

export interface NodeRun {
  screen: string;
  events: TraceEvent[];
  /** The raw 64-byte trace records, in order. */
  raw: Uint8Array;
  /** Trace records the ring overwrote before they were read (a recording needs none). */
  lost: number;
}

/** What progress a run reports: each script line as it is typed. */
export type Progress = (message: string) => void;

/** The playground's image table ends with its editor's slot, `prog`, holding `true` until the editor fills it (apps/playground/src/machine/assets.ts). */
const PAGE_SLOT = 'prog';

/**
 * `page`: boot the playground's machine (its manifest, its files and loader
 * devices and its editor's slot, as the page boots a scenario), so that a
 * recording is the run the page would make.
 */
export async function runScenario(s: Scenario, timeoutMs = 60_000, progress?: Progress, page = false): Promise<NodeRun> {
  if ((s.programs ?? []).length > 0) throw new Error('this scenario brings its own programs, which only the playground compiles and loads; run it there');
  const script = s.script ?? [];
  const sys = await bootBuilt({
    ...(s.manifest !== undefined ? { manifest: JSON.stringify(s.manifest) } : {}),
    cpus: s.cpus ?? 1,
    deterministic: s.deterministic ?? true,
    ...(s.inject !== undefined ? { inject: s.inject } : {}),
    ...(page ? { page: true, extra: [pageSlot()] } : {}),
  });
  const t = new Session(sys);
  try {
    // Each line is typed at a prompt, as a person would (its keys reach uart through its IRQ).
    await t.expect(/\$ $/, timeoutMs);
    progress?.('booted: at the shell prompt');
    for (const line of script) {
      progress?.(`typing: ${line}`);
      t.type(line);
      await t.expect(new RegExp(`${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n[\\s\\S]*?\\$ `), timeoutMs);
    }
    await new Promise((r) => setTimeout(r, 200));
    t.screen();
    const screen = t.screen();
    const raw = new Uint8Array(t.chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of t.chunks) { raw.set(c, at); at += c.byteLength; }
    return { screen, events: decodeTrace(raw), raw, lost: sys.traceLost };
  } finally {
    await sys.shutdown();
  }
}

/** The editor's slot as the page fills it at boot: the built `true` under the name `prog`. */
function pageSlot(): { name: string; bytes: Uint8Array; prepared: boolean } {
  const placeholder = builtPrograms().find((p) => p.name === 'true');
  if (placeholder === undefined || !(placeholder.bytes instanceof Uint8Array)) throw new Error('the built programs have no `true` for the editor\'s slot: run `npm run build`');
  return { name: PAGE_SLOT, bytes: placeholder.bytes, prepared: true };
}

/** A digest of the built kernel.wasm: which kernel a recording ran. */
export function kernelBuild(): string {
  return `sha256-${createHash('sha256').update(builtKernel()).digest('hex').slice(0, 16)}`;
}

/**
 * Record a scenario: run it on the playground's machine (deterministic unless it says otherwise) and give
 * back its Recording — the raw trace deflate-raw compressed, the console text,
 * the event count, and what the trace depends on. A run that lost trace
 * records (the ring overflowed) is refused: its recording would not be the run.
 */
export async function recordScenario(s: Scenario, progress?: Progress, timeoutMs = 60_000): Promise<Recording> {
  const { scenario, seed } = instantiate(s);
  const run = await runScenario(scenario, timeoutMs, progress, true); // the page's machine: the run the page would make
  if (run.lost > 0) throw new Error(`the trace ring overflowed (${run.lost} records lost): a recording must hold the whole run`);
  progress?.(`recorded ${run.events.length} events (${run.raw.byteLength} bytes of trace)`);
  return {
    format: RECORDING_FORMAT,
    layout: traceLayout(),
    kernel: kernelBuild(),
    trace: packTrace(deflateRawSync(run.raw, { level: 9 })),
    events: run.events.length,
    console: run.screen,
    seed,
  };
}
