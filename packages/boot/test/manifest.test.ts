// The boot manifest: every mistake a person can make is refused before boot
// with one message naming the program and the problem — the structure by the
// JSON schema people edit against (docs/manifest.schema.json, compiled by
// Ajv), the rest by hand: a device, interrupt or service given twice, a
// missing console driver, an image that is not in the table. A good
// manifest becomes the boot ROM layout init decodes (docs/userland.md),
// optionally followed by the shell start-up script as a trailing string.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { LIMITS } from '@oncrix/abi';
import {
  parseManifest, encodeBootRom, ManifestError, CapKind, ROM_MAGIC, SPAWN_RIGHTS, SCRIPT_MAX_BYTES, bootDevices, Policy,
} from '../src/index.js';
import { MANIFEST_SCHEMA } from '../src/manifest-schema.js';
import { manifestValidatorSource, VALIDATOR_FILE } from '../scripts/manifest-validator.js';

test('the generated schema validator is the schema in docs/ (run `npm run gen` after editing it)', () => {
  expect(readFileSync(VALIDATOR_FILE, 'utf8')).toBe(manifestValidatorSource());
});

const images = ['init', 'uart', 'sh', 'echo'];
const devices = bootDevices(0);
const parse = (m: unknown) => parseManifest(typeof m === 'string' ? m : JSON.stringify(m), images, devices);
const good = {
  programs: [
    {
      name: 'uart', priority: 6, quotaPages: 8, caps: [{ device: 'uart' }, { irq: 'uart' }, { serve: 'console' }],
      supervise: { policy: 'restart', critical: true, backoffMs: 5, maxBackoffMs: 400, limit: 3, windowMs: 1000, heartbeat: { everyMs: 100, deadlineMs: 50 } },
    },
    { name: 'sh', args: ['-i'], caps: [{ connect: 'console' }, { spawn: true }, { inspect: 'system' }, { images: true }] },
  ],
};

describe('checking', () => {
  test('a good manifest passes with defaults filled in', () => {
    const m = parse(good);
    expect(m.cpus).toBe(1);
    expect(m.programs[1]).toMatchObject({ name: 'sh', program: 'sh', priority: 4, quotaPages: 16, args: ['-i'] });
  });

  const bad: [string, unknown, RegExp][] = [
    ['not JSON', '{"programs": [', /not valid JSON/],
    ['not an object', '[]', /top level must be an object/],
    ['unknown top-level field', { ...good, colour: 'red' }, /unknown field "colour"/],
    ['no programs', { programs: [] }, /non-empty list/],
    ['cpus out of range', { ...good, cpus: 9 }, /"cpus" must be an integer from 1 to 8/],
    ['unknown program', { programs: [{ name: 'x', program: 'nope' }] }, /program "x": unknown program "nope" \(known: init, uart, sh, echo\)/],
    ['name too long', { programs: [{ name: 'a-very-long-process-name', program: 'echo' }] }, /longer than 16 bytes/],
    ['priority of init', { programs: [{ name: 'echo', priority: 7 }] }, /"priority" must be an integer from 0 to 6/],
    ['quota zero', { programs: [{ name: 'echo', quotaPages: 0 }] }, /"quotaPages"/],
    ['unknown device', { programs: [{ name: 'echo', caps: [{ device: 'gpu' }] }] }, /unknown device "gpu" \(devices: uart, rom, entropy\)/],
    ['irq of a device without one', { programs: [{ name: 'echo', caps: [{ irq: 'rom' }] }] }, /device "rom" has no interrupt/],
    ['connect to nobody', { programs: [{ name: 'echo', caps: [{ connect: 'fs' }] }] }, /no program serves "fs"/],
    ['served twice', { programs: [{ name: 'a', program: 'echo', caps: [{ serve: 's' }] }, { name: 'b', program: 'echo', caps: [{ serve: 's' }] }] },
      /program "b" caps\[0\]: service "s" is already given to "a" \(a service has one server\)/],
    // The issue's case: a program listed before the driver takes the UART, so init would refuse the driver after reboot.
    ['the UART given to another program first', { programs: [{ name: 'echo', caps: [{ device: 'uart' }] }, ...good.programs] },
      /program "uart" caps\[0\]: device "uart" is already given to "echo" \(init holds one handle to it and can give it only once\)/],
    ['an interrupt given twice', { programs: [{ name: 'a', program: 'echo', caps: [{ irq: 'uart' }] }, { name: 'b', program: 'echo', caps: [{ irq: 'uart' }] }] },
      /program "b" caps\[0\]: the interrupt of "uart" is already given to "a"/],
    ['no console driver for the shell', { programs: [good.programs[1]] },
      /program "sh" caps\[0\]: connects to "console", but the console driver is missing \(add \{"name": "uart", "caps": \[\{"device": "uart"\}/],
    ['a console server without the UART', { programs: [{ name: 'fake', program: 'echo', caps: [{ serve: 'console' }] }, good.programs[1]] },
      /program "fake": serves "console" but does not hold the UART's registers \(\{"device": "uart"\}\): the console driver needs both/],
    ['a console driver whose interrupt went elsewhere', { programs: [{ name: 'echo', caps: [{ irq: 'uart' }] }, { name: 'uart', caps: [{ device: 'uart' }, { serve: 'console' }] }] },
      /program "uart": serves "console" but does not hold the UART's interrupt \(\{"irq": "uart"\}\), which is given to "echo"/],
    ['a program not in the image table', { programs: [...good.programs, { name: 'prog' }] }, /program "prog": unknown program "prog" \(known: init, uart, sh, echo\)/],
    ['arguments longer than the kernel takes', { programs: [{ name: 'echo', args: ['x'.repeat(1025)] }] },
      /program "echo": the arguments are 1025 bytes; a program can be given at most 1024/],
    ['a field of the wrong type', { programs: [{ name: 'echo', priority: 'high' }] }, /program "echo": "priority" must be an integer from 0 to 6/],
    ['a program that is not an object', { programs: ['echo'] }, /programs\[0\] must be an object/],
    ['a capability that is not an object', { programs: [{ name: 'echo', caps: ['uart'] }] }, /program "echo" caps\[0\]: a capability is an object with one key/],
    ['a device without a name', { programs: [{ name: 'echo', caps: [{ device: '' }] }] }, /program "echo" caps\[0\]: "device" needs a name/],
    ['a name that is missing', { programs: [{ program: 'echo' }] }, /programs\[0\]: "name" is required/],
    ['too many capabilities', { programs: [{ name: 'echo', caps: Array.from({ length: 17 }, () => ({ spawn: true })) }] }, /program "echo": at most 16 capabilities/],
    ['an unknown field in a program', { programs: [{ name: 'echo', colour: 'red' }] }, /program "echo": unknown field "colour" \(allowed: name, program, args, priority, quotaPages, caps, supervise\)/],
    ['unknown capability', { programs: [{ name: 'echo', caps: [{ root: true }] }] }, /unknown capability "root" \(use .*script, stdio, preopen, keep\)/],
    ['a preopen that is not absolute', { programs: [{ name: 'echo', caps: [{ preopen: 'tmp' }] }] }, /program "echo" caps\[0\]/],
    ['a preopen with a .. part', { programs: [{ name: 'echo', caps: [{ preopen: '/tmp/..' }] }] }, /program "echo" caps\[0\]: "preopen" needs an absolute path/],
    ['stdio of a service nobody serves', { programs: [{ name: 'echo', caps: [{ stdio: 'tty' }] }] }, /program "echo" caps\[0\]: no program serves "tty"/],
    ['a mount of a service nobody serves', { mounts: [{ path: '/', service: 'ramfs' }], programs: [{ name: 'echo' }] }, /mounts\[0\]: no program serves "ramfs"/],
    ['a mount at a relative path', { mounts: [{ path: 'dev', service: 'x' }], programs: [{ name: 'echo', caps: [{ serve: 'x' }] }] }, /mounts\[0\]/],
    ['a path mounted twice', { mounts: [{ path: '/', service: 'x' }, { path: '/', service: 'x' }], programs: [{ name: 'echo', caps: [{ serve: 'x' }] }] }, /mounts\[1\]: "\/" is mounted twice/],
    ['script not true', { programs: [{ name: 'echo', caps: [{ script: 'yes' }] }] }, /caps\[0\]: write \{"script": true\}/],
    ['two keys in one capability', { programs: [{ name: 'echo', caps: [{ device: 'uart', irq: 'uart' }] }] }, /one key/],
    ['kept memory of no pages', { programs: [{ name: 'echo', caps: [{ keep: 0 }] }] }, /program "echo" caps\[0\]: "keep" must be an integer from 1 to 256/],
    ['kept memory larger than a memory object', { programs: [{ name: 'echo', caps: [{ keep: 257 }] }] }, /program "echo" caps\[0\]: "keep" must be an integer from 1 to 256/],
    ['args not strings', { programs: [{ name: 'echo', args: [1] }] }, /"args" must be a list of strings/],
    ['an unknown policy', { programs: [{ name: 'echo', supervise: { policy: 'respawn' } }] }, /program "echo": "policy" must be one of "restart", "hold"/],
    ['a restart limit of 0', { programs: [{ name: 'echo', supervise: { policy: 'restart', limit: 0 } }] }, /program "echo": "limit" must be an integer from 1 to 1000000/],
    ['a heartbeat without a deadline', { programs: [{ name: 'echo', supervise: { heartbeat: { everyMs: 100 } } }] }, /program "echo": "deadlineMs" is required/],
    ['more heartbeats than init can wait on', { programs: Array.from({ length: 16 }, (_, i) => ({ name: `echo${i}`, program: 'echo', supervise: { heartbeat: { everyMs: 100, deadlineMs: 100 } } })) },
      /program "echo15": at most 15 programs can have a heartbeat/],
  ];
  for (const [what, manifest, message] of bad) {
    test(`refuses ${what}`, () => {
      expect(() => parse(manifest)).toThrow(ManifestError);
      expect(() => parse(manifest)).toThrow(message);
    });
  }
});

describe('the script capability', () => {
  test('{"script": true} is accepted and encoded as kind 8 with argument 0', () => {
    const m = parse({ programs: [{ name: 'sh', caps: [{ script: true }, { images: true }] }] });
    expect(m.programs[0]?.caps).toEqual([{ script: true }, { images: true }]);
    const rom = encodeBootRom(m, images, devices);
    // ... numCaps, then (kind, arg) pairs, then the seven words of the policy end a ROM without a trailer.
    expect(Array.from(rom.slice(-12, -7))).toEqual([2, CapKind.SCRIPT, 0, CapKind.IMAGES, 0]);
    expect(CapKind.SCRIPT).toBe(8);
  });

  test('the schema lists exactly the capabilities the ROM encodes', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../docs/manifest.schema.json', import.meta.url), 'utf8')) as {
      properties: { programs: { items: { properties: { caps: { items: { properties: Record<string, unknown> } } } } } };
    };
    const keys = Object.keys(schema.properties.programs.items.properties.caps.items.properties);
    expect(keys).toEqual(['device', 'irq', 'serve', 'connect', 'spawn', 'inspect', 'images', 'script', 'stdio', 'preopen', 'keep']);
    expect(Object.keys(CapKind).map((k) => k.toLowerCase())).toEqual(keys);
  });
});

describe('the keep capability', () => {
  test('{"keep": PAGES} is encoded as kind 11 with its pages, at most a memory object\'s worth', () => {
    const m = parse({ programs: [{ name: 'echo', caps: [{ keep: 256 }, { keep: 1 }] }] });
    const rom = encodeBootRom(m, images, devices);
    expect(Array.from(rom.slice(-12, -7))).toEqual([2, CapKind.KEEP, 256, CapKind.KEEP, 1]);
    expect(MANIFEST_SCHEMA.properties.programs.items.properties.caps.items.properties.keep.maximum).toBe(LIMITS.MEMOBJ_MAX_BYTES / LIMITS.PAGE_SIZE);
  });
});

describe('the schema is the check', () => {
  test("the schema's bounds are the kernel's limits", () => {
    const fields = MANIFEST_SCHEMA.properties;
    expect(fields.cpus.maximum).toBe(LIMITS.MAX_CPUS);
    expect(fields.programs.items.properties.priority.maximum).toBe(LIMITS.PRIORITY_MAX - 1);
    expect(fields.programs.items.properties.caps.maxItems).toBe(LIMITS.STARTUP_MAX_HANDLES);
  });

  test('a bound changed in the schema changes what the checker accepts', () => {
    // The checker has no bounds of its own: the schema's maximum for quotaPages decides.
    const max = MANIFEST_SCHEMA.properties.programs.items.properties.quotaPages.maximum;
    expect(parse({ programs: [{ name: 'echo', quotaPages: max }] }).programs[0]?.quotaPages).toBe(max);
    expect(() => parse({ programs: [{ name: 'echo', quotaPages: max + 1 }] })).toThrow(`"quotaPages" must be an integer from 1 to ${max}`);
  });

  test("defaults come from the schema, and the caller's value is left as it was", () => {
    const value = { programs: [{ name: 'echo' }] };
    const m = parseManifest(value, images, devices);
    expect(m).toMatchObject({ cpus: 1, deterministic: false, budgetPages: 4096 });
    expect(m.programs[0]).toMatchObject({ priority: 4, quotaPages: 16, program: 'echo', args: [], caps: [] });
    expect(value).toEqual({ programs: [{ name: 'echo' }] });
  });
});

describe('the boot ROM', () => {
  test('encodes services, images and programs with their capabilities in the documented order', () => {
    const rom = encodeBootRom(parse(good), images, devices);
    let at = 0;
    const next = (): number => rom[at++] ?? -1;
    const text = (): string => {
      const len = next();
      const bytes: number[] = [];
      for (let i = 0; i < len; i += 4) {
        const w = next();
        for (let k = 0; k < 4 && i + k < len; k++) bytes.push((w >>> (8 * k)) & 0xff);
      }
      return new TextDecoder().decode(Uint8Array.from(bytes));
    };
    expect(next()).toBe(ROM_MAGIC);
    expect(next()).toBe(3);
    expect(next()).toBe(1); // one service
    expect(text()).toBe('console');
    expect([next(), next()]).toEqual([0, 0]); // no paths, no mounts
    expect(next()).toBe(images.length);
    for (let id = 0; id < images.length; id++) {
      expect(next()).toBe(id);
      expect(text()).toBe(images[id]);
    }
    expect(next()).toBe(2);
    // uart: image 1, priority 6, quota 8, name, no args, device 0, irq 0, serve service 0
    expect([next(), next(), next()]).toEqual([1, 6, 8]);
    expect(text()).toBe('uart');
    expect(text()).toBe('');
    expect(next()).toBe(3);
    expect([next(), next(), next(), next(), next(), next()]).toEqual([CapKind.DEVICE, 0, CapKind.IRQ, 0, CapKind.SERVE, 0]);
    // its policy: restart, critical; backoff 5 ms up to 400 ms; 3 restarts per 1000 ms; a ping every 100 ms, answered within 50
    expect(Array.from({ length: 7 }, next)).toEqual([Policy.RESTART | Policy.CRITICAL, 5, 400, 3, 1000, 100, 50]);
    // sh
    expect([next(), next(), next()]).toEqual([2, 4, 16]);
    expect(text()).toBe('sh');
    expect(text()).toBe('-i');
    expect(next()).toBe(4);
    expect([next(), next()]).toEqual([CapKind.CONNECT, 0]);
    expect([next(), next()]).toEqual([CapKind.SPAWN, SPAWN_RIGHTS]);
    expect([next(), next(), next(), next()]).toEqual([CapKind.INSPECT, 0, CapKind.IMAGES, 0]);
    // the default policy: hold, not critical, the schema's numbers, no heartbeat
    expect(Array.from({ length: 7 }, next)).toEqual([Policy.HOLD, 10, 2000, 5, 10000, 0, 0]);
    expect(at).toBe(rom.length);
  });
});

describe('the start-up script trailer', () => {
  /** Decode the string that starts at word `at`. */
  const stringAt = (rom: Uint32Array, at: number): { text: string; end: number } => {
    const len = rom[at] ?? 0;
    const bytes = new Uint8Array(rom.buffer, rom.byteOffset + (at + 1) * 4, len);
    return { text: new TextDecoder().decode(bytes), end: at + 1 + Math.ceil(len / 4) };
  };

  test('a script follows the programs as one string, padded to whole words', () => {
    const m = parse(good);
    const plain = encodeBootRom(m, images, devices);
    for (const script of ['echo hi\n', 'echo from the script\nps\n', 'ünïcode ✓\n', 'abcd']) {
      const rom = encodeBootRom(m, images, devices, script);
      expect(Array.from(rom.slice(0, plain.length))).toEqual(Array.from(plain)); // the older format is a prefix
      const { text, end } = stringAt(rom, plain.length);
      expect(text).toBe(script);
      expect(end).toBe(rom.length);
      expect(rom[plain.length]).toBe(new TextEncoder().encode(script).length);
    }
  });

  test('an empty or missing script leaves the ROM exactly as it was (no trailer)', () => {
    const m = parse(good);
    const plain = encodeBootRom(m, images, devices);
    expect(Array.from(encodeBootRom(m, images, devices, ''))).toEqual(Array.from(plain));
    expect(Array.from(encodeBootRom(m, images, devices, undefined))).toEqual(Array.from(plain));
  });

  test('a script longer than the limit is refused with a ManifestError', () => {
    const m = parse(good);
    expect(() => encodeBootRom(m, images, devices, 'x'.repeat(SCRIPT_MAX_BYTES + 1))).toThrow(ManifestError);
    expect(() => encodeBootRom(m, images, devices, 'x'.repeat(SCRIPT_MAX_BYTES + 1))).toThrow(/script: 65537 bytes, longer than 65536/);
    expect(encodeBootRom(m, images, devices, 'x'.repeat(SCRIPT_MAX_BYTES)).length).toBeGreaterThan(SCRIPT_MAX_BYTES / 4);
  });
});
