// What of a checked scenario this page cannot run — the one check both ways
// of opening one make (the library's, scenario/open.ts; a link's, a file's or
// saved work's, share/load.ts) before anything boots: programs it brings
// itself (source or .wasm: the page cannot load them into a scenario's
// machine yet), and a manifest the page's boot checker refuses. The variant's
// numbers are put in first, so a manifest's "${P}" is checked as the number
// it becomes.

import { instantiate, type Scenario } from '@oncrix/scenario';
import { checkConfig, DEFAULT_CONFIG, type BootConfig } from '../machine/bootConfig.js';

/** The boot configuration of an instantiated scenario: its manifest (or the playground's), no start-up script. */
export function configOf(s: Scenario): BootConfig {
  return { manifest: s.manifest !== undefined ? JSON.stringify(s.manifest, null, 2) : DEFAULT_CONFIG.manifest, script: '' };
}

/** Why this page cannot run the scenario (naming the field), or null. */
export function cannotRun(s: Scenario, seed?: number): string | null {
  for (const [i, p] of (s.programs ?? []).entries()) {
    if (!('builtin' in p)) return `programs[${i}]: this playground opens scenarios whose programs are built-in ones ({ "name", "builtin" }); "${p.name}" brings its own code`;
  }
  try {
    checkConfig(configOf(instantiate(s, seed).scenario));
  } catch (e) {
    return `manifest: ${(e as Error).message}`;
  }
  return null;
}
