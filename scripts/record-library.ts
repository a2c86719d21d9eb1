// The build's re-recording of the scenario library: every library scenario
// run in Node in deterministic mode (@oncrix/scenario/node, as `oncrix
// record` runs one) and its recording written to
// apps/playground/build/recordings/ID.json, which the playground ships and
// opens the library's scenarios from (scenario/recordings.ts). Made by every
// `npm run build`, so the shipped recordings are always this build's: they
// always replay. Not committed.

import { mkdirSync, writeFileSync } from 'node:fs';
import { LIBRARY } from '../packages/scenario/src/library.js';
import { parseScenarioValue } from '../packages/scenario/src/index.js';
import { recordScenario } from '../packages/scenario/src/node.js';

const out = new URL('../apps/playground/build/recordings/', import.meta.url);
mkdirSync(out, { recursive: true });
let bytes = 0;
for (const entry of LIBRARY) {
  const parsed = parseScenarioValue(await entry.load());
  if (!parsed.ok) throw new Error(`${entry.id}: ${parsed.message}`);
  const rec = await recordScenario(parsed.scenario);
  const text = JSON.stringify(rec);
  bytes += text.length;
  writeFileSync(new URL(`${entry.id}.json`, out), text);
}
console.log(`recorded ${LIBRARY.length} library scenarios in apps/playground/build/recordings (${Math.round(bytes / 1024)} KiB)`);
