// One share of the property tests, as a vitest suite: fast-check draws
// scenarios (run.ts) from a seed of its own, checks each, and on a failure
// shrinks it and keeps the shrunk scenario for replaying.
//
// The CI run is ONCRIX_PROPERTY_SCENARIOS scenarios in all (a ci-length
// default sized to the property suite's budget), split evenly over SHARDS
// files so vitest runs them on every core. ONCRIX_TEST_LENGTH=long runs five
// times as many; ONCRIX_SEED fixes the seed (each shard adds its number);
// ONCRIX_REPLAY=file replays one saved scenario.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { runScenario, scenarioArb, totals, type Scenario } from './run';

/** Shard files (shard-1.test.ts … shard-SHARDS.test.ts). */
export const SHARDS = 4;
/** Random syscalls the whole property suite must reach in a CI run. */
export const SYSCALL_FLOOR = 1_000_000;

const long = process.env.ONCRIX_TEST_LENGTH === 'long';
const scenarios = Number(process.env.ONCRIX_PROPERTY_SCENARIOS ?? 3600) * (long ? 5 : 1);

/** Define the suite of shard `n` (1..SHARDS). */
export function propertyShard(n: number): void {
  const replayFile = `build/property-counterexample-${n}.json`;
  describe(`random syscall sequences, shard ${n} of ${SHARDS}`, () => {
    const replay = process.env.ONCRIX_REPLAY;
    if (replay !== undefined && n === 1) {
      test(`replays ${replay}`, () => {
        runScenario(JSON.parse(readFileSync(replay, 'utf8')) as Scenario);
      });
    }

    test('the kernel never traps, results are defined, invariants hold, and everything is returned', () => {
      const base = Number(process.env.ONCRIX_SEED ?? Date.now() % 1e9);
      const seed = base + n;
      const out = fc.check(fc.property(scenarioArb, (s) => runScenario(s)), {
        numRuns: Math.ceil(scenarios / SHARDS), seed, interruptAfterTimeLimit: (long ? 900 : 140) * 1000, markInterruptAsFailure: true,
      });
      if (out.failed) {
        const steps = out.counterexample?.[0]?.steps.length ?? 0;
        // Keep the shrunk scenario for replaying (ONCRIX_REPLAY=build/property-counterexample-N.json).
        mkdirSync('build', { recursive: true });
        writeFileSync(replayFile, JSON.stringify(out.counterexample?.[0] ?? null));
        throw new Error(`seed ${base} shard ${n} (rerun with ONCRIX_SEED=${base}), shrunk to ${steps} steps, saved in ${replayFile}: ${String(out.errorInstance)}`);
      }
    });

    afterAll(() => {
      const cpu = process.cpuUsage();
      console.log(`property shard ${n}: ${totals.syscalls} random syscalls in ${totals.scenarios} scenarios ` +
        `(${Math.round(totals.syscalls / ((cpu.user + cpu.system) / 1e6))} per CPU second); tagged messages ${totals.sent} sent, ` +
        `${totals.received} received; ${totals.dropped} dropped; ${totals.spawned} processes`);
      // This shard's part of the floor for the whole suite.
      if (!long && process.env.ONCRIX_PROPERTY_SCENARIOS === undefined) expect(totals.syscalls).toBeGreaterThanOrEqual(SYSCALL_FLOOR / SHARDS);
    });
  });
}
