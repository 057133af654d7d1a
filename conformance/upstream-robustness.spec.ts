import { socialBody } from '../lib/accounts.ts';
import { mintAccount } from '../lib/credentials.ts';
import { expect, targetProfile, test } from '../lib/fixtures.ts';
import type { SocialAccount } from '../lib/profile.ts';
import { param } from '../contract/index.ts';
import { baseQuery } from './oauth-entries.ts';

/**
 * A social network that is down or slower than the Login server waits must still get a documented answer
 * (inside the documented statuses, with the error body), never a 5xx. Only a target with a test social network
 * (the simulator: accounts whose id starts with `outage` or `slow`) can be made to fail; a real one is not.
 */

const profile = targetProfile();
const client = profile.oauth.singleRedirect;

test.describe('a social network that is down or too slow', () => {
  // Only a target with a test social network can be told to fail; a real one is not taken down for a test.
  const upstream = [
    { title: 'down', id: 'outage' },
    { title: 'slower than the server waits', id: 'slow' },
  ];
  for (const endpointId of ['jwtLogin', 'oauthLogin'] as const) {
    for (const u of upstream) {
      test(`${endpointId}: a network that is ${u.title} is answered inside the documented statuses, never a 5xx`, async ({ api, accounts, data, report }) => {
        await report.describe({ endpoint: endpointId, feature: 'upstream failures stay documented', story: 'any', source: param(endpointId, 'access_token').source, covers: ['body.access_token'], expectation: true });
        test.skip(profile.kind !== 'simulator', `target "${profile.name}" has no test social network that can be made to fail`);
        const { provider } = await accounts.anySocial();
        const account = mintAccount(profile, provider, `${u.id}${data.faker.string.alphanumeric(10)}`) as SocialAccount;
        const query = endpointId === 'jwtLogin' ? { projectId: profile.projectId } : baseQuery(client, data.validState());
        const x = await api.call(endpointId, { provider, query, json: socialBody(account) });
        await expect(x).toBeRejected(`the social network was ${u.title}`);
        await expect(x).toMatchExpectation('socialNetworkUnavailable');
      });
    }
  }
});
