// "Export bootable image": a prebuilt bare-metal image that ships with the
// playground's production build — one per architecture (x86_64, i386,
// aarch64, riscv64: dist/oncrix-<arch>.img, copied next to index.html by
// scripts/vite-oncrix-image.ts) — re-targeted in the page with a boot
// manifest and start-up script, downloaded as oncrix-<arch>.img for QEMU.
//
// The idea: configuration is data at the end of the image (the boot package,
// @oncrix/boot, the same format on every architecture), so re-targeting needs no
// compiler and no server — cut the image at its package offset and append a
// new package. The image's own program list (read from its current package)
// is what the manifest is checked against: its programs are compiled in, and
// the editor's `prog` is not. The image header names its machine, so a file
// for another architecture is refused rather than exported under a wrong name.

import { encodeBootPackage, imageLayout, packagedImages, withBootPackage } from '@oncrix/boot';
import { ARCH_INFO, imageFile, qemuCommand, type Arch } from '@oncrix/boot';
import { forBareMetal, type BootConfig, type MachineChoice } from './bootConfig.js';

export { ARCHES, ARCH_INFO, DEFAULT_ARCH, type Arch } from '@oncrix/boot';

/** Where the page finds an architecture's prebuilt image (relative to the page). */
export const imageUrl = (arch: Arch): string => `${import.meta.env.BASE_URL}${imageFile(arch)}`;
/** What the download is called. */
export const imageName = (arch: Arch): string => imageFile(arch);
/** How to boot the download (docs: packages/hal-qemu/README.md). */
export const qemuCommandFor = (arch: Arch): string => qemuCommand(arch, imageName(arch));

/** The prebuilt image of that architecture is not part of this build: says how to get it. */
export class ImageMissingError extends Error {
  override name = 'ImageMissingError';
  constructor(arch: Arch) {
    super(`This build has no prebuilt ${arch} image. Run \`npm run image -- --arch ${arch}\`, then build the playground again ` +
      '(`npm run build:playground`; with `npm start`, just reload the page).');
  }
}

/**
 * Fetch an architecture's prebuilt image; ImageMissingError when the site has
 * none — a 404, or the HTML page a single-page-app server answers with in its place.
 */
export async function fetchPrebuilt(arch: Arch, url = imageUrl(arch)): Promise<Uint8Array> {
  const r = await fetch(url, { cache: 'no-store' });
  if (r.status === 404 || (r.ok && (r.headers.get('Content-Type') ?? '').includes('text/html'))) throw new ImageMissingError(arch);
  if (!r.ok) throw new Error(`cannot load ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/**
 * The prebuilt image with a new boot package (choice as machineChoice gives it); throws ManifestError
 * for a bad manifest, and an Error when the file is not an ONCRIX image for `arch`.
 */
export function retarget(image: Uint8Array, config: BootConfig, choice: MachineChoice, arch: Arch): Uint8Array {
  let images: string[];
  try {
    const found = imageLayout(image).arch;
    if (found !== arch) throw new Error(`it is the ${found} image, not ${ARCH_INFO[arch].title}`);
    images = packagedImages(image);
  } catch (e) {
    throw new Error(`${imageFile(arch)} is not a usable ONCRIX image (${(e as Error).message}); ` +
      `run \`npm run image -- --arch ${arch}\` and rebuild`);
  }
  // Bare metal has no files or loader device: the manifest goes without the parts that use them.
  const pkg = encodeBootPackage({ manifest: forBareMetal(config.manifest), script: config.script, images, ...choice });
  return withBootPackage(image, pkg);
}

/** Hand bytes to the browser as a file download. */
export function download(bytes: Uint8Array, name: string): void {
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

/** Fetch the architecture's image, re-target and download it; resolves with its size in bytes. */
export async function exportImage(config: BootConfig, choice: MachineChoice, arch: Arch): Promise<number> {
  const image = retarget(await fetchPrebuilt(arch), config, choice, arch);
  download(image, imageName(arch));
  return image.length;
}
