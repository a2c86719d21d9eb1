// Command-line front of @oncrix/boot's encodeBootPackage, run by build.mjs through tsx:
//   tsx make-package.ts --manifest FILE --images images.json --out FILE [--script FILE]
// Writes the encoded boot package; a bad manifest exits 1 with its message.

import { readFileSync, writeFileSync } from 'node:fs';
import { encodeBootPackage } from '@oncrix/boot';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const manifest = arg('manifest');
const images = arg('images');
const out = arg('out');
if (manifest === undefined || images === undefined || out === undefined) {
  console.error('usage: make-package.ts --manifest FILE --images images.json --out FILE [--script FILE]');
  process.exit(2);
}
try {
  const script = arg('script');
  const pkg = encodeBootPackage({
    manifest: readFileSync(manifest, 'utf8'),
    images: JSON.parse(readFileSync(images, 'utf8')) as string[],
    ...(script !== undefined ? { script: readFileSync(script, 'utf8') } : {}),
  });
  writeFileSync(out, pkg);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
