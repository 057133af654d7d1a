import type { DataBuilder } from '../lib/data-builders.ts';
import { expect, targetProfile, test } from '../lib/fixtures.ts';
import { codeFrom, exchangeCode } from '../lib/oauth-flow.ts';
import { decodeLoginJwt, scopesOf } from '../lib/jwt.ts';
import { jwtOf } from '../lib/matchers.ts';
import { REDIRECT_URI_EXACT_MATCH, REDIRECT_URI_RULE, RESPONSE_TYPE_RULE, SCOPE_RULE, STATE_RULE, param, redirectUriRegisteredRule, type AnswerCase } from '../contract/index.ts';
import { CLASS_INFO, LOOK_ALIKE_CLASSES, lookAlikesByClass } from '../lib/redirect-lookalikes.ts';
import { ENTRY_IDS, baseQuery, entries } from './oauth-entries.ts';

/**
 * The OAuth 2.0 query both calls share (contract/documents/oauth2-login-with-token.md and
 * oauth2-cross-auth.reference-page.txt): client_id, response_type, state, redirect_uri, scope. Every case runs
 * through both endpoints.
 */

type States = Pick<DataBuilder, 'state'>;

const profile = targetProfile();
const single = profile.oauth.singleRedirect;
const multi = profile.oauth.multiRedirect;

/** Non-integers a lenient parser (parseInt, Number) would read as the valid client id. */
const id = String(single.clientId);
const NON_INTEGER_CLIENT_IDS = [`${id}abc`, `${id}.0`, `${id}.5`, `${id}e0`, `0x${single.clientId.toString(16)}`, 'seven'];

/**
 * Look-alikes of the several-URI client's registered URIs, generated per way a comparison can be lenient
 * (lib/redirect-lookalikes.ts): one test per class and endpoint, one request per look-alike.
 */
const LOOK_ALIKES = lookAlikesByClass(multi.redirectUris);

for (const entryId of ENTRY_IDS) {
  test.describe(`${entryId}: OAuth 2.0 query`, () => {
    const src = (name: string) => param(entryId, name).source;

    test.describe('client_id', () => {
      test('missing is refused', async ({ api, accounts, data, report }) => {
        const entry = entries(profile, api, accounts)[entryId];
        await report.describe({ endpoint: entryId, feature: 'client_id is a required integer', story: entry.story, source: src('client_id'), covers: ['query.client_id'], expectation: true, severity: 'critical' });
        const x = await entry.call({ ...baseQuery(single, data.validState()), client_id: undefined });
        await expect(x).toBeRejected('client_id is required');
        await expect(x).toMatchExpectation('missingParameter');
      });

      for (const value of NON_INTEGER_CLIENT_IDS) {
        test(`non-integer ${JSON.stringify(value)} is refused`, async ({ api, accounts, data, report }) => {
          const entry = entries(profile, api, accounts)[entryId];
          await report.describe({ endpoint: entryId, feature: 'client_id is a required integer', story: entry.story, source: src('client_id'), covers: ['query.client_id'], expectation: true, severity: 'critical' });
          const x = await entry.call({ ...baseQuery(single, data.validState()), client_id: value });
          await expect(x).toBeRejected('client_id is typed integer');
          await expect(x).toMatchExpectation('invalidParameter');
        });
      }

      test('unknown is refused', async ({ api, accounts, data, report }) => {
        const entry = entries(profile, api, accounts)[entryId];
        await report.describe({ endpoint: entryId, feature: 'client_id names an OAuth 2.0 client', story: entry.story, source: src('client_id'), covers: ['query.client_id'], expectation: true, severity: 'critical' });
        const x = await entry.call({ ...baseQuery(single, data.validState()), client_id: '987654321' });
        await expect(x).toBeRejected('no such OAuth 2.0 client');
        await expect(x).toMatchExpectation('unknownClient');
      });
    });

    test.describe('response_type', () => {
      const cases: { title: string; value: string | undefined; expectation: AnswerCase }[] = [
        { title: 'missing', value: undefined, expectation: 'missingParameter' },
        ...['token', 'id_token', 'code token', 'codes'].map((v) => ({ title: JSON.stringify(v), value: v, expectation: 'invalidParameter' as const })),
      ];
      for (const c of cases) {
        test(`${c.title} (not "code") is refused`, async ({ api, accounts, data, report }) => {
          const entry = entries(profile, api, accounts)[entryId];
          await report.describe({ endpoint: entryId, feature: 'response_type must be code', story: entry.story, source: RESPONSE_TYPE_RULE, covers: ['query.response_type'], expectation: true, severity: 'critical' });
          const x = await entry.call({ ...baseQuery(single, data.validState()), response_type: c.value });
          await expect(x).toBeRejected('response_type "Must be code"');
          await expect(x).toMatchExpectation(c.expectation);
        });
      }
    });

    test.describe('state', () => {
      test('absent is refused', async ({ api, accounts, report }) => {
        const entry = entries(profile, api, accounts)[entryId];
        await report.describe({ endpoint: entryId, feature: 'state is required, longer than 8 characters', story: entry.story, source: src('state'), covers: ['query.state'], expectation: true, severity: 'critical' });
        const x = await entry.call({ ...baseQuery(single, 'unused'), state: undefined });
        await expect(x).toBeRejected('state is required');
        await expect(x).toMatchExpectation('missingParameter');
      });

      const tooShort = [
        { title: 'empty', make: () => '' },
        { title: '8 ASCII characters', make: (d: States) => d.state(8) },
        { title: '8 emoji (32 UTF-8 bytes, 16 UTF-16 units)', make: (d: States) => d.state(8, 'emoji') },
        { title: '8 CJK characters (24 UTF-8 bytes)', make: (d: States) => d.state(8, 'cjk') },
      ];
      for (const c of tooShort) {
        test(`${c.title} is refused (not longer than 8 symbols)`, async ({ api, accounts, data, report }) => {
          const entry = entries(profile, api, accounts)[entryId];
          await report.describe({ endpoint: entryId, feature: 'state is required, longer than 8 characters', story: entry.story, source: STATE_RULE, covers: ['query.state'], severity: 'critical' });
          const state = c.make(data);
          const x = await entry.call(baseQuery(single, state));
          await expect(x).toBeRejected(`state ${JSON.stringify(state)} is not longer than 8 symbols`);
          await expect(x).toMatchExpectation('stateTooShort');
        });
      }

      const accepted = [
        { title: '9 ASCII characters', make: (d: States) => d.state(9) },
        { title: '9 emoji', make: (d: States) => d.state(9, 'emoji') },
        { title: '9 CJK characters', make: (d: States) => d.state(9, 'cjk') },
        { title: 'long (512 characters)', make: (d: States) => d.state(512) },
        { title: 'special characters', make: () => `a b+c&d=e?f/g#h%20i'j"k<l>m;n,o\\p{q}r|s~t` },
        { title: 'percent-encoding look-alikes', make: () => '%2526%3D%3F%23%2B%00end' },
      ];
      for (const c of accepted) {
        test(`${c.title} is accepted and comes back exactly in the login URL`, async ({ api, accounts, data, report }) => {
          const entry = entries(profile, api, accounts)[entryId];
          await report.describe({ endpoint: entryId, feature: 'state is returned exactly', story: entry.story, source: STATE_RULE, covers: ['query.state'], severity: 'critical' });
          const state = c.make(data);
          const x = await entry.call(baseQuery(single, state));
          await expect(x).toHaveStatus(200);
          await expect(x).toHaveLoginUrlWith({ redirectUri: single.redirectUris[0]!, state });
        });
      }
    });

    test.describe('redirect_uri', () => {
      for (const [index, uri] of multi.redirectUris.entries()) {
        test(`registered URI #${index + 1} of several is used for the login URL`, async ({ api, accounts, data, report }) => {
          const entry = entries(profile, api, accounts)[entryId];
          await report.describe({ endpoint: entryId, feature: 'redirect_uri is a registered URI', story: entry.story, source: REDIRECT_URI_RULE, covers: ['query.redirect_uri'], severity: 'critical' });
          const state = data.validState();
          const x = await entry.call(baseQuery(multi, state, uri));
          await expect(x).toHaveStatus(200);
          await expect(x).toHaveLoginUrlWith({ redirectUri: uri, state });
        });
      }

      test('omitted with exactly one registered: that one is used', async ({ api, accounts, data, report }) => {
        const entry = entries(profile, api, accounts)[entryId];
        await report.describe({ endpoint: entryId, feature: 'redirect_uri required only with several registered', story: entry.story, source: REDIRECT_URI_RULE, covers: ['query.redirect_uri'], severity: 'critical' });
        const state = data.validState();
        const x = await entry.call({ ...baseQuery(single, state), redirect_uri: undefined });
        await expect(x).toHaveStatus(200);
        await expect(x).toHaveLoginUrlWith({ redirectUri: single.redirectUris[0]!, state });
      });

      test('omitted with several registered is refused (no silent default)', async ({ api, accounts, data, report }) => {
        const entry = entries(profile, api, accounts)[entryId];
        await report.describe({ endpoint: entryId, feature: 'redirect_uri required only with several registered', story: entry.story, source: REDIRECT_URI_RULE, covers: ['query.redirect_uri'], severity: 'critical' });
        const x = await entry.call({ ...baseQuery(multi, data.validState()), redirect_uri: undefined });
        await expect(x).toBeRejected('"The parameter is required if you have more than one redirect URI"');
        await expect(x).toMatchExpectation('redirectUriAmbiguous');
      });

      test('an unregistered URI is refused (no open redirect)', async ({ api, accounts, data, report }) => {
        const entry = entries(profile, api, accounts)[entryId];
        await report.describe({ endpoint: entryId, feature: 'redirect_uri is a registered URI', story: entry.story, source: redirectUriRegisteredRule(entryId), covers: ['query.redirect_uri'], expectation: true, severity: 'critical' });
        const uri = 'https://evil.example/callback';
        const x = await entry.call(baseQuery(multi, data.validState(), uri));
        await expect(x).toBeRejected(`${uri} is not a registered redirect URI`);
        await expect(x).toMatchExpectation('redirectUriNotRegistered');
      });

      // Each class is what one lenient comparison would accept: every look-alike must be refused, as an exact
      // comparison refuses it. Soft assertions: the report lists every look-alike that got through, not the first.
      test.describe('look-alikes of the registered URIs (exact matching)', () => {
        for (const cls of LOOK_ALIKE_CLASSES) {
          test(`${CLASS_INFO[cls].title}: every look-alike is refused`, async ({ api, accounts, data, report }) => {
            const entry = entries(profile, api, accounts)[entryId];
            await report.describe({ endpoint: entryId, feature: `redirect_uri look-alikes: ${CLASS_INFO[cls].title}`, story: entry.story, source: redirectUriRegisteredRule(entryId), covers: ['query.redirect_uri'], expectation: true, severity: 'critical' });
            const list = LOOK_ALIKES[cls];
            test.skip(list.length === 0, `no ${cls} look-alike applies to the registered URIs ${multi.redirectUris.join(', ')}`);
            for (const l of list) {
              await test.step(`${l.name}: ${JSON.stringify(l.uri)}`, async () => {
                const x = await entry.call(baseQuery(multi, data.validState(), l.uri));
                const why = `${JSON.stringify(l.uri)} is not a registered redirect URI, only like ${l.registered} (${l.name}); ${CLASS_INFO[cls].acceptedBy} would accept it, but ${REDIRECT_URI_EXACT_MATCH}`;
                await expect.soft(x).toBeRejected(why);
                await expect.soft(x).toMatchExpectation('redirectUriNotRegistered');
              });
            }
          });
        }
      });
    });

    test.describe('scope', () => {
      test('offline: the code exchange also gives a refresh token', async ({ api, accounts, data, report }) => {
        const entry = entries(profile, api, accounts)[entryId];
        await report.describe({ endpoint: entryId, feature: 'scope offline gives a refresh token', story: entry.story, source: SCOPE_RULE, covers: ['query.scope'] });
        const x = await entry.call({ ...baseQuery(single, data.validState()), scope: 'offline' });
        await expect(x).toHaveStatus(200);
        const token = await exchangeCode(api, single, codeFrom(x), single.redirectUris[0]!);
        await expect(token).toHaveStatus(200);
        const refresh = (token.json as { refresh_token?: unknown }).refresh_token;
        expect(typeof refresh === 'string' && refresh.length > 0, `scope=offline must give a refresh_token after the exchange; got ${typeof refresh}\n  reproduce: ${token.curl}`).toBe(true);
      });

      test('values the server does not process pass through into the JWT', async ({ api, accounts, data, report }) => {
        const entry = entries(profile, api, accounts)[entryId];
        await report.describe({ endpoint: entryId, feature: 'unknown scope values pass through', story: entry.story, source: SCOPE_RULE, covers: ['query.scope'] });
        const custom = `custom.${data.faker.string.alpha({ length: 8, casing: 'lower' })}`;
        const x = await entry.call({ ...baseQuery(single, data.validState()), scope: `email ${custom}` });
        await expect(x).toHaveStatus(200);
        const token = await exchangeCode(api, single, codeFrom(x), single.redirectUris[0]!);
        await expect(token).toHaveStatus(200);
        const scopes = scopesOf(decodeLoginJwt(jwtOf(token)!));
        expect(scopes, `the JWT's scope claim must carry the unprocessed value ${custom}\n  reproduce: ${x.curl}`).toContain(custom);
      });
    });

  });
}
