// The status line's counts: grouped as toLocaleString('en') groups them,
// without loading Intl's locale data in the page's first frame.

import { describe, expect, test } from 'vitest';
import { grouped } from '../src/ui/count.js';

describe('grouped', () => {
  test('groups digits by three with commas, as toLocaleString(\'en\') does', () => {
    const samples = [0, 7, 42, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 1_330_957, 2_371_155, 123_456_789, 2 ** 31, Number.MAX_SAFE_INTEGER];
    for (const n of [...samples, ...samples.map((x) => -x).filter((x) => x !== 0)]) expect(grouped(n), String(n)).toBe(n.toLocaleString('en'));
  });

  test('counts only whole numbers: a fraction is cut off', () => {
    expect(grouped(1234.9)).toBe('1,234');
  });
});
