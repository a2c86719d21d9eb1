// The bare-metal HAL, end to end, on every architecture it is built for
// (x86_64 in long mode, i386; the same kernel.wasm and user programs through
// wasm2c and each architecture's gcc): build the images, boot each in its
// QEMU with software emulation, and drive the shell over the serial port as
// the Node tests drive the web HAL — echo, ps, ping/pong, a crashing program
// that faults alone, a spinning program that is preempted and killed, Ctrl-C,
// and `exit`, which ends the session and leaves QEMU with the status the HAL
// gives it. Then images whose boot package was replaced (as the playground's
// export does): one with a changed manifest and a shell start-up script,
// which sh runs over the serial console before its first prompt; one booting
// a manifest without a shell and leaving QEMU once nothing can happen any
// more; and packages with a damaged script trailer or in the older layout,
// which still boot. Last, every kind of trap (stack exhaustion, divide by
// zero, out-of-bounds access) in programs built just for this, each ending
// only its process — on 64-bit builds that is the proof that wasm2c's
// explicit bounds checks are in (wasm-rt.h's default there would drop them).
//
// One QEMU boot per architecture serves the shell tests in order, to keep the
// time modest.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QemuMachine, debugExitStatus } from '../src/host/qemu.js';
import { encodeBootPackage, imageLayout, packagedImages, withBootPackage, ARCH_INFO, imageFile, type Arch } from '@oncrix/boot';
import { loadProgram } from '@oncrix/boot/loader';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'oncrix-qemu-'));
/** Every architecture the images are built for. */
const TESTED: Arch[] = ['x86_64', 'i386', 'aarch64', 'riscv64'];
const imageOf = (arch: Arch): string => join(repo, 'dist', imageFile(arch));
const BUILD = join(repo, 'packages/hal-qemu/build.mjs');

function requireTool(binary: string, pkg: string): void {
  try {
    execFileSync(binary, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${binary} is not installed: apt-get install ${pkg}`);
  }
}

beforeAll(() => {
  for (const arch of TESTED) requireTool(ARCH_INFO[arch].qemu, ARCH_INFO[arch].qemuPackage);
  // Incremental: reuses wasm2c output and objects whose inputs did not change. It needs the artefacts of
  // `npm run build` (which `npm test` runs first); it does not start that build itself, since other test
  // files read those artefacts at the same time.
  execFileSync(process.execPath, [BUILD, '--arch', TESTED.join(',')], { cwd: repo, stdio: 'inherit' });
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Write an image whose boot package is `pkg`, boot it, and hand the machine to `body`. */
async function bootWith(arch: Arch, pkg: Uint8Array, name: string, body: (m: QemuMachine) => Promise<void>): Promise<void> {
  const path = join(work, `${name}-${arch}.img`);
  writeFileSync(path, withBootPackage(readFileSync(imageOf(arch)), pkg));
  const m = new QemuMachine(path, arch);
  try {
    await body(m);
  } finally {
    await m.kill();
  }
}

/** Package words edited by `edit`, with total and checksum made right again. */
function repack(pkg: Uint8Array, edit: (words: number[]) => void): Uint8Array {
  const words = Array.from(new Uint32Array(pkg.buffer, pkg.byteOffset, pkg.byteLength / 4));
  edit(words);
  words[2] = words.length;
  words[3] = 0;
  const sum = words.reduce((a, w) => (a + w) >>> 0, 0);
  words[3] = (0x100000000 - sum) >>> 0;
  return new Uint8Array(Uint32Array.from(words).buffer);
}

const defaultManifest = (): { programs: Record<string, unknown>[] } =>
  JSON.parse(readFileSync(join(repo, 'packages/userland/manifest.default.json'), 'utf8')) as { programs: Record<string, unknown>[] };
const builtImages = (): string[] => JSON.parse(readFileSync(join(repo, 'packages/userland/build/images.json'), 'utf8')) as string[];

/** Small programs that trap in different ways, in WebAssembly text. */
const TRAPS: Record<string, string> = {
  deep: `(func $rec (param i32) (result i32)
           (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
             (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
         (func (export "_start") (drop (call $rec (i32.const 1000000))))`,
  divzero: '(func (export "_start") (drop (i32.div_s (i32.const 1) (i32.load (i32.const 0)))))',
  // One page of memory is 65536 bytes: a 4-byte load at 70000 is out of bounds. On a 64-bit build without
  // explicit checks it would read whatever lies beyond the process's memory instead of trapping.
  oob: '(func (export "_start") (drop (i32.load (i32.const 70000))))',
};

let trapImages: Promise<string> | undefined;

/** The images with the trap programs added, for every tested architecture (built once, in work/traps). */
function buildTrapImages(): Promise<string> {
  trapImages ??= (async () => {
    requireTool('wat2wasm', 'wabt');
    const progs = join(work, 'programs');
    mkdirSync(progs);
    const built = join(repo, 'packages/userland/build/baremetal');
    for (const f of readdirSync(built)) copyFileSync(join(built, f), join(progs, f));
    const names = builtImages();
    for (const [name, body] of Object.entries(TRAPS)) {
      const wat = join(work, `${name}.wat`);
      writeFileSync(wat, `(module (import "oncrix" "syscall" (func (param i32 i32 i32 i32 i32 i32 i32) (result i32))) (memory 1) ${body})`);
      execFileSync('wat2wasm', [wat, '-o', join(work, `${name}.wasm`)]);
      const loaded = loadProgram(name, readFileSync(join(work, `${name}.wasm`)), { variant: 'baremetal', maxPages: 65536 });
      writeFileSync(join(progs, `${name}.wasm`), loaded.bytes);
      names.push(name);
    }
    writeFileSync(join(work, 'images.json'), JSON.stringify(names));
    const out = join(work, 'traps');
    execFileSync(process.execPath, [BUILD, '--arch', TESTED.join(','), '--programs', progs, '--images', join(work, 'images.json'),
      '--out-dir', out], { cwd: repo, stdio: 'inherit' });
    return out;
  })();
  return trapImages;
}

describe.each(TESTED)('ONCRIX on %s', (arch) => {
  const IMAGE = imageOf(arch);

  test('the image says which machine it is for', () => {
    expect(imageLayout(readFileSync(IMAGE)).arch).toBe(arch);
  });

  describe(`the shell over the serial port (${ARCH_INFO[arch].qemu})`, () => {
    const figures: Record<string, number> = {};
    let m: QemuMachine;
    beforeAll(() => {
      m = new QemuMachine(IMAGE, arch);
    });
    afterAll(async () => {
      await m.kill();
      console.log(`hal-qemu figures (${arch}): boot to prompt ${figures.bootMs} ms; ping round trip ${figures.pingUs} µs (guest clock)`);
    });

    test('boots to the shell prompt', async () => {
      const banner = await m.expect(/ONCRIX bare-metal HAL on (\S+): kernel\.wasm and (\d+) programs/, 30_000);
      expect(banner[1]).toBe(arch);
      expect(Number(banner[2])).toBeGreaterThan(10);
      await m.expect('$ ', 30_000);
      figures.bootMs = Date.now() - m.started;
      // Every capability of the manifest was granted: ramfs's kept memory (32 MiB, in the kernel's memory) fits too.
      expect(m.screen()).not.toContain('not granted');
    });

    test('echo and ps', async () => {
      expect(await m.run('echo hello')).toContain('hello');
      const ps = await m.run('ps');
      for (const name of ['init', 'uart', 'sh', 'ps']) expect(ps).toContain(name);
    });

    test('the C coreutils run from the shell on files in ramfs and through a pipe, with the answers they give in Node', async () => {
      const lines = ['mkdir /qd', 'echo one > /qd/a', 'echo two > /qd/b', 'cat /qd/a /qd/b', 'ls /qd | wc -l'];
      const here: string[] = [];
      for (const line of lines) here.push(await m.run(line));
      expect(here[3]).toBe('one\ntwo\n');
      expect(here[4]?.trim()).toBe('2');
      // The same lines through `oncrix --script` in Node: the console shows the same answers.
      const script = join(work, 'coreutils.txt');
      writeFileSync(script, `${lines.join('\n')}\n`);
      const node = execFileSync(process.execPath, [join(repo, 'packages/cli/bin/oncrix.mjs'), '--script', script], { encoding: 'utf8' });
      for (const [i, line] of lines.entries()) {
        if (here[i] !== '') expect(node.replace(/\r/g, '')).toContain(`$ ${line}\n${here[i]}`);
      }
    });

    test('ping and pong talk over a channel', async () => {
      const out = await m.run('ping 10');
      const avg = out.match(/ping: 10 replies, ([\d.]+) µs avg/);
      expect(avg).not.toBeNull();
      figures.pingUs = Number(avg?.[1]);
    });

    test('crash faults without disturbing the others', async () => {
      const out = await m.run('crash');
      expect(out).toMatch(/crash: about to trap/);
      expect(out).toMatch(/\[oncrix\] pid \d+ \(crash\) trap: unreachable/);
      expect(out).toMatch(/crash: crashed \(trap\)/);
      expect(await m.run('echo alive')).toContain('alive');
    });

    test('spin is preempted: the shell stays responsive, and kill stops it', async () => {
      m.type('spin &');
      const [, pid] = await m.expect(/\[(\d+)\]/);
      await m.expect('spin: looping forever');
      expect(await m.run('echo responsive')).toContain('responsive');
      expect(await m.run('ps')).toMatch(new RegExp(`\\b${pid}\\b.*spin\\s+\\d+\\s+(ready|running)`));
      expect(await m.run(`kill ${pid}`)).toMatch(/spin: killed/);
      expect(await m.run('ps')).not.toMatch(new RegExp(`\\b${pid}\\b.*spin`));
    });

    test('Ctrl-C kills the foreground program', async () => {
      m.type('spin');
      await m.expect('spin: looping forever');
      m.write('\x03');
      await m.expect(/spin.*killed/);
      await m.expect('$ ');
      expect(await m.run('echo back')).toContain('back');
    });

    test('exit ends the session: init ends and the machine stops QEMU with status 1', async () => {
      m.type('exit');
      await m.expect('the session ended: the system stops');
      await m.expect('init has ended: the machine stops');
      expect(await m.exited).toBe(debugExitStatus(0));
    });
  });

  describe('an image with a replaced boot package', () => {
    test('a changed manifest and a start-up script: the script runs over serial before the first prompt', async () => {
      const images = packagedImages(readFileSync(IMAGE));
      expect(images).toEqual(builtImages());
      const manifest = defaultManifest();
      manifest.programs.push({ name: 'echoer', program: 'pong', priority: 3, caps: [{ serve: 'pong' }] });
      const pkg = encodeBootPackage({ manifest, images, script: 'echo from the exported script\r\n\nps\n' });
      expect(new Uint32Array(pkg.buffer)[8]).toBe(0); // the script is in the ROM, nothing after it
      await bootWith(arch, pkg, 'scripted', async (m) => {
        await m.expect(/ONCRIX shell\. Type help for commands\.\n\$ echo from the exported script\nfrom the exported script\n\$ ps\n/, 30_000);
        const ps = (await m.expect(/([\s\S]*?)\n\$ $/m))[1] ?? '';
        expect(ps).toMatch(/^\s*\d+\s+1\s+echoer\s+\d+\s+blocked/m); // the program the changed manifest added, a child of init
        expect(ps).toMatch(/^\s*\d+\s+1\s+sh\s/m);
        expect(await m.run('echo interactive')).toContain('interactive');
        expect(await m.run('history')).toMatch(/1 {2}echo from the exported script\n\s+2 {2}ps\n/);
      });
    });

    test('a damaged script trailer is logged and ignored; a package in the older layout boots too', async () => {
      const images = packagedImages(readFileSync(IMAGE));
      const plain = encodeBootPackage({ manifest: defaultManifest(), images });
      const scripted = encodeBootPackage({ manifest: defaultManifest(), images, script: 'echo lost\n' });
      const trailerAt = plain.length / 4; // the trailer's length word follows the ROM of the package without it
      const damaged = repack(scripted, (w) => {
        w[trailerAt] = 4000; // says 4000 bytes; only 3 words follow
      });
      await bootWith(arch, damaged, 'damaged', async (m) => {
        await m.expect(/init: bad boot ROM: the start-up script at word \d+ is truncated; booting without it/, 30_000);
        await m.expect('$ ');
        expect(await m.run('echo booted anyway')).toContain('booted anyway');
        expect(m.screen()).not.toContain('lost');
      });
      // Before the trailer, a package kept S script bytes after the ROM (word 8) that nobody read.
      const older = repack(plain, (w) => {
        w[8] = 9;
        w.push(...new Uint32Array(new TextEncoder().encode('echo old\n\0\0\0').buffer));
      });
      await bootWith(arch, older, 'older', async (m) => {
        await m.expect('$ ', 30_000);
        expect(await m.run('echo fine')).toContain('fine');
        expect(m.screen()).not.toContain('echo old');
      });
    });

    test('a manifest without a shell boots and stops QEMU once nothing can happen any more', async () => {
      const image = readFileSync(IMAGE);
      const pkg = encodeBootPackage({ manifest: { programs: [{ name: 'intruder', caps: [] }] }, images: builtImages() });
      const exported = withBootPackage(image, pkg);
      expect(exported.length).toBe(imageLayout(image).packageOffset + pkg.length);
      await bootWith(arch, pkg, 'exported', async (m) => {
        await m.expect('init: intruder exited with 0', 30_000);
        await m.expect('the machine stops');
        expect(await m.exited).toBe(debugExitStatus(0));
        expect(m.screen()).not.toContain('$ '); // no shell: this manifest has none
      });
    });
  });

  test('stack exhaustion, division by zero and out-of-bounds access fault only their process', async () => {
    const m = new QemuMachine(join(await buildTrapImages(), imageFile(arch)), arch);
    try {
      await m.expect('$ ', 30_000);
      expect(await m.run('deep')).toMatch(/\(deep\) stack: call stack exhausted[\s\S]*deep: crashed \(stack overflow\)/);
      expect(await m.run('divzero')).toMatch(/\(divzero\) trap: integer divide by zero[\s\S]*divzero: crashed \(trap\)/);
      expect(await m.run('oob')).toMatch(/\(oob\) trap: out of bounds memory or table access[\s\S]*oob: crashed \(trap\)/);
      expect(await m.run('echo still here')).toContain('still here');
    } finally {
      await m.kill();
    }
  }, 600_000);
});

describe('the two PC images on the other PC QEMU', () => {
  test('the i386 image boots under qemu-system-x86_64 too (it starts in 32-bit mode)', async () => {
    const m = new QemuMachine(imageOf('i386'), 'x86_64');
    try {
      await m.expect('$ ', 30_000);
      expect(await m.run('echo thirty-two')).toContain('thirty-two');
    } finally {
      await m.kill();
    }
  });

  test('the x86_64 image under qemu-system-i386 says it needs long mode', async () => {
    const m = new QemuMachine(imageOf('x86_64'), 'i386');
    try {
      await m.expect('this is the x86_64 image and this CPU has no long mode; use qemu-system-x86_64', 30_000);
    } finally {
      await m.kill();
    }
  });
});

test('a bad manifest is refused before boot with one clear message', () => {
  expect(() => encodeBootPackage({ manifest: { programs: [{ name: 'x', program: 'nope' }] }, images: ['init'] }))
    .toThrow(/unknown program "nope"/);
});
