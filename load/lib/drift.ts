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
  first: number | null;
  last: number | null;
  /** last / first; null when either is missing. */
  ratio: number | null;
  ok: boolean;
  reason: string;
}

/**
 * Compares the p95 of the first and last windows. The first window includes warm-up, so a system that merely
 * warms up reads as an improvement, never as drift; a floor of 1 ms keeps microsecond noise on a fast local
 * target from reading as a large ratio.
 */
export function analyseDrift(metrics: Record<string, { values?: Record<string, number> } | undefined>, windows: number, maxRatio: number): DriftAnalysis {
  const p95ByWindow: (number | null)[] = [];
  for (let w = 0; w < windows; w++) {
    const values = metrics[windowMetricName(w)]?.values;
    p95ByWindow.push(values && typeof values['p(95)'] === 'number' ? values['p(95)'] : null);
  }
  const present = p95ByWindow.filter((v): v is number => v !== null);
  const first = present[0] ?? null;
  const last = present.length > 1 ? present[present.length - 1]! : null;
  if (first === null || last === null) {
    return { p95ByWindow, first, last, ratio: null, ok: false, reason: 'fewer than two windows saw requests: no drift can be measured' };
  }
  const ratio = Math.max(last, 1) / Math.max(first, 1);
  const ok = ratio <= maxRatio;
  return { p95ByWindow, first, last, ratio, ok, reason: `p95 went from ${first.toFixed(1)} ms (first window) to ${last.toFixed(1)} ms (last): x${ratio.toFixed(2)}, bound x${maxRatio}` };
}
