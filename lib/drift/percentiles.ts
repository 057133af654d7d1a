/** Latency statistics of a sample: nearest-rank percentiles (no interpolation: every value is one that was measured). */

export interface LatencyStats {
  /** How many answers the figures rest on. */
  n: number;
  /** The floor: a slower server moves it, a busy test machine hardly does. */
  p10: number;
  p50: number;
  p95: number;
  p99: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function latencyStats(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p10: percentile(sorted, 10), p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}
