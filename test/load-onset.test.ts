import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  bandOf, findOnset, generatorShortfall, judgeOnset, mergeSeries, planDuration, predictedOvershoot, rampPlan, rampSlope, scheduledRate, secondMetricName,
  SENT_METRIC_PREFIX, LIMITED_METRIC_PREFIX, seriesFromSummaryMetrics, type RampPlan, type SecondCounts,
} from '../load/lib/onset.ts';
import type { K6Summary } from '../load/lib/summary.ts';

/** The plan the recorded runs used (an earlier, straight ramp 100 -> 300 req/s over 20 s). */
const RECORDED_PLAN: RampPlan = { startRate: 100, endRate: 300, stages: [{ target: 100, seconds: 2 }, { target: 300, seconds: 16 }, { target: 300, seconds: 2 }] };

const recorded = (name: string): K6Summary => JSON.parse(readFileSync(new URL(`./fixtures/load/${name}`, import.meta.url), 'utf8')) as K6Summary;

/**
 * A token bucket (as a server implements one) fed by the ramp at evenly spaced arrivals: the series k6 would
 * record against a server with this limit and burst.
 */
function simulateBucket(plan: RampPlan, limit: number, burst: number): SecondCounts[] {
  const seconds = planDuration(plan);
  const out: SecondCounts[] = Array.from({ length: seconds }, (_, second) => ({ second, sent: 0, limited: 0 }));
  let tokens = burst;
  let last = 0;
  let t = 0;
  while (t < seconds) {
    tokens = Math.min(burst, tokens + (t - last) * limit);
    last = t;
    const bin = out[Math.floor(t)]!;
    bin.sent++;
    if (tokens >= 1) tokens -= 1;
    else bin.limited++;
    t += 1 / scheduledRate(plan, t);
  }
  return out;
}

test('the ramp: half the limit, quickly to 0.85x, slowly through the limit to 1.15x, then to 1.5x and a hold of 30%; it covers the duration', () => {
  const plan = rampPlan(200, 40);
  assert.equal(plan.startRate, 100);
  assert.equal(plan.endRate, 300);
  assert.deepEqual(plan.stages, [
    { target: 100, seconds: 2 },
    { target: 170, seconds: 6 },
    { target: 230, seconds: 16 },
    { target: 300, seconds: 4 },
    { target: 300, seconds: 12 },
  ]);
  assert.equal(planDuration(plan), 40);
  assert.equal(scheduledRate(plan, 0), 100);
  assert.equal(scheduledRate(plan, 5), 135);
  assert.equal(scheduledRate(plan, 16), 200);
  assert.equal(scheduledRate(plan, 39), 300);
  assert.equal(rampSlope(plan, 200), 60 / 16);
  assert.equal(rampSlope(plan, 120), 70 / 6);
  assert.equal(rampSlope(plan, 1000), 0);
  for (const [limit, seconds] of [[10, 5], [40, 10], [1000, 40], [50, 3600]] as const) {
    const p = rampPlan(limit, seconds);
    assert.equal(planDuration(p), seconds, `${limit}/${seconds}`);
    assert.ok(p.stages.every((s) => s.seconds >= 1 && Number.isInteger(s.target)), `${limit}/${seconds}`);
  }
});

test('bands: below, near and above the expected limit with the tolerance', () => {
  assert.equal(bandOf(179, 200, 0.1), 'below');
  assert.equal(bandOf(180, 200, 0.1), 'near');
  assert.equal(bandOf(220, 200, 0.1), 'near');
  assert.equal(bandOf(221, 200, 0.1), 'above');
});

test('predicted overshoot of a token bucket on a linear ramp: sqrt(2 burst slope)', () => {
  assert.equal(predictedOvershoot(10, 5), 10);
  assert.equal(predictedOvershoot(0, 5), 0);
  assert.equal(predictedOvershoot(10, 0), 0);
});

for (const limit of [50, 200, 1000]) {
  test(`a token bucket of ${limit} req/s with burst ceil(R/10): onset found within ±10% and close to the prediction`, () => {
    const plan = rampPlan(limit, 40);
    const burst = Math.ceil(limit / 10);
    const analysis = findOnset(simulateBucket(plan, limit, burst));
    assert.ok(analysis.onset, 'an onset');
    const error = (analysis.onset.rate - limit) / limit;
    assert.ok(Math.abs(error) <= 0.1, `onset ${analysis.onset.rate} vs ${limit}`);
    // the bucket lets the ramp past the limit by about sqrt(2 burst slope), plus up to one second of ramp
    const slope = rampSlope(plan, limit);
    const predicted = limit + predictedOvershoot(burst, slope);
    assert.ok(Math.abs(analysis.onset.rate - predicted) <= slope + 2, `onset ${analysis.onset.rate}, predicted ${predicted.toFixed(1)}`);
    // once limiting, the bucket lets exactly its rate through
    assert.ok(Math.abs(analysis.onset.acceptedRate! - limit) <= limit * 0.02 + 1, `accepted ${analysis.onset.acceptedRate}`);
    assert.equal(judgeOnset(analysis, limit, 0.1).ok, true);
  });
}

test('a burst of a whole second delays the onset past +10%; the known burst widens the verdict by the prediction', () => {
  const plan = rampPlan(200, 40);
  const analysis = findOnset(simulateBucket(plan, 200, 200));
  assert.ok(analysis.onset);
  assert.ok(analysis.onset.rate > 220, `onset ${analysis.onset.rate}`);
  assert.equal(judgeOnset(analysis, 200, 0.1).ok, false);
  assert.equal(judgeOnset(analysis, 200, 0.1, predictedOvershoot(200, rampSlope(plan, 200))).ok, true);
});

test('a lone early 429 is not the onset; sustained 429s are', () => {
  const series: SecondCounts[] = [
    { second: 0, sent: 50, limited: 0 },
    { second: 1, sent: 60, limited: 1 },
    { second: 2, sent: 70, limited: 0 },
    { second: 3, sent: 80, limited: 0 },
    { second: 4, sent: 90, limited: 5 },
    { second: 5, sent: 100, limited: 15 },
    { second: 6, sent: 110, limited: 25 },
  ];
  const analysis = findOnset(series);
  assert.equal(analysis.firstLimitedSecond, 1);
  assert.deepEqual(analysis.onset, { second: 4, rate: 90, acceptedRate: 85 });
  assert.equal(analysis.totalSent, 560);
  assert.equal(analysis.totalLimited, 46);
});

test('no 429 at all: no onset, and the verdict says so', () => {
  const analysis = findOnset([{ second: 0, sent: 10, limited: 0 }, { second: 1, sent: 20, limited: 0 }]);
  assert.equal(analysis.onset, null);
  const verdict = judgeOnset(analysis, 15, 0.1);
  assert.equal(verdict.ok, false);
  assert.match(verdict.reason, /no sustained 429s in 30 requests/);
});

test('per-second counters are read back from a summary; missing seconds count as zero', () => {
  const metrics = {
    [secondMetricName(SENT_METRIC_PREFIX, 0)]: { values: { count: 5 } },
    [secondMetricName(SENT_METRIC_PREFIX, 2)]: { values: { count: 7 } },
    [secondMetricName(LIMITED_METRIC_PREFIX, 2)]: { values: { count: 3 } },
  };
  assert.equal(secondMetricName(SENT_METRIC_PREFIX, 7), 'ratelimit_sent_s0007');
  assert.deepEqual(seriesFromSummaryMetrics(metrics, 3), [
    { second: 0, sent: 5, limited: 0 },
    { second: 1, sent: 0, limited: 0 },
    { second: 2, sent: 7, limited: 3 },
  ]);
});

test('recorded k6 run against the simulator at --rate-limit 200 --burst 10: onset 207 req/s at second 10', () => {
  const summary = recorded('ratelimit-200.summary.json');
  const series = seriesFromSummaryMetrics(summary.metrics, 20);
  const analysis = findOnset(series);
  assert.deepEqual(analysis.onset, { second: 10, rate: 207, acceptedRate: 199 });
  assert.equal(analysis.firstLimitedSecond, 10);
  const verdict = judgeOnset(analysis, 200, 0.1);
  assert.equal(verdict.ok, true);
  assert.equal(verdict.relativeError, 0.035);
  // the script's own handleSummary came to the same answer from the same summary
  assert.deepEqual(summary.harness?.ratelimit?.onset, analysis.onset);
});

test('recorded run on an overloaded machine: 429s from 100 req/s are reported as an onset far off, not hidden', () => {
  const summary = recorded('ratelimit-200-busy-machine.summary.json');
  const analysis = findOnset(seriesFromSummaryMetrics(summary.metrics, 20));
  assert.deepEqual(analysis.onset?.second, 4);
  assert.equal(analysis.onset?.rate, 100);
  assert.equal(judgeOnset(analysis, 200, 0.1).ok, false);
  // and the generator fell behind the plan there: the verdict says the measurement, not the target, is suspect
  const plan = RECORDED_PLAN;
  const behind = generatorShortfall(seriesFromSummaryMetrics(summary.metrics, 20), plan);
  assert.ok(behind.includes(14) && behind.includes(15), behind.join(','));
  assert.match(judgeOnset(analysis, 200, 0.1, 0, behind).reason, /load generator fell behind the plan/);
});

test('a generator that keeps to the plan has no shortfall', () => {
  const plan = RECORDED_PLAN;
  assert.deepEqual(generatorShortfall(seriesFromSummaryMetrics(recorded('ratelimit-200.summary.json').metrics, 20), plan).filter((s) => s !== 5), []);
});

test('N instances of one distributed run: their series add up second by second, and the onset is the whole\'s', () => {
  const whole = seriesFromSummaryMetrics(recorded('ratelimit-200.summary.json').metrics, 20);
  // two execution segments of the same run: each saw about half of every second
  const half = (c: SecondCounts, odd: boolean): SecondCounts => ({ second: c.second, sent: odd ? Math.ceil(c.sent / 2) : Math.floor(c.sent / 2), limited: odd ? Math.ceil(c.limited / 2) : Math.floor(c.limited / 2) });
  const merged = mergeSeries([whole.map((c) => half(c, true)), whole.map((c) => half(c, false))]);
  assert.deepEqual(merged, whole);
  assert.deepEqual(findOnset(merged).onset, findOnset(whole).onset);
  assert.ok(findOnset(whole.map((c) => half(c, false))).onset!.rate < 110, 'one instance alone sees half the rate');
});
