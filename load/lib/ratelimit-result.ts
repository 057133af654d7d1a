import { estimateLimit, judgeLimit, DEFAULT_LIMIT_OPTIONS } from './limit-estimate.ts';
import { generatorShortfall, mergeSeries, planDuration, scheduledRate, type RampPlan, type SecondCounts } from './onset.ts';
import type { RateLimitSection } from './summary.ts';

/**
 * The ratelimit.ts result of one instance, or of N instances merged, from its per-second series: the
 * measurements (limit, burst, onset) and the verdict on the limit. Pure: ratelimit.ts's handleSummary calls it
 * in k6, the merge of N instances (`npm run load -- ratelimit --instances N`, load/report/ratelimit-onset.ts)
 * calls it again on the added series.
 */

export interface RateLimitInput {
  expectedPerSecond: number | null;
  tolerance: number;
  burst: number | null;
  plan: RampPlan;
  series: SecondCounts[];
  startedAtMs?: number;
  segment?: string | null;
  instances?: number;
}

export function rateLimitSection(input: RateLimitInput): RateLimitSection {
  const mode = input.expectedPerSecond === null ? 'search' : 'expected';
  const planned = planDuration(input.plan);
  // The search stops the run early (test.abort): its last second is cut short, so it is left out.
  const lastSent = [...input.series].reverse().find((c) => c.sent > 0)?.second;
  const untilSecond = mode === 'search' && lastSent !== undefined ? Math.min(planned, lastSent) : planned;
  // Where the generator fell behind its plan (only the whole run knows its plan: an instance sends a share). Not
  // left out of the measurement: a generator that offers 1200 req/s of a planned 1500 still saturates a limit of
  // 1000, and the admitted count shows it; seconds that cannot show the limit are left out by what they hold.
  const shortfall = input.segment ? [] : generatorShortfall(input.series.filter((c) => c.second < untilSecond), input.plan);
  const estimate = estimateLimit(input.series, { ...DEFAULT_LIMIT_OPTIONS, untilSecond });
  // One instance of N sees its share of the traffic and of what the target admitted: its numbers are not the
  // target's limit, so it is not judged; the merge of all instances is (mergeRateLimitSections).
  const verdict = input.segment
    ? { ok: true, relativeError: null, low: null, high: null, reason: `instance ${input.segment}: its share of the run only, not judged; the limit is judged on the merge of all instances (load/report/ratelimit-onset.ts)` }
    : judgeLimit(estimate, input.expectedPerSecond, input.tolerance, shortfall);
  const below = input.expectedPerSecond === null || input.segment ? null : limitedBelow(input.series, input.plan, input.expectedPerSecond, input.tolerance, shortfall);
  return {
    expectedPerSecond: input.expectedPerSecond,
    tolerance: input.tolerance,
    burst: input.burst,
    mode,
    plan: input.plan,
    series: input.series,
    ...(input.startedAtMs !== undefined ? { startedAtMs: input.startedAtMs } : {}),
    ...(input.segment !== undefined ? { segment: input.segment } : {}),
    ...(input.instances !== undefined ? { instances: input.instances } : {}),
    measured: {
      limitPerSecond: estimate.limit === null ? null : Math.round(estimate.limit * 10) / 10,
      burstRequests: estimate.burst,
      onsetPerSecond: estimate.onset?.rate ?? null,
      seconds: estimate.seconds,
      spread: estimate.spread,
    },
    onset: estimate.onset,
    firstLimitedSecond: estimate.firstLimitedSecond,
    verdict,
    ...(below ? { below } : {}),
  };
}

/**
 * No 429 below (1 - tolerance) x the expected limit: the seconds whose whole plan lies below that band, after
 * the first (bunched VU start), must hold no 429. A second next to one where the generator fell behind its
 * plan is excused: a stalled generator sends what it missed in a bunch, and a limiter with a small burst
 * rightly refuses a bunch; that is the load generator's doing, not the target's.
 */
export function limitedBelow(series: readonly SecondCounts[], plan: RampPlan, expected: number, tolerance: number, shortfall: readonly number[]): NonNullable<RateLimitSection['below']> {
  const bound = (1 - tolerance) * expected;
  const behind = new Set(shortfall);
  const offending: number[] = [];
  const excused: number[] = [];
  for (const c of series) {
    if (c.second < 1 || c.limited === 0 || scheduledRate(plan, c.second + 1) >= bound) continue;
    if (behind.has(c.second - 1) || behind.has(c.second) || behind.has(c.second + 1)) excused.push(c.second);
    else offending.push(c.second);
  }
  const count = (seconds: number[]): number => series.filter((c) => seconds.includes(c.second)).reduce((n, c) => n + c.limited, 0);
  const ok = offending.length === 0;
  const reason = ok
    ? `no 429 below ${bound.toFixed(1)} req/s${excused.length > 0 ? ` (${count(excused)} in second(s) ${excused.join(', ')}, where the load generator fell behind its plan and bunched its requests)` : ''}`
    : `${count(offending)} 429(s) below ${bound.toFixed(1)} req/s, in second(s) ${offending.join(', ')}, while the load generator kept to its plan: the target limits below the expected ${expected} req/s`;
  return { ok, offendingSeconds: offending, excusedSeconds: excused, reason };
}

/**
 * The sections of N instances of one run, merged: their series added second by second, lined up by when each
 * instance's second 0 began (instances started by hand or by separate processes start up to a few seconds
 * apart), then measured and judged as one.
 */
export function mergeRateLimitSections(sections: readonly RateLimitSection[]): RateLimitSection {
  if (sections.length === 0) throw new Error('no ratelimit sections to merge');
  const first = sections[0]!;
  const starts = sections.map((s) => s.startedAtMs).filter((t): t is number => t !== undefined);
  const origin = starts.length === sections.length ? Math.min(...starts) : undefined;
  const shifted = sections.map((s) => {
    const offset = origin === undefined ? 0 : Math.round((s.startedAtMs! - origin) / 1000);
    return s.series.map((c) => ({ ...c, second: c.second + offset }));
  });
  return rateLimitSection({
    expectedPerSecond: first.expectedPerSecond,
    tolerance: first.tolerance,
    burst: first.burst,
    plan: first.plan,
    series: mergeSeries(shifted),
    ...(origin !== undefined ? { startedAtMs: origin } : {}),
    segment: null,
    instances: sections.length,
  });
}

/**
 * The harness section on stdout, one line with this prefix: a k6-operator runner's pod (and its files) is gone
 * when the run ends, its log is what the cluster keeps (`kubectl logs`), and the merge reads it from there.
 */
export const HARNESS_LINE_PREFIX = 'k6-harness-summary ';

/** Every harness line in a log (k6 output, `kubectl logs`), parsed. */
export function harnessLinesIn(text: string): unknown[] {
  const out: unknown[] = [];
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(HARNESS_LINE_PREFIX);
    if (at < 0) continue;
    try {
      out.push(JSON.parse(line.slice(at + HARNESS_LINE_PREFIX.length)));
    } catch {
      /* a line cut short by the log: not a summary */
    }
  }
  return out;
}

/** File name of an instance's summary: per execution segment, so N instances on one machine do not overwrite one another. */
export function summaryFileName(segment: string | null | undefined): string {
  if (!segment) return 'summary.json';
  return `summary.segment-${segment.replace(/\//g, '_').replace(/:/g, '-')}.json`;
}
