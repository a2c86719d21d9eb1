// `oncrix`: boot the whole system in a terminal, with the terminal as the
// console (UART). Options pick the manifest and the shell start-up script,
// feed a script of commands and stop when it is done, record the decoded
// trace as JSON Lines, choose the CPU count or deterministic mode, and
// inject faults (kill, trap or hang a program at a chosen or random point,
// reproducibly by seed: the web HAL's inject.ts).
// `oncrix run PROG.wasm` runs one WASI program instead (run.ts);
// `oncrix record SCENARIO.json` records a scenario's trace (record.ts).

import { readFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { bootBuilt, setNodeWorkerDir } from '@oncrix/hal-web/node';
import { parseInjectSpec, type InjectSpec, type OncrixSystem } from '@oncrix/hal-web/system';
import type { TraceEvent } from '@oncrix/abi';
import { runCommand } from './run.js';
import { recordCommand } from './record.js';

const HELP = `usage: oncrix [options]
       oncrix run [options] PROG.wasm [ARGS...]   (oncrix run --help)
       oncrix record [-o OUT.json] SCENARIO.json  (oncrix record --help)

Boots ONCRIX with this terminal as its console. Ctrl-C goes to the shell
(it stops the foreground program); Ctrl-] leaves.

options:
  --manifest FILE     boot manifest (JSON; default: the default system)
  --startup FILE      shell start-up script: sh runs these lines before its first prompt
  --script FILE       type these commands, then exit when the system is idle
  --trace FILE        write the decoded kernel trace as JSON Lines
  --cpus N            virtual CPUs (1-8)
  --deterministic     virtual time; the same inputs give the same trace
  --inject SPEC       inject a fault, ACTION:PROGRAM[:POINT][:xTIMES] (repeatable):
                        ACTION  kill, trap or hang
                        POINT   after=N (syscalls), in-call[=K], holding-reply[=K],
                                random (the default) or now
                        xTIMES  strike this many instances (each restart is a new one)
                      e.g. --inject kill:uart:after=20 --inject trap:uart:random:x5
  --seed N            seed of the random points (default 1): the same seed, the same points
  -h, --help          this text
`;

function fail(message: string): never {
  process.stderr.write(`oncrix: ${message}\n`);
  process.exit(2);
}

function options() {
  try {
    return parseArgs({
      options: {
        manifest: { type: 'string' },
        script: { type: 'string' },
        startup: { type: 'string' },
        trace: { type: 'string' },
        cpus: { type: 'string' },
        deterministic: { type: 'boolean' },
        inject: { type: 'string', multiple: true },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    return fail(`${(e as Error).message}\n\n${HELP}`);
  }
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return fail(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

function traceLine(e: TraceEvent): string {
  const data = e.data.length > 0 ? { data: Buffer.from(e.data).toString('hex'), text: new TextDecoder().decode(e.data) } : {};
  return JSON.stringify({ seq: e.seq, kind: e.kindName, time: e.time, cpu: e.cpu, pid: e.pid, args: e.args, ...data });
}

async function main(): Promise<void> {
  const o = options();
  if (o.help === true) {
    process.stdout.write(HELP);
    return;
  }
  let cpus: number | undefined;
  if (o.cpus !== undefined) {
    cpus = Number(o.cpus);
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > 8) fail('--cpus takes a whole number from 1 to 8');
  }
  let seed: number | undefined;
  if (o.seed !== undefined) {
    seed = Number(o.seed);
    if (!/^\d+$/.test(o.seed) || seed > 0xffffffff) fail('--seed takes a whole number from 0 to 4294967295');
  }
  const inject: InjectSpec[] = [];
  for (const text of o.inject ?? []) {
    try {
      inject.push(parseInjectSpec(text));
    } catch (e) {
      fail(`--inject ${text}: ${(e as Error).message}`);
    }
  }
  const manifest = o.manifest !== undefined ? readText(o.manifest, 'manifest') : undefined;
  const script = o.script !== undefined ? readText(o.script, 'script') : undefined;
  const startup = o.startup !== undefined ? readText(o.startup, 'start-up script') : undefined;
  // The web HAL's Worker bundles (npm run build), found through the package like any of its entries.
  setNodeWorkerDir(new URL('./', import.meta.resolve('@oncrix/hal-web/dist/kernel-worker.js')));

  let sys: OncrixSystem;
  try {
    const opts: Parameters<typeof bootBuilt>[0] = {};
    if (manifest !== undefined) opts.manifest = manifest;
    if (startup !== undefined) opts.script = startup;
    if (cpus !== undefined) opts.cpus = cpus;
    if (o.deterministic === true) opts.deterministic = true;
    if (inject.length > 0) opts.inject = inject;
    if (seed !== undefined) opts.seed = seed;
    sys = await bootBuilt(opts);
  } catch (e) {
    return fail((e as Error).message);
  }

  let traceOut: WriteStream | undefined;
  if (o.trace !== undefined) traceOut = createWriteStream(o.trace);
  const pump = (): void => {
    const out = sys.read();
    if (out.length > 0) process.stdout.write(out);
    if (traceOut !== undefined) for (const e of sys.trace()) traceOut.write(`${traceLine(e)}\n`);
  };

  let finishing = false;
  const finish = async (code: number): Promise<void> => {
    if (finishing) return;
    finishing = true;
    pump();
    await sys.shutdown();
    pump();
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    const panic = sys.panic();
    if (traceOut !== undefined) await new Promise<void>((r) => traceOut.end(r));
    process.exit(panic !== null ? 3 : code);
  };

  // Drain the console (and the trace) whenever the machine has news: nothing runs here while it idles.
  const serve = async (): Promise<void> => {
    while (!finishing) {
      pump();
      if (sys.state() === 'panic') return finish(1);
      if (sys.state() === 'stopped') return finish(0); // init ended (the shell exited): a clean shutdown
      await sys.news({ trace: traceOut !== undefined });
    }
  };
  void serve();

  if (script !== undefined) {
    // Type the whole script, then leave once the system has nothing more to do.
    const before = sys.idleEpoch();
    sys.write(script.endsWith('\n') ? script : `${script}\n`);
    const check = setInterval(() => {
      if (sys.idle() && sys.idleEpoch() > before) {
        clearInterval(check);
        void finish(0);
      }
    }, 20);
    return;
  }

  process.stdin.on('data', (chunk: Buffer) => {
    if (chunk.includes(0x1d)) {
      void finish(0);
      return;
    }
    sys.write(new Uint8Array(chunk));
  });
  process.stdin.on('end', () => {
    void finish(0);
  });
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.resume();
}

if (process.argv[2] === 'run') await runCommand(process.argv.slice(3));
else if (process.argv[2] === 'record') await recordCommand(process.argv.slice(3));
else await main();
