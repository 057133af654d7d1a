import { isPlatform, socialBody } from '../lib/accounts.ts';
import { MALFORMED_JSON_BODIES } from '../lib/data-builders.ts';
import type { SocialAccount } from '../lib/profile.ts';
import { expect, targetProfile, test } from '../lib/fixtures.ts';
import { decodeLoginJwt } from '../lib/jwt.ts';
import { jwtOf } from '../lib/matchers.ts';
import { ERROR_BODY_SOURCE, PAYLOAD_RULE, PROVIDER_LIST_SOURCES, SOCIAL_REQUIRED_EXTRAS, param, type SocialProvider } from '../contract/index.ts';

/**
 * POST /social/{provider_name}/login_with_token (contract/documents/jwt-login-with-token.md): one suite over the
 * provider matrix of the target profile. What the page says is asserted everywhere; which 4xx and which code
 * a bad input gets comes from the target's expectations file.
 */

const profile = targetProfile();
const providers = profile.providers.filter((p) => !isPlatform(p));
const endpoint = 'jwtLogin' as const;
const source = (name: string) => param(endpoint, name).source;

test.describe('[JWT] login_with_token: sign-in per provider', () => {
  for (const provider of providers) {
    const extras = SOCIAL_REQUIRED_EXTRAS[provider as SocialProvider] ?? [];
    test(`${provider}: the JWT carries the payload exactly, the project, the provider, a stable sub and a future exp`, async ({ api, accounts, data, report }) => {
      await report.describe({
        endpoint, feature: 'JWT claims match the request', story: provider, source: PROVIDER_LIST_SOURCES.full, severity: 'critical',
        covers: ['path.provider_name', 'query.projectId', 'query.payload', 'body.access_token', ...extras.map((e) => `body.${e}`)],
      });
      const account = await accounts.social(provider);
      const payload = data.payload();
      const first = await api.call(endpoint, { provider, query: { projectId: profile.projectId, payload }, json: socialBody(account) });
      await expect(first).toHaveStatus(200);
      await expect(first).toHaveJwtClaims({ payload, xsolla_login_project_id: profile.projectId, provider });

      await test.step('the same social user signs in again: same sub', async () => {
        const again = await api.call(endpoint, { provider, query: { projectId: profile.projectId }, json: socialBody(account) });
        await expect(again).toHaveStatus(200);
        await expect(again).toHaveJwtClaims({ sub: decodeLoginJwt(jwtOf(first)!).sub, provider });
      });

      await test.step('the issued token is active (GET /users/me answers 200)', async () => {
        const me = await api.call('usersMe', { headers: { authorization: `Bearer ${jwtOf(first)}` } });
        await expect(me).toHaveStatus(200);
      });
    });
  }

  test('two different social users get different subs', async ({ api, accounts, report }) => {
    await report.describe({ endpoint, feature: 'JWT claims match the request', story: 'any', source: source('access_token'), covers: ['body.access_token'] });
    const { provider } = await accounts.anySocial();
    const pair = await accounts.twoSocial(provider);
    test.skip('reason' in pair, 'reason' in pair ? pair.reason : '');
    const subs: unknown[] = [];
    for (const account of pair as SocialAccount[]) {
      const x = await api.call(endpoint, { provider, query: { projectId: profile.projectId }, json: socialBody(account) });
      await expect(x).toHaveStatus(200);
      subs.push(decodeLoginJwt(jwtOf(x)!).sub);
    }
    expect(subs[0], 'two different social accounts must not share a Login user (sub)').not.toEqual(subs[1]);
  });
});

test.describe('[JWT] login_with_token: provider-specific fields', () => {
  for (const provider of providers) {
    for (const extra of SOCIAL_REQUIRED_EXTRAS[provider as SocialProvider] ?? []) {
      test(`${provider} without ${extra} is refused`, async ({ api, accounts, report }) => {
        await report.describe({ endpoint, feature: `${extra} required for ${provider}`, story: provider, source: source(extra), covers: [`body.${extra}`] });
        const body: Record<string, unknown> = { ...socialBody(await accounts.social(provider)) };
        delete body[extra];
        const x = await api.call(endpoint, { provider, query: { projectId: profile.projectId }, json: body });
        await expect(x).toBeRejected(`${extra} is "Required for ${provider === 'twitter' ? 'Twitter' : 'Wechat'} only"`);
        await expect(x).toMatchExpectation('missingParameter');
      });
    }
  }
});

test.describe('[JWT] login_with_token: projectId', () => {
  const cases = [
    { title: 'missing', projectId: undefined, expectation: 'missingParameter' },
    { title: 'not a UUID', projectId: 'not-a-uuid', expectation: 'invalidParameter' },
    { title: 'a UUID with a character too many', projectId: `${profile.projectId}0`, expectation: 'invalidParameter' },
    { title: 'unknown (a UUID naming no project)', projectId: '00000000-0000-4000-8000-00000000dead', expectation: 'unknownProject' },
  ] as const;
  for (const c of cases) {
    test(`projectId ${c.title} is refused`, async ({ api, accounts, report }) => {
      await report.describe({ endpoint, feature: 'projectId is required and names a project', story: 'any', source: source('projectId'), covers: ['query.projectId'], expectation: true, severity: 'critical' });
      const { provider, account } = await accounts.anySocial();
      const x = await api.call(endpoint, { provider, query: { projectId: c.projectId }, json: socialBody(account) });
      await expect(x).toBeRejected('projectId is required and must name the Login project');
      await expect(x).toMatchExpectation(c.expectation);
    });
  }
});

test.describe('[JWT] login_with_token: access_token', () => {
  const cases = [
    { title: 'missing', value: undefined, expectation: 'missingParameter' },
    { title: 'empty', value: '', expectation: 'invalidParameter' },
    { title: 'a number', value: 12345678, expectation: 'invalidParameter' },
    { title: 'an object', value: { token: 'x' }, expectation: 'invalidParameter' },
    { title: 'an array', value: ['x'], expectation: 'invalidParameter' },
  ] as const;
  for (const c of cases) {
    test(`access_token ${c.title} is refused`, async ({ api, accounts, report }) => {
      await report.describe({ endpoint, feature: 'access_token is a required string', story: 'any', source: source('access_token'), covers: ['body.access_token'], expectation: true, severity: 'critical' });
      const { provider, account } = await accounts.anySocial();
      const body: Record<string, unknown> = { ...socialBody(account), access_token: c.value };
      if (c.value === undefined) delete body.access_token;
      const x = await api.call(endpoint, { provider, query: { projectId: profile.projectId }, json: body });
      await expect(x).toBeRejected('access_token is a required string');
      await expect(x).toMatchExpectation(c.expectation);
    });
  }

  test('a token the social network rejects is refused', async ({ api, accounts, report }) => {
    await report.describe({ endpoint, feature: 'the social network decides', story: 'any', source: source('access_token'), covers: ['body.access_token'], expectation: true, severity: 'critical' });
    const { provider, account } = await accounts.anySocial();
    const x = await api.call(endpoint, { provider, query: { projectId: profile.projectId }, json: { ...socialBody(account), access_token: accounts.rejectedToken() } });
    await expect(x).toBeRejected('the social network did not accept the token');
    await expect(x).toMatchExpectation('socialTokenRejected');
  });
});

test.describe('[JWT] login_with_token: request body and path', () => {
  // The bodies are bytes (lib/data-builders.ts): a string would be re-serialised by Playwright into valid JSON.
  for (const body of MALFORMED_JSON_BODIES) {
    test(`a malformed JSON body (${body.title}) is refused, never a 5xx`, async ({ api, accounts, report }) => {
      await report.describe({ endpoint, feature: 'the body is application/json', story: 'any', source: ERROR_BODY_SOURCE, covers: ['body.access_token'], expectation: true });
      const { provider } = await accounts.anySocial();
      const x = await api.call(endpoint, { provider, query: { projectId: profile.projectId }, raw: body.bytes, contentType: body.contentType });
      await expect(x).toBeRejected('the body is not JSON');
      await expect(x).toMatchExpectation('malformedBody');
    });
  }

  for (const unknown of ['myspace', 'steam', 'not-a-provider']) {
    test(`an unknown provider (${JSON.stringify(unknown)}) is refused`, async ({ api, accounts, report }) => {
      await report.describe({ endpoint, feature: 'provider_name is one of the documented networks', story: 'any', source: PROVIDER_LIST_SOURCES.full, covers: ['path.provider_name'], expectation: true, severity: 'critical' });
      const { account } = await accounts.anySocial();
      const x = await api.call(endpoint, { provider: unknown, query: { projectId: profile.projectId }, json: socialBody(account) });
      await expect(x).toBeRejected(`${JSON.stringify(unknown)} is not a documented provider`);
      await expect(x).toMatchExpectation('unknownProvider');
    });
  }
});

test.describe('[JWT] login_with_token: payload', () => {
  test('a payload of the recommended maximum length (499 characters, non-ASCII) comes back exactly', async ({ api, accounts, data, report }) => {
    await report.describe({ endpoint, feature: 'payload is echoed in the payload claim', story: 'any', source: PAYLOAD_RULE, covers: ['query.payload'] });
    const { provider, account } = await accounts.anySocial();
    const payload = `${data.state(480, 'cjk')}&=?#+% "'\u00e9`.padEnd(499, 'x');
    const x = await api.call(endpoint, { provider, query: { projectId: profile.projectId, payload }, json: socialBody(account) });
    await expect(x).toHaveStatus(200);
    await expect(x).toHaveJwtClaims({ payload });
  });
});
