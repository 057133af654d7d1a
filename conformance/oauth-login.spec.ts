import { isPlatform, socialBody } from '../lib/accounts.ts';
import { MALFORMED_JSON_BODIES } from '../lib/data-builders.ts';
import { expect, targetProfile, test } from '../lib/fixtures.ts';
import { decodeLoginJwt } from '../lib/jwt.ts';
import { jwtOf } from '../lib/matchers.ts';
import { codeFrom, exchangeCode } from '../lib/oauth-flow.ts';
import { ERROR_BODY_SOURCE, PROVIDER_LIST_SOURCES, SOCIAL_REQUIRED_EXTRAS, param, type SocialProvider } from '../contract/index.ts';
import { baseQuery } from './oauth-entries.ts';

/**
 * POST /oauth2/social/{provider_name}/login_with_token (contract/documents/oauth2-login-with-token.md) over the
 * provider matrix: login_url → code → POST /oauth2/token → the user's JWT; the body's fields per provider;
 * malformed bodies; unknown providers.
 */

const profile = targetProfile();
const providers = profile.providers.filter((p) => !isPlatform(p));
const endpoint = 'oauthLogin' as const;
const client = profile.oauth.singleRedirect;
const redirectUri = client.redirectUris[0]!;
const src = (name: string) => param(endpoint, name).source;

test.describe('[OAuth 2.0] login_with_token: sign-in per provider', () => {
  for (const provider of providers) {
    const extras = SOCIAL_REQUIRED_EXTRAS[provider as SocialProvider] ?? [];
    test(`${provider}: login_url → code → JWT of this provider and project; the same user keeps its sub`, async ({ api, accounts, data, report }) => {
      await report.describe({
        endpoint, feature: 'login_url with code and state; the code gives the JWT', story: provider, source: PROVIDER_LIST_SOURCES.full, severity: 'critical',
        covers: ['path.provider_name', 'query.client_id', 'query.response_type', 'query.state', 'body.access_token', ...extras.map((e) => `body.${e}`)],
      });
      const account = await accounts.social(provider);
      const subs: unknown[] = [];
      for (let round = 0; round < 2; round++) {
        const state = data.validState();
        const x = await api.call(endpoint, { provider, query: baseQuery(client, state), json: socialBody(account) });
        await expect(x).toHaveStatus(200);
        await expect(x).toHaveLoginUrlWith({ redirectUri, state });
        const token = await exchangeCode(api, client, codeFrom(x), redirectUri);
        await expect(token).toHaveStatus(200);
        await expect(token).toHaveJwtClaims({ xsolla_login_project_id: profile.projectId, provider });
        subs.push(decodeLoginJwt(jwtOf(token)!).sub);
      }
      expect(subs[1], 'the same social user must keep its Login user (sub) across sign-ins').toEqual(subs[0]);
    });
  }
});

test.describe('[OAuth 2.0] login_with_token: request body', () => {
  for (const provider of providers) {
    for (const extra of SOCIAL_REQUIRED_EXTRAS[provider as SocialProvider] ?? []) {
      test(`${provider} without ${extra} is refused`, async ({ api, accounts, data, report }) => {
        await report.describe({ endpoint, feature: `${extra} required for ${provider}`, story: provider, source: src(extra), covers: [`body.${extra}`], expectation: true });
        const body: Record<string, unknown> = { ...socialBody(await accounts.social(provider)) };
        delete body[extra];
        const x = await api.call(endpoint, { provider, query: baseQuery(client, data.validState()), json: body });
        await expect(x).toBeRejected(`${extra} is required for ${provider}`);
        await expect(x).toMatchExpectation('missingParameter');
      });
    }
  }

  const accessTokens = [
    { title: 'missing', value: undefined, expectation: 'missingParameter' },
    { title: 'empty', value: '', expectation: 'invalidParameter' },
    { title: 'a number', value: 42, expectation: 'invalidParameter' },
  ] as const;
  for (const c of accessTokens) {
    test(`access_token ${c.title} is refused`, async ({ api, accounts, data, report }) => {
      await report.describe({ endpoint, feature: 'access_token is a required string', story: 'any', source: src('access_token'), covers: ['body.access_token'], expectation: true, severity: 'critical' });
      const { provider, account } = await accounts.anySocial();
      const body: Record<string, unknown> = { ...socialBody(account), access_token: c.value };
      if (c.value === undefined) delete body.access_token;
      const x = await api.call(endpoint, { provider, query: baseQuery(client, data.validState()), json: body });
      await expect(x).toBeRejected('access_token is a required string');
      await expect(x).toMatchExpectation(c.expectation);
    });
  }

  test('a token the social network rejects is refused', async ({ api, accounts, data, report }) => {
    await report.describe({ endpoint, feature: 'the social network decides', story: 'any', source: src('access_token'), covers: ['body.access_token'], expectation: true });
    const { provider, account } = await accounts.anySocial();
    const x = await api.call(endpoint, { provider, query: baseQuery(client, data.validState()), json: { ...socialBody(account), access_token: accounts.rejectedToken() } });
    await expect(x).toBeRejected('the social network did not accept the token');
    await expect(x).toMatchExpectation('socialTokenRejected');
  });

  // The bodies are bytes (lib/data-builders.ts): a string would be re-serialised by Playwright into valid JSON.
  for (const body of MALFORMED_JSON_BODIES) {
    test(`a malformed JSON body (${body.title}) is refused, never a 5xx`, async ({ api, accounts, data, report }) => {
      await report.describe({ endpoint, feature: 'the body is application/json', story: 'any', source: ERROR_BODY_SOURCE, covers: ['body.access_token'], expectation: true });
      const { provider } = await accounts.anySocial();
      const x = await api.call(endpoint, { provider, query: baseQuery(client, data.validState()), raw: body.bytes, contentType: body.contentType });
      await expect(x).toBeRejected('the body is not JSON');
      await expect(x).toMatchExpectation('malformedBody');
    });
  }

  test('an unknown provider is refused', async ({ api, accounts, data, report }) => {
    await report.describe({ endpoint, feature: 'provider_name is one of the documented networks', story: 'any', source: PROVIDER_LIST_SOURCES.full, covers: ['path.provider_name'], expectation: true, severity: 'critical' });
    const { account } = await accounts.anySocial();
    const x = await api.call(endpoint, { provider: 'myspace', query: baseQuery(client, data.validState()), json: socialBody(account) });
    await expect(x).toBeRejected('myspace is not a documented provider');
    await expect(x).toMatchExpectation('unknownProvider');
  });
});
