import { STATE_RULE } from '../contract/index.ts';
import { expect, requireClientApp, requireCrossOriginCalls, test } from './fixtures.ts';
import { openLoginPage } from './flows.ts';
import { watchBrowserTraffic } from './traffic.ts';

/**
 * `state` is "Often used to mitigate CSRF Attacks. The value will be returned in the response."
 * (contract/documents/oauth2-login-with-token.md). A game page that keeps its state must refuse a callback that
 * carries any other: it never exchanges that code, never signs the player in. These tests fail if the page
 * (or a server altering state) lets such a callback through.
 */

const PROVIDER = 'google';

/** A state that differs from the original by one character: the smallest tampering there is. */
const tamper = (state: string): string => `${state.slice(0, -1)}${state.endsWith('a') ? 'b' : 'a'}`;

test.describe('CSRF: the game page refuses a callback whose state it did not send', () => {
  test('a state altered on the way back is refused', async ({ page, context, profile, clientApp, account, describeFlow, snap }) => {
    requireClientApp(clientApp);
    await requireCrossOriginCalls(profile, clientApp.origin);
    await describeFlow({ endpoint: 'oauthLogin', feature: 'state mitigates CSRF: a callback with another state is refused', story: PROVIDER, source: STATE_RULE, severity: 'critical' });
    const traffic = watchBrowserTraffic(context);
    const provider = profile.providers.includes(PROVIDER) ? PROVIDER : profile.providers[0]!;
    await openLoginPage(page, clientApp, provider, await account(provider));

    let original = '';
    // In-the-middle tampering: Login's answer reaches the page with the state in login_url changed.
    await page.route((url) => url.pathname.endsWith('/login_with_token'), async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch();
      const body = (await response.json()) as { login_url: string };
      const loginUrl = new URL(body.login_url);
      original = loginUrl.searchParams.get('state') ?? '';
      loginUrl.searchParams.set('state', tamper(original));
      await route.fulfill({ response, json: { login_url: loginUrl.href } });
    });
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page.locator('#outcome')).toHaveAttribute('data-outcome', 'refused');
    expect(original, 'Login answered a login_url with a state').not.toBe('');
    await expect(page.locator('#state')).toHaveText(tamper(original));
    await expect(page.locator('#user-id')).toHaveText('');
    expect(traffic.urls.filter((u) => u.includes('/backend/exchange')), 'the page never tried to exchange the code').toEqual([]);
    await snap('callback refused: state altered');
  });

  test('a forged callback (an attacker\'s code and state) is refused and its code is never spent', async ({ page, context, profile, clientApp, account, describeFlow, snap, note }) => {
    requireClientApp(clientApp);
    await requireCrossOriginCalls(profile, clientApp.origin);
    await describeFlow({ endpoint: 'oauthLogin', feature: 'state mitigates CSRF: a callback with another state is refused', story: PROVIDER, source: STATE_RULE, severity: 'critical' });
    const provider = profile.providers.includes(PROVIDER) ? PROVIDER : profile.providers[0]!;
    const client = profile.oauth[clientApp.client];

    // The attacker signs in with their own account, outside the victim's browser, and keeps the login_url.
    const attacker = await account(provider);
    const attackerState = `attacker-${Date.now()}`;
    const query = new URLSearchParams({ client_id: String(client.clientId), response_type: 'code', state: attackerState, redirect_uri: clientApp.callbackUri });
    const answer = await fetch(`${profile.baseUrl}/oauth2/social/${provider}/login_with_token?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: 'accessToken' in attacker ? attacker.accessToken : '', access_token_secret: 'accessTokenSecret' in attacker ? attacker.accessTokenSecret : undefined, openid: 'openid' in attacker ? attacker.openid : undefined }),
      signal: AbortSignal.timeout(profile.timeouts.requestMs),
    });
    expect(answer.status, 'the attacker got a login_url').toBe(200);
    const forged = new URL(((await answer.json()) as { login_url: string }).login_url);
    const forgedCode = forged.searchParams.get('code')!;
    await note('forged callback (redacted)', forged.href);

    // The victim has a sign-in of their own pending (its state stored), and the request never completes.
    const traffic = watchBrowserTraffic(context);
    await openLoginPage(page, clientApp, provider, await account(provider));
    await page.route((url) => url.pathname.endsWith('/login_with_token'), (route) => route.abort());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#error')).toContainText('could not be reached');

    // Then the victim follows the attacker's link.
    await page.goto(forged.href);
    await expect(page.locator('#outcome')).toHaveAttribute('data-outcome', 'refused');
    await expect(page.locator('#user-id')).toHaveText('');
    expect(traffic.urls.filter((u) => u.includes('/backend/exchange')), 'the page never tried to exchange the code').toEqual([]);
    await snap('forged callback refused');

    await test.step('the forged code was never spent: it still exchanges (so the page did not use it)', async () => {
      const exchange = await fetch(`${profile.baseUrl}/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: String(client.clientId), client_secret: client.clientSecret, redirect_uri: clientApp.callbackUri, code: forgedCode }),
        signal: AbortSignal.timeout(profile.timeouts.requestMs),
      });
      expect(exchange.status).toBe(200);
    });
  });
});
