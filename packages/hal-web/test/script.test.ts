// The shell start-up script, end to end in Node with real Workers: the web
// HAL puts the script into the boot ROM's trailer, init hands it read-only to
// programs with {"script": true} (tag SCRIPT), and sh runs each non-blank line
// as if typed — prompt and line echoed — before its first interactive prompt.
// An empty script, or a shell without the capability, changes nothing.

import { afterEach, describe, expect, test } from 'vitest';
import { Terminal } from './console.js';
import { defaultManifest } from '../src/node.js';

const BANNER = 'ONCRIX shell. Type help for commands.\n';

let term: Terminal | undefined;
afterEach(async () => {
  await term?.shutdown();
  term = undefined;
});

async function boot(opts: Parameters<typeof Terminal.boot>[0]): Promise<Terminal> {
  term = await Terminal.boot(opts);
  return term;
}

/** The default manifest with sh's capabilities changed by `edit`, plus extra programs. */
function manifestWith(editSh: (caps: unknown[]) => unknown[], extra: unknown[] = []): string {
  const m = JSON.parse(defaultManifest()) as { programs: { name: string; caps: unknown[] }[] };
  for (const p of m.programs) if (p.name === 'sh') p.caps = editSh(p.caps);
  m.programs.push(...(extra as { name: string; caps: unknown[] }[]));
  return JSON.stringify(m);
}

describe('the shell start-up script', () => {
  test('the default manifest gives sh the script, which runs before the first interactive prompt', async () => {
    const t = await boot({ script: 'echo from the script' });
    // The first prompt is the script's, with its line; the second is the interactive one.
    await t.expect(/^ONCRIX shell\. Type help for commands\.\n\$ echo from the script\nfrom the script\n\$ $/, 20_000);
    expect(await t.run('echo typed by hand')).toContain('typed by hand');
  });

  test('blank lines are skipped, CRLF line ends work, lines go into the history, jobs start in the background', async () => {
    const t = await boot({ script: 'echo one\r\n\r\n   \nspin &\necho two\n' });
    const m = await t.expect(/\$ echo one\none\n\$ spin &\n\[(\d+)\]\n/, 20_000);
    const pid = m[1] ?? '';
    // spin's own greeting may come anywhere from here on: it runs beside the shell.
    await t.expect(/\$ echo two\n(?:.*\n)?two\n(?:.*\n)?\$ $/);
    expect(await t.run('jobs')).toMatch(new RegExp(`\\[${pid}\\] running\\s+spin`));
    const history = await t.run('history');
    expect(history).toMatch(/1 {2}echo one\n\s+2 {2}spin &\n\s+3 {2}echo two\n\s+4 {2}jobs/);
    await t.run(`kill ${pid}`);
  });

  test('an empty script changes nothing', async () => {
    const t = await boot({ script: '' });
    await t.expect('$ ', 20_000);
    expect(t.screen()).toBe(`${BANNER}$ `);
  });

  test('Ctrl-C during the script kills its program and stops the rest of it', async () => {
    const t = await boot({ script: 'spin\necho never\n' });
    await t.expect('$ spin\n', 20_000);
    await t.expect('spin: looping forever');
    t.sys.write('\x03');
    await t.expect(/spin: killed\nsh: start-up script stopped by Ctrl-C\n\$ $/);
    expect(t.screen()).not.toContain('never');
    expect(await t.run('echo back')).toContain('back');
  });

  test('only programs with {"script": true} get it, read-only and tagged SCRIPT', async () => {
    const manifest = manifestWith(
      (caps) => caps.filter((c) => !(typeof c === 'object' && c !== null && 'script' in c)),
      [{ name: 'caps', priority: 5, caps: [{ connect: 'console' }, { script: true }] }],
    );
    const t = await boot({ manifest, script: 'echo not for this shell' });
    await t.expect(/memory\s+R-T-+\s+script\n/, 20_000);
    await t.expect('$ ');
    expect(t.screen()).not.toContain('not for this shell');
    expect(await t.run('echo plain shell')).toContain('plain shell');
  });
});
