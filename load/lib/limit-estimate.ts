import { DEFAULT_ONSET_OPTIONS, findOnset, type Onset, type OnsetOptions, type SecondCounts } from './onset.ts';

/**
 * The sustained limit and the burst of a rate limiter, from the per-second series a ramp recorded (requests
 * sent, 429s got, by the second each request started in). Pure; imported by ratelimit.ts's handleSummary and by
 * the Node merge of N instances, and unit-tested on synthetic series from each limiter kind.
 *
 * Why not the onset: where 429s begin depends on the limiter's burst and the ramp's slope (a token bucket holding
 * a second of burst lets a ramp 20% past its limit before the first 429), so the onset says little about the
 * limit unless the burst is known. What the target lets through per second once it limits does not depend on
 * either: a token bucket or GCRA admits exactly its refill rate once empty, a window limiter its quota per
 * window, whatever is offered beyond. It does not depend on the load generator keeping to its plan either, as
 * long as it offers more than the limit: a starved generator sends fewer requests, not fewer admitted ones.
 */

export interface LimitEstimateOptions {
  onset: OnsetOptions;
  /**
   * Seconds after the onset second left out before measuring. The onset second itself is always left out (it
   * holds the last of the burst); by its first sustained 429 a bucket is empty, so none more by default.
   */
  drainSeconds: number;
  /** A second counts as saturated (the limiter refused some of what it was offered) from this 429 share up. */
  saturatedRatio: number;
  /** Fewer saturated seconds than this and the limit is not reported (too little to drain a burst and measure). */
  minSeconds: number;
  /** Seconds from this one on are left out (the end of the plan: k6's graceful stop, a partial last second). */
  untilSecond?: number;
  /** Seconds left out of the measurement (where the load generator fell behind its plan). */
  excludeSeconds?: readonly number[];
}

export const DEFAULT_LIMIT_OPTIONS: LimitEstimateOptions = { onset: DEFAULT_ONSET_OPTIONS, drainSeconds: 0, saturatedRatio: 0.01, minSeconds: 3 };

export interface LimitEstimate {
  /** Requests per second the target let through once limiting (upperMiddleMean over the saturated seconds). */
  limit: number | null;
  /** The seconds measured: saturated, after the onset and the drain. */
  seconds: number[];
  /** Smallest and largest admitted count among them (how steady the limiter was). */
  spread: { min: number; max: number } | null;
  /**
   * How far past the limit the ramp went before the 429s held, in requests: what was admitted above the limit in
   * the seconds the offered rate exceeded it, up to the onset. For a token bucket or GCRA this is its burst.
   */
  burst: number | null;
  onset: Onset | null;
  firstLimitedSecond: number | null;
  totalSent: number;
  totalLimited: number;
  /** Why there is no limit, in words (null when there is one). */
  missing: string | null;
}

const admitted = (c: SecondCounts): number => c.sent - c.limited;

/** A second shows the limit when it was offered at least this much more than the limit. */
export const OFFERED_MARGIN = 0.1;
/** A second's offered rate is steady when it is within this share of the second before or the one after. */
export const STEADY_SHARE = 0.05;

/** Mean of the middle half: steady like a median, with sub-request resolution over many seconds. */
export function interquartileMean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length / 4);
  const middle = sorted.slice(cut, sorted.length - cut);
  return middle.reduce((a, b) => a + b, 0) / middle.length;
}

/**
 * Mean of the values from the median to the 90th percentile. A saturated limiter admits its limit in every
 * second the generator kept offering more; a second in which the generator stalled admits less (a bucket that
 * fills up during the stall wastes what it cannot hold, a window passes half empty), and hardly any admits
 * more. So the upper middle of the seconds is the limit, and the stalls below it and the odd bin-edge outlier
 * above it do not move it.
 */
export function upperMiddleMean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const from = Math.floor(sorted.length / 2);
  const to = Math.max(from + 1, Math.ceil(sorted.length * 0.9));
  const upper = sorted.slice(from, to);
  return upper.reduce((a, b) => a + b, 0) / upper.length;
}

export function estimateLimit(series: readonly SecondCounts[], options: LimitEstimateOptions = DEFAULT_LIMIT_OPTIONS): LimitEstimate {
  const sorted = [...series].sort((a, b) => a.second - b.second).filter((c) => options.untilSecond === undefined || c.second < options.untilSecond);
  const analysis = findOnset(sorted, options.onset);
  const base = { onset: analysis.onset, firstLimitedSecond: analysis.firstLimitedSecond, totalSent: analysis.totalSent, totalLimited: analysis.totalLimited };
  if (!analysis.onset) {
    return { ...base, limit: null, seconds: [], spread: null, burst: null, missing: `no sustained 429s in ${analysis.totalSent} requests: the ramp never passed the limit` };
  }
  const from = analysis.onset.second + 1 + options.drainSeconds;
  const excluded = new Set(options.excludeSeconds ?? []);
  const limitedAfter = sorted.filter((c) => c.second >= from && !excluded.has(c.second) && c.sent > 0 && c.limited > 0 && c.limited / c.sent >= options.saturatedRatio);
  const notEnough = (what: string, count: number): LimitEstimate => ({
    ...base, limit: null, seconds: [], spread: null, burst: null,
    missing: `429s began at second ${analysis.onset!.second}, but only ${count} second(s) after it ${what} (need ${options.minSeconds} to measure): lengthen --duration, or give k6 the CPU and VUs to keep to its plan`,
  });
  if (limitedAfter.length < options.minSeconds) return notEnough('were limited', limitedAfter.length);
  // Only seconds that can show the limit count: offered clearly more than it (a stalled generator sends a bunch
  // into an empty bucket and gets 429s while offering less), at a steady rate (while the offered rate rises or
  // jumps about, a window limiter lets more than its limit into a one-second bin: the tail of one window and the
  // head of the next). No fallback: a number from seconds that cannot show the limit would be a wrong number.
  const first = interquartileMean(limitedAfter.map(admitted))!;
  const sent = new Map(sorted.map((c) => [c.second, c.sent]));
  const near = (c: SecondCounts, other: number | undefined): boolean => other !== undefined && Math.abs(c.sent - other) <= STEADY_SHARE * c.sent;
  const saturated = limitedAfter.filter((c) => c.sent >= first * (1 + OFFERED_MARGIN) && (near(c, sent.get(c.second - 1)) || near(c, sent.get(c.second + 1))));
  if (saturated.length < options.minSeconds) return notEnough('were limited with a steady offered rate above the limit', saturated.length);
  const counts = saturated.map(admitted);
  const limit = upperMiddleMean(counts)!;
  return {
    ...base,
    limit,
    seconds: saturated.map((c) => c.second),
    spread: { min: Math.min(...counts), max: Math.max(...counts) },
    burst: burstBefore(sorted, analysis.onset.second, limit),
    missing: null,
  };
}

/**
 * What was admitted above `limit` from the start of the last run of seconds offered more than the limit, up to
 * and including the second after the onset (by then the burst is spent). Second 0 counts here: its bunched
 * arrivals are admitted out of the same burst.
 */
export function burstBefore(sorted: readonly SecondCounts[], onsetSecond: number, limit: number): number {
  const upTo = sorted.filter((c) => c.second <= onsetSecond + 1);
  let i = upTo.length - 1;
  while (i > 0 && upTo[i - 1]!.sent > limit) i--;
  const excess = upTo.slice(i).reduce((n, c) => n + (admitted(c) - limit), 0);
  return Math.max(0, Math.round(excess));
}

export interface LimitVerdict {
  ok: boolean;
  /** (measured - expected) / expected, when both are there. */
  relativeError: number | null;
  /** The accepted window of measured limits, when a limit is expected. */
  low: number | null;
  high: number | null;
  reason: string;
}

/**
 * The verdict is on the sustained limit: within ±tolerance of the expected one; without an expected limit
 * (the search), that one was measured at all.
 */
export function judgeLimit(estimate: LimitEstimate, expected: number | null, tolerance: number, shortfallSeconds: readonly number[] = []): LimitVerdict {
  const low = expected === null ? null : expected * (1 - tolerance);
  const high = expected === null ? null : expected * (1 + tolerance);
  const behind = shortfallSeconds.length === 0 ? '' : `; the load generator fell behind its plan in ${shortfallSeconds.length} second(s) (${shortfallSeconds.slice(0, 8).join(', ')}${shortfallSeconds.length > 8 ? ', ...' : ''}): give k6 more CPU or VUs`;
  if (estimate.limit === null) return { ok: false, relativeError: null, low, high, reason: `no sustained limit measured: ${estimate.missing}${behind}` };
  const measured = `sustained limit ${estimate.limit.toFixed(1)} req/s (admitted per second over ${estimate.seconds.length} limited seconds, ${estimate.seconds[0]}-${estimate.seconds[estimate.seconds.length - 1]})`;
  if (expected === null || low === null || high === null) return { ok: true, relativeError: null, low, high, reason: `${measured}; no expected limit given` };
  const relativeError = (estimate.limit - expected) / expected;
  const ok = estimate.limit >= low && estimate.limit <= high;
  const where = `${measured}, ${(relativeError * 100).toFixed(1)}% from the expected ${expected} req/s`;
  return { ok, relativeError, low, high, reason: ok ? where : `${where}: outside [${low.toFixed(1)}, ${high.toFixed(1)}]${behind}` };
}
