// @oncrix/hal-web: the web HAL — the kernel host Worker, the process Workers
// and the device models — for browsers and Node 20. A host boots a machine
// with OncrixSystem (also `@oncrix/hal-web/system`); Node hosts find the
// built kernel and programs on disk with `@oncrix/hal-web/node`. What both
// HALs share (manifest, boot package, loader, console session) is
// @oncrix/boot.
export { OncrixSystem, type SystemOptions, type ProgramSource } from './system.js';
