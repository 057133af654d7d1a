import { CROSS_AUTH_PLATFORMS, REDIRECT_URI_EXACT_MATCH, redirectUriRegisteredRule } from '../contract/index.ts';
import { hasAccounts } from '../lib/credentials.ts';
import { loadProfile, profilePathFromEnv } from '../lib/profile.ts';
import { ATTACKER_HOST, CLASS_INFO, LOOK_ALIKE_CLASSES, lookAlikesByClass } from '../lib/redirect-lookalikes.ts';
import { expect, test } from './fixtures.ts';
import { watchBrowserTraffic } from './traffic.ts';

/**
 * No open redirect: cross_auth with is_redirect=true is a real browser navigation that Login answers with a 302,
 * so a redirect_uri that is not registered for the client must be refused on the Login host, never followed.
 * The look-alikes are generated from the registered URIs, one test per way a lenient comparison could let them
 * through (lib/redirect-lookalikes.ts). The test fails if the browser ends up anywhere but on Login's answer.
 */

const profile = loadProfile(profilePathFromEnv());
const client = profile.oauth.multiRedirect;
/** Generated from the several-URI client's registered URIs, one class per way a comparison can be lenient (lib/redirect-lookalikes.ts). */
const LOOK_ALIKES = lookAlikesByClass(client.redirectUris);
/** The first platform the target has an account for: the redirect rule is the client's, whatever the platform. */
const PLATFORM = CROSS_AUTH_PLATFORMS.find((p) => hasAccounts(profile, p)) ?? CROSS_AUTH_PLATFORMS[0];

test.describe('No open redirect: an unregistered redirect_uri never takes the browser off the Login host', () => {
  for (const cls of LOOK_ALIKE_CLASSES) {
    test(`${PLATFORM}: cross_auth refuses the ${CLASS_INFO[cls].title} look-alikes of the redirect URIs`, async ({ page, context, account, describeFlow, snap, note }) => {
      await describeFlow({ endpoint: 'crossAuth', feature: `redirect_uri look-alikes: ${CLASS_INFO[cls].title}`, story: PLATFORM, source: redirectUriRegisteredRule('crossAuth'), severity: 'blocker' });
      const list = LOOK_ALIKES[cls];
      test.skip(list.length === 0, `no ${cls} look-alike applies to the registered URIs ${client.redirectUris.join(', ')}`);
      const expected = profile.expectations.redirectUriNotRegistered;
      const loginOrigin = new URL(profile.baseUrl).origin;
      const player = await account(PLATFORM);
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

      for (const variant of list) {
        await test.step(`${variant.name}: ${JSON.stringify(variant.uri)}`, async () => {
          const query = new URLSearchParams({ client_id: String(client.clientId), response_type: 'code', state: `state-${Date.now()}-open-redirect`, redirect_uri: variant.uri, is_redirect: 'true' });
          for (const [name, value] of Object.entries(credentials)) if (value !== undefined) query.set(name, value);
          const before = traffic.urls.length;
          const response = await page.goto(`${profile.baseUrl}/oauth2/social/${PLATFORM}/cross_auth?${query}`);
          // What a lenient comparison would accept, OAuth 2.0's exact matching refuses.
          const why = `${JSON.stringify(variant.uri)} is only like the registered ${variant.registered} (${CLASS_INFO[cls].acceptedBy} would accept it); ${REDIRECT_URI_EXACT_MATCH}`;

          expect(new URL(page.url()).origin, `the browser stayed on the Login host: ${why}`).toBe(loginOrigin);
          expect(traffic.urls.slice(before).filter((u) => new URL(u).origin !== loginOrigin), 'no request left the Login host').toEqual([]);
          expect(attackerHits).toEqual([]);
          expect(response, 'Login answered the navigation').not.toBeNull();
          expect(response!.request().redirectedFrom(), `no redirect was followed: ${why}`).toBeNull();
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
