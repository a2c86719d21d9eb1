import { test } from 'vitest';
import { Terminal } from './console.js';
import { defaultManifest } from '../src/node.js';
async function measure(keep: boolean): Promise<string> {
  const m = JSON.parse(defaultManifest()) as { programs: { name: string; caps?: unknown[] }[] };
  if (!keep) for (const p of m.programs) if (p.name === 'ramfs') p.caps = [{ serve: 'ramfs' }];
  const t = await Terminal.boot({ manifest: JSON.stringify(m) });
  await t.expect('$ ', 20_000);
  await t.run('echo 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_ > /a');
  for (let i = 0; i < 8; i++) { await t.run('cat /a /a /a /a > /b'); await t.run('mv /b /a'); }
  // /a is 4 MiB
  const out: string[] = [];
  for (let r = 0; r < 3; r++) {
    let s = performance.now();
    await t.run('cp /a /c', 60_000);
    out.push(`cp 4 MiB ${(performance.now() - s).toFixed(0)} ms`);
    s = performance.now();
    for (let i = 0; i < 20; i++) await t.run(`echo ${i} >> /log`);
    out.push(`20 appends ${(performance.now() - s).toFixed(0)} ms`);
  }
  if (keep) {
    const s = performance.now();
    await t.sys.inject('kill:ramfs:now');
    await t.expect(/found its files/, 30_000);
    out.push(`restart with 8 MiB kept ${(performance.now() - s).toFixed(0)} ms`);
  }
  await t.shutdown();
  return out.join('; ');
}
test('measure', async () => {
  console.log('kept:   ' + await measure(true));
  console.log('unkept: ' + await measure(false));
  console.log('kept:   ' + await measure(true));
  console.log('unkept: ' + await measure(false));
}, 300_000);
