// @oncrix/scenario: teaching scenarios — the file format (format.ts) and its
// checker (parse.ts), seeded variants (variant.ts), a run's events and final
// handle holders (run.ts) and the exercises' checks over it (checks.ts).
// No DOM and no Node APIs: the playground, the CLI and the tests share it.

export * from './format.js';
export { parseScenario, parseScenarioValue, fieldOf, VIEW_PRESETS, type Parsed, type ParseOptions } from './parse.js';
export { KIND_NAMES, kindOf, argNames, nearest } from './kinds.js';
export { Run } from './run.js';
export { decide, describeMatch, expectedAnswer, sameAnswer, type CheckResult } from './checks.js';
export { drawParams, instantiate, evaluate, placeholders, type Params } from './variant.js';
export { RECORDING_FORMAT, RECORDING_OLDEST, traceLayout, checkRecording, packTrace, recordedEvents, type Recording } from './recording.js';
