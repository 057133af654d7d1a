import assert from 'node:assert/strict';
import { test } from 'node:test';
import { burstBefore, DEFAULT_LIMIT_OPTIONS, estimateLimit, interquartileMean, judgeLimit, upperMiddleMean } from '../load/lib/limit-estimate.ts';
import { mergeSummaries } from '../load/lib/merge-summaries.ts';
import { findOnset, judgeOnset, planDuration, rampPlan, scheduledRate, searchPlan, type RampPlan, type SecondCounts } from '../load/lib/onset.ts';
import { harnessLinesIn, HARNESS_LINE_PREFIX, mergeRateLimitSections, rateLimitSection, summaryFileName } from '../load/lib/ratelimit-result.ts';
import { SearchTally } from '../load/lib/search.ts';
import type { K6Summary } from '../load/lib/summary.ts';
import { LIMITER_KINDS, RateLimiter, type LimiterKind } from '../sim/rate-limiter.ts';

/**
 * Synthetic per-second series, the way ratelimit.ts records them, from the simulator's own limiters (the same
 * code a run talks to over HTTP) driven in virtual time by the ramp: arrivals as the plan schedules them,
 * optionally with a starved generator (stalls, then the missed arrivals in a bunch, as k6 does when it falls
 * behind). Each limiter kind, each burst, the rates of the benchmark and the ones the report found wrong.
 */

interface Drive {
  kind: LimiterKind;
  limit: number;
  burst: number;
  plan: RampPlan;
  /** Every `everySeconds`, the generator stops for `ms` and then sends what it missed at once. */
  stall?: { everySeconds: number; ms: number };
  /** Stop sending when this says so (the search's stop rule), given the second and whether the answer was 429. */
  stopWhen?: (second: number, limited: boolean, index: number) => boolean;
  /** Where the server's clock is when the run starts (windows do not line up with the run's seconds). */
  phaseMs?: number;
}

function drive(d: Drive): SecondCounts[] {
  const seconds = planDuration(d.plan);
  const out: SecondCounts[] = Array.from({ length: seconds }, (_, second) => ({ second, sent: 0, limited: 0 }));
  const clock = { now: 0 };
  const limiter = new RateLimiter(d.kind, () => clock.now);
  const limit = { ratePerSecond: d.limit, burst: d.burst };
  let t = 0;
  let index = 0;
  while (t < seconds) {
    let sentAt = t;
    if (d.stall) {
      const into = t % d.stall.everySeconds;
      if (into < d.stall.ms / 1000) sentAt = t - into + d.stall.ms / 1000; // held back, sent at the end of the stall
    }
    clock.now = (d.phaseMs ?? 0) + sentAt * 1000;
    const bin = out[Math.floor(t)]!;
    bin.sent++;
    const limited = !limiter.take('project', limit).allowed;
    if (limited) bin.limited++;
    if (d.stopWhen?.(Math.floor(t), limited, index++)) break;
    t += 1 / scheduledRate(d.plan, t);
  }
  return out;
}

const within = (measured: number | null, truth: number, share: number): boolean => measured !== null && Math.abs(measured - truth) <= truth * share;

for (const kind of LIMITER_KINDS) {
  for (const limit of [30, 50, 200, 800, 1000]) {
    for (const burstSeconds of [0.1, 1]) {
      const burst = Math.max(1, Math.ceil(limit * burstSeconds));
      test(`${kind}, ${limit} req/s, burst ${burst} (${burstSeconds} s): the sustained limit within ±2% on a 40 s and a 20 s ramp`, () => {
        for (const duration of [40, 20]) {
          const plan = rampPlan(limit, duration);
          const estimate = estimateLimit(drive({ kind, limit, burst, plan, phaseMs: 437 }));
          // A sliding log of a few requests admits less than burst / window under overload: a slot that frees
          // waits for the next arrival (about 1 / (3 burst) of the window at 1.5x the limit). That is the
          // target's real sustained rate, and the estimate measures it; the other kinds admit the limit exactly.
          const loss = kind === 'sliding-window' ? 1 / (3 * burst) : 0;
          const truth = limit * (1 - loss);
          assert.ok(within(estimate.limit, truth, 0.02), `${duration} s: measured ${estimate.limit}, admitted ${truth.toFixed(1)} (${estimate.missing ?? ''})`);
          if (loss < 0.03) assert.equal(judgeLimit(estimate, limit, 0.05).ok, true);
          assert.ok(estimate.onset && estimate.onset.rate >= limit * 0.95, `onset ${estimate.onset?.rate}`);
          if (kind === 'token-bucket' || kind === 'gcra') {
            // The burst the ramp measures is the bucket: within a second of ramp (the one-second bins' resolution).
            assert.ok(estimate.burst !== null && Math.abs(estimate.burst - burst) <= Math.max(3, burst * 0.15 + limit * 0.05), `${duration} s: burst ${estimate.burst}, configured ${burst}`);
          } else {
            // A window limiter never admits more than its quota per window: nothing measurable past the limit.
            assert.ok(estimate.burst !== null && estimate.burst <= burst, `${duration} s: burst ${estimate.burst} > ${burst}`);
          }
        }
      });
    }
  }
}

test('the case the onset got wrong: a token bucket holding one second of burst, not stated in the profile', () => {
  for (const limit of [30, 200, 800]) {
    const plan = rampPlan(limit, 40);
    const series = drive({ kind: 'token-bucket', limit, burst: limit, plan });
    // The onset lands 15-25% past the limit and fails a ±10% verdict...
    const onset = findOnset(series);
    assert.ok(onset.onset && onset.onset.rate > limit * 1.14, `onset ${onset.onset?.rate} for ${limit}`);
    assert.equal(judgeOnset(onset, limit, 0.1).ok, false);
    // ...while what the target let through once limiting is the limit, and the burst is the second of tokens.
    const estimate = estimateLimit(series);
    assert.ok(within(estimate.limit, limit, 0.01), `limit ${estimate.limit} for ${limit}`);
    assert.ok(estimate.burst !== null && Math.abs(estimate.burst - limit) <= limit * 0.15 + 2, `burst ${estimate.burst} for ${limit}`);
    const section = rateLimitSection({ expectedPerSecond: limit, tolerance: 0.1, burst: null, plan, series });
    assert.equal(section.verdict.ok, true, section.verdict.reason);
    assert.equal(section.measured?.onsetPerSecond, onset.onset!.rate);
  }
});

test('a starved generator (stalls of 300 ms, then a bunch) does not move the limit by more than 5%', () => {
  for (const kind of LIMITER_KINDS) {
    for (const [limit, burstSeconds] of [[200, 0.1], [1000, 0.1], [1000, 1]] as const) {
      const burst = Math.ceil(limit * burstSeconds);
      const estimate = estimateLimit(drive({ kind, limit, burst, plan: rampPlan(limit, 30), stall: { everySeconds: 2.3, ms: 300 } }));
      assert.ok(within(estimate.limit, limit, 0.05), `${kind} ${limit}/${burst}: measured ${estimate.limit}`);
    }
  }
});

test('the search: without an expected limit, the doubling ramp stops once 429s hold and the limit is measured', () => {
  for (const kind of LIMITER_KINDS) {
    for (const [limit, burstSeconds] of [[37, 1], [240, 0.1], [240, 1], [900, 1]] as const) {
      const burst = Math.ceil(limit * burstSeconds);
      const plan = searchPlan(5000, 60);
      // 40 VUs take the arrivals in turn; each keeps its own tally, and the first that sees the 429s hold stops the run.
      const vus = Array.from({ length: 40 }, () => new SearchTally());
      let stoppedAt: number | null = null;
      const series = drive({
        kind, limit, burst, plan,
        stopWhen: (second, limited, index) => {
          if (second < 1) return false;
          const vu = vus[index % vus.length]!;
          vu.add(second, limited);
          if (vu.shouldStop(second)) stoppedAt = second;
          return stoppedAt !== null;
        },
      });
      assert.notEqual(stoppedAt, null, `${kind} ${limit}: the search never stopped`);
      const section = rateLimitSection({ expectedPerSecond: null, tolerance: 0.1, burst: null, plan, series });
      assert.equal(section.mode, 'search');
      assert.equal(section.verdict.ok, true, `${kind} ${limit}/${burst}, stopped at ${stoppedAt}: ${section.verdict.reason} ${JSON.stringify(series.slice(0, (stoppedAt ?? 0) + 1).map((c) => [c.sent, c.limited]))}`);
      assert.ok(within(section.measured!.limitPerSecond, limit, 0.05), `${kind} ${limit}/${burst}: measured ${section.measured!.limitPerSecond}, stopped at second ${stoppedAt}`);
      const peak = Math.max(...series.map((c) => c.sent));
      assert.ok(peak < limit * 5, `${kind} ${limit}: the search went on to ${peak} req/s`);
    }
  }
});

test('the search plan: a staircase doubling from maxRate/256 up to maxRate over the duration, one second up and a hold', () => {
  const plan = searchPlan(5000, 64);
  assert.equal(plan.startRate, 20);
  assert.equal(plan.endRate, 5000);
  assert.equal(planDuration(plan), 64);
  assert.deepEqual(plan.stages.filter((_, i) => i % 2 === 1).map((s) => s.target), [39, 78, 156, 313, 625, 1250, 2500, 5000]);
  assert.deepEqual(plan.stages.slice(0, 4), [{ target: 39, seconds: 1 }, { target: 39, seconds: 7 }, { target: 78, seconds: 1 }, { target: 78, seconds: 7 }]);
  assert.ok(searchPlan(1000, 30).stages.every((s) => s.seconds >= 1));
  assert.ok(searchPlan(10, 8).stages.every((s) => s.target >= 2 && s.seconds >= 0), JSON.stringify(searchPlan(10, 8)));
});

test('a lone early 429 does not stop the search; 429s in every pair of the hold do', () => {
  const tally = new SearchTally(8);
  for (let s = 1; s < 20; s++) for (let i = 0; i < 3; i++) tally.add(s, s === 2 && i === 0);
  assert.equal(tally.limitHeld(20), false);
  for (let s = 20; s < 29; s++) for (let i = 0; i < 3; i++) tally.add(s, s % 2 === 0 && i === 0); // 1 in 6: 17%
  assert.equal(tally.limitHeld(26), false, 'the pairs must all be past the start of the 429s');
  assert.equal(tally.limitHeld(27), true);
  assert.equal(tally.shouldStop(27), false, 'held: the run goes on a few seconds to measure');
  assert.equal(tally.shouldStop(31), true);
});

test('seconds that cannot show the limit are not used: a generator that never kept a steady rate above it gives no number', () => {
  // 429s in every second, but the offered rate jumps about (a starved generator): no wrong number, a reason
  const erratic: SecondCounts[] = [120, 60, 150, 70, 140, 55, 160, 80, 130, 65].map((sent, second) => ({ second, sent, limited: Math.max(1, sent - 100) }));
  const estimate = estimateLimit(erratic);
  assert.equal(estimate.limit, null);
  assert.match(estimate.missing!, /with a steady offered rate above the limit/);
  // seconds where the generator fell behind its plan are left out when named
  const steady: SecondCounts[] = Array.from({ length: 10 }, (_, second) => ({ second, sent: 200, limited: 50 }));
  steady[6] = { second: 6, sent: 200, limited: 120 };
  assert.equal(estimateLimit(steady, { ...DEFAULT_LIMIT_OPTIONS, excludeSeconds: [6] }).seconds.includes(6), false);
});

test('no sustained 429s, or too few limited seconds: no limit, and the verdict says why', () => {
  const flat: SecondCounts[] = Array.from({ length: 10 }, (_, second) => ({ second, sent: 100, limited: 0 }));
  const none = estimateLimit(flat);
  assert.equal(none.limit, null);
  assert.match(judgeLimit(none, 100, 0.1).reason, /no sustained 429s in 1000 requests/);
  const late = flat.map((c) => (c.second >= 8 ? { ...c, limited: 20 } : c));
  const short = estimateLimit(late);
  assert.equal(short.limit, null);
  assert.match(short.missing!, /only 1 second\(s\) after it were limited/);
  assert.equal(judgeLimit(short, 100, 0.1).ok, false);
});

test('the verdict: within ±tolerance of the expected limit; without one, measured at all', () => {
  const offered = (second: number): number => (second < 5 ? 100 + second * 20 : 200);
  const series: SecondCounts[] = Array.from({ length: 12 }, (_, second) => ({ second, sent: offered(second), limited: Math.max(0, offered(second) - 150) }));
  const estimate = estimateLimit(series);
  assert.equal(estimate.limit, 150);
  assert.equal(judgeLimit(estimate, 150, 0.05).ok, true);
  assert.equal(judgeLimit(estimate, 140, 0.05).ok, false);
  assert.match(judgeLimit(estimate, 140, 0.05).reason, /7\.1% from the expected 140 req\/s: outside \[133\.0, 147\.0\]/);
  const searched = judgeLimit(estimate, null, 0.05);
  assert.equal(searched.ok, true);
  assert.equal(searched.relativeError, null);
});

test('interquartile mean and the burst past the limit', () => {
  assert.equal(interquartileMean([1, 100, 100, 101, 99, 1000, 100, 100]), 100);
  assert.equal(interquartileMean([]), null);
  // stalled seconds below the limit, one bin-edge outlier above: the upper middle is the limit
  assert.equal(upperMiddleMean([150, 170, 200, 200, 199, 200, 180, 200, 200, 260]), 200);
  const series: SecondCounts[] = [
    { second: 0, sent: 80, limited: 0 }, { second: 1, sent: 95, limited: 0 }, { second: 2, sent: 120, limited: 0 },
    { second: 3, sent: 130, limited: 0 }, { second: 4, sent: 140, limited: 25 }, { second: 5, sent: 150, limited: 50 },
  ];
  assert.equal(burstBefore(series, 4, 100), 20 + 30 + 15 + 0);
});

test('N instances: the series add up, lined up by when each began; each instance alone is not judged', () => {
  const limit = 400;
  const plan = rampPlan(limit, 30);
  const whole = drive({ kind: 'gcra', limit, burst: limit, plan });
  // Two instances that each saw half of every second, the second one starting a second later.
  const halves = [0, 1].map((i) => whole.map((c) => ({ second: c.second, sent: Math.floor((c.sent + i) / 2), limited: Math.floor((c.limited + i) / 2) })));
  const sections = halves.map((series, i) => rateLimitSection({ expectedPerSecond: limit, tolerance: 0.05, burst: null, plan, series: i === 1 ? series.map((c) => ({ ...c, second: c.second - 1 })).filter((c) => c.second >= 0) : series, startedAtMs: 1_000_000 + i * 1000, segment: i === 0 ? '0:1/2' : '1/2:1' }));
  for (const s of sections) {
    assert.equal(s.verdict.ok, true);
    assert.match(s.verdict.reason, /not judged/);
    assert.ok(within(s.measured!.limitPerSecond, limit / 2, 0.05));
  }
  const merged = mergeRateLimitSections(sections);
  assert.equal(merged.instances, 2);
  assert.ok(within(merged.measured!.limitPerSecond, limit, 0.01), `merged ${merged.measured!.limitPerSecond}`);
  assert.equal(merged.verdict.ok, true, merged.verdict.reason);
  assert.equal(merged.series.find((c) => c.second === 10)!.sent, whole.find((c) => c.second === 10)!.sent);
});

test('summaries of N instances merge into one: counters add, thresholds hold only if they held everywhere, checks add', () => {
  const part = (count: number, ok: boolean, p95: number): K6Summary => ({
    metrics: {
      http_reqs: { type: 'counter', values: { count, rate: count / 10 } },
      http_req_failed: { type: 'rate', values: { rate: 0, passes: 0, fails: count }, thresholds: { 'rate<0.01': { ok: true } } },
      http_req_duration: { type: 'trend', values: { 'p(95)': p95, min: p95 / 10, med: p95 / 2 }, thresholds: { 'p(95)<500': { ok } } },
    },
    state: { testRunDurationMs: 10_000 + count },
    root_group: { name: '', checks: [{ name: '429 carries Retry-After', passes: count, fails: 0 }], groups: [] },
  });
  const merged = mergeSummaries([part(100, true, 200), part(50, false, 600)]);
  assert.equal(merged.metrics.http_reqs!.values.count, 150);
  assert.equal(merged.metrics.http_reqs!.values.rate, 15);
  assert.equal(merged.metrics.http_req_failed!.values.fails, 150);
  assert.equal(merged.metrics.http_req_duration!.values['p(95)'], 600);
  assert.equal(merged.metrics.http_req_duration!.values.min, 20);
  assert.deepEqual(merged.metrics.http_req_duration!.thresholds, { 'p(95)<500': { ok: false } });
  assert.deepEqual(merged.metrics.http_req_failed!.thresholds, { 'rate<0.01': { ok: true } });
  assert.deepEqual(merged.root_group!.checks, [{ name: '429 carries Retry-After', passes: 150, fails: 0 }]);
  assert.equal(merged.state!.testRunDurationMs, 10_100);
});

test('per-segment summary files and the harness line a k6-operator log keeps', () => {
  assert.equal(summaryFileName(null), 'summary.json');
  assert.equal(summaryFileName('0:1/2'), 'summary.segment-0-1_2.json');
  assert.equal(summaryFileName('1/2:1'), 'summary.segment-1_2-1.json');
  const log = [
    'time="..." level=info msg="k6 starting"',
    `${HARNESS_LINE_PREFIX}{"segment":"0:1/2","harness":{"script":"ratelimit"}}`,
    `${HARNESS_LINE_PREFIX}{"segment":"1/2:1","harn`,
  ].join('\n');
  assert.deepEqual(harnessLinesIn(log), [{ segment: '0:1/2', harness: { script: 'ratelimit' } }]);
});

test('429s below the band fail, unless the load generator fell behind its plan around them', () => {
  const plan = rampPlan(200, 20);
  const series = drive({ kind: 'token-bucket', limit: 200, burst: 20, plan });
  const clean = rateLimitSection({ expectedPerSecond: 200, tolerance: 0.1, burst: null, plan, series });
  assert.equal(clean.below?.ok, true, clean.below?.reason);
  // a target that limits early: 429s at 0.6x while the generator keeps to its plan
  const early = series.map((c) => (c.second === 3 ? { ...c, limited: 5 } : c));
  const judged = rateLimitSection({ expectedPerSecond: 200, tolerance: 0.1, burst: null, plan, series: early });
  assert.equal(judged.below?.ok, false);
  assert.deepEqual(judged.below?.offendingSeconds, [3]);
  assert.match(judged.below!.reason, /5 429\(s\) below 180\.0 req\/s, in second\(s\) 3, while the load generator kept to its plan/);
  // a stall: second 2 sent half its plan, second 3 the bunch, some of it refused
  const stalled = series.map((c) => (c.second === 2 ? { ...c, sent: Math.round(c.sent / 2) } : c.second === 3 ? { ...c, limited: 5 } : c));
  const excused = rateLimitSection({ expectedPerSecond: 200, tolerance: 0.1, burst: null, plan, series: stalled });
  assert.equal(excused.below?.ok, true, excused.below?.reason);
  assert.deepEqual(excused.below?.excusedSeconds, [3]);
});
