import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, describe, test } from 'node:test';
import { startFakeNetworks, type FakeNetworkOptions } from '../sim/social/fake-networks.ts';
import { EPIC_TEST_ACCOUNT, FACEBOOK_TEST_APP, TEST_ACCOUNTS_BEARER } from '../sim/seed.ts';

/**
 * The fake networks alone, in-process, on a clock the test moves: credentials that expire (--social-token-ttl),
 * Epic codes that work once and for 300 s (--epic-codes-single-use), the test-account APIs and their refusals.
 * What the Login simulator does with a refused credential is in self-check/sim-credential-sources.selfcheck.ts, over HTTP.
 */

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.closeAllConnections(), s.close();
});

async function networks(options: Partial<FakeNetworkOptions> = {}) {
  let clock = Date.UTC(2030, 0, 1);
  const { origin, server } = await startFakeNetworks({ latencyMs: 0, outage: new Set(), slowMs: 0, now: () => clock, ...options });
  servers.push(server);
  const call = async (method: string, path: string, init: { json?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  return {
    call,
    advance: (seconds: number) => void (clock += seconds * 1000),
    verify: (provider: string, credential: Record<string, string>) => call('POST', `/${provider}/verify`, { json: credential }),
    generic: (provider: string, bearer = TEST_ACCOUNTS_BEARER) => call('POST', `/test-accounts/${provider}`, { headers: { authorization: `Bearer ${bearer}` } }),
    epicCode: async () => (await call('GET', '/epicgames/account/api/oauth/exchange', { headers: { authorization: `bearer ${EPIC_TEST_ACCOUNT.accessToken}` } })).body.code as string,
  };
}

const appToken = `${FACEBOOK_TEST_APP.appId}|${FACEBOOK_TEST_APP.appSecret}`;
const accountsPath = (token = appToken, appId: string = FACEBOOK_TEST_APP.appId) => `/facebook/graph/v19.0/${appId}/accounts?access_token=${encodeURIComponent(token)}`;

describe('--social-token-ttl', () => {
  test('a credential from a test-account API is accepted before its TTL and refused after, as an unknown one is', async () => {
    const net = await networks({ tokenTtlSeconds: 20 });
    const { body: account } = await net.generic('google');
    const token = { access_token: account.accessToken };
    net.advance(19.9);
    const before = await net.verify('google', token);
    assert.equal(before.status, 200);
    assert.ok(before.body.expires_in_ms > 0 && before.body.expires_in_ms <= 100, `the Login simulator may remember it for what is left: ${before.body.expires_in_ms}`);
    net.advance(0.1);
    const expired = await net.verify('google', token);
    const unknown = await net.verify('google', { access_token: 'simtu.google.never-issued' });
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, unknown.body, 'an expired token is refused exactly as a token the network never issued');
  });

  test('the TTL runs from each issue: a later listing of the same Facebook test user hands out a fresh token', async () => {
    const net = await networks({ tokenTtlSeconds: 20 });
    const created = await net.call('POST', accountsPath());
    assert.equal(created.status, 200);
    net.advance(30);
    assert.equal((await net.verify('facebook', { access_token: created.body.access_token })).status, 401);
    const listed = await net.call('GET', accountsPath());
    assert.equal(listed.body.data[0].id, created.body.id);
    const fresh = await net.verify('facebook', { access_token: listed.body.data[0].access_token });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.id, created.body.id, 'the same test user');
  });

  test('a template-minted sim-<provider>-<uid> token counts as issued when the networks started', async () => {
    const net = await networks({ tokenTtlSeconds: 20 });
    net.advance(19);
    assert.equal((await net.verify('discord', { access_token: 'sim-discord-alice' })).status, 200);
    assert.equal((await net.verify('steam', { ticket: Buffer.from('sim-steam-alice').toString('base64'), app_id: '480' })).status, 200);
    net.advance(1);
    assert.equal((await net.verify('discord', { access_token: 'sim-discord-alice' })).status, 401);
    assert.equal((await net.verify('steam', { ticket: Buffer.from('sim-steam-alice').toString('base64'), app_id: '480' })).status, 401);
  });

  test('companions still count: twitter needs the secret issued with its token, wechat the openid, steam a known app', async () => {
    const net = await networks({ tokenTtlSeconds: 20 });
    const tw = (await net.generic('twitter')).body;
    assert.equal((await net.verify('twitter', { access_token: tw.accessToken, access_token_secret: tw.accessTokenSecret })).status, 200);
    assert.equal((await net.verify('twitter', { access_token: tw.accessToken, access_token_secret: 'sim-secret-other' })).status, 401);
    const wc = (await net.generic('wechat')).body;
    assert.equal((await net.verify('wechat', { access_token: wc.accessToken, openid: wc.openid })).status, 200);
    assert.equal((await net.verify('wechat', { access_token: wc.accessToken, openid: 'sim-openid-other' })).status, 401);
    const st = (await net.generic('steam')).body;
    assert.equal(st.appId, '480');
    assert.equal((await net.verify('steam', { ticket: st.sessionTicket, app_id: st.appId })).status, 200);
    assert.equal((await net.verify('steam', { ticket: st.sessionTicket, app_id: '1' })).status, 401);
  });
});

describe('--epic-codes-single-use', () => {
  test('an exchange code works once', async () => {
    const net = await networks({ epicCodesSingleUse: true });
    const code = await net.epicCode();
    assert.match(code, /^[0-9a-f]{32}$/);
    const first = await net.verify('epicgames', { code });
    assert.equal(first.status, 200);
    assert.equal(first.body.id, EPIC_TEST_ACCOUNT.accountId);
    assert.equal(first.body.expires_in_ms, 0, 'used up: nobody may remember it as good');
    assert.equal((await net.verify('epicgames', { code })).status, 401);
    // The template codes of the simulator's profile live by the same rule.
    assert.equal((await net.verify('epicgames', { code: 'sim-epicgames-alice' })).status, 200);
    assert.equal((await net.verify('epicgames', { code: 'sim-epicgames-alice' })).status, 401);
  });

  test('an unused code works until 300 s after it was generated, and not from then on', async () => {
    const net = await networks({ epicCodesSingleUse: true });
    const early = await net.epicCode();
    const late = await net.epicCode();
    net.advance(299);
    assert.equal((await net.verify('epicgames', { code: early })).status, 200);
    net.advance(1);
    assert.equal((await net.verify('epicgames', { code: late })).status, 401);
  });

  test('with --social-token-ttl shorter than 300 s, the shorter lifetime wins', async () => {
    const net = await networks({ epicCodesSingleUse: true, tokenTtlSeconds: 20 });
    const code = await net.epicCode();
    net.advance(20);
    assert.equal((await net.verify('epicgames', { code })).status, 401);
  });
});

describe('default options leave credentials as they were', () => {
  test('template and issued credentials work years later and as often as shown', async () => {
    const net = await networks();
    const code = await net.epicCode();
    const google = (await net.generic('google')).body.accessToken as string;
    net.advance(10 * 365 * 86_400);
    for (let i = 0; i < 3; i++) {
      for (const [provider, credential] of [['epicgames', { code }], ['epicgames', { code: 'sim-epicgames-alice' }], ['google', { access_token: google }], ['facebook', { access_token: 'sim-facebook-alice' }]] as const) {
        const res = await net.verify(provider, credential);
        assert.equal(res.status, 200, `${provider} ${JSON.stringify(credential)}`);
        assert.equal('expires_in_ms' in res.body, false, 'no lifetime: the answer is the profile alone, as before');
      }
    }
  });
});

describe('test-account APIs', () => {
  test('Facebook: at most 10 test users per app; each listed with id, access_token, login_url', async () => {
    const net = await networks();
    assert.deepEqual((await net.call('GET', accountsPath())).body.data, []);
    for (let i = 0; i < 10; i++) assert.equal((await net.call('POST', accountsPath())).status, 200);
    const over = await net.call('POST', accountsPath());
    assert.equal(over.status, 400);
    assert.equal(over.body.error.code, 2900);
    const listed = (await net.call('GET', accountsPath())).body.data as { id: string; access_token: string; login_url: string }[];
    assert.equal(listed.length, 10);
    for (const user of listed) {
      assert.deepEqual(Object.keys(user).sort(), ['access_token', 'id', 'login_url']);
      assert.equal((await net.verify('facebook', { access_token: user.access_token })).body.id, user.id);
    }
  });

  test('Facebook: creation can be paused; the existing users still list', async () => {
    const net = await networks({ facebookTestUsersPaused: true });
    const refused = await net.call('POST', accountsPath());
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.type, 'OAuthException');
    assert.equal(refused.body.error.code, 2);
    assert.equal((await net.call('GET', accountsPath())).status, 200);
  });

  test('Facebook refuses a wrong app token as the Graph API does: 400 OAuthException 190; none at all: 104', async () => {
    const net = await networks();
    for (const path of [accountsPath(`${FACEBOOK_TEST_APP.appId}|wrong`), accountsPath(appToken, '123'), accountsPath('sim-facebook-app-secret')]) {
      for (const method of ['GET', 'POST']) {
        const res = await net.call(method, path);
        assert.equal(res.status, 400, `${method} ${path}`);
        assert.equal(res.body.error.type, 'OAuthException');
        assert.equal(res.body.error.code, 190);
      }
    }
    assert.equal((await net.call('GET', `/facebook/graph/${FACEBOOK_TEST_APP.appId}/accounts`)).body.error.code, 104);
  });

  test('Epic: {code, expiresInSeconds: 300, creatingClientId}; a wrong bearer gets 401 token_verification_failed', async () => {
    const net = await networks();
    const ok = await net.call('GET', '/epicgames/account/api/oauth/exchange', { headers: { authorization: `bearer ${EPIC_TEST_ACCOUNT.accessToken}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(Object.keys(ok.body).sort(), ['code', 'creatingClientId', 'expiresInSeconds']);
    assert.equal(ok.body.expiresInSeconds, 300);
    const wrong = await net.call('GET', '/epicgames/account/api/oauth/exchange', { headers: { authorization: 'bearer nope' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.errorCode, 'errors.com.epicgames.common.authentication.token_verification_failed');
    assert.equal(wrong.body.numericErrorCode, 1014);
    assert.equal((await net.call('GET', '/epicgames/account/api/oauth/exchange')).status, 401);
  });

  test('generic: an account in the profile format per provider; a wrong bearer gets 401 with WWW-Authenticate', async () => {
    const net = await networks();
    assert.deepEqual(Object.keys((await net.generic('google')).body), ['accessToken']);
    assert.deepEqual(Object.keys((await net.generic('xbox')).body), ['sessionTicket']);
    assert.deepEqual(Object.keys((await net.generic('epicgames')).body), ['code']);
    const wrong = await net.generic('google', 'nope');
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
    assert.equal((await net.generic('myspace')).status, 404);
  });

  test('generic ?credentials=N: N credentials of one new account, each working once when Epic codes do', async () => {
    const net = await networks({ epicCodesSingleUse: true });
    const many = await net.call('POST', '/test-accounts/epicgames?credentials=4', { headers: { authorization: `Bearer ${TEST_ACCOUNTS_BEARER}` } });
    assert.equal(many.status, 200);
    const codes = (many.body as { code: string }[]).map((a) => a.code);
    assert.equal(new Set(codes).size, 4, 'four different codes');
    const ids = [];
    for (const code of codes) {
      const answer = await net.verify('epicgames', { code });
      assert.equal(answer.status, 200);
      ids.push(answer.body.id);
      assert.equal((await net.verify('epicgames', { code })).status, 401, 'each works once');
    }
    assert.equal(new Set(ids).size, 1, 'all of one account');
    const other = (await net.generic('epicgames')).body.code as string;
    assert.notEqual((await net.verify('epicgames', { code: other })).body.id, ids[0], 'another call: another account');
    const bad = await net.call('POST', '/test-accounts/google?credentials=0', { headers: { authorization: `Bearer ${TEST_ACCOUNTS_BEARER}` } });
    assert.equal(bad.status, 400);
  });
});
