/**
 * The 429 onset: from a ramp of arrival rates, the request rate at which the target starts answering 429.
 *
 * ratelimit.ts counts, for every second of the run (by the second each request started in), the requests it
 * sent and the 429s they got, as one k6 Counter per second (`ratelimit_sent_s0007`, `ratelimit_429_s0007`), so
 * the series survives into the end-of-test summary and the onset is computed from the summary alone, in k6's
 * handleSummary and again by the report converter. Pure functions; tested under Node on recorded series.
 */

export interface RampStage {
  /** Rate reached at the end of the stage (linear from the previous one), requests per second. */
  target: number;
  seconds: number;
}

export interface RampPlan {
  /** Offered rate at the start and the peak at the end, requests per second. */
  startRate: number;
  endRate: number;
  stages: RampStage[];
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

/**
 * The ramp when the limit is expected: a short hold at half the expected limit, quickly to 0.85x, then slowly
 * through the limit to 1.15x, quickly to 1.5x and a hold there for the last 30% of the run. The slow middle is
 * where the onset is (the slope at the limit sets both the resolution of one-second bins and how far a token
 * bucket's burst lets the ramp past the limit, predictedOvershoot); the hold above the limit is where the
 * sustained limit is measured (limit-estimate.ts): long enough to drain a burst of a whole second and still
 * leave several limited seconds.
 */
export function rampPlan(expectedPerSecond: number, durationSeconds: number): RampPlan {
  const total = Math.max(5, Math.round(durationSeconds));
  const at = (factor: number): number => Math.max(1, Math.round(expectedPerSecond * factor));
  const holdLow = Math.max(1, Math.round(total * 0.05));
  const rampUp = Math.max(1, Math.round(total * 0.15));
  const rampOut = Math.max(1, Math.round(total * 0.1));
  const holdHigh = Math.max(1, Math.round(total * 0.3));
  const slow = Math.max(1, total - holdLow - rampUp - rampOut - holdHigh);
  const nearLow = at(0.85);
  const nearHigh = Math.max(nearLow + 1, at(1.15));
  const startRate = at(RAMP_LOW_FACTOR);
  const endRate = Math.max(nearHigh + 1, at(RAMP_HIGH_FACTOR));
  return {
    startRate,
    endRate,
    stages: [
      { target: startRate, seconds: holdLow },
      { target: nearLow, seconds: rampUp },
      { target: nearHigh, seconds: slow },
      { target: endRate, seconds: rampOut },
      { target: endRate, seconds: holdHigh - Math.max(0, holdLow + rampUp + slow + rampOut + holdHigh - total) },
    ].filter((s) => s.seconds > 0),
  };
}

/** The search starts this many doublings below the profile's maximum rate. */
export const SEARCH_DOUBLINGS = 8;

/**
 * The ramp when no limit is expected (the search): a staircase from maxRate / 2^8 (at least 1 req/s), doubling
 * in equal steps up to the profile's `load.maxRate` over the run's duration: one second up to the next step,
 * then a hold there. The offered rate widens geometrically (fine steps at low rates, coarse ones high up), and
 * the holds give seconds of steady offered rate to measure the limit in: a window limiter admits more than its
 * limit into a one-second bin while the offered rate rises (the bin takes the tail of one window and the head
 * of a fuller one). The script stops the run once 429s have held long enough to measure (lib/search.ts), so the
 * top of the staircase is only reached when the target never limits.
 */
export function searchPlan(maxRate: number, durationSeconds: number): RampPlan {
  const total = Math.max(2 * SEARCH_DOUBLINGS, Math.round(durationSeconds));
  const startRate = Math.max(1, Math.round(maxRate / 2 ** SEARCH_DOUBLINGS));
  const stages: RampStage[] = [];
  let used = 0;
  for (let i = 1; i <= SEARCH_DOUBLINGS; i++) {
    const end = Math.round((total * i) / SEARCH_DOUBLINGS);
    // Counted down from maxRate, so the last step is maxRate itself.
    const target = Math.max(startRate + i, Math.round(maxRate / 2 ** (SEARCH_DOUBLINGS - i)));
    stages.push({ target, seconds: 1 }, { target, seconds: end - used - 1 });
    used = end;
  }
  return { startRate, endRate: stages[stages.length - 1]!.target, stages };
}

export function planDuration(plan: RampPlan): number {
  return plan.stages.reduce((n, s) => n + s.seconds, 0);
}

/** The arrival rate the plan asks for `t` seconds into the run. */
export function scheduledRate(plan: RampPlan, t: number): number {
  let from = plan.startRate;
  let elapsed = 0;
  for (const stage of plan.stages) {
    if (t < elapsed + stage.seconds) return from + ((stage.target - from) * (t - elapsed)) / stage.seconds;
    elapsed += stage.seconds;
    from = stage.target;
  }
  return from;
}

/** Slope (requests per second per second) of the stage where the plan passes `rate`; 0 if it never does. */
export function rampSlope(plan: RampPlan, rate: number): number {
  let from = plan.startRate;
  for (const stage of plan.stages) {
    if (stage.target > from && rate >= from && rate <= stage.target) return (stage.target - from) / stage.seconds;
    from = stage.target;
  }
  return 0;
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
  /** Seconds of warm-up the onset is not looked for in (ratelimit.ts: the first, whose arrivals come bunched). */
  fromSecond: number;
}

export const DEFAULT_ONSET_OPTIONS: OnsetOptions = { minRatio: 0.01, sustainSeconds: 2, fromSecond: 1 };

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
    if (here.second < options.fromSecond || here.sent === 0 || ratio(here) < options.minRatio) continue;
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
