import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../sim/rate-limiter.ts';

test('token bucket: burst, refill at the rate, Retry-After until the next token', () => {
  let now = 0;
  const limiter = new RateLimiter(() => now);
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
  let now = 0;
  const limiter = new RateLimiter(() => now);
  const limit = { ratePerSecond: 0.25, burst: 1 };
  limiter.take('k', limit);
  const refused = limiter.take('k', limit);
  assert.equal(!refused.allowed && refused.retryAfterSeconds, 4);
});
