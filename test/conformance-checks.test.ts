import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChecks, describeViolations } from '../lib/checks.ts';
import type { Exchange } from '../lib/exchange.ts';
import type { EndpointId } from '../contract/index.ts';

/** The always-on checks: each must pass a good answer and fail the broken one it exists for. */

function exchange(status: number, body: unknown, opts: { endpoint?: EndpointId | null; headers?: Record<string, string>; secrets?: string[] } = {}): Exchange {
  const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return {
    endpoint: opts.endpoint === undefined ? 'jwtLogin' : opts.endpoint,
    request: { method: 'POST', url: 'http://127.0.0.1:1/api/social/facebook/login_with_token?projectId=x', headers: {} },
    status,
    headers: { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json; charset=utf-8', ...opts.headers },
    text,
    json,
    curl: "curl -X POST 'http://127.0.0.1:1/api/...'",
    secrets: opts.secrets ?? [],
    elapsedMs: 1,
  };
}

const names = (x: Exchange) => runChecks(x).map((v) => v.check);
const goodError = { error: { code: '003-003', description: 'A required parameter is missing.', details: { parameter: 'state' } } };

test('a documented error answer and a good success pass every check', () => {
  assert.deepEqual(names(exchange(422, goodError)), []);
  assert.deepEqual(names(exchange(404, { error: { code: '003-061', description: 'Object not found.' } })), []);
  assert.deepEqual(names(exchange(200, { token: 'a.b.c' })), []);
  assert.deepEqual(names(exchange(200, { login_url: 'https://app.example/cb?code=1&state=123456789' }, { endpoint: 'oauthLogin' })), []);
  assert.deepEqual(names(exchange(302, undefined, { endpoint: 'crossAuth', headers: { location: 'https://app.example/cb?code=1' } })), []);
});

test('not_a_server_error fails any 5xx', () => {
  assert.ok(names(exchange(500, goodError)).includes('not_a_server_error'));
  assert.ok(names(exchange(503, goodError)).includes('not_a_server_error'));
});

test('status_code_conformance fails a status the document does not list', () => {
  assert.deepEqual(names(exchange(403, goodError)), ['status_code_conformance']);
  assert.deepEqual(names(exchange(302, undefined, { endpoint: 'jwtLogin', headers: { location: 'https://x.example/' } })), ['status_code_conformance']);
  assert.deepEqual(names(exchange(401, goodError, { endpoint: 'usersMe' })), []);
});

test('error_body_conformance fails every broken error shape', () => {
  const broken: unknown[] = [
    { code: '003-003', description: 'not wrapped' },
    { error: { description: 'no code' } },
    { error: { code: 'INVALID_PARAMETER', description: 'symbolic code' } },
    { error: { code: '3-3', description: 'short code' } },
    { error: { code: '003-003', description: '' } },
    { error: { code: '003-003', description: 'details as a string', details: 'parameter=state' } },
    { error: 'a string' },
    '<!doctype html><h1>Error 422</h1>',
  ];
  for (const body of broken) assert.ok(names(exchange(422, body)).includes('error_body_conformance'), JSON.stringify(body));
  const empty = exchange(429, undefined);
  assert.ok(names(empty).includes('error_body_conformance'), 'a 429 without a body');
  // JSON text sent as text/html is not the documented application/json answer either.
  const mislabelled = { ...exchange(422, goodError), headers: { 'content-type': 'text/html' } };
  assert.ok(names(mislabelled).includes('error_body_conformance'));
});

test('response_schema_conformance fails a success without the documented field', () => {
  assert.deepEqual(names(exchange(200, { jwt: 'a.b.c' })), ['response_schema_conformance']);
  assert.deepEqual(names(exchange(200, { login_url: 'not a url' }, { endpoint: 'oauthLogin' })), ['response_schema_conformance']);
  assert.deepEqual(names(exchange(302, undefined, { endpoint: 'crossAuth' })), ['response_schema_conformance']);
  // A login URL is the redirect URI with parameters: a native app's private-use scheme is as absolute as https.
  assert.deepEqual(names(exchange(200, { login_url: 'com.example.game:/oauth2redirect?code=1&state=123456789' }, { endpoint: 'oauthLogin' })), []);
  assert.deepEqual(names(exchange(200, { login_url: '/callback?code=1&state=123456789' }, { endpoint: 'oauthLogin' })), ['response_schema_conformance']);
});

test('no_secret_echoed fails a response carrying a secret the request sent, in any encoding', () => {
  const secret = 'sim-facebook-0123456789abcdef';
  assert.deepEqual(names(exchange(200, { token: 'a.b.c', social_access_token: secret }, { secrets: [secret] })), ['no_secret_echoed']);
  assert.deepEqual(names(exchange(302, undefined, { endpoint: 'crossAuth', headers: { location: `https://x.example/?t=${encodeURIComponent('s3cr3t/with+chars')}` }, secrets: ['s3cr3t/with+chars'] })), ['no_secret_echoed']);
  assert.deepEqual(names(exchange(200, { token: 'a.b.c' }, { secrets: [secret] })), []);
  // Too short to be a credential: not matched by chance.
  assert.deepEqual(names(exchange(200, { token: 'a.b.c', x: 'abc' }, { secrets: ['abc'] })), []);
});

test('a violation message names the check, the document, expected, actual and the cURL line', () => {
  const x = exchange(500, '<html>boom</html>');
  const message = describeViolations(x, runChecks(x));
  assert.match(message, /check not_a_server_error \(contract\/documents\//);
  assert.match(message, /expected: a status below 500/);
  assert.match(message, /actual: {3}500/);
  assert.match(message, /reproduce: curl /);
});
