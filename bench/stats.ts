/** Small statistics for the benchmark: percentiles, summaries, and interval unions. */

/** A distribution summary in milliseconds (or any unit). */
export interface Summary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** The nearest-rank percentile of `values` (0 when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Summarises values, rounded to 0.01. */
export function summarise(values: readonly number[]): Summary {
  const round = (v: number) => Math.round(v * 100) / 100;
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    mean: round(mean),
    max: round(values.length ? Math.max(...values) : 0),
  };
}

/** The median of values (0 when empty). */
export const median = (values: readonly number[]): number => percentile(values, 50);

/** Total length of the union of `intervals`, clipped to `[from, to]`. */
export function unionWithin(
  intervals: ReadonlyArray<readonly [number, number]>,
  from: number,
  to: number,
): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of clipped) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

/** Rounds to `digits` decimals. */
export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
