import { WITH_LOGOUT_RULE } from '../contract/index.ts';
import { expect, fillAccount, requireClientApp, requireCrossOriginCalls, test } from './fixtures.ts';
import { checkSession, signInOnGamePage } from './flows.ts';

/**
 * `with_logout`: "1 to deactivate the existing values and activate a new one, 0 to keep the existing values
 * activated" (contract/documents/jwt-login-with-token.md). The player is signed in on the game page (OAuth 2.0);
 * a second page signs the same player in with the JWT call. With 1, the first page's token is refused on its
 * next use (GET /users/me); with 0 it keeps working: the pair fails if the server ignores or inverts the flag.
 * With 1 the player is an account no other test holds meanwhile (on a real target: one of the provider's accounts
 * after the first, leased); with 0 it is the shared first account, which no test signs out. So the two can run at
 * once on two workers without the first signing out the second's player.
 */

test.describe('with_logout in a second page', () => {
  for (const withLogout of [true, false]) {
    const title = withLogout
      ? 'with_logout=1: the first page\'s token is refused on its next use'
      : 'with_logout=0: the first page\'s token keeps working';
    test(title, async ({ page, context, profile, clientApp, account, ownAccount, describeFlow, snap }) => {
      requireClientApp(clientApp);
      await requireCrossOriginCalls(profile, clientApp.origin);
      // Provider-independent: the profile's defaultProvider (or its documented default).
      if (profile.defaultProvider === undefined) test.skip(true, `target "${profile.name}" has no social provider with accounts`);
      const provider = profile.defaultProvider!;
      await describeFlow({ endpoint: 'jwtLogin', feature: `with_logout=${withLogout ? 1 : 0} ${withLogout ? 'deactivates' : 'keeps'} the user's existing JWTs`, story: provider, source: WITH_LOGOUT_RULE, severity: 'critical' });
      const player = withLogout ? await ownAccount(provider) : await account(provider);

      const sub = await test.step('first page: signed in through the OAuth 2.0 flow, session active', async () => {
        const signedIn = await signInOnGamePage(page, clientApp, provider, player);
        expect(await checkSession(page)).toBe(200);
        return signedIn;
      });

      const second = await context.newPage();
      await test.step(`second page: the same player signs in with the JWT call, with_logout=${withLogout ? 1 : 0}`, async () => {
        await second.goto(`${clientApp.origin}/jwt`);
        await expect(second.locator('body')).toHaveAttribute('data-ready', 'true');
        await second.locator('#provider').selectOption(provider);
        await fillAccount(second, player);
        await second.locator('#with_logout').setChecked(withLogout);
        await second.getByRole('button', { name: 'Sign in' }).click();
        await expect(second.locator('#user-id'), 'the same user').toHaveText(sub);
        expect(await checkSession(second), 'the new token is active').toBe(200);
        await snap('second page signed in', second);
      });

      await test.step(`first page: its token is ${withLogout ? 'refused' : 'still accepted'} on the next use`, async () => {
        const status = await checkSession(page);
        if (withLogout) expect(profile.expectations.unauthorized.status, `a deactivated token gets ${profile.expectations.unauthorized.status.join('/')}`).toContain(status);
        else expect(status).toBe(200);
        await snap('first page after the second sign-in');
      });
    });
  }
});
