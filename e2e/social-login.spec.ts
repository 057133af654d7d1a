import { isOnRedirectUri, loginUrlProblems } from '../lib/matchers.ts';
import { loadProfile, profilePathFromEnv } from '../lib/profile.ts';
import { STATE_RULE, isValidState } from '../contract/index.ts';
import { expect, fillAccount, requireClientApp, requireCrossOriginCalls, test } from './fixtures.ts';
import { watchBrowserTraffic } from './traffic.ts';

/**
 * The OAuth 2.0 social-token login as a game's web page does it (contract/documents/oauth2-login-with-token.md):
 * the page calls login_with_token cross-origin with a state it keeps, follows login_url to its registered
 * callback, checks the state, has its backend exchange the code, and shows the user id from the JWT.
 * One test per provider of the target's matrix.
 */

/** The provider matrix is the target's (the documents' union by default): known when the tests are listed. */
const PROVIDERS = loadProfile(profilePathFromEnv()).providers;

test.describe('OAuth 2.0 social-token login in the browser', () => {
  test.describe.configure({ mode: 'parallel' });

  for (const provider of PROVIDERS) {
    test(`${provider}: the game page signs in and shows the JWT's user id @smoke`, async ({ page, context, profile, clientApp, account, describeFlow, snap, note }) => {
      requireClientApp(clientApp);
      await requireCrossOriginCalls(profile, clientApp.origin);
      await describeFlow({ endpoint: 'oauthLogin', feature: 'login_url returns to the registered redirect URI with code and the exact state', story: provider, source: STATE_RULE, severity: 'critical' });
      const traffic = watchBrowserTraffic(context);
      const user = await account(provider);

      await test.step('the game page takes the social token', async () => {
        await page.goto(`${clientApp.origin}/?provider=${encodeURIComponent(provider)}`);
        await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
        await fillAccount(page, user);
        await snap('1 login page, token entered');
      });

      const loginCall = page.waitForRequest((r) => r.url().includes(`/oauth2/social/${provider}/login_with_token`));
      const callbackNav = page.waitForRequest((r) => r.isNavigationRequest() && isOnRedirectUri(r.url(), clientApp.callbackUri));
      await page.getByRole('button', { name: 'Sign in' }).click();

      const sent = new URL((await loginCall).url());
      const sentState = sent.searchParams.get('state') ?? '';
      await test.step('the page called login_with_token cross-origin with its state and registered redirect URI', async () => {
        expect(sent.origin).toBe(new URL(profile.baseUrl).origin);
        expect(sent.searchParams.get('client_id')).toBe(String(profile.oauth[clientApp.client].clientId));
        expect(sent.searchParams.get('response_type')).toBe('code');
        expect(sent.searchParams.get('redirect_uri')).toBe(clientApp.callbackUri);
        expect(isValidState(sentState), 'the page sends a state longer than 8 symbols').toBe(true);
      });

      await test.step('login_url brought the browser to the callback with a code and the exact state', async () => {
        const landed = new URL((await callbackNav).url());
        // The redirect URI with its own query kept, one code and the state exactly, wherever they stand in the query.
        expect(loginUrlProblems(landed.href, { redirectUri: clientApp.callbackUri, state: sentState }), 'the callback URL is the redirect URI with code and state added').toEqual([]);
        await note('callback URL (redacted)', landed.href);
      });

      await test.step('the page checked the state, its backend exchanged the code, the user id is shown', async () => {
        await expect(page.locator('#outcome')).toHaveAttribute('data-outcome', 'signed-in');
        await expect(page.locator('#state')).toHaveText(sentState);
        await expect(page.locator('#user-id')).toHaveText(/\S+/);
        await snap('2 callback page, signed in');
      });

      await test.step('the session works: GET /users/me answers 200 for the exchanged JWT', async () => {
        await page.getByRole('button', { name: 'Check session' }).click();
        await expect(page.locator('#session')).toHaveAttribute('data-status', '200');
      });

      await test.step('the client secret never reached the browser', async () => {
        const secret = profile.oauth[clientApp.client].clientSecret;
        expect(traffic.requests.length).toBeGreaterThan(3);
        expect(traffic.requests.filter((r) => r.includes(secret) || r.includes(encodeURIComponent(secret)))).toEqual([]);
        expect(traffic.requests.filter((r) => r.includes('/oauth2/token')), 'the code exchange is the backend\'s job').toEqual([]);
      });
    });
  }
});
