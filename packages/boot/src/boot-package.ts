// The boot package of a bare-metal ONCRIX image: the checked boot manifest
// and the shell start-up script (encoded as the same boot ROM the web HAL
// gives init, the script as its trailer), the CPU count, the deterministic
// flag and the memory budget, appended to oncrix-<arch>.img after the linked
// kernel — the same bytes for every architecture.
//
// The idea: configuration is data, so an image can be re-targeted without a
// compiler — the playground's "export bootable image" takes the prebuilt
// image, cuts it at the package offset recorded in its ONCRIX image header,
// and appends a new package (withBootPackage). The image builder writes the
// first package (packages/hal-qemu/src/host/make-package.ts); the C side that
// reads it is packages/hal-qemu/src/hal/bootpkg.c; the layout is in
// packages/hal-qemu/README.md.
//
// This module runs in Node and in the page: it imports nothing but the
// manifest checker (no node: modules), and works on Uint8Arrays.

import { parseManifest, encodeBootRom, bootDevices, ROM_MAGIC } from './manifest.js';
import { archOfMachine, type Arch } from './arch.js';

/** "OCPK" */
export const PACKAGE_MAGIC = 0x4b50434f;
export const PACKAGE_VERSION = 1;
const HEADER_WORDS = 9;
/** The ONCRIX image header (src/hal/image_header.h) follows the machine's own boot header, at 32 on every architecture. */
const IMAGE_HEADER_AT = 32;
const IMAGE_MAGIC = 'ONCRIXIM';

export interface PackageOptions {
  /** The boot manifest (JSON text or value), checked (parseManifest) against the images and the devices both HALs have. */
  manifest: string | unknown;
  /** Program image names in image-table order (images.json; init first). */
  images: readonly string[];
  /** Override the manifest's CPU count or deterministic flag. */
  cpus?: number;
  deterministic?: boolean;
  /** Shell start-up script: the ROM's trailer, run by sh before its first prompt (empty or absent: none). */
  script?: string;
}

/** Encode a boot package. Throws ManifestError with one clear message for a bad manifest. */
export function encodeBootPackage(opts: PackageOptions): Uint8Array {
  const devices = bootDevices(0);
  const manifest = parseManifest(opts.manifest, opts.images, devices);
  if (opts.cpus !== undefined) manifest.cpus = opts.cpus;
  if (opts.deterministic !== undefined) manifest.deterministic = opts.deterministic;
  // The script rides inside the ROM (its trailer), where init finds it on both HALs; so word 8, the
  // byte count of a script stored after the ROM, is 0 and nothing follows the ROM.
  const rom = encodeBootRom(manifest, opts.images, devices, opts.script);
  const total = HEADER_WORDS + rom.length;
  const words = new Uint32Array(total);
  words.set([PACKAGE_MAGIC, PACKAGE_VERSION, total, 0, manifest.cpus ?? 1, manifest.deterministic === true ? 1 : 0,
    manifest.budgetPages ?? 4096, rom.length, 0]);
  words.set(rom, HEADER_WORDS);
  const bytes = new Uint8Array(words.buffer);
  let sum = 0;
  for (const w of words) sum = (sum + w) >>> 0;
  words[3] = (0x100000000 - sum) >>> 0; // all words then sum to 0 (mod 2^32)
  return bytes;
}

export interface ImageLayout {
  /** File offset where the boot package starts (= the linked kernel's size). */
  packageOffset: number;
  /** The most bytes a package may take. */
  packageWindow: number;
  /** The machine the image boots on (version 1 headers, before there was a choice, are i386). */
  arch: Arch;
}

/** Read the ONCRIX image header of a bare-metal image (oncrix-<arch>.img). */
export function imageLayout(image: Uint8Array): ImageLayout {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const magic = new TextDecoder().decode(image.subarray(IMAGE_HEADER_AT, IMAGE_HEADER_AT + 8));
  if (image.length < IMAGE_HEADER_AT + 24 || magic !== IMAGE_MAGIC) {
    throw new Error('not an ONCRIX bare-metal image (no ONCRIXIM header at byte 32)');
  }
  const version = view.getUint32(IMAGE_HEADER_AT + 8, true);
  if (version !== 1 && version !== 2) throw new Error(`ONCRIX image header version ${version}; this tool knows versions 1 and 2`);
  const packageOffset = view.getUint32(IMAGE_HEADER_AT + 12, true);
  const packageWindow = view.getUint32(IMAGE_HEADER_AT + 16, true);
  const machine = version === 1 ? 3 : view.getUint32(IMAGE_HEADER_AT + 20, true);
  const arch = archOfMachine(machine);
  if (arch === undefined) throw new Error(`the image is for ELF machine ${machine}, which ONCRIX does not build for`);
  if (packageOffset > image.length) throw new Error('the image is shorter than its header says (truncated?)');
  return { packageOffset, packageWindow, arch };
}

/**
 * The program names an image was built with, in image-table order, read from
 * the image table in the ROM of its current boot package. A new package must
 * use exactly these names: the programs are compiled into the image.
 */
export function packagedImages(image: Uint8Array): string[] {
  const { packageOffset } = imageLayout(image);
  const bytes = image.subarray(packageOffset);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor(bytes.length / 4);
  let at = 0;
  const word = (): number => {
    if (at >= count) throw new Error('the image\'s boot package is truncated');
    return view.getUint32(4 * at++, true);
  };
  const text = (): string => {
    const len = word();
    if (at + Math.ceil(len / 4) > count) throw new Error('the image\'s boot package is truncated');
    const s = new TextDecoder().decode(bytes.subarray(4 * at, 4 * at + len));
    at += Math.ceil(len / 4);
    return s;
  };
  if (word() !== PACKAGE_MAGIC) throw new Error('the image has no boot package: build it with `npm run image`');
  at = HEADER_WORDS;
  if (word() !== ROM_MAGIC) throw new Error('the image\'s boot package holds no boot ROM');
  const version = word();
  const services = word();
  for (let i = 0; i < services; i++) text();
  if (version >= 2) {
    const paths = word();
    for (let i = 0; i < paths; i++) text();
    const mounts = word();
    at += 2 * mounts; // (path, service) pairs
  }
  const n = word();
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    word(); // id
    names.push(text());
  }
  return names;
}

/** The image with its boot package replaced by pkg. */
export function withBootPackage(image: Uint8Array, pkg: Uint8Array): Uint8Array {
  const { packageOffset, packageWindow } = imageLayout(image);
  if (pkg.length > packageWindow) throw new Error(`boot package of ${pkg.length} bytes exceeds the image's ${packageWindow}-byte window`);
  const out = new Uint8Array(packageOffset + pkg.length);
  out.set(image.subarray(0, packageOffset));
  out.set(pkg, packageOffset);
  return out;
}
