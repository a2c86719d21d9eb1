// The architectures a bare-metal ONCRIX image is built for, and how QEMU
// boots each: the one table the tests, the benchmark, `npm run qemu` and the
// playground's export read (build.mjs has the compiler side).
//
// The idea: an image names its machine in its ONCRIX image header (the ELF
// machine number), so a tool can tell which QEMU boots a file and refuse one
// for another machine; everything else about the architecture — the board
// options, how the guest tells QEMU its exit status — lives in this table.
// No node: imports, so the page can use it too.

export const ARCHES = ['x86_64', 'i386', 'aarch64', 'riscv64'] as const;
export type Arch = (typeof ARCHES)[number];

/** The architecture a user gets unless they choose one. */
export const DEFAULT_ARCH: Arch = 'x86_64';

export interface ArchInfo {
  /** What a person picks from. */
  title: string;
  /** ELF machine number, as the image header stores it. */
  machine: number;
  /** The QEMU binary and its Debian package. */
  qemu: string;
  qemuPackage: string;
  /** Board and firmware options (before -kernel). */
  board: string[];
  /** What lets the guest end QEMU with a status (EXIT_* in src/hal/panic.h: status = code * 2 + 1). */
  exitDevice: string[];
}

export const ARCH_INFO: Record<Arch, ArchInfo> = {
  x86_64: {
    title: 'x86_64 (PC, long mode)', machine: 62, qemu: 'qemu-system-x86_64', qemuPackage: 'qemu-system-x86',
    board: [], exitDevice: ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'],
  },
  i386: {
    title: 'i386 (PC, 32-bit)', machine: 3, qemu: 'qemu-system-i386', qemuPackage: 'qemu-system-x86',
    board: [], exitDevice: ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'],
  },
  aarch64: {
    title: 'aarch64 (virt, Cortex-A53)', machine: 183, qemu: 'qemu-system-aarch64', qemuPackage: 'qemu-system-arm',
    board: ['-M', 'virt', '-cpu', 'cortex-a53'], exitDevice: ['-semihosting'],
  },
  riscv64: {
    title: 'riscv64 (virt, OpenSBI)', machine: 243, qemu: 'qemu-system-riscv64', qemuPackage: 'qemu-system-misc',
    board: ['-M', 'virt', '-bios', 'default'], exitDevice: [],
  },
};

/** Is this a known architecture name? */
export function isArch(name: string): name is Arch {
  return (ARCHES as readonly string[]).includes(name);
}

/** The architecture of an ELF machine number, or undefined. */
export function archOfMachine(machine: number): Arch | undefined {
  return ARCHES.find((a) => ARCH_INFO[a].machine === machine);
}

/** The image file of an architecture, as `npm run image` writes it to dist/ and the playground ships it. */
export function imageFile(arch: Arch): string {
  return `oncrix-${arch}.img`;
}

/**
 * RAM for the guest: the default manifest's budget (256 MiB) and, in the
 * kernel's share of the reserve, the memory objects init keeps for ramfs
 * (32 MiB, which live in the kernel's memory) — QEMU's default 128 MiB
 * holds neither. QEMU touches host memory only as the guest uses it.
 */
export const QEMU_MEMORY = '1G';

/** The options after the QEMU binary that boot `image` with the console on stdio. */
export function qemuArgs(arch: Arch, image: string): string[] {
  return [...ARCH_INFO[arch].board, '-m', QEMU_MEMORY, '-kernel', image, '-serial', 'stdio', '-display', 'none'];
}

/** The command a person types to boot `image`. */
export function qemuCommand(arch: Arch, image = imageFile(arch)): string {
  return [ARCH_INFO[arch].qemu, ...qemuArgs(arch, image)].join(' ');
}
