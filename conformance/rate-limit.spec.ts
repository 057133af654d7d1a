import { setTimeout as sleep } from 'node:timers/promises';
import { platformQuery, socialBody } from '../lib/accounts.ts';
import type { Exchange } from '../lib/exchange.ts';
import { withFileLock } from '../lib/file-lock.ts';
import { retryAfterSeconds } from '../lib/retry-after.ts';
import { expect, targetProfile, test } from '../lib/fixtures.ts';
import { ENDPOINTS, type EndpointId } from '../contract/index.ts';
import { baseQuery } from './oauth-entries.ts';

/**
 * The documented 429 (all three pages list it, with the error body). Each test drives one endpoint past the limit
 * of the profile's isolated project or client (never the main one, so no other test is starved), under a lock
 * shared by all workers (repeats of a test may run at once and would drain the same bucket). On a target other
 * than the simulator it runs only when the profile sets intrusive.rateLimit.
 */

const profile = targetProfile();
const limit = profile.rateLimit;

const targets: { endpoint: EndpointId; covers: string }[] = [
  { endpoint: 'jwtLogin', covers: 'query.projectId' },
  { endpoint: 'oauthLogin', covers: 'query.client_id' },
  { endpoint: 'crossAuth', covers: 'query.client_id' },
];

for (const t of targets) {
  test(`${t.endpoint}: past the limit the documented 429 comes, with the error body and Retry-After, not before`, { tag: '@ratelimit' }, async ({ api, accounts, data, report }) => {
    await report.describe({
      endpoint: t.endpoint, feature: 'rate limit: 429 with body and Retry-After', story: 'any', covers: [t.covers],
      source: { doc: ENDPOINTS[t.endpoint].doc, item: 'responses.429', quote: 'Response 429 fields (application/json): `error` (object, required)' },
    });
    test.skip(profile.kind !== 'simulator' && !profile.intrusive.rateLimit, `driving "${profile.name}" into 429 is intrusive; set intrusive.rateLimit in the profile to allow it`);
    if (!limit) {
      test.skip(profile.kind !== 'simulator', `profile "${profile.name}" has no isolated rateLimit project and client`);
      throw new Error('the simulator profile must name its isolated rateLimit project and client');
    }
    const perSecond = limit.expectedPerSecond;
    if (perSecond === undefined) {
      // Without a stated limit there is no bound on how many requests it takes; the load script measures it.
      test.skip(true, `profile "${profile.name}" states no rateLimit.expectedPerSecond: \`npm run load -- ratelimit\` measures the limit`);
      return;
    }
    test.setTimeout(60_000);
    const burst = limit.burst ?? Math.ceil(perSecond);
    const client = limit.client;
    const send = async (): Promise<Exchange> => {
      if (t.endpoint === 'jwtLogin') {
        const { provider, account } = await accounts.anySocial();
        return api.call('jwtLogin', { provider, query: { projectId: limit.projectId }, json: socialBody(account) });
      }
      if (t.endpoint === 'oauthLogin') {
        const { provider, account } = await accounts.anySocial();
        return api.call('oauthLogin', { provider, query: baseQuery(client, data.validState()), json: socialBody(account) });
      }
      return api.call('crossAuth', { provider: 'steam', query: { ...baseQuery(client, data.validState()), ...platformQuery(await accounts.platform('steam')), is_redirect: 'false' } });
    };

    await withFileLock(`ratelimit ${profile.baseUrl} ${limit.projectId} ${client.clientId}`, async () => {
      // A full bucket first: whatever ran before (another repeat, another endpoint on the same client) has refilled.
      await sleep(Math.ceil((burst / perSecond) * 1000) + 250);
      // Enough that even a slow machine (requests spread over a few seconds of refill) goes past the limit.
      const count = burst + Math.ceil(perSecond) * 4 + 10;
      const answers = await Promise.all(Array.from({ length: count }, send));
      const accepted = answers.filter((x) => x.status < 300 || x.status === 302);
      const limited = answers.filter((x) => x.status === 429);
      const summary = `${count} requests at once: ${accepted.length} accepted, ${limited.length} answered 429, others: ${answers.filter((x) => x.status >= 300 && x.status !== 302 && x.status !== 429).map((x) => x.status).join(',') || 'none'}`;

      expect(limited.length, `past the limit (${perSecond}/s, burst ${burst}) the documented 429 must come; ${summary}\n  reproduce: ${answers[0]!.curl}`).toBeGreaterThan(0);
      expect(accepted.length, `a fresh limit of ${perSecond}/s (burst ${burst}) must accept at least ${burst} requests before the first 429; ${summary}`).toBeGreaterThanOrEqual(burst);
      expect(accepted.length + limited.length, summary).toBe(count);
      const first = limited[0]!;
      await expect(first).toMatchExpectation('rateLimited');
      // Retry-After is not on the pages; RFC 6585 §4: a 429 "MAY include a Retry-After header". Required only where
      // the profile pins it (rateLimit.retryAfter); when sent it must be what RFC 9110 §10.2.3 allows:
      // "Retry-After = HTTP-date / delay-seconds".
      for (const x of limited) {
        const value = x.headers['retry-after'];
        if (value === undefined) {
          expect(limit.retryAfter !== true, `profile "${profile.name}" says its 429s carry Retry-After (rateLimit.retryAfter), this one has none\n  reproduce: ${x.curl}`).toBe(true);
          continue;
        }
        const seconds = retryAfterSeconds(value);
        expect(seconds !== null && seconds >= 0 && seconds <= 3600, `Retry-After must be delay-seconds or an HTTP-date (RFC 9110 §10.2.3), got ${JSON.stringify(value)}\n  reproduce: ${x.curl}`).toBe(true);
      }

      await test.step('after Retry-After (or a second, without one) the endpoint accepts again', async () => {
        const wait = retryAfterSeconds(first.headers['retry-after']) ?? 1;
        await sleep(Math.min(wait, 5) * 1000 + 100);
        const again = await send();
        await expect(again).toHaveStatus(t.endpoint === 'crossAuth' ? [200, 302] : 200);
      });
    });
  });
}
