/**
 * The 429 onset: from a ramp of arrival rates, the request rate at which the target starts answering 429.
 *
 * ratelimit.ts counts, for every second of the run (by the second each request started in), the requests it
 * sent and the 429s they got, as one k6 Counter per second (`ratelimit_sent_s0007`, `ratelimit_429_s0007`), so
 * the series survives into the end-of-test summary and the onset is computed from the summary alone, in k6's
 * handleSummary and again by the report converter. Pure functions; tested under Node on recorded series.
 */

export interface RampPlan {
  /** Offered rate at the start and at the end of the ramp, requests per second. */
  startRate: number;
  endRate: number;
  /** Seconds at startRate, then ramping, then at endRate. */
  holdLowSeconds: number;
  rampSeconds: number;
  holdHighSeconds: number;
}

export interface SecondCounts {
  second: number;
  sent: number;
  limited: number;
}

export type Band = 'below' | 'near' | 'above';

/** From half the expected limit to one and a half times it: well below to well above. */
export const RAMP_LOW_FACTOR = 0.5;
export const RAMP_HIGH_FACTOR = 1.5;

export function rampPlan(expectedPerSecond: number, durationSeconds: number): RampPlan {
  const total = Math.max(3, Math.round(durationSeconds));
  const hold = Math.max(1, Math.round(total * 0.1));
  return {
    startRate: Math.max(1, Math.round(expectedPerSecond * RAMP_LOW_FACTOR)),
    endRate: Math.max(2, Math.round(expectedPerSecond * RAMP_HIGH_FACTOR)),
    holdLowSeconds: hold,
    rampSeconds: total - 2 * hold,
    holdHighSeconds: hold,
  };
}

export function planDuration(plan: RampPlan): number {
  return plan.holdLowSeconds + plan.rampSeconds + plan.holdHighSeconds;
}

/** The arrival rate the plan asks for `t` seconds into the run. */
export function scheduledRate(plan: RampPlan, t: number): number {
  if (t <= plan.holdLowSeconds) return plan.startRate;
  const intoRamp = t - plan.holdLowSeconds;
  if (intoRamp >= plan.rampSeconds) return plan.endRate;
  return plan.startRate + ((plan.endRate - plan.startRate) * intoRamp) / plan.rampSeconds;
}

/** Ramp slope in requests per second per second. */
export function rampSlope(plan: RampPlan): number {
  return plan.rampSeconds > 0 ? (plan.endRate - plan.startRate) / plan.rampSeconds : 0;
}

export function bandOf(rate: number, expected: number, tolerance: number): Band {
  if (rate < (1 - tolerance) * expected) return 'below';
  if (rate > (1 + tolerance) * expected) return 'above';
  return 'near';
}

/**
 * How far past the limit a token bucket lets a linear ramp go before the first 429: the bucket of `burst`
 * tokens drains at (rate - limit), so it is empty after sqrt(2 burst / slope) seconds, when the offered rate is
 * limit + sqrt(2 burst slope). A small burst (a twentieth of a second of the limit) keeps this within a few
 * percent; a burst of a whole second does not.
 */
export function predictedOvershoot(burst: number, slope: number): number {
  return burst > 0 && slope > 0 ? Math.sqrt(2 * burst * slope) : 0;
}

export const SENT_METRIC_PREFIX = 'ratelimit_sent_s';
export const LIMITED_METRIC_PREFIX = 'ratelimit_429_s';

export function secondMetricName(prefix: string, second: number): string {
  return `${prefix}${String(second).padStart(4, '0')}`;
}

/** Reads the per-second counters back out of a k6 summary's `metrics` (missing seconds count as zero). */
export function seriesFromSummaryMetrics(metrics: Record<string, { values?: Record<string, number> } | undefined>, durationSeconds: number): SecondCounts[] {
  const count = (name: string): number => metrics[name]?.values?.count ?? 0;
  const out: SecondCounts[] = [];
  for (let s = 0; s < durationSeconds; s++) {
    out.push({ second: s, sent: count(secondMetricName(SENT_METRIC_PREFIX, s)), limited: count(secondMetricName(LIMITED_METRIC_PREFIX, s)) });
  }
  return out;
}

export interface OnsetOptions {
  /** A second counts as limited when at least this share of its requests got 429. */
  minRatio: number;
  /** ... and so do the next `sustainSeconds` seconds (a lone 429 is not an onset). */
  sustainSeconds: number;
}

export const DEFAULT_ONSET_OPTIONS: OnsetOptions = { minRatio: 0.01, sustainSeconds: 2 };

export interface Onset {
  /** The first second of sustained 429s. */
  second: number;
  /** Requests sent in that second: the offered rate at which 429s begin. */
  rate: number;
  /** What the target let through per second once limiting (median over the limited seconds after the onset). */
  acceptedRate: number | null;
}

export interface OnsetAnalysis {
  onset: Onset | null;
  /** The first second with any 429 at all (may precede the onset when a lone 429 came early). */
  firstLimitedSecond: number | null;
  totalSent: number;
  totalLimited: number;
}

const ratio = (c: SecondCounts): number => (c.sent > 0 ? c.limited / c.sent : 0);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function findOnset(series: readonly SecondCounts[], options: OnsetOptions = DEFAULT_ONSET_OPTIONS): OnsetAnalysis {
  const sorted = [...series].sort((a, b) => a.second - b.second);
  const totalSent = sorted.reduce((n, c) => n + c.sent, 0);
  const totalLimited = sorted.reduce((n, c) => n + c.limited, 0);
  const firstLimited = sorted.find((c) => c.limited > 0);
  let onset: Onset | null = null;
  for (let i = 0; i < sorted.length; i++) {
    const here = sorted[i]!;
    if (here.sent === 0 || ratio(here) < options.minRatio) continue;
    const following = sorted.slice(i + 1, i + 1 + options.sustainSeconds).filter((c) => c.sent > 0);
    if (!following.every((c) => ratio(c) >= options.minRatio)) continue;
    const after = sorted.slice(i + 1).filter((c) => c.sent > 0 && ratio(c) >= options.minRatio);
    onset = { second: here.second, rate: here.sent, acceptedRate: median(after.map((c) => c.sent - c.limited)) };
    break;
  }
  return { onset, firstLimitedSecond: firstLimited ? firstLimited.second : null, totalSent, totalLimited };
}

export interface OnsetVerdict {
  ok: boolean;
  /** (onset rate - expected) / expected. */
  relativeError: number | null;
  /** The accepted window of onset rates. */
  low: number;
  high: number;
  reason: string;
}

/**
 * Is the onset where the limit says? Within ±tolerance of the expected limit; when the target's burst is known,
 * the upper end also allows the overshoot the bucket itself causes on this ramp (predictedOvershoot).
 */
export function judgeOnset(analysis: OnsetAnalysis, expected: number, tolerance: number, allowance = 0, shortfallSeconds: readonly number[] = []): OnsetVerdict {
  const low = expected * (1 - tolerance);
  const high = expected * (1 + tolerance) + allowance;
  if (!analysis.onset) {
    return { ok: false, relativeError: null, low, high, reason: `no sustained 429s in ${analysis.totalSent} requests (expected them from about ${expected} req/s)` };
  }
  const rate = analysis.onset.rate;
  const relativeError = (rate - expected) / expected;
  const ok = rate >= low && rate <= high;
  const where = `429s begin at ${rate} req/s (second ${analysis.onset.second}), ${(relativeError * 100).toFixed(1)}% from the expected ${expected} req/s`;
  const behind = shortfallSeconds.length === 0 ? '' : `; the load generator fell behind the plan in ${shortfallSeconds.length} second(s) (${shortfallSeconds.slice(0, 8).join(', ')}${shortfallSeconds.length > 8 ? ', ...' : ''}), so bunched arrivals may have been limited: give k6 more CPU or VUs`;
  return { ok, relativeError, low, high, reason: ok ? where : `${where}: outside [${low.toFixed(1)}, ${high.toFixed(1)}]${behind}` };
}

/**
 * Seconds in which the generator sent clearly less than the plan asked for (below `share` of the scheduled
 * rate): k6 starved of CPU or VUs. An onset measured while the generator fell behind says more about the load
 * generator than about the target, and the verdict says so.
 */
export function generatorShortfall(series: readonly SecondCounts[], plan: RampPlan, share = 0.9): number[] {
  return series
    .filter((c) => c.second > 0 && c.second < planDuration(plan))
    .filter((c) => c.sent < share * ((scheduledRate(plan, c.second) + scheduledRate(plan, c.second + 1)) / 2))
    .map((c) => c.second);
}

/**
 * The series of N instances of one distributed run, added second by second: every instance counts its own
 * share of the offered rate, and the onset is a property of the whole.
 */
export function mergeSeries(parts: readonly (readonly SecondCounts[])[]): SecondCounts[] {
  const bySecond = new Map<number, SecondCounts>();
  for (const part of parts) {
    for (const c of part) {
      const into = bySecond.get(c.second) ?? { second: c.second, sent: 0, limited: 0 };
      into.sent += c.sent;
      into.limited += c.limited;
      bySecond.set(c.second, into);
    }
  }
  return [...bySecond.values()].sort((a, b) => a.second - b.second);
}
