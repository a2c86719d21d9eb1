// What every section of `npm run bench` reports: a figure, the same run's
// baseline it is compared with and their ratio, and the target it is held to;
// and the median the round-trip figures take over their trials.

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: string;
  ratio?: number;
  target?: string;
  met?: boolean;
}

/** The median of the trials (the upper one of an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}
