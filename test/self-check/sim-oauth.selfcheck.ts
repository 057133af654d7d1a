import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ANSWERS } from '../../contract/index.ts';
import { MULTI, RATE_CLIENT, SINGLE, b64, claims, qs, simulator, uid, type Call } from '../sim-helpers.ts';

let sim: Awaited<ReturnType<typeof simulator>>;
let call: Call;
before(async () => { sim = await simulator(); call = sim.call; });
after(() => sim.close());

const expectError = (res: { status: number; body: any }, answer: keyof typeof ANSWERS, parameter?: string): void => {
  assert.equal(res.status, ANSWERS[answer].status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, ANSWERS[answer].code);
  if (parameter) assert.equal(res.body.error.details.parameter, parameter);
};

const base = (extra: Record<string, string | undefined> = {}) => ({
  client_id: String(MULTI.clientId), response_type: 'code', state: 'state-123456', redirect_uri: MULTI.redirectUris[0], ...extra,
});
const oauthLogin = (query: Record<string, string | undefined>, json: unknown = { access_token: `sim-google-${uid()}` }) =>
  call('POST', `/oauth2/social/google/login_with_token?${qs(query)}`, { json });
const exchange = (form: Record<string, string>) => call('POST', '/oauth2/token', { form });
const codeOf = (loginUrl: string) => new URL(loginUrl).searchParams.get('code')!;

describe('OAuth 2.0 login_with_token', () => {
  test('answers login_url on the redirect URI with code and the exact state', async () => {
    for (const state of ['123456789', 'ёжик-ёжик-ёжик', '😀😀😀😀😀😀😀😀😀', 'a b&c=d?e#f/g%h+i', 'x'.repeat(2000)]) {
      const res = await oauthLogin(base({ state }));
      assert.equal(res.status, 200, `${state}: ${res.text}`);
      const url = new URL(res.body.login_url);
      assert.equal(`${url.origin}${url.pathname}`, MULTI.redirectUris[0]);
      assert.equal(url.searchParams.get('state'), state);
      assert.ok((url.searchParams.get('code') ?? '').length >= 16);
    }
  });

  test('state: absent, empty, 8 characters, 8 code points of 4 bytes are refused; 9 accepted', async () => {
    expectError(await oauthLogin(base({ state: undefined })), 'missingParameter', 'state');
    expectError(await oauthLogin(base({ state: '' })), 'stateTooShort', 'state');
    expectError(await oauthLogin(base({ state: '12345678' })), 'stateTooShort', 'state');
    expectError(await oauthLogin(base({ state: '😀😀😀😀😀😀😀😀' })), 'stateTooShort', 'state');
    assert.equal((await oauthLogin(base({ state: '😀😀😀😀😀😀😀😀😀' }))).status, 200);
  });

  test('client_id: missing, non-integer, unknown; response_type: missing, not code', async () => {
    expectError(await oauthLogin(base({ client_id: undefined })), 'missingParameter', 'client_id');
    for (const bad of ['7001.0', '7001abc', '-7001', '1e3', ' 7001']) expectError(await oauthLogin(base({ client_id: bad })), 'invalidParameter', 'client_id');
    expectError(await oauthLogin(base({ client_id: '999999' })), 'unknownClient', 'client_id');
    expectError(await oauthLogin(base({ response_type: undefined })), 'missingParameter', 'response_type');
    expectError(await oauthLogin(base({ response_type: 'token' })), 'invalidParameter', 'response_type');
    expectError(await oauthLogin(base({ response_type: 'CODE' })), 'invalidParameter', 'response_type');
  });

  test('redirect_uri: exact match only; omitted only with one registered', async () => {
    const registered = MULTI.redirectUris[0]!;
    for (const lookAlike of [registered.replace('127.0.0.1', 'localhost'), `${registered}/`, `${registered}x`, `${registered}?a=1`, registered.replace('/callback', '/other'), registered.replace('http:', 'https:')]) {
      expectError(await oauthLogin(base({ redirect_uri: lookAlike })), 'redirectUriNotRegistered', 'redirect_uri');
    }
    expectError(await oauthLogin(base({ redirect_uri: undefined })), 'redirectUriAmbiguous', 'redirect_uri');
    const single = await oauthLogin(base({ client_id: String(SINGLE.clientId), redirect_uri: undefined }));
    assert.equal(single.status, 200);
    assert.ok(single.body.login_url.startsWith(`${SINGLE.redirectUris[0]}?`));
    assert.equal((await oauthLogin(base({ redirect_uri: MULTI.redirectUris[1] }))).status, 200);
  });

  test('the flow completes: code → token; a code works once, for its client and redirect URI only', async () => {
    const login = await oauthLogin(base({ scope: 'offline email my:custom' }), { access_token: 'sim-google-flowuser' });
    const code = codeOf(login.body.login_url);
    const form = { grant_type: 'authorization_code', client_id: String(MULTI.clientId), client_secret: MULTI.clientSecret, redirect_uri: MULTI.redirectUris[0]!, code };
    const token = await exchange(form);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.token_type, 'bearer');
    const c = claims(token.body.access_token);
    assert.equal(c.provider, 'google');
    assert.equal(c.scope, 'offline email my:custom');
    assert.equal(c.email, 'flowuser@google.example');
    assert.ok(token.body.refresh_token, 'offline scope gives a refresh token');
    expectError(await exchange(form), 'invalidGrant');
    const me = await call('GET', '/users/me', { headers: { authorization: `Bearer ${token.body.access_token}` } });
    assert.equal(me.status, 200);
    assert.equal(me.body.id, c.sub);

    const refreshed = await exchange({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token, client_id: String(MULTI.clientId), client_secret: MULTI.clientSecret });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(claims(refreshed.body.access_token).sub, c.sub);
    expectError(await exchange({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token, client_id: String(MULTI.clientId), client_secret: MULTI.clientSecret }), 'invalidGrant');

    const noOffline = await oauthLogin(base());
    const t2 = await exchange({ ...form, code: codeOf(noOffline.body.login_url) });
    assert.equal(t2.status, 200);
    assert.equal(t2.body.refresh_token, undefined);

    const other = await oauthLogin(base());
    expectError(await exchange({ ...form, code: codeOf(other.body.login_url), redirect_uri: MULTI.redirectUris[1]! }), 'invalidGrant');
    const third = await oauthLogin(base());
    expectError(await exchange({ ...form, code: codeOf(third.body.login_url), client_secret: 'wrong' }), 'invalidClient');
    expectError(await exchange({ ...form, grant_type: 'password' }), 'invalidParameter', 'grant_type');
    expectError(await call('POST', '/oauth2/token', { json: form }), 'wrongContentType');
  });

  test('an expired code is refused', async () => {
    const short = await simulator({ codeTtlSeconds: 0.05 });
    try {
      const login = await short.call('POST', `/oauth2/social/google/login_with_token?${qs(base())}`, { json: { access_token: 'sim-google-x' } });
      await new Promise((r) => setTimeout(r, 120));
      const res = await short.call('POST', '/oauth2/token', { form: { grant_type: 'authorization_code', client_id: String(MULTI.clientId), client_secret: MULTI.clientSecret, redirect_uri: MULTI.redirectUris[0]!, code: codeOf(login.body.login_url) } });
      expectError(res, 'invalidGrant');
    } finally {
      await short.close();
    }
  });
});

describe('cross_auth', () => {
  const cross = (platform: string, extra: Record<string, string | undefined>) =>
    call('GET', `/oauth2/social/${platform}/cross_auth?${qs({ ...base(), ...extra })}`);
  const steam = (id: string) => ({ session_ticket: b64(`sim-steam-${id}`), app_id: '480' });

  test('is_redirect default and true answer 302 with Location; false answers 200 login_url', async () => {
    for (const [platform, creds] of [['steam', steam(uid())], ['xbox', { session_ticket: b64(`sim-xbox-${uid()}`) }], ['epicgames', { code: `sim-epicgames-${uid()}`, deployment_id: 'sim-deployment-0001' }]] as const) {
      for (const isRedirect of [undefined, 'true']) {
        const res = await cross(platform, { ...creds, is_redirect: isRedirect });
        assert.equal(res.status, 302, `${platform} ${isRedirect}: ${res.text}`);
        const location = new URL(res.headers.get('location')!);
        assert.equal(location.searchParams.get('state'), 'state-123456');
        assert.ok(location.searchParams.get('code'));
      }
      const res = await cross(platform, { ...creds, is_redirect: 'false' });
      assert.equal(res.status, 200);
      assert.equal(new URL(res.body.login_url).searchParams.get('state'), 'state-123456');
    }
  });

  test('platform fields: steam app_id, Base64 session_ticket, epicgames code; deployment_id optional', async () => {
    expectError(await cross('steam', { session_ticket: b64('sim-steam-a') }), 'missingParameter', 'app_id');
    expectError(await cross('steam', { session_ticket: 'not base64!', app_id: '480' }), 'invalidParameter', 'session_ticket');
    expectError(await cross('steam', { session_ticket: b64('sim-steam-a'), app_id: '1' }), 'socialTokenRejected');
    expectError(await cross('xbox', {}), 'missingParameter', 'session_ticket');
    // The page never calls deployment_id required: without one the code alone signs the user in.
    assert.equal((await cross('epicgames', { code: `sim-epicgames-${uid()}`, is_redirect: 'false' })).status, 200);
    expectError(await cross('epicgames', { deployment_id: 'sim-deployment-0001' }), 'missingParameter', 'code');
    expectError(await cross('epicgames', { code: 'sim-epicgames-a', deployment_id: 'other' }), 'socialTokenRejected');
    expectError(await cross('playstation', steam('a')), 'unknownProvider');
    expectError(await cross('steam', { ...steam('a'), is_redirect: 'yes' }), 'invalidParameter', 'is_redirect');
  });

  test('no_user_creation refuses a new user and signs in an existing one', async () => {
    const id = uid();
    expectError(await cross('steam', { ...steam(id), no_user_creation: 'true' }), 'userNotFound');
    assert.equal((await cross('steam', { ...steam(id) })).status, 302);
    assert.equal((await cross('steam', { ...steam(id), no_user_creation: 'true' })).status, 302);
    assert.equal((await cross('steam', { ...steam(uid()), no_user_creation: 'false' })).status, 302);
  });

  test('audience becomes aud after the exchange', async () => {
    const res = await cross('xbox', { session_ticket: b64(`sim-xbox-${uid()}`), audience: 'my-game-server', is_redirect: 'false' });
    const token = await exchange({ grant_type: 'authorization_code', client_id: String(MULTI.clientId), client_secret: MULTI.clientSecret, redirect_uri: MULTI.redirectUris[0]!, code: codeOf(res.body.login_url) });
    assert.equal(claims(token.body.access_token).aud, 'my-game-server');
    assert.equal(claims(token.body.access_token).provider, 'xbox');
  });
});

describe('users/me', () => {
  test('refuses a missing, forged or foreign token', async () => {
    expectError(await call('GET', '/users/me'), 'unauthorized');
    expectError(await call('GET', '/users/me', { headers: { authorization: 'Bearer abc.def.ghi' } }), 'unauthorized');
    const other = await simulator();
    const jwt = (await other.call('POST', `/social/google/login_with_token?projectId=${'5f0f1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f'}`, { json: { access_token: 'sim-google-z' } })).body.token;
    await other.close();
    expectError(await call('GET', '/users/me', { headers: { authorization: `Bearer ${jwt}` } }), 'unauthorized');
  });

  test('refuses an expired token', async () => {
    const short = await simulator({ tokenTtlSeconds: 1 });
    try {
      const jwt = (await short.call('POST', `/social/google/login_with_token?projectId=${'5f0f1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f'}`, { json: { access_token: 'sim-google-z' } })).body.token;
      assert.equal((await short.call('GET', '/users/me', { headers: { authorization: `Bearer ${jwt}` } })).status, 200);
      await new Promise((r) => setTimeout(r, 2100));
      expectError(await short.call('GET', '/users/me', { headers: { authorization: `Bearer ${jwt}` } }), 'unauthorized');
    } finally {
      await short.close();
    }
  });
});

describe('rate limiting', () => {
  test('the isolated client gets 429 with the body and Retry-After past its 10 rps burst; the main client does not', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<Call>> | undefined;
    for (let i = 0; i < 15; i++) {
      const res = await oauthLogin({ ...base(), client_id: String(RATE_CLIENT.clientId), redirect_uri: RATE_CLIENT.redirectUris[0] });
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(200));
    assert.ok(limited, `no 429 in ${statuses.join(',')}`);
    expectError(limited, 'rateLimited');
    assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal((await oauthLogin(base())).status, 200, 'the main client is not starved');
  });

  test('the limit is set per start', async () => {
    const tight = await simulator({ rateLimit: 2, burst: 2 });
    try {
      const path = `/social/google/login_with_token?projectId=${'5f0f1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f'}`;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await tight.call('POST', path, { json: { access_token: 'sim-google-a' } })).status);
      assert.deepEqual(statuses, [200, 200, 429, 429]);
    } finally {
      await tight.close();
    }
  });
});
