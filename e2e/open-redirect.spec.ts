import { CROSS_AUTH_PLATFORMS, REDIRECT_URI_RULE } from '../contract/index.ts';
import { expect, test } from './fixtures.ts';
import { watchBrowserTraffic } from './traffic.ts';

/**
 * No open redirect: cross_auth with is_redirect=true is a real browser navigation that Login answers with a 302,
 * so a redirect_uri that is not registered for the client must be refused on the Login host, never followed.
 * Each variant is a way a lenient matcher (prefix, host or userinfo confusion, added query) lets an attacker's
 * URL through. The test fails if the browser ends up anywhere but on Login's answer.
 */

const ATTACKER_HOST = 'attacker.example';

/** Unregistered look-alikes of a registered URI. */
function lookAlikes(registered: string): { name: string; uri: string }[] {
  const u = new URL(registered);
  return [
    { name: 'a foreign host', uri: `https://${ATTACKER_HOST}${u.pathname}` },
    { name: 'the registered host as userinfo', uri: `${u.protocol}//${u.host}@${ATTACKER_HOST}${u.pathname}` },
    { name: 'the registered URI as a prefix of another path', uri: `${u.origin}${u.pathname}.${ATTACKER_HOST}` },
    { name: 'the registered URI with an added query', uri: `${registered}${u.search ? '&' : '?'}next=https://${ATTACKER_HOST}/` },
  ];
}

test.describe('No open redirect: an unregistered redirect_uri never takes the browser off the Login host', () => {
  for (const platform of CROSS_AUTH_PLATFORMS) {
    test(`${platform}: cross_auth refuses unregistered look-alikes of the redirect URI`, async ({ page, context, profile, account, describeFlow, snap, note }) => {
      await describeFlow({ endpoint: 'crossAuth', feature: 'redirect_uri must be a registered URI: no open redirect', story: platform, source: REDIRECT_URI_RULE, severity: 'blocker' });
      const expected = profile.expectations.redirectUriNotRegistered;
      const loginOrigin = new URL(profile.baseUrl).origin;
      const client = profile.oauth.multiRedirect;
      const player = await account(platform);
      const credentials: Record<string, string | undefined> = {
        session_ticket: 'sessionTicket' in player ? player.sessionTicket : undefined,
        app_id: 'appId' in player ? player.appId : undefined,
        code: 'code' in player ? player.code : undefined,
        deployment_id: 'deploymentId' in player ? player.deploymentId : undefined,
      };
      const attackerHits: string[] = [];
      // Should the browser be sent to the attacker's host, it lands on this stand-in page and the URL is recorded.
      await context.route((url) => url.hostname.endsWith(ATTACKER_HOST), (route) => {
        attackerHits.push(route.request().url());
        return route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>attacker page</h1>' });
      });
      const traffic = watchBrowserTraffic(context);

      for (const variant of lookAlikes(client.redirectUris[0]!)) {
        await test.step(`${variant.name}: ${variant.uri}`, async () => {
          const query = new URLSearchParams({ client_id: String(client.clientId), response_type: 'code', state: `state-${Date.now()}-open-redirect`, redirect_uri: variant.uri, is_redirect: 'true' });
          for (const [name, value] of Object.entries(credentials)) if (value !== undefined) query.set(name, value);
          const before = traffic.urls.length;
          const response = await page.goto(`${profile.baseUrl}/oauth2/social/${platform}/cross_auth?${query}`);

          expect(new URL(page.url()).origin, 'the browser stayed on the Login host').toBe(loginOrigin);
          expect(traffic.urls.slice(before).filter((u) => new URL(u).origin !== loginOrigin), 'no request left the Login host').toEqual([]);
          expect(attackerHits).toEqual([]);
          expect(response, 'Login answered the navigation').not.toBeNull();
          expect(response!.request().redirectedFrom(), 'no redirect was followed').toBeNull();
          expect(expected.status, `redirectUriNotRegistered status (${profile.expectationsPath})`).toContain(response!.status());
          expect(response!.headers().location, 'no Location header').toBeUndefined();
          const body = (await response!.json()) as { error?: { code?: string } };
          expect(body.error?.code, 'the documented error body').toMatch(/^\d{3}-\d{3}$/);
          if (expected.code) expect(body.error?.code).toBe(expected.code);
          await note(`${variant.name}: Login's answer`, `${response!.status()} ${JSON.stringify(body)}`);
        });
      }
      await snap('Login refused the last look-alike on its own host');
    });
  }
});
