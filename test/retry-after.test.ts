import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryAfterSeconds } from '../lib/retry-after.ts';

test('Retry-After: delta-seconds, HTTP-date, or invalid', () => {
  const now = Date.parse('Sun, 22 Nov 2026 00:00:00 GMT');
  assert.equal(retryAfterSeconds('1'), 1);
  assert.equal(retryAfterSeconds(' 120 '), 120);
  assert.equal(retryAfterSeconds('Sun, 22 Nov 2026 00:00:05 GMT', now), 5);
  assert.equal(retryAfterSeconds('Sat, 21 Nov 2026 23:59:00 GMT', now), 0);
  assert.equal(retryAfterSeconds(undefined), null);
  for (const bad of ['', '-1', '1.5', 'soon', '2026-11-22']) assert.equal(retryAfterSeconds(bad, now), null, bad);
  // Only the IMF-fixdate a server must send, whole: no text around it, no obsolete RFC 850 or asctime form.
  for (const bad of ['in Sun, 22 Nov 2026 00:00:05 GMT', 'Sun, 22 Nov 2026 00:00:05 GMT+1', 'Sunday, 22-Nov-26 00:00:05 GMT', 'Sun Nov 22 00:00:05 2026', 'Xyz, 22 Nov 2026 00:00:05 GMT']) {
    assert.equal(retryAfterSeconds(bad, now), null, bad);
  }
});
