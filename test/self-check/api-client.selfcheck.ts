import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { ApiClient, RequestTimeoutError, renderExchange, type ExchangeSink } from '../../lib/api-client.ts';
import type { Exchange } from '../../lib/exchange.ts';
import { loadProfile, type TargetProfile } from '../../lib/profile.ts';
import type { Redactor } from '../../lib/redact.ts';

/** The client against a tiny server whose answers each test picks: checks run on every exchange, secrets stay out. */

let server: Server;
let context: APIRequestContext;
let profile: TargetProfile;
let answer: (url: string, body: string) => { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };

class ListSink implements ExchangeSink {
  readonly attached: string[] = [];
  readonly checkedStatuses: number[] = [];
  async exchange(x: Exchange, redactor: Redactor): Promise<void> {
    this.attached.push(renderExchange(x, redactor));
  }
  async checked(x: Exchange): Promise<void> {
    this.checkedStatuses.push(x.status);
  }
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const a = answer(req.url ?? '', Buffer.concat(chunks).toString());
      const send = () => res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body ?? '');
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = loadProfile();
  profile = { ...base, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, timeouts: { requestMs: 1500, connectMs: 1500 } }; // generous: npm test runs steps side by side on 2 cores
  context = await playwrightRequest.newContext();
});

after(async () => {
  await context.dispose();
  server.closeAllConnections();
  server.close();
});

test('a good answer passes, is reported redacted, and its status recorded as checked', async () => {
  answer = () => ({ status: 422, body: JSON.stringify({ error: { code: '003-003', description: 'missing' } }) });
  const sink = new ListSink();
  const x = await new ApiClient(context, profile, sink).call('jwtLogin', { provider: 'twitter', query: { projectId: 'p', state: 'a b&c' }, json: { access_token: 'sim-twitter-secret-value', access_token_secret: 'sim-secret-value-2' } });
  assert.equal(x.status, 422);
  assert.match(x.request.url, /\/api\/social\/twitter\/login_with_token\?projectId=p&state=a%20b%26c$/);
  assert.deepEqual(sink.checkedStatuses, [422]);
  assert.doesNotMatch(sink.attached[0]!, /sim-twitter-secret-value|sim-secret-value-2/);
  assert.match(sink.attached[0]!, /"code":"003-003"/, 'the documented error code is not a secret');
  assert.doesNotMatch(x.curl, /sim-twitter-secret-value/);
});

test('a broken answer fails the call with the check, expected, actual and the cURL line', async () => {
  answer = () => ({ status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>oops</h1>' });
  const sink = new ListSink();
  await assert.rejects(
    new ApiClient(context, profile, sink).call('jwtLogin', { provider: 'facebook', query: { projectId: 'p' }, json: { access_token: 'sim-facebook-abcdef' } }),
    (e: Error) => /not_a_server_error/.test(e.message) && /expected: a status below 500/.test(e.message) && /reproduce: curl /.test(e.message) && !e.message.includes('sim-facebook-abcdef'),
  );
  assert.equal(sink.attached.length, 1, 'the broken exchange is still attached to the report');
  assert.deepEqual(sink.checkedStatuses, []);
});

test('a secret the request carried coming back fails the call', async () => {
  answer = (_url, body) => ({ status: 200, body: JSON.stringify({ token: 'a.b.c', echo: JSON.parse(body).access_token }) });
  await assert.rejects(
    new ApiClient(context, profile, new ListSink()).call('jwtLogin', { provider: 'facebook', query: { projectId: 'p' }, json: { access_token: 'sim-facebook-abcdef' } }),
    /no_secret_echoed/,
  );
});

test('redirects are not followed', async () => {
  answer = () => ({ status: 302, headers: { location: 'https://app.example/cb?code=1&state=123456789' } });
  const x = await new ApiClient(context, profile, new ListSink()).call('crossAuth', { provider: 'steam', query: { client_id: '1' } });
  assert.equal(x.status, 302);
  assert.equal(x.headers.location, 'https://app.example/cb?code=1&state=123456789');
});

test('an answer slower than the profile\'s per-request timeout is a timeout error, not a hang', async () => {
  answer = () => ({ status: 200, body: '{"token":"a.b.c"}', delayMs: 6000 });
  const started = Date.now();
  await assert.rejects(
    new ApiClient(context, profile, new ListSink()).call('jwtLogin', { provider: 'facebook', query: { projectId: 'p' }, json: { access_token: 'x' } }),
    (e: Error) => e instanceof RequestTimeoutError && /request timeout: no answer within 1500 ms/.test(e.message),
  );
  assert.ok(Date.now() - started < 5000);
});
