// The boot package, as a tool that re-targets a bare-metal image sees it: the
// package's header words (magic, version, size, checksum, CPU count, flags,
// budget, ROM size) around exactly the boot ROM that the web HAL gives init,
// the manifest checked before anything is written, and an image whose
// package is read and replaced without touching the kernel bytes before it.
// The images here are small stand-ins with the real multiboot and ONCRIXIM
// headers (the QEMU tests boot real ones).

import { describe, expect, test } from 'vitest';
import {
  encodeBootPackage, encodeBootRom, imageLayout, packagedImages, parseManifest, withBootPackage, bootDevices,
  ManifestError, PACKAGE_MAGIC, PACKAGE_VERSION,
} from '../src/index.js';

const images = ['init', 'uart', 'sh', 'echo'];
const manifest = {
  programs: [
    { name: 'uart', priority: 6, quotaPages: 8, caps: [{ device: 'uart' }, { irq: 'uart' }, { serve: 'console' }] },
    { name: 'sh', caps: [{ connect: 'console' }, { spawn: true }, { images: true }, { script: true }] },
  ],
};

/** The package as little-endian words. */
function words(pkg: Uint8Array): number[] {
  const view = new DataView(pkg.buffer, pkg.byteOffset, pkg.byteLength);
  return Array.from({ length: pkg.length / 4 }, (_, i) => view.getUint32(4 * i, true));
}

/** A stand-in for oncrix.img: multiboot magic, the ONCRIXIM header, `kernelBytes` of "kernel", then a package. */
function fakeImage(pkg: Uint8Array, kernelBytes = 256, window = 1 << 20): Uint8Array {
  const image = new Uint8Array(kernelBytes + pkg.length);
  const view = new DataView(image.buffer);
  view.setUint32(0, 0x1badb002, true);
  image.set(new TextEncoder().encode('ONCRIXIM'), 32);
  view.setUint32(40, 1, true); // header version
  view.setUint32(44, kernelBytes, true); // package offset
  view.setUint32(48, window, true); // package window
  image.fill(0xcc, 52, kernelBytes);
  image.set(pkg, kernelBytes);
  return image;
}

describe('encoding a boot package', () => {
  test('the header says what the C side reads, and the boot ROM follows it word for word', () => {
    const pkg = encodeBootPackage({ manifest: JSON.stringify(manifest), images });
    const w = words(pkg);
    const rom = encodeBootRom(parseManifest(manifest, images, bootDevices(0)), images, bootDevices(0));
    expect(w.slice(0, 3)).toEqual([PACKAGE_MAGIC, PACKAGE_VERSION, w.length]);
    expect(w.slice(4, 9)).toEqual([1, 0, 4096, rom.length, 0]); // cpus, not deterministic, budget, ROM words, no bytes after it
    expect(w.slice(9)).toEqual(Array.from(rom));
    expect(w.reduce((sum, x) => (sum + x) >>> 0, 0)).toBe(0); // the checksum makes every word sum to 0
  });

  test('the CPU count, time mode and budget come from the manifest, and the options override the first two', () => {
    const own = words(encodeBootPackage({ manifest: { ...manifest, cpus: 3, deterministic: true, budgetPages: 512 }, images }));
    expect(own.slice(4, 7)).toEqual([3, 1, 512]);
    const overridden = words(encodeBootPackage({ manifest: { ...manifest, cpus: 3, deterministic: true }, images, cpus: 2, deterministic: false }));
    expect(overridden.slice(4, 6)).toEqual([2, 0]);
  });

  test('the start-up script rides inside the ROM, as its trailer', () => {
    const script = 'echo from the package\nps\n';
    const pkg = encodeBootPackage({ manifest, images, script });
    const rom = encodeBootRom(parseManifest(manifest, images, bootDevices(0)), images, bootDevices(0), script);
    expect(words(pkg).slice(9)).toEqual(Array.from(rom));
    expect(words(pkg)[8]).toBe(0);
    expect(new TextDecoder().decode(pkg)).toContain(script);
  });

  test('a bad manifest or script is refused with one ManifestError, before anything is written', () => {
    expect(() => encodeBootPackage({ manifest: { programs: [{ name: 'x', program: 'nope' }] }, images }))
      .toThrow(/program "x": unknown program "nope"/);
    expect(() => encodeBootPackage({ manifest, images, script: 'x'.repeat(70_000) })).toThrow(ManifestError);
  });
});

describe('an image and its package', () => {
  test('the layout and the program names are read from the image itself', () => {
    const pkg = encodeBootPackage({ manifest, images });
    const image = fakeImage(pkg, 300, 4096);
    // A version-1 header has no machine field: those images were all i386.
    expect(imageLayout(image)).toEqual({ packageOffset: 300, packageWindow: 4096, arch: 'i386' });
    expect(packagedImages(image)).toEqual(images);
  });

  test('replacing the package keeps every kernel byte and carries the new settings', () => {
    const image = fakeImage(encodeBootPackage({ manifest, images }));
    const next = encodeBootPackage({ manifest, images, cpus: 4, script: 'echo new\n' });
    const out = withBootPackage(image, next);
    expect(out.length).toBe(256 + next.length);
    expect(Array.from(out.subarray(0, 256))).toEqual(Array.from(image.subarray(0, 256)));
    expect(Array.from(out.subarray(256))).toEqual(Array.from(next));
    expect(packagedImages(out)).toEqual(images);
  });

  test('a package larger than the image\'s window is refused', () => {
    const pkg = encodeBootPackage({ manifest, images });
    expect(() => withBootPackage(fakeImage(pkg, 256, 64), pkg)).toThrow(/exceeds the image's 64-byte window/);
  });

  test('a version-2 header names its architecture by ELF machine number', () => {
    const image = fakeImage(encodeBootPackage({ manifest, images }));
    const view = new DataView(image.buffer);
    view.setUint32(40, 2, true);
    view.setUint32(52, 62, true); // EM_X86_64
    expect(imageLayout(image).arch).toBe('x86_64');
    view.setUint32(52, 0xcccc, true);
    expect(() => imageLayout(image)).toThrow(/the image is for ELF machine 52428, which ONCRIX does not build for/);
  });

  test('what is not an image, a newer header, a truncated file and a missing package each say so', () => {
    const pkg = encodeBootPackage({ manifest, images });
    expect(() => imageLayout(new TextEncoder().encode('<!doctype html>'.padEnd(100)))).toThrow(/not an ONCRIX bare-metal image/);
    const newer = fakeImage(pkg);
    new DataView(newer.buffer).setUint32(40, 3, true);
    expect(() => imageLayout(newer)).toThrow(/header version 3; this tool knows versions 1 and 2/);
    expect(() => imageLayout(fakeImage(pkg).subarray(0, 200))).toThrow(/shorter than its header says/);
    expect(() => packagedImages(fakeImage(new Uint8Array(64)))).toThrow(/no boot package: build it with `npm run image`/);
    expect(() => packagedImages(fakeImage(pkg).subarray(0, 256 + 48))).toThrow(/truncated/);
  });
});
