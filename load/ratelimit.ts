import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { rateLimitAnswerProblems } from './lib/checks.ts';
import { accountFor } from './lib/credentials.ts';
import { COMMON_OPTIONS, config, elapsedInScenarioMs, executionSegment, nextIteration, requireSecrets, secrets, send, summaryOutputs } from './lib/k6-runtime.ts';
import { pickProvider } from './lib/mix.ts';
import { bandOf, LIMITED_METRIC_PREFIX, planDuration, rampPlan, scheduledRate, searchPlan, secondMetricName, SENT_METRIC_PREFIX, seriesFromSummaryMetrics } from './lib/onset.ts';
import { rateLimitSection } from './lib/ratelimit-result.ts';
import { jwtLoginRequest } from './lib/requests.ts';
import { SEARCH_MEASURE_SECONDS, SEARCH_STOP_PREFIX, SearchTally } from './lib/search.ts';
import type { K6Summary } from './lib/summary.ts';

/**
 * The rate limit of one bucket (the JWT login of one project), measured: a ramping arrival rate past the limit,
 * every request into that bucket. Reports the sustained limit (what the target lets through per second once it
 * limits), the burst (how far past the limit it let the ramp go, in requests) and the onset (the offered rate
 * where 429s begin), and judges the limit. With an expected limit the ramp goes from half to one and a half
 * times it; without one it searches (doubling up to the profile's load.maxRate, stopping once 429s hold).
 * Thresholds: every 429 carries the documented error body and Retry-After; with an expected limit, 429s above
 * (1 + tolerance) x expected, and (judged from the series) none below (1 - tolerance) x expected.
 *   npm run load -- ratelimit --rate 200 --duration 40
 */

if (!config.ratelimit) throw new Error('ratelimit.ts: the run config has no ratelimit section (run it through `npm run load -- ratelimit`)');
const rl = config.ratelimit;
const expectedLimit = rl.expectedPerSecond ?? null;
const plan = expectedLimit !== null ? rampPlan(expectedLimit, config.durationSeconds) : searchPlan(rl.maxRate, config.durationSeconds);
const seconds = planDuration(plan);
const providers = config.providers;
if (providers.length === 0) throw new Error('ratelimit.ts: the config names no social provider');

// One counter per second of the run, so the series reaches handleSummary (see lib/onset.ts).
const sentPerSecond: Counter[] = [];
const limitedPerSecond: Counter[] = [];
for (let s = 0; s < seconds; s++) {
  sentPerSecond.push(new Counter(secondMetricName(SENT_METRIC_PREFIX, s)));
  limitedPerSecond.push(new Counter(secondMetricName(LIMITED_METRIC_PREFIX, s)));
}
/** 429 share, tagged with the band of the scheduled rate the request was sent at. */
const limited = new Rate('ratelimit_429');

export const options: Options = {
  ...COMMON_OPTIONS,
  scenarios: {
    ratelimit: {
      executor: 'ramping-arrival-rate',
      startRate: plan.startRate,
      timeUnit: '1s',
      // Enough VUs up front for answers of 0.2 s at the peak (starting one mid-ramp compiles the script and the
      // rate dips while it does); k6 adds more up to maxVUs when the target slows down. The search may never
      // need its top rate, so it starts with fewer.
      preAllocatedVUs: Math.min(config.maxVUs, expectedLimit !== null ? Math.max(40, Math.ceil(plan.endRate * 0.2)) : 100),
      maxVUs: config.maxVUs,
      stages: plan.stages.map((s) => ({ target: s.target, duration: `${s.seconds}s` })),
      gracefulStop: '5s',
    },
  },
  thresholds: {
    // No 429 below the band is judged in handleSummary from the series (lib/ratelimit-result.ts limitedBelow),
    // where a stall of the load generator can be told from a target that limits too early.
    ...(expectedLimit !== null ? { 'ratelimit_429{band:above}': ['rate>0'] } : {}),
    'checks{answer:429}': ['rate==1'],
    // 200 and 429 are the expected answers (responseCallback): any other answer is a failed request, and when
    // they run away the run stops; below the limit every answer must be a 200, so the SLO is strict.
    http_req_failed: ['rate<0.01', { threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: '5s' }],
  },
};

const expected = http.expectedStatuses(200, 429);
/**
 * The first second is left out of the bands: k6 starts its VUs together, so the first arrivals come bunched
 * rather than evenly spaced, and a bucket with a small burst answers that bunch with 429s at half the limit.
 * Those 429s still count in the series (the onset needs sustained 429s, so they cannot move it).
 */
const WARMUP_MS = 1000;
/** The search's stop rule sees only this VU's answers (k6 VUs share no memory); see lib/search.ts. */
const tally = new SearchTally();

export default function (): void {
  requireSecrets();
  const elapsed = elapsedInScenarioMs();
  const second = Math.floor(elapsed / 1000);
  const band = elapsed < WARMUP_MS ? 'warmup' : expectedLimit === null ? 'search' : bandOf(scheduledRate(plan, elapsed / 1000), expectedLimit, rl.tolerance);
  const { index, id } = nextIteration();
  const provider = pickProvider(providers, index);
  const spec = jwtLoginRequest(config, provider, accountFor(secrets, provider, id, index)!, rl.projectId);
  const res = send(spec, { responseCallback: expected });
  const isLimited = res.status === 429;
  sentPerSecond[second]?.add(1);
  if (isLimited) limitedPerSecond[second]?.add(1);
  limited.add(isLimited, { band });
  if (isLimited) {
    const problems = rateLimitAnswerProblems(res.status, res.headers, res.body, rl.retryAfterRequired);
    check(res, {
      '429 carries the documented error body': () => !problems.includes('body is not the documented error shape'),
      '429 carries a valid Retry-After (where pinned)': () => !problems.includes('Retry-After is missing or malformed'),
    }, { answer: '429' });
  }
  if (expectedLimit === null && elapsed >= WARMUP_MS) {
    tally.add(second, isLimited);
    // The search has found the limit once 429s have held long enough to drain a burst and measure: stop
    // rather than ramp on towards load.maxRate. handleSummary still runs; the runner reads exit code 108
    // with a summary that says so as a finished search, and keeps k6's error-level line of the abort out of the output.
    if (tally.shouldStop(second)) exec.test.abort(`${SEARCH_STOP_PREFIX}429s held for ${tally.holdSeconds} s, then ${SEARCH_MEASURE_SECONDS} s more; the limit is measured (second ${second})`);
  }
}

export function handleSummary(data: K6Summary): Record<string, string> {
  const series = seriesFromSummaryMetrics(data.metrics, seconds);
  const section = rateLimitSection({
    expectedPerSecond: expectedLimit,
    tolerance: rl.tolerance,
    burst: rl.burst ?? null,
    plan,
    series,
    // Second 0 of the series is the start of the scenario, which follows the start of the test closely.
    startedAtMs: Date.now() - Math.round(data.state?.testRunDurationMs ?? 0),
    segment: executionSegment(),
  });
  const m = section.measured!;
  const lines = [
    `sustained limit: ${m.limitPerSecond === null ? 'not measured' : `${m.limitPerSecond} req/s`}${expectedLimit !== null ? ` (expected ${expectedLimit})` : ' (searched, none expected)'} ${section.verdict.ok ? 'ok' : 'FAIL'}`,
    `burst: ${m.burstRequests === null ? 'n/a' : `${m.burstRequests} requests past the limit`}; 429 onset: ${m.onsetPerSecond === null ? 'none' : `${m.onsetPerSecond} req/s at second ${section.onset!.second}`}`,
    section.verdict.reason,
    ...(section.below ? [`${section.below.ok ? 'ok' : 'FAIL'}: ${section.below.reason}`] : []),
  ];
  const scenario = expectedLimit !== null
    ? `ramping-arrival-rate ${plan.startRate} -> ${plan.endRate} req/s over ${seconds} s, expected limit ${expectedLimit} req/s`
    : `ramping-arrival-rate search ${plan.startRate} -> ${plan.endRate} req/s (doubling) over at most ${seconds} s, no expected limit`;
  return summaryOutputs(data, { scenario, ratelimit: section }, lines);
}
