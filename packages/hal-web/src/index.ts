// @oncrix/hal-web: the web HAL — kernel host Worker, process Workers, devices,
// the boot manifest and the program loader — for browsers and Node 20.
export { OncrixSystem, bootDevices, type SystemOptions, type ProgramSource } from './system.js';
export { parseManifest, encodeBootRom, ManifestError, type Manifest, type ProgramEntry, type CapGrant } from './manifest.js';
export { loadProgram, LoadError, DEFAULT_FUEL, type LoadOptions, type LoadedProgram, type LoadErrorReason } from './loader/index.js';
