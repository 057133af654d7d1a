import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSimArgs } from '../sim/cli-options.ts';
import { LIMITER_KINDS, RateLimiter, type LimiterKind } from '../sim/rate-limiter.ts';

test('token bucket: burst, refill at the rate, Retry-After until the next token', () => {
  let now = 0;
  const limiter = new RateLimiter('token-bucket', () => now);
  const limit = { ratePerSecond: 5, burst: 2 };
  assert.deepEqual([limiter.take('k', limit), limiter.take('k', limit)].map((r) => r.allowed), [true, true]);
  const refused = limiter.take('k', limit);
  assert.equal(refused.allowed, false);
  assert.equal(!refused.allowed && refused.retryAfterSeconds, 1);
  now += 200; // one token at 5 rps
  assert.equal(limiter.take('k', limit).allowed, true);
  assert.equal(limiter.take('k', limit).allowed, false);
  assert.equal(limiter.take('other', limit).allowed, true, 'keys are independent');
  now += 10_000;
  assert.equal(limiter.take('k', limit).allowed, true);
  assert.equal(limiter.take('k', limit).allowed, true);
  assert.equal(limiter.take('k', limit).allowed, false, 'refill stops at the burst');
  assert.equal(limiter.take('k', null).allowed, true, 'no limit');
});

test('Retry-After rounds up for slow rates', () => {
  for (const kind of LIMITER_KINDS) {
    let now = 0;
    const limiter = new RateLimiter(kind, () => now);
    const limit = { ratePerSecond: 0.25, burst: 1 };
    assert.equal(limiter.take('k', limit).allowed, true, kind);
    const refused = limiter.take('k', limit);
    assert.equal(!refused.allowed && refused.retryAfterSeconds, 4, kind);
  }
});

/** Offers `offered` req/s, evenly spaced, for `seconds`; returns the admitted count per second and the refusals. */
function drive(kind: LimiterKind, limit: { ratePerSecond: number; burst: number }, offered: number, seconds: number, startMs = 0): { perSecond: number[]; refusals: { at: number; retryAfter: number }[]; limiter: RateLimiter; clock: { now: number } } {
  const clock = { now: startMs };
  const limiter = new RateLimiter(kind, () => clock.now);
  const perSecond = Array.from({ length: seconds }, () => 0);
  const refusals: { at: number; retryAfter: number }[] = [];
  const total = Math.round(offered * seconds);
  for (let i = 0; i < total; i++) {
    clock.now = startMs + (i * 1000) / offered;
    const r = limiter.take('k', limit);
    if (r.allowed) perSecond[Math.floor((clock.now - startMs) / 1000)]!++;
    else refusals.push({ at: clock.now, retryAfter: r.retryAfterSeconds });
  }
  return { perSecond, refusals, limiter, clock };
}

for (const kind of LIMITER_KINDS) {
  for (const [rate, burstSeconds] of [[50, 0.1], [200, 1], [1000, 0.1], [1000, 1]] as const) {
    const burst = Math.ceil(rate * burstSeconds);
    test(`${kind} at ${rate} req/s, burst ${burst}: under twice the load it admits ${rate} req/s, and ${burst} at once after a quiet spell`, () => {
      // Sustained: twice the limit for 10 s (phase-shifted start so windows do not line up with the seconds).
      const { perSecond, refusals } = drive(kind, { ratePerSecond: rate, burst }, 2 * rate, 10, 337);
      const settled = perSecond.slice(2);
      const mean = settled.reduce((a, b) => a + b, 0) / settled.length;
      assert.ok(Math.abs(mean - rate) <= rate * 0.01 + 1, `${kind}: admitted ${mean.toFixed(1)} req/s on average, limit ${rate}`);
      for (const n of settled) assert.ok(Math.abs(n - rate) <= burst + 1, `${kind}: a second admitted ${n} (limit ${rate}, burst ${burst})`);
      const total = perSecond.reduce((a, b) => a + b, 0);
      assert.ok(total <= rate * 10 + 2 * burst, `${kind}: ${total} admitted in 10 s is more than the rate and burst allow`);
      assert.ok(refusals.length > 0 && refusals.every((r) => Number.isInteger(r.retryAfter) && r.retryAfter >= 1), 'refusals carry whole-second Retry-After');

      // A quiet spell, then everything at one instant: exactly `burst` admitted (a window limiter counts the
      // quiet window as empty).
      let now = 0;
      const limiter = new RateLimiter(kind, () => now);
      const limit = { ratePerSecond: rate, burst };
      limiter.take('warm', limit);
      now = 10_000 + 1e-3;
      let admitted = 0;
      for (let i = 0; i < burst * 3; i++) if (limiter.take('k', limit).allowed) admitted++;
      assert.equal(admitted, burst, `${kind}: a burst of ${burst} at once`);
    });
  }

  test(`${kind}: below the limit nothing is refused`, () => {
    const { refusals } = drive(kind, { ratePerSecond: 200, burst: 20 }, 190, 10, 123);
    assert.equal(refusals.length, 0);
  });

  test(`${kind}: the Retry-After of a refusal is when a request is admitted again`, () => {
    let now = 0;
    const limiter = new RateLimiter(kind, () => now);
    const limit = { ratePerSecond: 2, burst: 4 };
    while (limiter.take('k', limit).allowed) now += 1;
    const refused = limiter.take('k', limit);
    assert.equal(refused.allowed, false);
    const after = !refused.allowed ? refused.retryAfterSeconds : 0;
    now += after * 1000;
    assert.equal(limiter.take('k', limit).allowed, true, `${kind}: admitted again after Retry-After ${after} s`);
  });
}

test('--limiter picks the algorithm; an unknown one is refused with the list', () => {
  assert.deepEqual(parseSimArgs(['--limiter', 'gcra', '--rate-limit', '100', '--burst', '10']).options, { limiter: 'gcra', rateLimit: 100, burst: 10 });
  assert.throws(() => parseSimArgs(['--limiter', 'leaky']), /--limiter: expected one of token-bucket, fixed-window, sliding-window, gcra/);
});
