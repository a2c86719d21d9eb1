// SpinBudget: whether and how long a thread of the web HAL spins on a shared word
// before it sleeps, learnt from how its waits went. The budget's clock is
// given here (one microsecond per read), so how long a spin lasted is the
// number of clock reads it made: the tests are exact, not timed.

import { describe, expect, test } from 'vitest';
import { SpinBudget } from '../src/shared.js';

const MAX_US = 50;

/** A budget on a clock that the test advances: each read moves it by `step` µs. */
function budgetWithClock(): { budget: SpinBudget; clock: { now: number; reads: number; step: number } } {
  const clock = { now: 1_000_000, reads: 0, step: 1 };
  const budget = new SpinBudget(MAX_US, () => {
    clock.reads++;
    clock.now += clock.step;
    return clock.now | 0;
  });
  return { budget, clock };
}

const word = new Int32Array(new SharedArrayBuffer(4));

/** Spin on a word that never changes; returns how many µs the spin lasted. */
function spinOut(b: ReturnType<typeof budgetWithClock>): number {
  const before = b.clock.now;
  expect(b.budget.spin(word, 0, 0), 'an unchanged word ends the spin with its own value').toBe(0);
  return b.clock.now - before;
}

/** A sleep that ended: the answer came `answeredUs` after the wait began, and the wake-up took `wakeUs`. */
function sleptAndWoke(b: ReturnType<typeof budgetWithClock>, answeredUs: number, wakeUs: number): void {
  const began = b.clock.now;
  b.clock.now = began + answeredUs + wakeUs;
  b.clock.step = 0;
  b.budget.woke((began + answeredUs) | 0);
  b.clock.step = 1;
}

describe('SpinBudget', () => {
  test('a word that changes is caught spinning, and its value returned', () => {
    const b = budgetWithClock();
    const changed = new Int32Array(new SharedArrayBuffer(4));
    changed[0] = 7;
    expect(b.budget.spin(changed, 0, 0)).toBe(7);
  });

  test('answers that never come within the budget halve it to none: the thread then sleeps at once', () => {
    const b = budgetWithClock();
    const lengths = Array.from({ length: 8 }, () => spinOut(b));
    expect(lengths[0], 'the first wait spins the whole budget').toBeGreaterThanOrEqual(MAX_US);
    expect(lengths[1]).toBeLessThan(lengths[0] ?? 0);
    expect(lengths.slice(-2), 'no spinning left').toEqual([1, 1]);
  });

  test('after a sleep whose answer came quickly but whose wake-up was slow, the thread spins again', () => {
    const b = budgetWithClock();
    while (spinOut(b) > 1);
    sleptAndWoke(b, 3, 10);
    expect(spinOut(b), 'a fast wake-up leaves the budget at none').toBe(1);
    sleptAndWoke(b, MAX_US * 4, 40);
    expect(spinOut(b), 'an answer a spin would not have caught leaves it at none').toBe(1);
    sleptAndWoke(b, 3, 40);
    expect(spinOut(b), 'a slow wake-up after a quick answer: spin the whole budget').toBeGreaterThanOrEqual(MAX_US);
  });

  test('tries that do not pay are made ever more rarely; one that lasts makes them frequent again', () => {
    const b = budgetWithClock();
    const changed = new Int32Array(new SharedArrayBuffer(4));
    changed[0] = 1;
    /** Slow wake-ups needed before the budget is set to its most again (each try then fails at once). */
    const slowWakesUntilTry = (): number => {
      while (spinOut(b) > 1);
      for (let n = 1; n < 10_000; n++) {
        sleptAndWoke(b, 2, 40);
        if (spinOut(b) > 1) return n;
      }
      throw new Error('never tried again');
    };
    const gaps = Array.from({ length: 5 }, slowWakesUntilTry);
    expect(gaps, 'each failed try doubles the wait for the next').toEqual([1, 2, 4, 8, 16]);
    // A try that goes on catching answers for a while resets the count.
    while (spinOut(b) > 1);
    for (let n = 0; n < 31; n++) {
      sleptAndWoke(b, 2, 40);
      expect(spinOut(b), 'slow wake-ups let pass').toBe(1);
    }
    sleptAndWoke(b, 2, 40);
    for (let n = 0; n < 100; n++) expect(b.budget.spin(changed, 0, 0), 'answers caught spinning').toBe(1);
    expect(slowWakesUntilTry(), 'after a try that paid, the next comes at the first slow wake-up').toBe(1);
  });

  test('a try whose answers, caught spinning, come later than a sleep would have had them does not pay', () => {
    // The answer arrives 40 µs into each spun wait (the clock sets the word), while the
    // sleeps before the try took 25 µs (a 2 µs answer, a 23 µs wake-up): spinning here holds a core for nothing.
    const late = new Int32Array(new SharedArrayBuffer(4));
    let readsLeft = -1;
    const clock = { now: 1_000_000 };
    const budget = new SpinBudget(MAX_US, () => {
      clock.now++;
      if (readsLeft > 0 && --readsLeft === 0) late[0] = 1;
      return clock.now | 0;
    });
    const spinLate = (): number => {
      late[0] = 0;
      readsLeft = 40;
      const before = clock.now;
      budget.spin(late, 0, 0);
      readsLeft = -1;
      return clock.now - before;
    };
    const sleep = (): void => {
      late[0] = 0;
      budget.spin(late, 0, 0);
      const began = clock.now;
      clock.now = began + 24;
      budget.woke((began + 2) | 0);
    };
    const unchanged = new Int32Array(new SharedArrayBuffer(4));
    while (spinOnce(budget, unchanged, clock) > 1);
    // Down to none: a slow wake-up starts a try; its 64 waits each catch the answer at 40 µs.
    sleep();
    for (let n = 0; n < 64; n++) expect(spinLate(), 'caught spinning, late').toBeGreaterThanOrEqual(40);
    // The budget is at its most, yet the try did not pay: once it is back to none, the next
    // try waits for two slow wake-ups instead of one.
    while (spinOnce(budget, unchanged, clock) > 1);
    sleep();
    expect(spinOnce(budget, unchanged, clock), 'the first slow wake-up is let pass').toBe(1);
    sleep();
    expect(spinOnce(budget, unchanged, clock), 'the second starts the next try').toBeGreaterThan(1);
  });
});

/** One spin on a word that does not change; how many µs of `clock` it took. */
function spinOnce(budget: SpinBudget, w: Int32Array, clock: { now: number }): number {
  const before = clock.now;
  budget.spin(w, 0, 0);
  return clock.now - before;
}
