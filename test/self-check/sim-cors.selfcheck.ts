import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { simulator } from '../sim-helpers.ts';

/** Browser pages call the Login API cross-origin; the simulator answers them as the real server does. */

let sim: Awaited<ReturnType<typeof simulator>>;
before(async () => { sim = await simulator(); });
after(() => sim.close());

test('a preflight for a JSON POST or a Bearer GET is answered 204 with the methods and headers the routes take', async () => {
  for (const path of ['/oauth2/social/google/login_with_token', '/users/me', '/no/such/route']) {
    const res = await sim.call('OPTIONS', path, { headers: { origin: 'http://127.0.0.1:8790', 'access-control-request-method': 'POST' } });
    assert.equal(res.status, 204, path);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /\bauthorization\b.*\bcontent-type\b/);
  }
});

test('answers, error answers included, let any origin read them', async () => {
  const ok = await sim.call('GET', '/users/me');
  assert.equal(ok.status, 401);
  assert.equal(ok.headers.get('access-control-allow-origin'), '*');
  assert.ok(ok.body.error.code, 'the documented error body is still there');
});

test('OPTIONS outside the API is not a preflight: the documented 404', async () => {
  const res = await fetch(new URL('/elsewhere', sim.url), { method: 'OPTIONS' });
  assert.equal(res.status, 404);
});
