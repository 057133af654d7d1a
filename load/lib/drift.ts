/**
 * Latency drift over a soak: the run is cut into equal windows, each with its own Trend metric
 * (`soak_latency_w03`), so the summary carries p95 per window and the drift is computed from the summary.
 */

export const WINDOW_METRIC_PREFIX = 'soak_latency_w';

export function windowMetricName(index: number): string {
  return `${WINDOW_METRIC_PREFIX}${String(index).padStart(2, '0')}`;
}

/** The window a request started at `elapsedMs` belongs to (the last window absorbs the graceful stop). */
export function windowOf(elapsedMs: number, durationSeconds: number, windows: number): number {
  const size = (durationSeconds * 1000) / windows;
  return Math.min(windows - 1, Math.max(0, Math.floor(elapsedMs / size)));
}

export interface DriftAnalysis {
  /** p95 per window, null where a window saw no request. */
  p95ByWindow: (number | null)[];
  /** Median p95 of the first and of the last third of the windows. */
  start: number | null;
  end: number | null;
  /** end / start; null when either is missing. */
  ratio: number | null;
  ok: boolean;
  reason: string;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Drift is the median p95 of the last third of the windows against the first third: medians, because one
 * window's p95 on a busy machine jumps around, and a trend is what a soak is after. It counts only when it is
 * both a ratio above `maxRatio` and an increase above `minIncreaseMs`: on a fast local target, 3 ms becoming
 * 9 ms is a large ratio and no drift anyone should act on.
 */
export function analyseDrift(
  metrics: Record<string, { values?: Record<string, number> } | undefined>,
  windows: number,
  maxRatio: number,
  minIncreaseMs = 50,
): DriftAnalysis {
  const p95ByWindow: (number | null)[] = [];
  for (let w = 0; w < windows; w++) {
    const values = metrics[windowMetricName(w)]?.values;
    p95ByWindow.push(values && typeof values['p(95)'] === 'number' ? values['p(95)'] : null);
  }
  const third = Math.max(1, Math.floor(windows / 3));
  const pick = (from: number, to: number): number[] => p95ByWindow.slice(from, to).filter((v): v is number => v !== null);
  const start = median(pick(0, third));
  const end = median(pick(windows - third, windows));
  if (start === null || end === null || windows < 2) {
    return { p95ByWindow, start, end, ratio: null, ok: false, reason: 'the first or last windows saw no requests: no drift can be measured' };
  }
  const ratio = Math.max(end, 1) / Math.max(start, 1);
  const drifted = ratio > maxRatio && end - start > minIncreaseMs;
  const reason = `median p95 of the first ${third} window(s) ${start.toFixed(1)} ms, of the last ${third} ${end.toFixed(1)} ms: x${ratio.toFixed(2)} (drift when above x${maxRatio} and more than ${minIncreaseMs} ms)`;
  return { p95ByWindow, start, end, ratio, ok: !drifted, reason };
}
