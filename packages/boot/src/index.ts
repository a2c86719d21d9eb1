// @oncrix/boot: what both HALs share to start a machine and talk to it — the
// boot manifest and its checker, the boot ROM init reads, the bare-metal boot
// package that carries them in an image, and the console session the tests
// and benchmarks drive either console with. Everything here runs in Node and
// in the page alike (no node: modules). The program loader, which pulls in
// binaryen, has its own entry: `@oncrix/boot/loader`.
export {
  parseManifest, encodeBootRom, checkScript, bootDevices, ManifestError, CapKind, SPAWN_RIGHTS, ROM_MAGIC, ROM_VERSION,
  SCRIPT_MAX_BYTES, Policy, supervisePolicy, type Manifest, type ProgramEntry, type CapGrant, type DeviceEntry, type MountEntry,
  type SupervisePolicy,
} from './manifest.js';
export {
  encodeBootPackage, imageLayout, packagedImages, withBootPackage, PACKAGE_MAGIC, PACKAGE_VERSION,
  type PackageOptions, type ImageLayout,
} from './boot-package.js';
export { ConsoleSession } from './console-session.js';
export {
  ARCHES, ARCH_INFO, DEFAULT_ARCH, isArch, archOfMachine, imageFile, qemuArgs, qemuCommand, type Arch, type ArchInfo,
} from './arch.js';
