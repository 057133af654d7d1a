import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENDPOINTS, isValidState } from '../contract/index.ts';
import {
  hasDocumentedSuccessBody, header, isDocumentedErrorBody, isValidRetryAfter, loginUrlCarries, parseJson, rateLimitAnswerProblems,
} from '../load/lib/checks.ts';
import type { LoadConfig } from '../load/lib/config.ts';
import { DEFAULT_MIX, pickProvider, pickWeighted, spread, usableMix } from '../load/lib/mix.ts';
import { loadProfile } from '../lib/profile.ts';
import { accountFor } from '../load/lib/credentials.ts';
import { missingCredentials, planTraffic, trafficGenerator } from '../load/lib/traffic.ts';
import { parseLoadArgs, planRun } from '../load/run/plan.ts';
import { crossAuthRequest, jwtLoginRequest, oauthLoginRequest, queryParam, stateFor, tokenExchangeRequest, usersMeRequest } from '../load/lib/requests.ts';

const config = {
  target: { name: 't', kind: 'simulator', baseUrl: 'http://127.0.0.1:9/api' },
  projectId: '5f0f1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f',
  oauthClient: { clientId: 7002, redirectUri: 'http://127.0.0.1:8790/callback' },
} as LoadConfig;

test('JWT login: documented path, projectId in the query, social fields in the JSON body', () => {
  const spec = jwtLoginRequest(config, 'twitter', { accessToken: 'tok', accessTokenSecret: 'sec' });
  assert.equal(spec.method, ENDPOINTS.jwtLogin.method);
  assert.equal(spec.url, 'http://127.0.0.1:9/api/social/twitter/login_with_token?projectId=5f0f1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f');
  assert.deepEqual(JSON.parse(spec.body!), { access_token: 'tok', access_token_secret: 'sec' });
  assert.equal(spec.headers['content-type'], 'application/json');
  assert.deepEqual(spec.tags, { endpoint: 'jwtLogin', provider: 'twitter', name: 'POST /social/twitter/login_with_token' });
});

test('OAuth login and silent auth: the OAuth query with a state longer than 8 symbols; tags never carry a credential', () => {
  const oauth = oauthLoginRequest(config, 'wechat', { accessToken: 'tok', openid: 'oid' }, 'r1');
  assert.equal(queryParam(oauth.url, 'client_id'), '7002');
  assert.equal(queryParam(oauth.url, 'response_type'), 'code');
  assert.equal(queryParam(oauth.url, 'redirect_uri'), 'http://127.0.0.1:8790/callback');
  assert.equal(queryParam(oauth.url, 'state'), stateFor('r1'));
  assert.ok(isValidState(stateFor('')));
  assert.deepEqual(JSON.parse(oauth.body!), { access_token: 'tok', openid: 'oid' });
  const cross = crossAuthRequest(config, 'steam', { sessionTicket: 'c2lt+/==', appId: '480' }, 'r2', false);
  assert.equal(cross.method, 'GET');
  assert.equal(cross.body, null);
  assert.equal(queryParam(cross.url, 'session_ticket'), 'c2lt+/==');
  assert.equal(queryParam(cross.url, 'app_id'), '480');
  assert.equal(queryParam(cross.url, 'is_redirect'), 'false');
  assert.ok(!JSON.stringify(cross.tags).includes('c2lt'));
  const epic = crossAuthRequest(config, 'epicgames', { code: 'ec', deploymentId: 'd1' }, 'r3', true);
  assert.equal(queryParam(epic.url, 'code'), 'ec');
  assert.equal(queryParam(epic.url, 'deployment_id'), 'd1');
  assert.equal(queryParam(epic.url, 'is_redirect'), 'true');
});

test('code exchange is form-encoded; the token check sends a bearer token', () => {
  const exchange = tokenExchangeRequest(config, 'the code', 'the secret');
  assert.equal(exchange.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(exchange.body, 'grant_type=authorization_code&client_id=7002&client_secret=the%20secret&code=the%20code&redirect_uri=http%3A%2F%2F127.0.0.1%3A8790%2Fcallback');
  assert.equal(usersMeRequest(config, 'a.b.c').headers.authorization, 'Bearer a.b.c');
});

test('the documented error body and its counterfeits', () => {
  assert.equal(isDocumentedErrorBody({ error: { code: '003-061', description: 'Object not found.' } }), true);
  assert.equal(isDocumentedErrorBody({ error: { code: '003-061', description: 'x', details: { a: 1 } } }), true);
  assert.equal(isDocumentedErrorBody({ error: { code: '3-61', description: 'x' } }), false);
  assert.equal(isDocumentedErrorBody({ error: { code: '003-061', description: '' } }), false);
  assert.equal(isDocumentedErrorBody({ error: { code: '003-061', description: 'x', details: [1] } }), false);
  assert.equal(isDocumentedErrorBody({ message: 'Too many requests' }), false);
  assert.equal(isDocumentedErrorBody(parseJson('not json')), false);
});

test('Retry-After: delay-seconds or an HTTP-date; nothing else', () => {
  for (const ok of ['0', '1', '120', 'Sun, 06 Nov 1994 08:49:37 GMT']) assert.equal(isValidRetryAfter(ok), true, ok);
  for (const bad of [undefined, null, '', '-1', '1.5', 'soon', '2026-11-22T00:00:00Z']) assert.equal(isValidRetryAfter(bad as string | undefined), false, String(bad));
});

test('every 429 is checked for body and Retry-After (recorded simulator answers and defective ones)', () => {
  const body = '{"error":{"code":"003-429","description":"Too many requests.","details":{"retry_after_seconds":1}}}';
  assert.deepEqual(rateLimitAnswerProblems(429, { 'Retry-After': '1' }, body, true), []);
  assert.deepEqual(rateLimitAnswerProblems(429, {}, body, true), ['Retry-After is missing or malformed']);
  // Not pinned: a 429 without Retry-After conforms (RFC 6585 §4: MAY); one that is sent must still be valid.
  assert.deepEqual(rateLimitAnswerProblems(429, {}, body, false), []);
  assert.deepEqual(rateLimitAnswerProblems(429, { 'Retry-After': 'soon' }, body, false), ['Retry-After is missing or malformed']);
  assert.deepEqual(rateLimitAnswerProblems(429, { 'Retry-After': 'Sun, 29 Nov 2026 11:00:00 GMT' }, body, false), []);
  assert.deepEqual(rateLimitAnswerProblems(429, { 'retry-after': '1' }, '<html>slow down</html>', true), ['body is not the documented error shape']);
  assert.deepEqual(rateLimitAnswerProblems(200, {}, null, true), []);
  assert.equal(header({ 'Retry-After': '3' }, 'retry-after'), '3');
});

test('success bodies: a JWT, or a login URL with code and the request\'s state', () => {
  assert.equal(hasDocumentedSuccessBody('jwtLogin', { token: 'eyJa.eyJb.sig' }, ''), true);
  assert.equal(hasDocumentedSuccessBody('jwtLogin', { token: 'opaque' }, ''), false);
  const url = 'http://127.0.0.1:8790/callback?code=abc&state=load-state-1';
  assert.equal(hasDocumentedSuccessBody('oauthLogin', { login_url: url }, 'load-state-1'), true);
  assert.equal(hasDocumentedSuccessBody('crossAuth', { login_url: url }, 'load-state-2'), false);
  assert.equal(loginUrlCarries('http://x/cb?state=s', 's'), false);
  assert.equal(hasDocumentedSuccessBody('oauthToken', { access_token: 'eyJa.eyJb.c' }, ''), true);
});

test('the mix: proportions hold in every stretch of the run, and only sendable endpoints are mixed', () => {
  const counts: Record<string, number> = {};
  for (let i = 0; i < 1000; i++) {
    const e = pickWeighted(DEFAULT_MIX, spread(i));
    counts[e] = (counts[e] ?? 0) + 1;
  }
  assert.ok(Math.abs(counts.jwtLogin! - 500) <= 5, JSON.stringify(counts));
  assert.ok(Math.abs(counts.oauthLogin! - 300) <= 5, JSON.stringify(counts));
  assert.ok(Math.abs(counts.crossAuth! - 200) <= 5, JSON.stringify(counts));
  assert.deepEqual(usableMix(DEFAULT_MIX, { jwtLogin: ['facebook'], oauthLogin: ['facebook'], crossAuth: [] }), { jwtLogin: 0.5, oauthLogin: 0.3 });
  assert.throws(() => pickWeighted({}, 0.5), /no entry/);
  assert.equal(pickProvider(['a', 'b', 'c'], 4), 'b');
});

test('the precompiled traffic generator builds exactly what requests.ts builds, in the mix\'s proportions', () => {
  const profile = loadProfile();
  const plan = planRun(parseLoadArgs(['throughput', '--duration', '20']), profile);
  const full: LoadConfig = { ...plan.config, outDir: '/tmp', runId: 'r' };
  const traffic = planTraffic(full);
  const next = trafficGenerator(full, plan.secrets, traffic);
  const seen: Record<string, number> = {};
  for (let i = 0; i < 600; i++) {
    const id = `id${i}`;
    const { spec, state } = next(i, id);
    const endpoint = pickWeighted(traffic.mix, spread(i));
    const provider = pickProvider(traffic.providersOf[endpoint]!, i);
    const account = accountFor(plan.secrets, provider, id, i)!;
    const expected = endpoint === 'jwtLogin' ? jwtLoginRequest(full, provider, account)
      : endpoint === 'oauthLogin' ? oauthLoginRequest(full, provider, account, id)
      : crossAuthRequest(full, provider, account, id, false);
    assert.deepEqual(spec, expected, `iteration ${i}`);
    assert.equal(state, stateFor(id));
    seen[endpoint] = (seen[endpoint] ?? 0) + 1;
  }
  for (const [e, n] of Object.entries({ jwtLogin: 300, oauthLogin: 180, crossAuth: 120 })) assert.ok(Math.abs(seen[e]! - n) <= 2, `${e}: ${seen[e]}`);
  assert.deepEqual(missingCredentials(full, plan.secrets), []);
  assert.deepEqual(missingCredentials(full, { templates: {}, accounts: {}, clientSecret: '' }).length, full.providers.length + full.platforms.length);
});
