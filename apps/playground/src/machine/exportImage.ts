// "Export bootable image": the prebuilt bare-metal image that ships with the
// playground's production build (dist/oncrix.img, copied next to index.html
// by scripts/vite-oncrix-image.ts), re-targeted in the page with a boot
// manifest and start-up script, downloaded as oncrix.img for QEMU.
//
// The idea: configuration is data at the end of the image (the boot package,
// @oncrix/boot), so re-targeting needs no compiler and no server — cut the image
// at its package offset and append a new package. The image's own program
// list (read from its current package) is what the manifest is checked
// against: its programs are compiled in, and the editor's `prog` is not.

import { encodeBootPackage, packagedImages, withBootPackage } from '@oncrix/boot';
import type { BootConfig, MachineChoice } from './bootConfig.js';

/** Where the page finds the prebuilt image (relative to the page). */
export const IMAGE_URL = `${import.meta.env.BASE_URL}oncrix.img`;
/** What the download is called. */
export const IMAGE_NAME = 'oncrix.img';
/** How to boot the download (docs: packages/hal-qemu/README.md). */
export const QEMU_COMMAND = `qemu-system-i386 -kernel ${IMAGE_NAME} -serial stdio -display none`;

/** The prebuilt image is not part of this build: says how to get it. */
export class ImageMissingError extends Error {
  override name = 'ImageMissingError';
  constructor() {
    super('This build has no prebuilt image. Run `npm run image`, then build the playground again ' +
      '(`npm run build:playground`; with `npm start`, just reload the page).');
  }
}

/**
 * Fetch the prebuilt image; ImageMissingError when the site has none — a 404,
 * or the HTML page a single-page-app server answers with in its place.
 */
export async function fetchPrebuilt(url = IMAGE_URL): Promise<Uint8Array> {
  const r = await fetch(url, { cache: 'no-store' });
  if (r.status === 404 || (r.ok && (r.headers.get('Content-Type') ?? '').includes('text/html'))) throw new ImageMissingError();
  if (!r.ok) throw new Error(`cannot load ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** The prebuilt image with a new boot package (choice as machineChoice gives it); throws ManifestError for a bad manifest. */
export function retarget(image: Uint8Array, config: BootConfig, choice: MachineChoice): Uint8Array {
  let images: string[];
  try {
    images = packagedImages(image);
  } catch (e) {
    throw new Error(`${IMAGE_URL} is not a usable ONCRIX image (${(e as Error).message}); run \`npm run image\` and rebuild`);
  }
  const pkg = encodeBootPackage({ manifest: config.manifest, script: config.script, images, ...choice });
  return withBootPackage(image, pkg);
}

/** Hand bytes to the browser as a file download. */
export function download(bytes: Uint8Array, name = IMAGE_NAME): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Fetch, re-target and download; resolves with the image's size in bytes. */
export async function exportImage(config: BootConfig, choice: MachineChoice): Promise<number> {
  const image = retarget(await fetchPrebuilt(), config, choice);
  download(image);
  return image.length;
}
