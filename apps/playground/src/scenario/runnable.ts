// What of a checked scenario this page cannot run — the one check both ways
// of opening one make (the library's, scenario/open.ts; a link's, a file's or
// saved work's, share/load.ts) before anything boots: programs whose names
// clash with the page's own (programs.ts), and a manifest the page's boot
// checker refuses — checked against the page's images and the scenario's. The
// variant's numbers are put in first, so a manifest's "${P}" is checked as
// the number it becomes. (Whether a program's source compiles is found when
// it is compiled, as the scenario opens.)

import { instantiate, type Scenario } from '@oncrix/scenario';
import { checkConfig, DEFAULT_CONFIG, WEB_IMAGES, type BootConfig } from '../machine/bootConfig.js';
import { addedNames, programsProblem } from './programs.js';

/** The boot configuration of an instantiated scenario: its manifest (or the playground's), no start-up script. */
export function configOf(s: Scenario): BootConfig {
  return { manifest: s.manifest !== undefined ? JSON.stringify(s.manifest, null, 2) : DEFAULT_CONFIG.manifest, script: '' };
}

/** Why this page cannot run the scenario (naming the field), or null. */
export function cannotRun(s: Scenario, seed?: number): string | null {
  const clash = programsProblem(s);
  if (clash !== null) return clash;
  try {
    checkConfig(configOf(instantiate(s, seed).scenario), [...WEB_IMAGES, ...addedNames(s)]);
  } catch (e) {
    const message = (e as Error).message;
    return message.startsWith('manifest') ? message : `manifest: ${message}`;
  }
  return null;
}
