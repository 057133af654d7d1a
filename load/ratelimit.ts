import { check } from 'k6';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { rateLimitAnswerProblems } from './lib/checks.ts';
import { accountFor } from './lib/credentials.ts';
import { COMMON_OPTIONS, config, elapsedInScenarioMs, nextIteration, requireSecrets, secrets, send, summaryOutputs } from './lib/k6-runtime.ts';
import { pickProvider } from './lib/mix.ts';
import {
  bandOf, DEFAULT_ONSET_OPTIONS, findOnset, generatorShortfall, judgeOnset, LIMITED_METRIC_PREFIX, planDuration, predictedOvershoot, rampPlan,
  rampSlope, scheduledRate, secondMetricName, SENT_METRIC_PREFIX, seriesFromSummaryMetrics,
} from './lib/onset.ts';
import { jwtLoginRequest } from './lib/requests.ts';
import type { K6Summary } from './lib/summary.ts';

/**
 * The 429 threshold: a ramping arrival rate from half to one and a half times the expected limit, every
 * request to one rate-limited bucket (the JWT login of one project). Reports the request rate at which 429s
 * begin; thresholds: no 429 below (1 - tolerance) x expected, 429s present above (1 + tolerance) x expected,
 * and every 429 carries the documented error body and Retry-After.
 *   npm run load -- ratelimit --rate 200 --duration 40
 */

if (!config.ratelimit) throw new Error('ratelimit.ts: the run config has no ratelimit section (run it through `npm run load -- ratelimit`)');
const rl = config.ratelimit;
const plan = rampPlan(rl.expectedPerSecond, config.durationSeconds);
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
      // Every VU up front: starting one mid-ramp compiles the script and the rate dips while it does.
      preAllocatedVUs: config.maxVUs,
      maxVUs: config.maxVUs,
      stages: plan.stages.map((s) => ({ target: s.target, duration: `${s.seconds}s` })),
      gracefulStop: '5s',
    },
  },
  thresholds: {
    'ratelimit_429{band:below}': ['rate==0'],
    'ratelimit_429{band:above}': ['rate>0'],
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

export default function (): void {
  requireSecrets();
  const elapsed = elapsedInScenarioMs();
  const second = Math.floor(elapsed / 1000);
  const band = elapsed < WARMUP_MS ? 'warmup' : bandOf(scheduledRate(plan, elapsed / 1000), rl.expectedPerSecond, rl.tolerance);
  const { index, id } = nextIteration();
  const provider = pickProvider(providers, index);
  const spec = jwtLoginRequest(config, provider, accountFor(secrets, provider, id, index)!, rl.projectId);
  const res = send(spec, { responseCallback: expected });
  const isLimited = res.status === 429;
  sentPerSecond[second]?.add(1);
  if (isLimited) limitedPerSecond[second]?.add(1);
  limited.add(isLimited, { band });
  if (isLimited) {
    const problems = rateLimitAnswerProblems(res.status, res.headers, res.body);
    check(res, {
      '429 carries the documented error body': () => !problems.includes('body is not the documented error shape'),
      '429 carries Retry-After': () => !problems.includes('Retry-After is missing or malformed'),
    }, { answer: '429' });
  }
}

export function handleSummary(data: K6Summary): Record<string, string> {
  const series = seriesFromSummaryMetrics(data.metrics, seconds);
  const analysis = findOnset(series, DEFAULT_ONSET_OPTIONS);
  const allowance = predictedOvershoot(rl.burst ?? 0, rampSlope(plan, rl.expectedPerSecond));
  const verdict = judgeOnset(analysis, rl.expectedPerSecond, rl.tolerance, allowance, generatorShortfall(series, plan));
  const onsetLine = analysis.onset
    ? `429 onset: ${analysis.onset.rate} req/s at second ${analysis.onset.second} (expected ${rl.expectedPerSecond}; accepted once limited: ${analysis.onset.acceptedRate ?? 'n/a'} req/s) ${verdict.ok ? 'ok' : 'FAIL'}`
    : `429 onset: none seen (expected ${rl.expectedPerSecond} req/s) FAIL`;
  return summaryOutputs(data, {
    scenario: `ramping-arrival-rate ${plan.startRate} -> ${plan.endRate} req/s over ${seconds} s, expected limit ${rl.expectedPerSecond} req/s`,
    ratelimit: {
      expectedPerSecond: rl.expectedPerSecond,
      tolerance: rl.tolerance,
      burst: rl.burst ?? null,
      plan,
      series,
      onset: analysis.onset,
      firstLimitedSecond: analysis.firstLimitedSecond,
      verdict,
    },
  }, [onsetLine]);
}
