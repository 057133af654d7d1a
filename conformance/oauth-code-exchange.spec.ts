import { expect, targetProfile, test } from '../lib/fixtures.ts';
import { codeFrom, exchangeCode } from '../lib/oauth-flow.ts';
import { param } from '../contract/index.ts';
import { ENTRY_IDS, baseQuery, entries } from './oauth-entries.ts';

/**
 * The OAuth 2.0 flow finished: login URL → code → POST /oauth2/token ("Generate JWT", form-encoded) → the user's
 * JWT, through both OAuth calls; a code works once (RFC 6749 §4.1.2).
 */

const profile = targetProfile();
const single = profile.oauth.singleRedirect;

for (const entryId of ENTRY_IDS) {
  test.describe(`${entryId}: code exchange`, () => {
    const src = (name: string) => param(entryId, name).source;

    test('login URL → code → POST /oauth2/token gives the user JWT; the code works once', async ({ api, accounts, data, report }) => {
      const entry = entries(profile, api, accounts)[entryId];
      await report.describe({ endpoint: entryId, feature: 'the code is exchanged once for the JWT', story: entry.story, source: src('response_type'), covers: ['query.response_type'], severity: 'critical' });
      const state = data.validState();
      const x = await entry.call(baseQuery(single, state));
      await expect(x).toHaveLoginUrlWith({ redirectUri: single.redirectUris[0]!, state });
      const code = codeFrom(x);
      const token = await exchangeCode(api, single, code, single.redirectUris[0]!);
      await expect(token).toHaveStatus(200);
      await expect(token).toHaveJwtClaims({ xsolla_login_project_id: profile.projectId, provider: entry.story });
      await test.step('the same code a second time is refused', async () => {
        const again = await exchangeCode(api, single, code, single.redirectUris[0]!);
        await expect(again, 'a code must work once (RFC 6749 §4.1.2)').not.toHaveStatus(200);
        await expect(again).toMatchExpectation('invalidGrant');
      });
    });
  });
}
