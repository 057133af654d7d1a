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
