// The page's handle on the running machine: boots OncrixSystem from the built
// assets, drains its console and trace rings once per animation frame while
// the machine has news (and from a slow timer when frames stop, e.g. in a
// background tab), and otherwise waits for news without polling, so an idle
// page does nothing at all; feeds the store and the terminal, and offers the control calls of the toolbar and
// the Boot dialog: reset, CPUs, deterministic mode, a new boot manifest and
// start-up script, and adding a program at run time; and the break-it
// panel's fault injection. It remembers the boot
// configuration and the editor's last compiled program, so a reset (or a new
// manifest) boots the same manifest, script and `prog` again.
//
// The main thread never blocks: everything here reads or writes shared rings
// (hal-web's OncrixSystem) or makes a control call to the kernel Worker
// (comlink, inside OncrixSystem), which answers with a promise.

import { OncrixSystem, type InjectAction, type ProgramSource } from '@oncrix/hal-web/system';
import { takeAheadWorker } from './ahead.js';
import { usePlayground } from '../state/store.js';
import { bootAssets, setScenarioImages, USER_PROGRAM } from './assets.js';
import type { MachineKind } from '../mode.js';
import { DEFAULT_CONFIG, type BootConfig } from './bootConfig.js';
import { frameInfo, type FrameInfo } from '../ui/traceDraw.js';
import { eventAt, eventCount, recordCount, targetOf } from '../trace/model.js';
import type { TraceEvent } from '@oncrix/abi';

type Sink = (bytes: Uint8Array) => void;

export interface BootChoice {
  cpus: number;
  deterministic: boolean;
  /** Faults to inject (a scenario's `inject`: ACTION:PROGRAM[:POINT][:xTIMES]); absent: none. */
  inject?: string[];
  /** A new manifest and start-up script (checked by the caller); absent: the current ones. */
  config?: BootConfig;
  /** The images an open scenario brings, after the page's own (scenario/programs.ts); absent: the current ones, [] for none. */
  programs?: readonly ProgramSource[];
}

/** Timing marks for the benchmark and the e2e tests (read from window.__oncrix). */
export interface Marks {
  /**
   * ms since navigation when the page script started, the app was first
   * rendered (interactive), the machine booted, and the shell prompt
   * appeared: written into the terminal (a prompt that comes before the
   * terminal is there counts when the terminal takes it).
   */
  script: number;
  interactive: number | null;
  booted: number | null;
  prompt: number | null;
  /** ... and when the editor (loaded after the prompt) was made: the page's last one-off loading has begun. */
  editor: number | null;
}

/** What the page offers to scripts that drive it (the e2e tests and the benchmark). */
export interface TestHooks {
  marks: Marks;
  controller: Controller;
  store: typeof usePlayground;
  frame: FrameInfo;
  /** Every kept event, decoded, with its global number and the pid its arrow points at (tests only: it decodes the whole log). */
  events(): KeptEvent[];
  /** Events the page keeps, and trace records the kernel has numbered as the page saw them (cheap: for the benchmark). */
  counts(): { kept: number; records: number };
}

export interface KeptEvent extends TraceEvent {
  g: number;
  target: number;
}

/** The events the store keeps, decoded (for the test hook). */
function keptEvents(): KeptEvent[] {
  const m = usePlayground.getState().model;
  const out: KeptEvent[] = [];
  for (let g = m.base; g < eventCount(m); g++) {
    const ev = eventAt(m, g);
    if (ev !== undefined) out.push({ ...ev, g, target: targetOf(m, g) });
  }
  return out;
}

declare global {
  interface Window {
    __oncrix?: TestHooks;
  }
}

const PROMPT = '$ ';

/**
 * Trace records the machine may write before the page reads them (64 bytes
 * each: 32 MiB). A paste is the largest burst a person causes: every byte
 * costs the UART driver two register reads to take it and about one write to
 * echo it, four to six records in all, and a full console input ring (64 KiB)
 * comes to about 300,000. The page's main thread can be busy for all of it
 * (the terminal drawing the echo), so the ring holds it all: nothing is lost
 * while the page is open.
 */
const TRACE_SLOTS = 1 << 19;

/**
 * Main-thread time per frame for folding trace records into the model: the
 * records themselves leave the ring at once (one copy), the fold of a big
 * backlog is spread over frames so no task grows long.
 */
const FOLD_BUDGET_MS = 6;
/** When frames stop (a background tab), the rings are drained this often instead. */
const NO_FRAME_MS = 250;

export class Controller {
  private sys: OncrixSystem | null = null;
  /** Which machine boots (mode.ts): isolated (a Worker per process, shared rings) or solo (fibers, relayed channels). */
  machine: MachineKind = 'isolated';
  private sink: Sink | null = null;
  private backlog: Uint8Array[] = [];
  /** Bumped by every boot and stop: a drain loop of an older machine ends when it sees the change. */
  private epoch = 0;
  private tail = '';
  private bootStart = 0;
  private booting: Promise<void> | null = null;
  private config: BootConfig = DEFAULT_CONFIG;
  /** The terminal's size in characters, told to the console driver after every boot and resize (null: not yet known). */
  private consoleSize: { cols: number; rows: number } | null = null;
  /**
   * While set, the terminal's size is kept, not told: a scenario's scripted
   * run in deterministic time must take the same input as its recording
   * (made with no terminal at all), so the size goes in once its script is
   * typed (holdConsoleSize(false)).
   */
  private sizeHeld = false;
  /** The editor's last compiled program (raw WebAssembly), booted as USER_PROGRAM; null: the placeholder. */
  private userProgram: Uint8Array | null = null;
  /** The open scenario's own programs, booted after the page's images (none: []). */
  private scenarioPrograms: readonly ProgramSource[] = [];
  readonly marks: Marks = { script: performance.now(), interactive: null, booted: null, prompt: null, editor: null };

  /** Where console output goes (the terminal); output that came earlier is replayed. */
  attach(sink: Sink | null): void {
    this.sink = sink;
    if (sink !== null) {
      for (const b of this.backlog) sink(b);
      this.backlog = [];
      if (usePlayground.getState().machine.promptMs !== null) this.marks.prompt ??= performance.now();
    }
  }

  /** Keystrokes from the terminal. */
  write(data: string | Uint8Array): void {
    this.sys?.write(data);
  }

  /**
   * The terminal's size, as a terminal reports it on a serial line: the bytes
   * ESC [ 8 ; ROWS ; COLS t (xterm's answer to CSI 18 t) into the UART, which
   * the console driver takes for the size rather than input
   * (docs/userland.md, "The console service"). The report is input like a
   * keystroke, so it is sent at a point every boot reaches the same way —
   * when the shell prompt first shows, by when the terminal has its size —
   * and then on each resize: a deterministic run stays the same run.
   */
  setConsoleSize(cols: number, rows: number): void {
    if (this.consoleSize?.cols === cols && this.consoleSize.rows === rows) return;
    this.consoleSize = { cols, rows };
    if (usePlayground.getState().machine.promptMs !== null) this.reportConsoleSize();
  }

  /** The terminal's size as last told to the console (null: not yet). */
  get terminalSize(): { cols: number; rows: number } | null {
    return this.consoleSize;
  }

  /** Hold the terminal's size back from the console (true), or tell it now if the prompt has shown (false). */
  holdConsoleSize(hold: boolean): void {
    if (this.sizeHeld === hold) return;
    this.sizeHeld = hold;
    if (!hold && usePlayground.getState().machine.promptMs !== null) this.reportConsoleSize();
  }

  private reportConsoleSize(): void {
    if (this.consoleSize !== null && !this.sizeHeld) this.sys?.write(`\x1b[8;${this.consoleSize.rows};${this.consoleSize.cols}t`);
  }

  /** True when the console's last output is the shell prompt (it waits for a command). */
  atPrompt(): boolean {
    return this.tail.endsWith(PROMPT);
  }

  get system(): OncrixSystem | null {
    return this.sys;
  }

  /** The manifest and script the machine boots with (the last one asked for). */
  get bootConfig(): BootConfig {
    return this.config;
  }

  /** Boot (or reboot) with these options. */
  boot(choice: BootChoice): Promise<void> {
    // Show the choice at once (the controls are bound to it), before the old machine has stopped.
    usePlayground.getState().setMachine({ cpus: choice.cpus, deterministic: choice.deterministic });
    const config = choice.config ?? this.config;
    this.config = config;
    const extra = choice.programs ?? this.scenarioPrograms;
    this.scenarioPrograms = extra;
    setScenarioImages(extra.map((p) => p.name));
    const run = async (): Promise<void> => {
      const store = usePlayground.getState();
      const stopping = this.stop();
      if (stopping !== null) await stopping;
      store.resetTrace();
      this.tail = '';
      this.bootStart = performance.now();
      const generation = store.machine.generation + 1;
      store.setMachine({ status: 'booting', message: '', cpus: choice.cpus, deterministic: choice.deterministic, promptMs: null, lost: 0, generation, mode: this.machine });
      try {
        const assets = bootAssets(this.machine);
        const user = this.userProgram;
        // The editor's program takes the USER_PROGRAM slot; it is raw, so the kernel Worker runs the loader on it.
        const own = user === null ? assets.programs
          : assets.programs.map((p) => (p.name === USER_PROGRAM ? { name: p.name, bytes: user, prepared: false } : p));
        const programs = [...own, ...extra];
        // The first boot takes the kernel Worker the page started ahead (ahead.ts), if it runs the isolated machine.
        const ahead = takeAheadWorker();
        if (ahead !== null && this.machine !== 'isolated') ahead.handle.terminate();
        this.sys = await OncrixSystem.boot({
          kernel: assets.kernel, programs, manifest: config.manifest, script: config.script,
          cpus: choice.cpus, deterministic: choice.deterministic, traceSlots: TRACE_SLOTS, page: true,
          ...(this.machine === 'solo' ? { solo: true, transport: 'messages' as const } : {}),
          ...(choice.inject !== undefined ? { inject: choice.inject } : {}),
          ...(ahead !== null && this.machine === 'isolated' ? { worker: ahead } : {}),
        });
        this.marks.booted ??= performance.now();
        usePlayground.getState().setMachine({ status: 'running' });
        this.startPolling();
      } catch (e) {
        usePlayground.getState().setMachine({ status: 'error', message: (e as Error).message });
      }
    };
    // The first boot runs at once: its kernel Worker is started before this call returns (while the page's
    // other modules are still being evaluated). A later one waits for the boot before it.
    const next = this.booting === null ? run() : this.booting.then(run);
    this.booting = next;
    return next;
  }

  /**
   * Play a recorded run instead of booting one (a scenario's recording): stop
   * any machine, and put the recorded events into the trace and the recorded
   * console output into the terminal at once. No kernel Worker starts; the
   * status line says "recorded".
   */
  playRecorded(events: readonly TraceEvent[], consoleText: string, choice: { cpus: number; deterministic: boolean }): Promise<void> {
    const run = async (): Promise<void> => {
      const store = usePlayground.getState();
      const stopping = this.stop();
      if (stopping !== null) await stopping;
      store.resetTrace();
      takeAheadWorker()?.handle.terminate(); // a recorded run boots nothing
      this.scenarioPrograms = [];
      const generation = store.machine.generation + 1;
      store.setMachine({ status: 'recorded', message: '', cpus: choice.cpus, deterministic: choice.deterministic, promptMs: null, lost: 0, generation });
      // A fresh terminal for the recorded run: clear it, then the console text (newlines as the terminal wants them).
      const out = new TextEncoder().encode(`\x1b[2J\x1b[3J\x1b[H${consoleText.replace(/\r?\n/g, '\r\n')}`);
      if (this.sink !== null) this.sink(out);
      else this.backlog = [out];
      this.tail = consoleText;
      usePlayground.getState().ingest(events, 0);
    };
    const next = this.booting === null ? run() : this.booting.then(run);
    this.booting = next;
    return next;
  }

  /** Put a compiled program (raw WebAssembly) into the image table slot USER_PROGRAM, for this boot and the next ones. */
  async loadUserProgram(bytes: Uint8Array): Promise<void> {
    if (this.sys === null) throw new Error('the machine is not running');
    await this.sys.setProgram(USER_PROGRAM, bytes);
    this.userProgram = bytes;
  }

  /**
   * The break-it panel's buttons: kill, trap or hang the running instance of
   * the program `target` at once (hal-web's fault injection, point `now`,
   * one strike). What follows — the fault, the supervisor's restart — comes
   * back through the trace.
   */
  async inject(action: InjectAction, target: string): Promise<void> {
    if (this.sys === null) throw new Error('the machine is not running');
    await this.sys.inject({ action, target, point: { kind: 'now' }, times: 1 });
  }

  /** End the drain loop and stop the machine; null when none was running. */
  private stop(): Promise<void> | null {
    this.epoch++;
    const sys = this.sys;
    this.sys = null;
    if (sys === null) return null;
    this.poll(sys); // the last output and events
    return sys.shutdown();
  }

  /** The next animation frame, or NO_FRAME_MS when frames have stopped (a background tab). */
  private nextFrame(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        cancelAnimationFrame(frame);
        clearTimeout(timer);
        resolve();
      };
      const frame = requestAnimationFrame(done);
      const timer = setTimeout(done, NO_FRAME_MS);
    });
  }

  /**
   * Drain the rings once a frame while the machine has news; once a frame
   * found nothing (and the fold has caught up), wait for news instead.
   */
  private startPolling(): void {
    const sys = this.sys;
    const epoch = this.epoch;
    if (sys === null) return;
    const live = (): boolean => this.sys === sys && this.epoch === epoch;
    const loop = async (): Promise<void> => {
      while (live()) {
        await this.nextFrame();
        if (!live()) return;
        if (this.poll(sys)) continue;
        if (sys.state() !== 'running') return; // stopped or panicked: nothing more will come
        await sys.news({ trace: true });
      }
    };
    void loop();
  }

  /** Drain console output and trace records; notice the prompt and a panic. Returns whether anything came or remains to fold. */
  private poll(sys: OncrixSystem): boolean {
    const out = sys.read();
    if (out.length > 0) {
      if (this.sink !== null) this.sink(out);
      else this.backlog.push(out);
      this.tail = (this.tail + new TextDecoder().decode(out)).slice(-64);
      const store = usePlayground.getState();
      if (store.machine.promptMs === null && this.atPrompt()) {
        const now = performance.now();
        if (this.sink !== null) this.marks.prompt ??= now;
        store.setMachine({ promptMs: Math.round(store.machine.generation === 1 ? now : now - this.bootStart) });
        this.reportConsoleSize();
      }
    }
    let records = 0;
    const folded = usePlayground.getState().ingestRecords((sink) => {
      records = sys.drainTrace(sink);
      return sys.traceLost;
    }, FOLD_BUDGET_MS);
    const state = sys.state();
    const status = usePlayground.getState().machine.status;
    if (state === 'panic' && status !== 'panic') {
      usePlayground.getState().setMachine({ status: 'panic', message: sys.panic() ?? 'kernel panic' });
    } else if (state === 'stopped' && status === 'running') {
      usePlayground.getState().setMachine({ status: 'stopped', message: 'init has ended (the shell exited): the machine stopped. Reset to start again.' });
    }
    return out.length > 0 || records > 0 || !folded;
  }
}

export const controller = new Controller();
window.__oncrix = {
  marks: controller.marks,
  controller,
  store: usePlayground,
  frame: frameInfo,
  events: keptEvents,
  counts: () => {
    const m = usePlayground.getState().model;
    return { kept: eventCount(m) - m.base, records: recordCount(m) };
  },
};
