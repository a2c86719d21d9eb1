// The Boot dialog's logic without a browser: checking a manifest and script
// for the page's machine (the editor's `prog` slot included), which CPU count
// and time mode a configuration boots with, and re-targeting a bare-metal
// image in the page's way — on small synthetic images with the real header
// and package layout, so the test needs no wasm2c build.

import { describe, expect, it } from 'vitest';
import { ManifestError, encodeBootPackage, packagedImages, imageLayout } from '@oncrix/boot';
import { checkConfig, machineChoice, withHeartbeats, isDriverOrService, ADDED_HEARTBEAT, forBareMetal, DEFAULT_CONFIG, WEB_IMAGES } from '../src/machine/bootConfig.js';
import { retarget } from '../src/machine/exportImage.js';

const toolbar = { cpus: 1, deterministic: false };
/** Program names of a bare-metal image: the build's, without the editor's slot. */
const IMAGE_NAMES = WEB_IMAGES.filter((n) => n !== 'prog');

/**
 * A stand-in for oncrix-<arch>.img: a boot header, the ONCRIXIM header (version 2 with the ELF machine
 * number, or version 1, which was the i386 image), some "kernel" bytes, then a package.
 */
function fakeImage(machine: number | 'v1' = 62): Uint8Array {
  const kernelBytes = 256;
  const pkg = encodeBootPackage({ manifest: forBareMetal(DEFAULT_CONFIG.manifest), images: IMAGE_NAMES });
  const image = new Uint8Array(kernelBytes + pkg.length);
  const view = new DataView(image.buffer);
  view.setUint32(0, 0x1badb002, true);
  image.set(new TextEncoder().encode('ONCRIXIM'), 32);
  view.setUint32(40, machine === 'v1' ? 1 : 2, true); // header version
  view.setUint32(44, kernelBytes, true); // package offset
  view.setUint32(48, 1 << 20, true); // package window
  image.fill(0xcc, 52, kernelBytes);
  if (machine !== 'v1') view.setUint32(52, machine, true);
  image.set(pkg, kernelBytes);
  return image;
}

describe('checking a configuration for the page', () => {
  it('takes the default manifest (with the files driver) and a script, and the editor slot prog', () => {
    expect(checkConfig({ ...DEFAULT_CONFIG, script: 'echo hi\nps\n' }).programs.map((p) => p.name)).toEqual(['uart', 'ramfs', 'devfs', 'files', 'sh']);
    expect(() => checkConfig({ manifest: '{"programs": [{"name": "prog"}]}', script: '' })).not.toThrow();
  });

  it('refuses a bad manifest or an oversized script with a ManifestError', () => {
    expect(() => checkConfig({ manifest: '{"programs": [{"name": "x", "program": "nope"}]}', script: '' })).toThrow(ManifestError);
    expect(() => checkConfig({ manifest: '{"programs": [', script: '' })).toThrow(/not valid JSON/);
    expect(() => checkConfig({ ...DEFAULT_CONFIG, script: 'x'.repeat(70_000) })).toThrow(/script: 70000 bytes/);
  });

  it('boots with the manifest\'s cpus and deterministic when it sets them, the toolbar\'s otherwise', () => {
    expect(machineChoice(DEFAULT_CONFIG, { cpus: 3, deterministic: true })).toEqual({ cpus: 3, deterministic: true });
    expect(machineChoice({ manifest: '{"cpus": 2, "programs": []}', script: '' }, toolbar)).toEqual({ cpus: 2, deterministic: false });
    expect(machineChoice({ manifest: '{"deterministic": true}', script: '' }, toolbar)).toEqual({ cpus: 1, deterministic: true });
    expect(machineChoice({ manifest: 'not json', script: '' }, toolbar)).toEqual(toolbar);
  });
});

describe('re-targeting an image in the page', () => {
  it('replaces the package: same kernel bytes, the image\'s program names, the script in the ROM', () => {
    const image = fakeImage();
    const out = retarget(image, { ...DEFAULT_CONFIG, script: 'echo exported\n' }, { cpus: 2, deterministic: true }, 'x86_64');
    const { packageOffset } = imageLayout(out);
    expect(Array.from(out.subarray(0, packageOffset))).toEqual(Array.from(image.subarray(0, packageOffset)));
    expect(packagedImages(out)).toEqual(IMAGE_NAMES);
    const words = new Uint32Array(out.buffer, out.byteOffset + packageOffset, (out.length - packageOffset) / 4);
    expect([words[4], words[5], words[8]]).toEqual([2, 1, 0]); // cpus, deterministic, nothing after the ROM
    expect(words.reduce((a, w) => (a + w) >>> 0, 0)).toBe(0); // the checksum holds
    expect(new TextDecoder().decode(out.subarray(out.length - 16))).toContain('echo exported\n');
  });

  it('checks the manifest against the image\'s programs: prog exists only in the page', () => {
    expect(() => retarget(fakeImage(), { manifest: '{"programs": [{"name": "prog"}]}', script: '' }, toolbar, 'x86_64'))
      .toThrow(/unknown program "prog"/);
  });

  it('knows each architecture\'s image by its header, and refuses one for another architecture', () => {
    expect(imageLayout(fakeImage(183)).arch).toBe('aarch64');
    expect(imageLayout(fakeImage(243)).arch).toBe('riscv64');
    expect(imageLayout(fakeImage('v1')).arch).toBe('i386'); // version 1 headers were the i386 image
    expect(packagedImages(retarget(fakeImage(183), DEFAULT_CONFIG, toolbar, 'aarch64'))).toEqual(IMAGE_NAMES);
    expect(() => retarget(fakeImage(183), DEFAULT_CONFIG, toolbar, 'riscv64'))
      .toThrow(/oncrix-riscv64\.img is not a usable ONCRIX image \(it is the aarch64 image.*npm run image -- --arch riscv64/);
    expect(() => imageLayout(fakeImage(40))).toThrow(/ELF machine 40, which ONCRIX does not build for/);
  });

  it('says so when the file is not an ONCRIX image (an HTML page served in its place)', () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>index</body></html>'.padEnd(200, ' '));
    expect(() => retarget(html, DEFAULT_CONFIG, toolbar, 'x86_64')).toThrow(/is not a usable ONCRIX image.*npm run image/);
  });
});

describe('the break-it panel\'s view of a manifest', () => {
  it('offers the default manifest\'s drivers and services, not the shell', () => {
    expect(checkConfig(DEFAULT_CONFIG).programs.filter(isDriverOrService).map((p) => p.name)).toEqual(['uart', 'ramfs', 'devfs', 'files']);
  });

  it('adds a heartbeat to every restarted driver or service without one, and the checker takes the result', () => {
    const config = withHeartbeats({ ...DEFAULT_CONFIG, script: 'echo hi\n' });
    if (config === null) throw new Error('nothing added');
    expect(config.script).toBe('echo hi\n');
    const programs = checkConfig(config).programs;
    expect(programs.map((p) => [p.name, p.supervise?.heartbeat ?? null])).toEqual([
      // Only uart's loop answers heartbeats: ramfs and devfs given one would be restarted at every deadline.
      ['uart', ADDED_HEARTBEAT], ['ramfs', null], ['devfs', null], ['files', null], ['sh', null],
    ]);
    // The rest of each entry is as written: uart stays critical.
    expect(programs[0]?.supervise?.critical).toBe(true);
    // Once every one has a heartbeat, there is nothing to add.
    expect(withHeartbeats(config)).toBeNull();
  });

  it('keeps a heartbeat already asked for, and adds none to a held program', () => {
    const manifest = JSON.stringify({ programs: [
      { name: 'uart', caps: [{ device: 'uart' }, { irq: 'uart' }, { serve: 'console' }], supervise: { policy: 'restart', heartbeat: { everyMs: 200, deadlineMs: 100 } } },
      { name: 'ramfs', caps: [{ serve: 'ramfs' }], supervise: { policy: 'hold' } },
      { name: 'sh', caps: [{ connect: 'console' }, { spawn: true }] },
    ] });
    expect(withHeartbeats({ manifest, script: '' })).toBeNull();
  });
});
