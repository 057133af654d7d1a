import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimProblems, loginUrlProblems } from '../lib/matchers.ts';

const redirectUri = 'http://127.0.0.1:8790/callback?app=1';
const state = 'a b+c&d=e?f/g#h%20i';
const good = `http://127.0.0.1:8790/callback?app=1&code=abc&state=${encodeURIComponent(state)}`;

test('a login URL on the redirect URI with one code and the exact state passes', () => {
  assert.deepEqual(loginUrlProblems(good, { redirectUri, state }), []);
});

test('every way a login URL can be wrong is named', () => {
  const cases: [string, RegExp][] = [
    [good.replace('127.0.0.1:8790', 'evil.example'), /not the redirect URI/],
    [good.replace('/callback', '/callback-evil'), /not the redirect URI/],
    [good.replace('app=1&', ''), /lost the redirect URI's own query parameter app=1/],
    [good.replace('code=abc&', ''), /no code/],
    [good.replace('code=abc', 'code='), /an empty code/],
    [good.replace(/&state=[^&]*/, ''), /0 state parameters/],
    [`${good}&state=x`, /2 state parameters/],
    [good.replace(encodeURIComponent(state), encodeURIComponent(encodeURIComponent(state))), /state came back as/],
    [good.replace(encodeURIComponent(state), encodeURIComponent(state.slice(0, -1))), /state came back as/],
    ['not a url', /not an absolute URL/],
  ];
  for (const [url, problem] of cases) assert.match(loginUrlProblems(url, { redirectUri, state }).join('; '), problem, url);
});

test('claims: expected values exactly, a sub, an exp in the future', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const claims = { sub: 'u1', exp: now / 1000 + 3600, payload: 'p', xsolla_login_project_id: 'proj' };
  assert.deepEqual(claimProblems(claims, { payload: 'p', xsolla_login_project_id: 'proj' }, now), []);
  assert.match(claimProblems({ ...claims, payload: undefined }, { payload: 'p' }, now).join(), /payload: expected "p", got \(absent\)/);
  assert.match(claimProblems({ ...claims, xsolla_login_project_id: 'other' }, { xsolla_login_project_id: 'proj' }, now).join(), /xsolla_login_project_id/);
  assert.match(claimProblems({ ...claims, exp: now / 1000 - 3600 }, {}, now).join(), /exp: expected a time in the future/);
  assert.match(claimProblems({ ...claims, exp: undefined }, {}, now).join(), /exp: .*\(absent\)/);
  assert.match(claimProblems({ ...claims, sub: '' }, {}, now).join(), /sub: expected a non-empty string/);
});

test('a failing matcher says expected, actual and the cURL line, with JWTs redacted and error codes kept', async () => {
  const { expect } = await import('../lib/matchers.ts');
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLXNpZw';
  const x = {
    endpoint: 'oauthToken' as const,
    request: { method: 'POST', url: 'http://127.0.0.1:1/api/oauth2/token', headers: {} },
    status: 200,
    headers: { 'content-type': 'application/json' },
    text: JSON.stringify({ access_token: jwt, refresh_token: 'refresh-secret-value' }),
    json: { access_token: jwt, refresh_token: 'refresh-secret-value' },
    curl: "curl -sS -i -X POST 'http://127.0.0.1:1/api/oauth2/token'",
    secrets: [],
    elapsedMs: 1,
  };
  let message = '';
  try {
    await expect(x).not.toHaveStatus(200);
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, /expected: not status 200/);
  assert.match(message, /actual: {3}status 200/);
  assert.match(message, /reproduce: curl /);
  assert.doesNotMatch(message, /eyJzdWIi|refresh-secret-value/);

  const refused = { ...x, endpoint: 'jwtLogin' as const, status: 400, text: '{"error":{"code":"003-004","description":"bad"}}', json: { error: { code: '003-004', description: 'bad' } } };
  try {
    await expect(refused).toHaveStatus(422);
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, /"code":"003-004"/);
});
