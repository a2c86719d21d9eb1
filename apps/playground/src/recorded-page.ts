// Whether the page was opened on a recorded scenario — a library scenario
// (?scenario=ID) whose recording ships, or a scenario in the link (#s=…)
// that carries one — so that a page that cannot run a machine (not cross-
// origin isolated) can still play it (mode.ts: the 'recorded' mode).

import { shareValueOf, decodeScenarioText } from './share/codec.js';
import { shipsRecording } from './scenario/recordings.js';

export async function opensRecorded(loc: { search: string; hash: string }): Promise<boolean> {
  const id = new URLSearchParams(loc.search).get('scenario');
  if (id !== null) return shipsRecording(id);
  const value = shareValueOf(loc.hash);
  if (value === null) return false;
  const decoded = await decodeScenarioText(value);
  if (!decoded.ok) return false;
  try {
    const s = JSON.parse(decoded.text) as { recording?: unknown };
    return typeof s.recording === 'object' && s.recording !== null;
  } catch {
    return false;
  }
}
