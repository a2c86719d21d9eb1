// The public face of the program loader: what the HAL (and tests) import.
// The idea: one entry point, loadProgram, plus its option/result types and
// the LoadError it throws; everything else in this folder is an internal step.

export { loadProgram, DEFAULT_FUEL, type LoadOptions, type LoadedProgram } from './load.js';
export { LoadError, type LoadErrorReason } from './errors.js';
