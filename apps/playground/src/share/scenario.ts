// The scenario as the share side reads it: @oncrix/scenario's checker
// (parseScenario: size, JSON, format version, docs/scenario.schema.json,
// trace kind names, built-in program names), with the page's built programs
// as the built-ins a scenario may name — so bad input is refused with a
// message naming the field, before anything boots. This module (and the
// checker with it) is loaded only when a scenario is opened (share/load.ts).

import { parseScenario, SCENARIO_MAX_BYTES, type Parsed } from '@oncrix/scenario';
import { PROGRAM_NAMES } from '../machine/assets.js';

export type { EventMatch, Scenario, Step } from '@oncrix/scenario';
export type { Parsed };

/** The scenario format's size limit (1 MiB of JSON). */
export const MAX_SCENARIO_BYTES = SCENARIO_MAX_BYTES;

/** Read a scenario file's text; the message names the field that is wrong. */
export function parseScenarioText(text: string): Parsed {
  return parseScenario(text, { builtins: PROGRAM_NAMES });
}
