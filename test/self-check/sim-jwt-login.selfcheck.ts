import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ANSWERS, SOCIAL_PROVIDERS } from '../../contract/index.ts';
import { PROJECT, claims, qs, simulator, uid, type Call } from '../sim-helpers.ts';

let sim: Awaited<ReturnType<typeof simulator>>;
let call: Call;
before(async () => { sim = await simulator(); call = sim.call; });
after(() => sim.close());

const login = (provider: string, query: Record<string, string | undefined>, json: unknown) =>
  call('POST', `/social/${provider}/login_with_token?${qs(query)}`, { json });

const expectError = (res: { status: number; body: any }, answer: keyof typeof ANSWERS, parameter?: string): void => {
  assert.equal(res.status, ANSWERS[answer].status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, ANSWERS[answer].code);
  assert.equal(typeof res.body.error.description, 'string');
  if (parameter) assert.equal(res.body.error.details.parameter, parameter);
};

const credentialFor = (provider: string, id: string): Record<string, string> => ({
  access_token: `sim-${provider}-${id}`,
  ...(provider === 'twitter' ? { access_token_secret: `sim-secret-${id}` } : {}),
  ...(provider === 'wechat' ? { openid: `sim-openid-${id}` } : {}),
});

describe('JWT login_with_token', () => {
  for (const provider of SOCIAL_PROVIDERS) {
    test(`${provider}: a good token signs in; claims follow the request`, async () => {
      const id = uid();
      const res = await login(provider, { projectId: PROJECT, payload: 'päyload {"x":1}' }, credentialFor(provider, id));
      assert.equal(res.status, 200, res.text);
      const c = claims(res.body.token);
      assert.equal(c.payload, 'päyload {"x":1}');
      assert.equal(c.provider, provider);
      assert.equal(c.xsolla_login_project_id, PROJECT);
      assert.equal(c.type, 'social');
      assert.equal(c.iss, 'https://login.xsolla.com');
      assert.ok(c.exp > Date.now() / 1000);
      assert.equal(c.social_access_token, undefined, 'the social token is never echoed');
      const again = await login(provider, { projectId: PROJECT }, credentialFor(provider, id));
      assert.equal(claims(again.body.token).sub, c.sub, 'sub is stable for the same social user');
      assert.equal(claims(again.body.token).payload, undefined);
    });
  }

  test('unknown and differently-cased providers are 404', async () => {
    expectError(await login('myspace', { projectId: PROJECT }, { access_token: 'sim-myspace-a' }), 'unknownProvider');
    expectError(await login('Facebook', { projectId: PROJECT }, { access_token: 'sim-facebook-a' }), 'unknownProvider');
  });

  test('projectId: missing, not a UUID, unknown', async () => {
    const body = credentialFor('google', uid());
    expectError(await login('google', {}, body), 'missingParameter', 'projectId');
    expectError(await login('google', { projectId: 'abc' }, body), 'invalidParameter', 'projectId');
    expectError(await login('google', { projectId: '00000000-0000-4000-8000-000000000000' }, body), 'unknownProject', 'projectId');
  });

  test('access_token: missing, empty, wrong type; a token the network rejects', async () => {
    expectError(await login('google', { projectId: PROJECT }, {}), 'missingParameter', 'access_token');
    expectError(await login('google', { projectId: PROJECT }, { access_token: '' }), 'invalidParameter', 'access_token');
    expectError(await login('google', { projectId: PROJECT }, { access_token: 42 }), 'invalidParameter', 'access_token');
    expectError(await login('google', { projectId: PROJECT }, { access_token: 'sim-facebook-x' }), 'socialTokenRejected');
    expectError(await login('google', { projectId: PROJECT }, { access_token: 'garbage' }), 'socialTokenRejected');
  });

  test('twitter needs access_token_secret, wechat needs openid, and they must match the account', async () => {
    expectError(await login('twitter', { projectId: PROJECT }, { access_token: 'sim-twitter-a' }), 'missingParameter', 'access_token_secret');
    expectError(await login('wechat', { projectId: PROJECT }, { access_token: 'sim-wechat-a' }), 'missingParameter', 'openid');
    expectError(await login('twitter', { projectId: PROJECT }, { access_token: 'sim-twitter-a', access_token_secret: 'sim-secret-b' }), 'socialTokenRejected');
    expectError(await login('facebook', { projectId: PROJECT }, { access_token: 'sim-facebook-a', openid: 7 }), 'invalidParameter', 'openid');
  });

  test('with_logout: 0 and default keep earlier tokens, 1 deactivates them and keeps the new one', async () => {
    const cred = credentialFor('discord', uid());
    const me = (token: string) => call('GET', '/users/me', { headers: { authorization: `Bearer ${token}` } });
    const first = (await login('discord', { projectId: PROJECT }, cred)).body.token;
    const second = (await login('discord', { projectId: PROJECT, with_logout: '0' }, cred)).body.token;
    assert.equal((await me(first)).status, 200);
    assert.equal((await me(second)).status, 200);
    const third = (await login('discord', { projectId: PROJECT, with_logout: '1' }, cred)).body.token;
    expectError(await me(first), 'unauthorized');
    expectError(await me(second), 'unauthorized');
    assert.equal((await me(third)).status, 200);
    assert.equal((await me(third)).body.id, claims(third).sub);
    expectError(await login('discord', { projectId: PROJECT, with_logout: 'yes' }, cred), 'invalidParameter', 'with_logout');
    expectError(await login('discord', { projectId: PROJECT, with_logout: '2' }, cred), 'invalidParameter', 'with_logout');
  });

  test('social network outage and slowness are a documented 4xx, never a 5xx', async () => {
    expectError(await login('naver', { projectId: PROJECT }, { access_token: 'sim-naver-outage1' }), 'socialNetworkUnavailable');
  });
});

describe('malformed requests get the documented error body', () => {
  const path = `/social/google/login_with_token?projectId=${PROJECT}`;
  test('bad JSON, non-object JSON, wrong content type, invalid UTF-8, oversized', async () => {
    expectError(await call('POST', path, { json: '{"access_token":' }), 'malformedBody');
    expectError(await call('POST', path, { json: '[1,2]' }), 'malformedBody');
    expectError(await call('POST', path, { json: 'null' }), 'malformedBody');
    expectError(await call('POST', path, { json: '{"access_token":"x"}', headers: { 'content-type': 'text/plain' } }), 'wrongContentType');
    const invalidUtf8 = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) });
    assert.equal(invalidUtf8.status, 400);
    assert.equal(((await invalidUtf8.json()) as any).error.code, ANSWERS.malformedBody.code);
    expectError(await call('POST', path, { json: JSON.stringify({ access_token: 'x'.repeat(70_000) }) }), 'bodyTooLarge');
  });

  test('unknown routes, wrong methods, repeated parameters', async () => {
    expectError(await call('GET', '/nothing/here'), 'unknownRoute');
    expectError(await call('GET', '/social/google/login_with_token'), 'wrongMethod');
    const wrong = await call('DELETE', '/users/me');
    assert.equal(wrong.headers.get('allow'), 'GET');
    expectError(await call('POST', `${path}&projectId=${PROJECT}`, { json: { access_token: 'sim-google-a' } }), 'invalidParameter', 'projectId');
    expectError(await call('GET', '/social/%E0%A4%A/login_with_token'), 'wrongMethod');
  });
});
