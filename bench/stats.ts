/**
 * The statistics every benchmark reports, computed one way: nearest-rank percentiles of the
 * samples, their mean, rounded to the µs (3 decimals of a millisecond).
 */

/** Summary statistics of one contender's samples, in ms. */
export interface Stats {
  p50: number;
  p99: number;
  mean: number;
}

/** Figures a benchmark may report beside p50, p99 and mean. */
export type Extra = 'p95' | 'min' | 'max';

/** Rounds to `digits` decimals (3 by default: the µs, for times in ms). */
export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentile `p` (0–100) of samples sorted in ascending order. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/**
 * p50, p99, mean and the `extras` asked for, of `samples` (any order), rounded to the µs; all
 * NaN for no samples. Keys come in one order (p50, p95, p99, mean, min, max), so results
 * files keep their shape.
 */
export function stats<E extends Extra = never>(
  samples: ArrayLike<number>,
  extras: readonly E[] = [],
): Stats & Record<E, number> {
  // A typed array sorts numerically, and fast for the hundreds of thousands of load samples.
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const all: Record<keyof Stats | Extra, number> = {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sum / n,
    min: sorted[0]!,
    max: sorted[n - 1]!,
  };
  const wanted = new Set<string>(['p50', 'p99', 'mean', ...extras]);
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(all)) {
    if (wanted.has(key)) out[key] = n === 0 ? NaN : round(value);
  }
  return out as Stats & Record<E, number>;
}

/** parley / raw at p50 and at p99, rounded to 3 decimals. */
export function ratioOf(parley: Stats, raw: Stats): { p50: number; p99: number } {
  return { p50: round(parley.p50 / raw.p50), p99: round(parley.p99 / raw.p99) };
}
