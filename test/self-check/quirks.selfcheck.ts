import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { retryAfterSeconds } from '../../lib/retry-after.ts';
import { parseSimArgs } from '../../sim/cli-options.ts';
import { QUIRKS, combinableQuirks, encodeEverything, expectationsWithQuirks, otherErrorCode, parseQuirkList } from '../../sim/quirks.ts';
import type { SimOptions } from '../../sim/context.ts';
import { startSimulator, type RunningSimulator } from '../../sim/server.ts';
import { MULTI, PROJECT, b64, claims, qs, uid } from '../sim-helpers.ts';

/**
 * Every quirk mode changes the wire: a request that shows it gets different bytes from the quirk than from the
 * good simulator (raw bytes, raw header names, undecoded bodies: what a client library would normalise away is
 * exactly what a quirk varies). A quirk that changed nothing would make "0 false alarms" prove nothing. Where a
 * quirk claims to stay conforming in a checkable way (the state decodes to the value sent, the ES256 token
 * verifies against the published JWKS, the HTTP date lies in the future), that is asserted too.
 */

interface Raw {
  status: number;
  /** Header names exactly as sent, in order. */
  rawHeaders: string[];
  headers: Record<string, string | string[] | undefined>;
  /** The body bytes as they came, before any content decoding. */
  bytes: Buffer;
  /** The body as text, gunzipped when it was gzip-coded. */
  text: string;
  json: any;
}

function raw(sim: RunningSimulator, method: string, path: string, init: { json?: unknown; headers?: Record<string, string> } = {}): Promise<Raw> {
  const url = new URL(`${sim.url}${path}`);
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...init.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const rawHeaders = res.rawHeaders.filter((_, i) => i % 2 === 0);
        resolve({ status: res.statusCode!, rawHeaders, headers: res.headers, bytes, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

type Probe = (sim: RunningSimulator) => Promise<string>;

const oauthQuery = (extra: Record<string, string | undefined> = {}) => ({
  client_id: String(MULTI.clientId), response_type: 'code', state: 'state-123456', redirect_uri: MULTI.redirectUris[0], ...extra,
});
const missingProjectId = (sim: RunningSimulator) => raw(sim, 'POST', '/social/google/login_with_token', { json: { access_token: `sim-google-${uid()}` } });
const jwtLogin = (sim: RunningSimulator) => raw(sim, 'POST', `/social/google/login_with_token?${qs({ projectId: PROJECT })}`, { json: { access_token: `sim-google-${uid()}` } });
const oauth = (sim: RunningSimulator, extra: Record<string, string | undefined> = {}) =>
  raw(sim, 'POST', `/oauth2/social/google/login_with_token?${qs(oauthQuery(extra))}`, { json: { access_token: `sim-google-${uid()}` } });
const crossAuth = (sim: RunningSimulator, extra: Record<string, string | undefined> = {}) =>
  raw(sim, 'GET', `/oauth2/social/steam/cross_auth?${qs(oauthQuery({ session_ticket: b64(`sim-steam-${uid()}`), app_id: '480', ...extra }))}`);
const exchange = (sim: RunningSimulator, loginUrl: string, redirectUri = MULTI.redirectUris[0]!) => {
  const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: String(MULTI.clientId), client_secret: MULTI.clientSecret, code: new URL(loginUrl).searchParams.get('code')!, redirect_uri: redirectUri });
  return new Promise<any>((resolve, reject) => {
    fetch(`${sim.url}/oauth2/token`, { method: 'POST', body: form }).then((r) => r.json()).then(resolve, reject);
  });
};
/** The query of a login URL exactly as written (no decoding, no re-serialising). */
const rawQuery = (loginUrl: string): string => loginUrl.slice(loginUrl.indexOf('?') + 1);
const keysOf = (value: unknown): string => (value && typeof value === 'object' ? Object.keys(value).sort().join(',') : '-');
const errorShape = async (sim: RunningSimulator) => {
  const r = await missingProjectId(sim);
  return `top: ${keysOf(r.json)}; error: ${keysOf(r.json?.error)}; details: ${keysOf(r.json?.error?.details)}`;
};
/** A burst of 12 at once against a simulator limited to 1/s with a burst of 5 (LIMITED). */
const burst = async (sim: RunningSimulator) => Promise.all(Array.from({ length: 12 }, () => jwtLogin(sim)));
const LIMITED: Partial<SimOptions> = { rateLimit: 1, burst: 5 };

const PROBES: Record<string, Probe> = {
  'error-body-extra-keys': errorShape,
  'error-details-absent': errorShape,
  'other-error-codes': async (sim) => {
    const code = (await missingProjectId(sim)).json.error.code as string;
    assert.match(code, /^\d{3}-\d{3}$/, 'still of the documented form');
    return code;
  },
  'status-400-for-validation': async (sim) => String((await missingProjectId(sim)).status),
  'success-body-extra-keys': async (sim) => keysOf((await jwtLogin(sim)).json),
  'jwt-extra-claims': async (sim) => Object.keys(claims((await jwtLogin(sim)).json.token)).sort().join(','),
  'jwt-es256-jwks': async (sim) => {
    const token = (await jwtLogin(sim)).json.token as string;
    const header = decodeProtectedHeader(token);
    if (header.alg === 'ES256') {
      const jwks = (await raw(sim, 'GET', '/.well-known/jwks.json')).json;
      const verified = await jwtVerify(token, createLocalJWKSet(jwks));
      assert.equal(verified.protectedHeader.kid, jwks.keys[0].kid, 'signed by the published key');
    }
    return `${header.alg} ${header.kid ? 'kid' : 'no kid'}`;
  },
  'jwt-other-issuer': async (sim) => String(claims((await jwtLogin(sim)).json.token).iss),
  'jwt-aud-as-array': async (sim) => {
    const answer = await crossAuth(sim, { audience: 'my-game', is_redirect: 'false' });
    return JSON.stringify(claims((await exchange(sim, answer.json.login_url)).access_token).aud);
  },
  'jwt-scope-as-array': async (sim) => {
    const answer = await oauth(sim, { scope: 'email my-scope' });
    return JSON.stringify(claims((await exchange(sim, answer.json.login_url)).access_token).scope);
  },
  'redirect-uri-with-query': async (sim) => {
    const answer = await oauth(sim, { redirect_uri: `${MULTI.redirectUris[0]}?src=game` });
    return `${answer.status} ${answer.json?.login_url ? new URL(answer.json.login_url).searchParams.get('src') : '-'}`;
  },
  'redirect-uri-custom-scheme': async (sim) => {
    const answer = await oauth(sim, { redirect_uri: 'com.example.game:/oauth2redirect' });
    return `${answer.status} ${answer.json?.login_url ? String(answer.json.login_url).split('?')[0] : '-'}`;
  },
  'login-url-param-order': async (sim) => rawQuery((await oauth(sim)).json.login_url).split('&').map((p) => p.split('=')[0]).join('&'),
  'state-percent-encoding': async (sim) => {
    const state = 'a b/c~é😀-9';
    const loginUrl = (await oauth(sim, { state })).json.login_url as string;
    assert.equal(new URL(loginUrl).searchParams.get('state'), state, 'decodes to exactly the state sent');
    return rawQuery(loginUrl).split('&').find((p) => p.startsWith('state='))!;
  },
  'code-with-reserved-characters': async (sim) => {
    const loginUrl = (await oauth(sim)).json.login_url as string;
    const token = await exchange(sim, loginUrl);
    assert.equal(typeof token.access_token, 'string', 'the decoded code exchanges');
    return String(/%3D/i.test(rawQuery(loginUrl).split('&').find((p) => p.startsWith('code='))!));
  },
  'login-url-iss-param': async (sim) => String(new URL((await oauth(sim)).json.login_url).searchParams.get('iss')),
  'redirect-with-body': async (sim) => {
    const answer = await crossAuth(sim);
    assert.equal(answer.status, 302);
    return `${answer.headers['content-type'] ?? '-'} ${answer.bytes.length} bytes`;
  },
  'content-type-casing': async (sim) => String((await jwtLogin(sim)).headers['content-type']),
  'header-case-and-order': async (sim) => (await jwtLogin(sim)).rawHeaders.join(','),
  'chunked-transfer': async (sim) => {
    const answer = await jwtLogin(sim);
    return `transfer-encoding ${answer.headers['transfer-encoding'] ?? '-'}, content-length ${answer.headers['content-length'] ?? '-'}`;
  },
  'gzip-responses': async (sim) => {
    const answer = await raw(sim, 'POST', `/social/google/login_with_token?${qs({ projectId: PROJECT })}`, { json: { access_token: `sim-google-${uid()}` }, headers: { 'accept-encoding': 'gzip, deflate' } });
    assert.ok(typeof answer.json?.token === 'string', 'the decoded body is the answer');
    return `${answer.headers['content-encoding'] ?? 'identity'} ${answer.bytes.subarray(0, 2).toString('hex')}`;
  },
  // The request asks to keep the connection: the good simulator does, the quirk says close.
  'connection-close': async (sim) =>
    String((await raw(sim, 'POST', `/social/google/login_with_token?${qs({ projectId: PROJECT })}`, { json: { access_token: `sim-google-${uid()}` }, headers: { connection: 'keep-alive' } })).headers.connection),
  'pretty-json': async (sim) => {
    const answer = await jwtLogin(sim);
    assert.equal(typeof answer.json.token, 'string');
    return `${answer.text.split('\n').length} lines`;
  },
  'php-style-json': async (sim) => {
    const answer = await oauth(sim, { state: 'état-123456' });
    assert.equal(new URL(answer.json.login_url).searchParams.get('state'), 'état-123456');
    return answer.bytes.toString('utf8').slice(0, 40);
  },
  'retry-after-http-date': async (sim) => {
    const limited = (await burst(sim)).find((r) => r.status === 429);
    const value = String(limited?.headers['retry-after']);
    if (!/^\d+$/.test(value)) assert.ok((retryAfterSeconds(value) ?? -1) >= 1, `an HTTP date in the future: ${value}`);
    return /^\d+$/.test(value) ? 'delay-seconds' : 'HTTP-date';
  },
  'no-retry-after': async (sim) => {
    const limited = (await burst(sim)).find((r) => r.status === 429);
    assert.equal(limited?.json?.error?.code !== undefined, true, 'still the documented 429 body');
    return `retry-after: ${limited?.headers['retry-after'] ?? 'none'}`;
  },
  'rate-limit-more-generous': async (sim) => `${(await burst(sim)).filter((r) => r.status === 200).length} of 12 accepted`,
  'latency-jitter': async (sim) => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const started = performance.now();
      await missingProjectId(sim);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return `median above 25 ms: ${times[7]! > 25}`;
  },
};

const RATE_LIMITED = new Set(['retry-after-http-date', 'no-retry-after', 'rate-limit-more-generous']);

describe('quirk modes', () => {
  let good: RunningSimulator;
  before(async () => {
    good = await startSimulator({ port: 0 });
  });
  after(() => good.close());

  test('there are at least 8, each says what allows it, and every one is probed here', () => {
    assert.ok(Object.keys(QUIRKS).length >= 8);
    assert.deepEqual(Object.keys(PROBES).sort(), Object.keys(QUIRKS).sort());
    for (const [name, quirk] of Object.entries(QUIRKS)) assert.ok(/"|RFC \d+/.test(quirk.allowedBy), `${name}: allowedBy quotes a document or names an RFC`);
  });

  test('--quirk takes repeats and comma lists, refuses unknown names and conflicting pairs', () => {
    assert.deepEqual(parseSimArgs(['--quirk', 'gzip-responses,php-style-json', '--quirk', 'gzip-responses']).options.quirks, ['gzip-responses', 'php-style-json']);
    assert.throws(() => parseSimArgs(['--quirk', 'no-such-quirk']), /unknown quirk "no-such-quirk"/);
    assert.throws(() => parseQuirkList(['error-body-extra-keys', 'error-details-absent']), /cannot be combined/);
    assert.equal(parseSimArgs(['--list-quirks']).listQuirks, true);
  });

  test('the combinable set holds every quirk but those that conflict with one already in it', () => {
    const { together, apart } = combinableQuirks();
    assert.deepEqual([...together, ...apart].sort(), Object.keys(QUIRKS).sort());
    assert.doesNotThrow(() => parseQuirkList(together));
    for (const name of apart) assert.ok((QUIRKS[name]!.conflictsWith ?? []).some((c) => together.includes(c)));
  });

  test('expectations for a quirk server: other codes stay of the form NNN-NNN and distinct; 422 cases become 400', () => {
    const doc = { cases: { missingParameter: { status: 422, code: '003-003' }, malformedBody: { status: 400, code: '003-004' }, unknownProject: { status: 404, code: null } } };
    const adapted = expectationsWithQuirks(doc, [QUIRKS['other-error-codes']!, QUIRKS['status-400-for-validation']!]);
    assert.deepEqual(adapted.cases, { missingParameter: { status: 400, code: otherErrorCode('003-003') }, malformedBody: { status: 400, code: otherErrorCode('003-004') }, unknownProject: { status: 404, code: null } });
    assert.notEqual(otherErrorCode('003-003'), otherErrorCode('003-004'));
    assert.equal(doc.cases.missingParameter.status, 422, 'the original document is left alone');
    assert.equal(decodeURIComponent(encodeEverything('a b/é😀~')), 'a b/é😀~');
  });

  for (const [name, quirk] of Object.entries(QUIRKS)) {
    test(`${name}: the wire differs from the good simulator's (${quirk.area})`, async () => {
      const limited = RATE_LIMITED.has(name);
      const quirky = await startSimulator({ port: 0, quirks: [name], ...(limited ? LIMITED : {}) });
      const reference = limited ? await startSimulator({ port: 0, ...LIMITED }) : good;
      try {
        const probe = PROBES[name]!;
        const [fromGood, fromQuirk] = [await probe(reference), await probe(quirky)];
        assert.notEqual(fromQuirk, fromGood, `the probe sees no difference: ${fromGood}`);
      } finally {
        await quirky.close();
        if (reference !== good) await reference.close();
      }
    });
  }
});
