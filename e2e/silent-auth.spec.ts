import { CROSS_AUTH_PLATFORMS, IS_REDIRECT_RULE } from '../contract/index.ts';
import { isOnRedirectUri, loginUrlProblems } from '../lib/matchers.ts';
import { expect, fillAccount, requireClientApp, test } from './fixtures.ts';

/**
 * Silent authentication in the browser (contract/documents/oauth2-cross-auth.reference-page.txt): the game
 * launcher page sends the player to cross_auth with is_redirect=true; Login answers 302 ("URL for user
 * redirection ... will be in the Location header"); the browser follows it to the registered redirect URI,
 * whose page shows the code and the state. The test checks both against what was sent and what Login
 * answered, and that the code is genuine (the game backend exchanges it for a working session).
 */

test.describe('Silent authentication (cross_auth, is_redirect=true) in the browser', () => {
  for (const platform of CROSS_AUTH_PLATFORMS) {
    test(`${platform}: 302 to the redirect URI page, which shows the code and the state @smoke`, async ({ page, profile, clientApp, account, describeFlow, snap, note }) => {
      requireClientApp(clientApp);
      await describeFlow({ endpoint: 'crossAuth', feature: 'is_redirect=true answers 302 with Location carrying code and state', story: platform, source: IS_REDIRECT_RULE, severity: 'critical' });
      const player = await account(platform);

      await test.step('the launcher page holds the platform credentials', async () => {
        await page.goto(`${clientApp.origin}/silent?platform=${platform}`);
        await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
        await fillAccount(page, player);
        await snap('1 launcher page');
      });

      const landing = page.waitForRequest((r) => r.isNavigationRequest() && isOnRedirectUri(r.url(), clientApp.silentCallbackUri));
      await page.getByRole('button', { name: 'Continue with the platform' }).click();
      const arrived = await landing;

      const crossAuth = arrived.redirectedFrom();
      const sentState = await test.step('the browser went to cross_auth with is_redirect=true and got a 302', async () => {
        expect(crossAuth, 'the callback page was reached through a redirect').not.toBeNull();
        const sent = new URL(crossAuth!.url());
        expect(sent.origin).toBe(new URL(profile.baseUrl).origin);
        expect(sent.pathname).toBe(`${new URL(profile.baseUrl).pathname}/oauth2/social/${platform}/cross_auth`);
        expect(sent.searchParams.get('is_redirect')).toBe('true');
        expect(crossAuth!.redirectedFrom(), 'Login redirected once, straight to the redirect URI').toBeNull();
        const answer = await crossAuth!.response();
        expect(answer?.status()).toBe(302);
        await note('cross_auth request and Location (redacted)', `${sent.href}\n→ ${answer?.status()} Location: ${answer?.headers().location ?? '(none)'}`);
        return sent.searchParams.get('state') ?? '';
      });

      const location = new URL(arrived.url());
      await test.step('the redirect URI page shows the code and the state Login put in Location', async () => {
        // The redirect URI with its own query kept, one code and the state exactly, wherever they stand in the query.
        expect(loginUrlProblems(location.href, { redirectUri: clientApp.silentCallbackUri, state: sentState }), 'Location is the redirect URI with code and state added').toEqual([]);
        const code = location.searchParams.get('code');
        await expect(page.locator('#code')).toHaveText(code!);
        await expect(page.locator('#state')).toHaveText(sentState);
        await snap('2 redirect URI page: code (drawn as dots) and state');
      });

      await test.step('the code is genuine: the page accepted the state and its backend exchanged the code', async () => {
        await expect(page.locator('#outcome')).toHaveAttribute('data-outcome', 'signed-in');
        await expect(page.locator('#user-id')).toHaveText(/\S+/);
        await page.getByRole('button', { name: 'Check session' }).click();
        await expect(page.locator('#session')).toHaveAttribute('data-status', '200');
        await snap('3 signed in');
      });
    });
  }
});
