// `oncrix record SCENARIO.json [-o OUT.json]`: run a scenario in Node in
// deterministic mode (@oncrix/scenario/node, the runner the library's tests
// use) and write it back with its `recording` — the raw trace, the console
// text, the event count and what the trace layout depends on — so that the
// playground opens it at any step without booting. Progress goes to stderr;
// a bad file is refused, naming what is wrong, with exit code 2.

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseScenario } from '@oncrix/scenario';
import { recordScenario } from '@oncrix/scenario/node';
import { setNodeWorkerDir } from '@oncrix/hal-web/node';

const HELP = `usage: oncrix record [options] SCENARIO.json

Runs the scenario (deterministic unless it says otherwise), types its script,
waits until the shell is idle, and writes the scenario with its recording:
the trace, the console output and the event count. The playground then opens
it at any step without booting. A recording made by a build whose trace
layout differs is refused there: record it again with this command.

options:
  -o, --out FILE   write here (default: over SCENARIO.json)
  -h, --help       this text
`;

function fail(message: string): never {
  process.stderr.write(`oncrix record: ${message}\n`);
  process.exit(2);
}

export async function recordCommand(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    return fail(`${(e as Error).message}\n\n${HELP}`);
  }
  if (parsed.values.help === true) {
    process.stdout.write(HELP);
    return;
  }
  if (parsed.positionals.length !== 1) fail(`takes one scenario file\n\n${HELP}`);
  const file = parsed.positionals[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return fail(`cannot read ${file}: ${(e as Error).message}`);
  }
  const scenario = parseScenario(text);
  if (!scenario.ok) fail(`${file}: ${scenario.message}`);
  const { recording: _old, ...rest } = scenario.scenario;
  // The web HAL's Worker bundles (npm run build), found through the package like any of its entries.
  setNodeWorkerDir(new URL('./', import.meta.resolve('@oncrix/hal-web/dist/kernel-worker.js')));
  process.stderr.write(`oncrix record: running ${scenario.scenario.id}\n`);
  let recording;
  try {
    recording = await recordScenario(rest, (m) => process.stderr.write(`oncrix record: ${m}\n`));
  } catch (e) {
    return fail(`${file}: ${(e as Error).message}`);
  }
  const out = parsed.values.out ?? file;
  writeFileSync(out, `${JSON.stringify({ ...rest, recording }, null, 2)}\n`);
  process.stderr.write(`oncrix record: wrote ${out}\n`);
}
