import { platformQuery } from '../lib/accounts.ts';
import type { ApiClient } from '../lib/api-client.ts';
import { expect, targetProfile, test } from '../lib/fixtures.ts';
import type { TestStepInfo } from '@playwright/test';
import { audiencesOf, decodeLoginJwt } from '../lib/jwt.ts';
import { jwtOf } from '../lib/matchers.ts';
import { codeFrom, exchangeCode } from '../lib/oauth-flow.ts';
import type { PlatformAccount } from '../lib/profile.ts';
import {
  AUDIENCE_RULE, CROSS_AUTH_EXCHANGE_SOURCE, CROSS_AUTH_PLATFORMS, CROSS_AUTH_PLATFORM_SOURCE, CROSS_AUTH_REQUIRED, IS_REDIRECT_RULE,
  NO_USER_CREATION_RULE, SESSION_TICKET_RULE, param, type CrossAuthPlatform,
} from '../contract/index.ts';
import { baseQuery, type OAuthQuery } from './oauth-entries.ts';

/**
 * GET /oauth2/social/{steam|xbox|epicgames}/cross_auth (contract/documents/oauth2-cross-auth.reference-page.txt):
 * 302 with Location by default and with is_redirect=true (never followed), 200 {login_url} with false; the
 * platform's own parameters; no_user_creation; audience into aud. One suite over the platforms.
 */

const profile = targetProfile();
const endpoint = 'crossAuth' as const;
const client = profile.oauth.singleRedirect;
const redirectUri = client.redirectUris[0]!;
const src = (name: string) => param(endpoint, name).source;

function crossAuth(api: ApiClient, platform: string, account: PlatformAccount, query: OAuthQuery): Promise<import('../lib/exchange.ts').Exchange> {
  return api.call(endpoint, { provider: platform, query: { ...platformQuery(account), ...query } });
}

/** The query parameters the profile's accounts of a platform send (what a sign-in carries is the profile's business). */
function platformParams(platform: CrossAuthPlatform): string[] {
  const account = profile.credentialTemplates[platform] ?? profile.credentials[platform]?.[0] ?? profile.newPlatformUsers[platform]?.[0] ?? {};
  return Object.keys(platformQuery(account as PlatformAccount));
}

/**
 * Skips a step that has no credential to sign in with (`why`: the reason), saying so in the test's annotations too:
 * what it would have asserted is not reported as passed.
 */
function skipStep(step: TestStepInfo, why: PlatformAccount | string): void {
  if (typeof why !== 'string') return;
  test.info().annotations.push({ type: 'skipped step', description: why });
  step.skip(true, why);
}

const platformCovers = (platform: CrossAuthPlatform) => ['path.oauth2_cross_social_provider_name', ...platformParams(platform).map((p) => `query.${p}`)];

for (const platform of CROSS_AUTH_PLATFORMS) {
  test.describe(`cross_auth ${platform}`, () => {
    const redirects = [
      { title: 'is_redirect omitted (default true)', value: undefined },
      { title: 'is_redirect=true', value: 'true' },
    ];
    for (const c of redirects) {
      test(`${c.title}: 302 with Location carrying the code and the state; not followed`, async ({ api, accounts, data, report }) => {
        await report.describe({ endpoint, feature: 'is_redirect', story: platform, source: IS_REDIRECT_RULE, covers: [...platformCovers(platform), 'query.is_redirect'], severity: 'critical' });
        const state = data.validState();
        const x = await crossAuth(api, platform, await accounts.platform(platform), { ...baseQuery(client, state), is_redirect: c.value });
        await expect(x).toHaveStatus(302);
        await expect(x).toHaveLoginUrlWith({ redirectUri, state });
      });
    }

    test('is_redirect=false: 200 {login_url} carrying the code and the state', async ({ api, accounts, data, report }) => {
      await report.describe({ endpoint, feature: 'is_redirect', story: platform, source: IS_REDIRECT_RULE, covers: [...platformCovers(platform), 'query.is_redirect'], severity: 'critical' });
      const state = data.validState();
      const x = await crossAuth(api, platform, await accounts.platform(platform), { ...baseQuery(client, state), is_redirect: 'false' });
      await expect(x).toHaveStatus(200);
      await expect(x).toHaveLoginUrlWith({ redirectUri, state });
    });

    test('the code from Location exchanges for a JWT of the project; audience becomes aud', async ({ api, accounts, data, report }) => {
      await report.describe({ endpoint, feature: 'audience is passed into aud', story: platform, source: AUDIENCE_RULE, covers: [...platformCovers(platform), 'query.audience'] });
      const audience = `https://${data.faker.internet.domainWord()}.game.example/${data.faker.string.alphanumeric(6)}`;
      const x = await crossAuth(api, platform, await accounts.platform(platform), { ...baseQuery(client, data.validState()), audience });
      await expect(x).toHaveStatus(302);
      const token = await exchangeCode(api, client, codeFrom(x), redirectUri);
      await expect(token).toHaveStatus(200);
      await expect(token).toHaveJwtClaims({ xsolla_login_project_id: profile.projectId });
      expect(audiencesOf(decodeLoginJwt(jwtOf(token)!)), `"Parameter value will be passed in the aud JWT field."\n  reproduce: ${x.curl}`).toContain(audience);
    });

    test('no_user_creation=true: a new user is refused and not created; an existing user signs in', async ({ api, accounts, data, report }) => {
      await report.describe({ endpoint, feature: 'no_user_creation', story: platform, source: NO_USER_CREATION_RULE, covers: [...platformCovers(platform), 'query.no_user_creation'], severity: 'critical' });
      // Four sign-ins of one new user. A credential that works once (an Epic exchange code: the server spends it
      // exchanging it with Epic, refused or not) cannot be shown again, so each sign-in after the first takes the next
      // credential of the same user (a newPlatformUsers source may print several); a reusable one is shown again.
      const credentials = await accounts.newPlatformUserCredentials(platform);
      const once = accounts.worksOnce(platform, credentials[0]!);
      let next = 0;
      /** The credential of the next sign-in of this user, or why there is none (the step is skipped, saying so). */
      const nextCredential = (): PlatformAccount | string => {
        next += 1;
        if (credentials[next]) return credentials[next]!;
        if (!once) return credentials[0]!;
        return `${platform}: a credential works once and the profile gave ${credentials.length} for this new user; ` +
          `to run this step, let the perTest source of newPlatformUsers.${platform} print 4 credentials of one user (a list)`;
      };
      const fresh = credentials[0]!;
      const refused = await crossAuth(api, platform, fresh, { ...baseQuery(client, data.validState()), no_user_creation: 'true', is_redirect: 'false' });
      await expect(refused).toBeRejected('"Do not create new user if they not exist yet."');
      await expect(refused).toMatchExpectation('userNotFound');
      await test.step('the refused attempt did not create the user: a second one is refused too', async (step) => {
        const second = nextCredential();
        skipStep(step, second);
        const again = await crossAuth(api, platform, second as PlatformAccount, { ...baseQuery(client, data.validState()), no_user_creation: 'true', is_redirect: 'false' });
        await expect(again).toBeRejected('the user must still not exist');
      });
      await test.step('once the user exists (a sign-in without the flag), no_user_creation=true signs it in', async (step) => {
        const third = nextCredential();
        const fourth = nextCredential();
        skipStep(step, typeof third === 'string' ? third : fourth);
        const created = await crossAuth(api, platform, third as PlatformAccount, { ...baseQuery(client, data.validState()), is_redirect: 'false' });
        await expect(created).toHaveStatus(200);
        const state = data.validState();
        const existing = await crossAuth(api, platform, fourth as PlatformAccount, { ...baseQuery(client, state), no_user_creation: 'true', is_redirect: 'false' });
        await expect(existing).toHaveStatus(200);
        await expect(existing).toHaveLoginUrlWith({ redirectUri, state });
      });
    });

    test('no_user_creation=false (the default): a new user is created and signed in', async ({ api, accounts, data, report }) => {
      await report.describe({ endpoint, feature: 'no_user_creation', story: platform, source: NO_USER_CREATION_RULE, covers: [...platformCovers(platform), 'query.no_user_creation'] });
      const state = data.validState();
      // An account of its own: on a real target the =true test must not be given the user this test creates.
      const x = await crossAuth(api, platform, await accounts.newPlatformUser(platform), { ...baseQuery(client, state), no_user_creation: 'false', is_redirect: 'false' });
      await expect(x).toHaveStatus(200);
      await expect(x).toHaveLoginUrlWith({ redirectUri, state });
    });

    // What the page makes required of this platform ("Required if the platform where the user is authorized is
    // Steam": steam's app_id); nothing else is asserted as required.
    for (const name of CROSS_AUTH_REQUIRED[platform]) {
      test(`without ${name} is refused`, async ({ api, accounts, data, report }) => {
        await report.describe({ endpoint, feature: `${name} required for ${platform}`, story: platform, source: src(name), covers: [`query.${name}`], expectation: true, severity: 'critical' });
        const query: OAuthQuery = { ...platformQuery(await accounts.platform(platform)), ...baseQuery(client, data.validState()), is_redirect: 'false' };
        delete query[name];
        const x = await api.call(endpoint, { provider: platform, query });
        await expect(x).toBeRejected(`${platform} needs ${name}`);
        await expect(x).toMatchExpectation('missingParameter');
      });
    }

    test('without anything from the platform (no session_ticket, no code) is refused', async ({ api, accounts, data, report }) => {
      await report.describe({
        endpoint, feature: 'the call exchanges the platform\'s token', story: platform, source: CROSS_AUTH_EXCHANGE_SOURCE,
        covers: ['query.session_ticket', 'query.code'], expectation: true, severity: 'critical',
      });
      // The page calls neither parameter required and does not say which platform sends which, so both go: what
      // is left (steam's app_id, a deployment_id) proves no user. Which 4xx is the target's expectations file's.
      const query: OAuthQuery = { ...platformQuery(await accounts.platform(platform)), ...baseQuery(client, data.validState()), is_redirect: 'false' };
      delete query.session_ticket;
      delete query.code;
      const x = await api.call(endpoint, { provider: platform, query });
      await expect(x).toBeRejected(`nothing from ${platform} to exchange for a Login JWT`);
      await expect(x).toMatchExpectation('missingParameter');
    });

    if (platformParams(platform).includes('session_ticket')) {
      for (const ticket of ['not base64!', 'ab-_cd-_', 'c2ltLXN0ZWFt=x']) {
        test(`session_ticket ${JSON.stringify(ticket)} (not standard Base64) is refused`, async ({ api, accounts, data, report }) => {
          await report.describe({ endpoint, feature: 'session_ticket is Base64', story: platform, source: SESSION_TICKET_RULE, covers: ['query.session_ticket'], expectation: true });
          const x = await crossAuth(api, platform, await accounts.platform(platform), { ...baseQuery(client, data.validState()), session_ticket: ticket, is_redirect: 'false' });
          await expect(x).toBeRejected('"encoded according to the Base64 standard"');
          await expect(x).toMatchExpectation('invalidParameter');
        });
      }
    }
  });
}

test.describe('cross_auth: platform and flags', () => {
  for (const unknown of ['playstation', 'facebook', 'not-a-platform']) {
    test(`unknown platform ${JSON.stringify(unknown)} is refused`, async ({ api, accounts, data, report }) => {
      await report.describe({ endpoint, feature: 'the platform is steam, xbox or epicgames', story: 'any', source: CROSS_AUTH_PLATFORM_SOURCE, covers: ['path.oauth2_cross_social_provider_name'], expectation: true, severity: 'critical' });
      const x = await crossAuth(api, unknown, await accounts.platform('steam'), { ...baseQuery(client, data.validState()), is_redirect: 'false' });
      await expect(x).toBeRejected(`${unknown} is not a documented platform`);
      await expect(x).toMatchExpectation('unknownProvider');
    });
  }

  for (const flag of ['is_redirect', 'no_user_creation'] as const) {
    test(`${flag} that is not a boolean is refused`, async ({ api, accounts, data, report }) => {
      await report.describe({ endpoint, feature: `${flag} is a boolean`, story: 'steam', source: flag === 'is_redirect' ? IS_REDIRECT_RULE : NO_USER_CREATION_RULE, covers: [`query.${flag}`], expectation: true });
      const x = await crossAuth(api, 'steam', await accounts.platform('steam'), { ...baseQuery(client, data.validState()), [flag]: 'maybe' });
      await expect(x).toBeRejected(`${flag} is typed boolean`);
      await expect(x).toMatchExpectation('invalidParameter');
    });
  }
});
